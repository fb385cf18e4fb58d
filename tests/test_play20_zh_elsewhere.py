"""Play-test 20 (简体), item 2: with 视频 1 current, 「接着弄狗狗那个视频 …「洗澡前」改到第1秒出现…」 was
sent to 视频 1 and charged, though only the other project (豆豆变身记) had 「洗澡前」; the other way
round, 「…改成sunrise开头 city-lights最后」 went to the dog video, which has no city-lights photo.
A request that edits a quoted text, or names a photo, that only one other project has is held
(free, naming both); never when the current project has it too, or when the text is being added.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.mentions import edited_texts, edits_elsewhere
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.tools import create_server

from .conftest import ask, photo_files, requests_to

pytestmark = pytest.mark.anyio


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "zh", None, None, 0.0, 0.0, 1)


PROMO, DOG, CAT = _project("宣传片"), _project("豆豆变身记"), _project("猫咪日记")
FILES = {
    PROMO.id: ["city-lights.jpg", "beach.jpg", "sunrise.jpg"],
    DOG.id: ["forest.jpg", "sunrise.jpg"],
    CAT.id: [],
}
TEXTS = {PROMO.id: ["毛孩子SPA宠物美容"], DOG.id: ["洗澡前", "豆豆的SPA日"], CAT.id: ["Before"]}


@pytest.mark.parametrize(
    ("current", "prompt", "meant"),
    [
        (PROMO, "接着弄狗狗那个视频 标题换成「豆豆的SPA日」放开头 「洗澡前」改到第1秒出现", DOG),
        (PROMO, "把「洗澡前」删掉", DOG),
        (DOG, "宣传片那个视频顺序还是反的 帮我改成sunrise开头 city-lights最后", PROMO),
        (DOG, "把city-lights.jpg放最后", PROMO),
        (DOG, "put city-lights.jpg first", PROMO),
        (PROMO, "move 'Before' to 1s", CAT),
    ],
)
def test_an_edit_of_what_only_another_project_has_is_found(
    current: Project, prompt: str, meant: Project
) -> None:
    found = edits_elsewhere(prompt, current, [PROMO, DOG, CAT], FILES, TEXTS)
    assert found is not None and found.named == (meant,), found


@pytest.mark.parametrize(
    ("current", "prompt"),
    [
        (PROMO, "加上「洗澡前」"),  # added, not edited
        (PROMO, "add 'Before' at 1s"),
        (PROMO, "标题换成「洗澡前」"),  # the new text, not an old one
        (DOG, "把sunrise那张放第一个"),  # both projects have sunrise
        (DOG, "把海边那张放最后"),  # a word for what a photo shows, no file's name: an ordinary edit
        (PROMO, "「毛孩子SPA宠物美容」改到第1秒出现"),  # the current project's own text
        (PROMO, "把「新年快乐」删掉"),  # no project has it: nothing to tell
    ],
)
def test_an_edit_the_current_project_may_mean_is_not_held(current: Project, prompt: str) -> None:
    assert edits_elsewhere(prompt, current, [PROMO, DOG, CAT], FILES, TEXTS) is None


def test_a_text_being_added_is_no_edit_of_an_existing_one() -> None:
    assert edited_texts(
        "标题换成「豆豆的SPA日」放开头 「洗澡前」改到第1秒出现 再加个「洗澡后」第8秒出现"
    ) == ["洗澡前"]
    assert edited_texts("change 'Old' to 'New'") == []  # two quotes in one clause: not judged


async def _made(client: Client, files: list[str], prompt: str, *, new: bool) -> dict[str, Any]:
    await ask(client, "upload", {"files": files, "new_project": new})
    made = await ask(client, "generate", {"prompt": prompt, "accept_cost": True})
    assert made["status"] == "done", made
    return made


async def test_an_edit_for_the_other_video_is_held_free_naming_both(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        promo = await _made(
            client,
            photo_files(tmp_path, "city-lights.jpg", "beach.jpg", "sunrise.jpg"),
            "做个10秒的竖版宣传片 标题写「毛孩子SPA宠物美容」",
            new=False,
        )
        dog = await _made(
            client,
            photo_files(tmp_path, "forest.jpg", "sunrise.jpg"),
            "做个10秒的视频 字幕「洗澡前」放开头",
            new=True,
        )
        promo_name, dog_name = promo["project"]["name"], dog["project"]["name"]
        back = await ask(client, "generate", {"prompt": "音乐调到百分之二十", "project": promo_name})
        assert back["project"]["name"] == promo_name, back
        sent = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": "接着弄狗狗那个视频 「洗澡前」改到第1秒出现"})
        assert out["status"] == "needs_confirmation", out
        assert promo_name in out["reply"] and dog_name in out["reply"], out["reply"]
        added = await ask(client, "generate", {"prompt": "加上「洗澡前」"})
        assert added["status"] != "needs_confirmation" or dog_name not in added["reply"], added
        other = await ask(client, "generate", {"prompt": "帮我改成city-lights开头", "project": dog_name})
        assert other["status"] == "needs_confirmation" and promo_name in other["reply"], other
        assert len(requests_to(sim, "run_sse")) == sent + 1, "only the added text was sent"
        assert (await ask(client, "credits"))["available"] <= left
