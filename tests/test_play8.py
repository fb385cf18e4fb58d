"""A play-test's findings (play8, EN and 中文) through a real MCP client session: a cancel leads
with the request that is actually running (never "nothing was charged" beside it) and says the
project of a request never sent stays; a quoted title names the project, refused or sent;
`reply` holds no words for the assistant; `as_asked` lists what landed as asked on the answer
that delivers it; an empty timeline states no shape of its own."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from mcp import Client

import ai_video_music
from ai_video_music.config import Settings
from ai_video_music.messages import CATALOGUE
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, photo_files, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


# --- 1. cancel: the running request first; the project of one never sent stays ------------------

CANCEL_WHILE_RUNNING = {
    "en": {
        "request": "make a 6 second video for the bakery",
        "question": "What style is the music?",
        "cancel": "stop",
        "running": "“make a 6 second video for the bakery” was already sent to NemoVideo and is still "
        "running",
        "recall": "can't be recalled",
        "cost": "about 50",
        "unsent": "Nothing was sent for “What style is the music?”",
        "never": "nothing was charged",
    },
    "zh": {
        "request": "给面包店做一个6秒的视频",
        "question": "音乐是什么风格的？",
        "cancel": "停下",
        "running": "“给面包店做一个6秒的视频”已经发给 NemoVideo，仍在运行",
        "recall": "无法撤回",
        "cost": "约 50",
        "unsent": "“音乐是什么风格的？”没有发送出去",
        "never": "也没有扣积分",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_cancel_leads_with_the_request_that_runs_never_saying_nothing_was_charged(
    settings: Settings, sim: Simulator, image: Path, lang: str
) -> None:
    words = CANCEL_WHILE_RUNNING[lang]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token, tool_budget=5.0))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": words["request"]})
            assert working["status"] == "working"
            held = await ask(client, "generate", {"prompt": words["question"]})
            assert held["status"] == "needs_confirmation", "the latest request is one not sent"
            out = await ask(client, "generate", {"prompt": words["cancel"]})
            assert out["action"] == "cancel"
            reply = out["reply"]
            assert reply.startswith(words["running"]), reply
            assert words["recall"] in reply and words["cost"] in reply, reply
            assert words["never"] not in reply, "a sent request of the project runs and was charged"
            assert words["unsent"] in reply and reply.index(words["unsent"]) > reply.index(words["running"])
    assert len(requests_to(sim, "run_sse")) == 1, "the question was never sent"


async def test_cancel_after_an_earlier_charged_request_never_says_nothing_was_charged(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        assert (await ask(client, "generate", {"prompt": "make a 6 second video"}))["status"] == "done"
        assert (await ask(client, "generate", {"prompt": "What style is the music?"}))["status"] == (
            "needs_confirmation"
        )
        out = await ask(client, "generate", {"prompt": "cancel that"})
    reply = out["reply"]
    assert "Nothing was sent for “What style is the music?”" in reply and "it was not charged" in reply
    assert "nothing was charged" not in reply, "the project's earlier request was charged"


@pytest.mark.parametrize(
    ("prompt", "cancel", "said"),
    [
        (
            "make a vertical 8 second video from these photos, no music",
            "Cancel that.",
            ("Nothing was sent for", "nothing was charged",
             "The project “{name}” it was for is still here and current, with its 2 uploaded file(s): "
             "“beach.jpg”, “city-lights.jpg”"),
        ),
        (
            "用这两张照片做一个竖屏 6 秒的视频，不要音乐。",
            "算了，这个不要了，取消吧。",
            ("没有发送出去", "也没有扣积分",
             "它所属的项目“{name}”仍然保留，并且是当前项目，"
             "里面有已上传的 2 个文件：「beach.jpg」、「city-lights.jpg」"),
        ),
    ],
    ids=["en", "zh"],
)  # fmt: skip
async def test_cancelling_a_request_never_sent_says_its_project_stays_current_with_its_media(
    settings: Settings, sim: Simulator, tmp_path: Path, prompt: str, cancel: str, said: tuple[str, ...]
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "beach.jpg", "city-lights.jpg")})
        assert (await ask(client, "generate", {"prompt": prompt}))["status"] == "cannot_run"
        out = await ask(client, "generate", {"prompt": cancel})
    assert out["project"]["current"] is True
    name = out["project"]["name"]
    assert name == ("Video 1" if cancel.startswith("Cancel") else "视频 1"), (
        "its default name, in their language"
    )
    assert out["action"] == "cancel" and all(s.format(name=name) in out["reply"] for s in said), out["reply"]
    assert requests_to(sim, "run_sse") == []


# --- 2. a quoted title names the project, refused or sent ----------------------------------------


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("New video: 'Croissant Day' — vertical, 8 seconds, the first two photos only, no music.",
         "Croissant Day"),
        ('Make a new video "Croissant Day", vertical, 8 seconds, no music.', "Croissant Day"),
        ("“Spring Sale”: 8 seconds, vertical, no music", "Spring Sale"),
        ("新视频：《母亲节特惠》，竖屏 6 秒，只用这两张照片，不要音乐。", "母亲节特惠"),
        ("做一个名为「开业倒计时」的视频，竖屏 6 秒。", "开业倒计时"),
    ],
)  # fmt: skip
async def test_a_quoted_title_names_the_project_when_refused_and_after_it_runs(
    settings: Settings, sim: Simulator, tmp_path: Path, prompt: str, name: str
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        up = await ask(client, "upload", {"files": photo_files(tmp_path, "beach.jpg", "city-lights.jpg")})
        default = up["project"]["name"]
        refused = await ask(client, "generate", {"prompt": prompt})
        assert refused["status"] == "cannot_run" and refused["project"]["name"] == name
        sim.state.set_credits(1000)  # the user registered
        done = await ask(client, "generate", {"prompt": prompt, "project": name})
        assert done["status"] == "done" and done["project"]["name"] == name
        st = await ask(client, "status")
        assert [p["name"] for p in st["projects"]] == [name], f"listed as {name}, never as {default}"


@pytest.mark.parametrize(
    "prompt",
    [
        "New video: 'Croissant Day' — vertical, 8 seconds, the first two photos only, no music.",
        "新视频：「母亲节特惠」，竖屏 6 秒，不要音乐。",
    ],
)
async def test_a_quoted_title_names_a_project_whose_first_request_runs(
    rich: Client, tmp_path: Path, prompt: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "beach.jpg", "city-lights.jpg")})
    done = await ask(rich, "generate", {"prompt": prompt})
    name = "Croissant Day" if "Croissant" in prompt else "母亲节特惠"
    assert done["status"] == "done" and done["project"]["name"] == name


@pytest.mark.parametrize(
    "prompt",
    [
        "Add the caption 'See you soon' at the end, 6 seconds",
        "加上字幕「下次见」，6 秒",
        "'Hello' should be the caption",
    ],
)
async def test_quoted_text_to_show_does_not_name_the_project(
    settings: Settings, sim: Simulator, image: Path, prompt: str
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        refused = await ask(client, "generate", {"prompt": prompt})
    assert refused["status"] == "cannot_run"
    assert refused["project"]["name"] in ("Video 1", "视频 1"), "its default name, never the caption"


# --- 3. `reply` is for the user: what to call, and with which argument, is in next_steps ----------

# Words only an assistant can act on: an argument, a tool called by name.
_TOOLS = r"(?:generate|status|export|upload|credits)"
_FOR_ASSISTANT = {
    "en": re.compile(
        r"project=|request=|accept_cost|job_id|new_project|\bcall\b[^.;:]{0,40}\b" + _TOOLS + r"\b"
        r"|\b(?:generate|status)\b"
    ),
    "zh": re.compile(
        r"project=|request=|accept_cost|job_id|new_project|调用|(?<![A-Za-z])" + _TOOLS + r"(?![A-Za-z])"
    ),
}
# Entries that never reach `reply`: next steps, tool and prompt texts, the caller's input errors,
# the command line, the hosted web pages, and remedies (an error's advice to the assistant).
_NOT_IN_REPLY = ("next.", "prompt.", "input.", "cli.", "hosted.", "tool.", "rate.", "http.")


def _remedies() -> set[str]:
    """Catalogue entries passed as an error's remedy (``remedy="…"``): the error's advice, not `reply`."""
    root = Path(ai_video_music.__file__).parent
    found: set[str] = set()
    for source in root.rglob("*.py"):
        found |= set(re.findall(r'remedy="([a-z_.]+)"', source.read_text(encoding="utf-8")))
    return found


def test_no_entry_that_reaches_reply_speaks_to_the_assistant() -> None:
    remedies = _remedies()
    offenders = []
    for key, entry in CATALOGUE.items():
        if key.startswith(_NOT_IN_REPLY) or key.endswith(".remedy") or key in remedies:
            continue
        for lang, words in zip(("en", "zh"), entry, strict=True):
            bare = re.sub(r"\{[a-z_]+\}", "…", words)  # a placeholder's name is not a word said
            if _FOR_ASSISTANT[lang].search(bare):
                offenders.append(f"{key} [{lang}]: {words}")
    assert offenders == []


@pytest.mark.parametrize(
    ("prompt", "name"),
    [("Make a video titled 'Fresh Every Morning' from this photo, 6 seconds", "Fresh Every Morning"),
     ("用这张照片做一个视频，标题是「春日花语」，6 秒", "春日花语")],
)  # fmt: skip
async def test_a_project_named_now_is_said_in_reply_and_its_use_is_a_next_step(
    rich: Client, image: Path, prompt: str, name: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    done = await ask(rich, "generate", {"prompt": prompt})
    assert done["project"]["name"] == name and f"“{name}”" in done["reply"]
    assert "project=" not in done["reply"] and any(
        f"“{name}”" in s and "project=" in s for s in done["next_steps"]
    )


# --- 4. as_asked on whichever answer delivers the turn ---------------------------------------------

AS_ASKED = {
    "en": (
        "Turn these pictures into a 15-second landscape clip with warm acoustic music — put the title "
        "'Fresh Every Morning' at the start.",
        [
            "the timeline is 15 seconds long",
            "the frame is horizontal",
            "“Fresh Every Morning” is at the start",
            "the title “Fresh Every Morning” is on screen",
            "the video uses “beach”, “city-lights”, “forest”",  # "these pictures", every one used
        ],
    ),
    "zh": (
        "把这些照片做成一个15秒的横屏视频，配温暖的原声音乐，开头放上标题「清晨新鲜」。",
        ["时间线是 15 秒", "画面是横屏", "「清晨新鲜」在开头", "画面上有标题「清晨新鲜」", "视频用了"],
    ),
}


@pytest.mark.parametrize("via", ["generate", "status", "export"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_as_asked_lists_what_landed_as_asked_on_the_answer_that_delivers_it(
    settings: Settings, sim: Simulator, tmp_path: Path, lang: str, via: str
) -> None:
    prompt, met = AS_ASKED[lang]
    token, _ = sim.state.register_user(credits=1000)
    budget = 10.0 if via == "generate" else 1.0
    async with Client(
        create_server(dataclasses.replace(settings, token=token, tool_budget=budget))
    ) as client:
        await ask(
            client, "upload", {"files": photo_files(tmp_path, "beach.jpg", "city-lights.jpg", "forest.jpg")}
        )
        if via == "generate":
            out = await ask(client, "generate", {"prompt": prompt})
            found = out["as_asked"]
        else:
            with sim.hold("run_sse"):
                assert (await ask(client, "generate", {"prompt": prompt}))["status"] == "working"
            if via == "status":
                found = (await ask(client, "status"))["answers"][0]["as_asked"]
            else:
                outs = [await ask(client, "export")]
                while outs[-1]["status"] != "done":  # the render runs on: the same export, looked at again
                    outs.append(await ask(client, "export"))
                delivered = [o for o in outs if o["agent_reply"]]
                assert len(delivered) == 1, "one export delivered the turn it waited for"
                found = delivered[0]["as_asked"]
    assert len(found) == len(met) and all(any(m in f for f in found) for m in met), found


# --- 5. an empty timeline states no frame of its own ---------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "empty"),
    [
        ("make a vertical 8 second video from these photos", "Timeline is empty: no video yet"),
        ("用这些照片做一个竖屏 8 秒的视频", "时间线是空的：还没有视频"),
    ],
)
async def test_an_empty_timeline_states_no_frame_as_the_videos(
    settings: Settings, sim: Simulator, tmp_path: Path, prompt: str, empty: str
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "beach.jpg", "city-lights.jpg")})
        assert (await ask(client, "generate", {"prompt": prompt}))["status"] == "cannot_run"
        st = await ask(client, "status")
    view = st["timeline"]
    assert (view["width"], view["height"], view["aspect_ratio"], view["duration_s"]) == (
        None,
        None,
        None,
        None,
    )
    assert empty in st["reply"] and not re.search(r"\d+x\d+|16:9|9:16", st["reply"]), st["reply"]
