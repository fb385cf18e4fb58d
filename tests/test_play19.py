"""Play-test 19 (English and 简体): what an upload refused, what a held request asks next, and
what requests cost, against the simulator.

F3. A held new_project request's photos go up with new_project=true, then the request goes without
    it; the current project (another video) is never suggested.
F7. A request for photos a project lacks is held for them before any credit check, priced as it
    will be sent once they are there.
F4. Requests that ran at the same time: one joint figure for them, said the same in each answer;
    per project "shared with", never "0"; the credits answer tells this conversation's use apart
    from what left the balance elsewhere.
F6. An upload naming a file that isn't there uploads nothing: the answer says so, how many of the
    other files were fine, and the way forward (upload again without it, or find it).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.costs import spent
from ai_video_music.records import TurnState
from ai_video_music.simulator import Simulator
from ai_video_music.store import Generation
from ai_video_music.tools import create_server

from .conftest import ask, balance, call, requests_to, text

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


def photos(folder: Path, source: Path, *names: str) -> list[str]:
    out = []
    for name in names:
        shutil.copyfile(source, folder / name)
        out.append(str(folder / name))
    return out


@pytest.mark.parametrize(
    ("lang", "nothing", "fine", "without"),
    [
        ("en", "Nothing was uploaded", "3 other files", "without"),
        ("zh", "没有上传任何文件", "另外 3 个", "去掉"),
    ],
)
async def test_an_upload_with_one_missing_file_says_nothing_was_uploaded_and_how_to_go_on(
    settings: Settings,
    sim: Simulator,
    image: Path,
    tmp_path: Path,
    lang: str,
    nothing: str,
    fine: str,
    without: str,
) -> None:
    files = photos(tmp_path, image, "sunrise.jpg", "forest.jpg", "sea.jpg")
    missing = str(tmp_path / "breakfast.jpg")
    async with Client(create_server(dataclasses.replace(settings, language=lang))) as client:
        result = await call(client, "upload", {"files": [*files, missing], "new_project": True})
        said = text(result)
        assert result.is_error
        assert "breakfast.jpg" in said and nothing in said and fine in said and without in said, said
        assert "sunrise.jpg" not in said, "the good files are counted, not blamed"
    assert requests_to(sim, "upload") == [], "nothing was uploaded"


async def test_an_upload_of_one_missing_file_names_it_without_speaking_of_others(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    async with Client(create_server(settings)) as client:
        result = await call(client, "upload", {"files": [str(tmp_path / "breakfast.jpg")]})
    said = text(result)
    assert result.is_error and "breakfast.jpg" in said and "other" not in said, said


F3 = {
    "en": {
        "first": "make a 6 second promo video of the guesthouse",
        "new": "new video: a farewell video for my coworker Priya, using the city lights photo, vertical",
    },
    "zh": {
        "first": "做一个6秒的民宿宣传视频",
        "new": "新视频：给同事 Priya 做一个送别视频，用 city lights 那张照片，竖屏",
    },
}


def steps(out: dict[str, Any]) -> str:
    return " ".join(out["next_steps"])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_held_new_video_asks_for_its_photos_in_a_new_project_never_the_current_one(
    rich: Client, image: Path, tmp_path: Path, lang: str
) -> None:
    """play19en F3: the photos of a held new_project request go up with new_project=true, and the
    request then goes without it; the current project (another video) is never where they go."""
    await ask(rich, "upload", {"files": photos(tmp_path, image, "sunrise.jpg", "forest.jpg")})
    await ask(rich, "generate", {"prompt": F3[lang]["first"]})
    current = (await ask(rich, "status"))["project"]["name"]
    held = await ask(rich, "generate", {"prompt": F3[lang]["new"], "new_project": True})
    assert held["status"] == "needs_confirmation" and held["project"] is None, held
    said = steps(held)
    assert "new_project=true" in said and "upload" in said, said
    assert f'project="{current}"' not in said, said
    assert "this project" not in said and "这个项目" not in said, said
    # Following a wrong step once (the photo went into the current project) must not lead on to
    # sending the new video's request there.
    await ask(rich, "upload", {"files": photos(tmp_path, image, "city-lights.jpg")})
    again = await ask(rich, "generate", {"prompt": F3[lang]["new"], "new_project": True})
    assert again["status"] == "needs_confirmation", again
    said = steps(again)
    assert f'project="{current}"' not in said and "new_project=true" in said, said
    assert current in said, "it says not to send it there"
    # The way it names works: upload with new_project=true, then the request without it.
    up = await ask(rich, "upload", {"files": [str(tmp_path / "city-lights.jpg")], "new_project": True})
    made = await ask(rich, "generate", {"prompt": F3[lang]["new"]})
    assert made["status"] in ("done", "working") and made["project"]["id"] == up["project"]["id"], made


@pytest.mark.parametrize(
    ("prompt", "price"),
    [
        ("new video: a farewell video for Priya using the city lights photo, vertical", "about 50 credits"),
        ("新视频：用 city lights 那张照片给 Priya 做一个送别视频", "约 50 积分"),
    ],
)
async def test_at_no_credits_a_request_for_missing_photos_is_held_for_them_with_their_price(
    settings: Settings, sim: Simulator, prompt: str, price: str
) -> None:
    """play19en F7: the photos it speaks of come before the credit check, and the price quoted is
    the one once they are there (a video from uploads: about 50), not a generation's 100 only."""
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        out = await ask(client, "generate", {"prompt": prompt, "new_project": True})
    assert out["status"] == "cannot_run", out
    assert price in out["reply"], out["reply"]
    said = steps(out)
    assert "new_project=true" in said and "accept_cost" not in said, said
    assert out["project"] is None and requests_to(sim, "run_sse") == []


async def test_with_credits_for_an_edit_only_a_request_for_missing_photos_offers_no_confirmation(
    settings: Settings, sim: Simulator
) -> None:
    token, _ = sim.state.register_user(credits=70)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        out = await ask(
            client, "generate", {"prompt": "make a video from my beach photos", "new_project": True}
        )
    assert out["status"] == "cannot_run" and "about 50 credits" in out["reply"], out["reply"]
    assert "accept_cost" not in steps(out), "sent from nothing it could only be refused"


@pytest.mark.parametrize(
    ("prompt", "leave_out"),
    [
        ("what music would suit a beach video?", "leave out new_project"),
        ("什么音乐适合海边的视频？", "不要传 new_project"),
    ],
)
async def test_a_request_held_after_its_new_project_was_made_is_resent_without_new_project(
    rich: Client, image: Path, prompt: str, leave_out: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video of waves"})
    out = await ask(rich, "generate", {"prompt": prompt, "new_project": True})
    assert out["status"] == "needs_confirmation", out
    assert leave_out in steps(out) and out["project"]["name"] in steps(out), steps(out)


F4 = {
    "en": {
        "a": "make a 6 second video for the bakery",
        "b": "make a 6 second video for the garage",
        "joint": "together they used 200 credits",
        "split": "split",
        "later": "known once that one ends",
        "free": ": 0 (0)",
        "shared": "shared with",
        "total": "used 200 credits together",
        "elsewhere": r"\b90 were used outside this conversation",
        "sent": "sent 2 requests",
    },
    "zh": {
        "a": "做一个6秒的面包店视频",
        "b": "做一个6秒的车库视频",
        "joint": "两者合计消耗 200 积分",
        "split": "无法分开计算",
        "later": "要等那个请求结束后才知道",
        "free": "：0（0 个）",
        "shared": "与「面包店」的请求合计计算",
        "total": "合计消耗 200 积分",
        "elsewhere": r"另外 90 是在本次对话之外用掉的",
        "sent": "发送了 2 个请求",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_requests_that_ran_at_once_are_told_one_joint_cost_and_use_elsewhere_is_told_apart(
    settings: Settings, sim: Simulator, lang: str
) -> None:
    words = F4[lang]
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "credits")
        with sim.hold("run_sse"):  # both turns run at once, however slow the machine
            a = await ask(client, "generate", {"prompt": words["a"]})
            b = await ask(client, "generate", {"prompt": words["b"], "new_project": True})
            assert a["status"] == b["status"] == "working"
        replies: list[str] = []
        with anyio.fail_after(20):
            while len(replies) < 2:
                for name in (a["project"]["id"], b["project"]["id"]):
                    for answer in (await ask(client, "status", {"project": name}))["answers"]:
                        replies.append(answer["reply"])
                await anyio.sleep(0.05)
        assert 1000 - balance(sim) == 200
        # One joint figure, the true one, said as joint; an answer told while the other request
        # still ran says it is known once that one ends (never its own window's fall).
        joint = [r for r in replies if words["joint"] in r and words["split"] in r]
        pending = [r for r in replies if words["later"] in r]
        assert joint and len(joint) + len(pending) == 2, replies
        sim.state.set_credits(balance(sim) - 90)  # another device uses 90 of the account's credits
        credits = await ask(client, "credits")
    said = credits["reply"]
    assert words["free"] not in said and words["shared"] in said, said
    assert words["total"] in said, said
    assert re.search(words["elsewhere"], said), said
    assert credits["session_requests"] == 2 and words["sent"] in said, said
    assert credits["session_credits_used"] == 200
    assert all(p["shared_with"] for p in credits["by_project"]), credits["by_project"]


async def test_the_credits_text_counts_the_requests_session_requests_counts(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """play19en F7: "1 requests" beside session_requests 2 (one finished, one running)."""
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video"})
        with anyio.fail_after(20):
            while (
                not (await ask(client, "status"))["answers"]
                and not (await ask(client, "credits"))["session_credits_used"]
            ):
                await anyio.sleep(0.05)
        with sim.hold("run_sse"):
            await ask(client, "generate", {"prompt": "add a title that says Hello"})
            out = await ask(client, "credits")
    assert out["session_requests"] == 2, out
    said = out["reply"]
    assert "sent 2 requests" in said and "1 of them" in said and "1 request is still running" in said, said
    assert "1 requests" not in said and "request(s)" not in said, said


@pytest.mark.parametrize(
    ("prompt", "missing"),
    [("put sunset.jpg at the start", "No file named"), ("把 sunset.jpg 放在开头", "这个项目没有上传过名为")],
)
async def test_short_of_credits_a_request_naming_a_file_never_uploaded_says_the_file_first(
    settings: Settings, sim: Simulator, image: Path, prompt: str, missing: str
) -> None:
    """play19en F7, for a file named by its name: the missing file is said (free), with the way to
    more credits, and no confirmation that could only be refused."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video"})
        sim.state.set_credits(20)
        out = await ask(client, "generate", {"prompt": prompt})
    assert out["status"] == "cannot_run" and out["reply"].startswith(missing), out["reply"]
    assert "sunset.jpg" in out["reply"] and "20" in out["reply"], out["reply"]
    assert "upload" in steps(out) and "accept_cost" not in steps(out), steps(out)


def turn(gen_id: str, before: float, after: float, joint: dict[str, Any] | None = None) -> Generation:
    """A finished turn's record; ``joint``: the group it was measured with."""
    return Generation(
        gen_id, "prj", "p", "p", TurnState.DONE, "", None, True, None, None, None, True, before, after,
        0.0, 0.0, facts=json.dumps({"joint": joint} if joint else {}),
        shared_with=json.dumps(["Other"]) if joint else None,
    )  # fmt: skip


def test_each_group_of_requests_that_ran_at_once_is_counted_once_and_an_unread_one_is_unknown() -> None:
    pair = {"ids": ["a", "b"], "used": 100.0, "open": False}
    total = spent(
        [
            turn("a", 1000, 900, pair),
            turn("b", 950, 900, pair),  # its own window's fall (50) is not its cost
            turn("c", 900, 850),
            turn("d", 850, 700, {"ids": ["d", "e"], "used": 100.0, "open": False}),
            turn("f", 700, 700, {"ids": ["f", "g"], "used": None, "open": True}),
            turn("h", 700, 700, {"ids": ["h", "i"], "used": None, "open": False}),
        ]
    )
    assert (total.used, total.counted) == (50, 1)
    assert (total.together, total.grouped, total.groups) == (200, 3, 2)
    assert (total.pending, total.unknown) == (1, 1)


@pytest.mark.parametrize(
    ("prompt", "leave_out"),
    [
        ("make a 10 second video from sunset.jpg", "leave out new_project"),
        ("用 sunset.jpg 做一个10秒的视频", "不要传 new_project"),
    ],
)
async def test_a_new_video_held_for_a_file_never_uploaded_is_resent_in_its_project(
    rich: Client, image: Path, prompt: str, leave_out: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video of waves"})
    out = await ask(rich, "generate", {"prompt": prompt, "new_project": True})
    assert out["status"] == "needs_confirmation" and "sunset.jpg" in out["reply"], out
    # The project was made for it (the file isn't one the words call the user's photos): sent
    # again, the request goes there, not into yet another new project.
    assert out["project"] is not None and out["project"]["current"], out
    assert leave_out in steps(out) and out["project"]["name"] in steps(out), steps(out)
