"""Play-test 22 (English, a candle-shop owner with three projects): holds, repeats, second
versions, credits per project and a request sent while another ran.

F1.  "dont export the candle one yet, i might change the title later" (current project: another)
     was answered "needs confirmation" and then sent as a paid edit: a hold, with the user's own
     plan for later beside it, is held for the project it names, free.
F2.  "also do a square one for insta feed but keep this vertical one" was sent and charged with the
     15 s vertical in no file (the saved file was an older 20 s cut): confirmed first, saying so.
F11. "try again" after a request that landed in part said only "it changed the timeline": it says
     what changed and what was not as asked, so only the part that missed is sent again.
F12. The credits answer's "By project" list used ", " between projects and inside a "shared with"
     list: "; " between projects.
F13. A request sent while the project's last one still ran answered only "still working": it leads
     with the earlier request's answer, then says the new one was sent and what it costs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.costs import Spent
from ai_video_music.replies import spent_text
from ai_video_music.router import route
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, balance, call, export_done, requests_to, text

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


async def two_projects(client: Client, image: Path, tmp_path: Path) -> None:
    """ "Wick & Co Autumn" (three candle photos, square) and, current, "Kitchen reno"."""
    candles = []
    for name in ("honey-candle.jpg", "lavender-candle.jpg", "rose-candle.jpg"):
        (tmp_path / name).write_bytes(image.read_bytes())
        candles.append(str(tmp_path / name))
    await ask(client, "upload", {"files": candles, "new_project": True})
    await ask(client, "generate", {"prompt": "make a 9 second square video, title 'Wick & Co Autumn'"})
    kitchen = []
    for name in ("kitchen_before.jpg", "kitchen_after.jpg"):
        (tmp_path / name).write_bytes(image.read_bytes())
        kitchen.append(str(tmp_path / name))
    await ask(client, "upload", {"files": kitchen, "new_project": True})
    made = await ask(client, "generate", {"prompt": "make a 10 second wide video, title 'Kitchen reno'"})
    assert made["project"]["name"] == "Kitchen reno", made["project"]


# --- F1: a hold with the user's own plan beside it -----------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "aside"),
    [
        ("dont export the candle one yet, i might change the title later", ()),
        ("hold off on exporting the beach video, we may swap the music tomorrow", ()),
        ("don't download it yet, I'll probably redo the intro later", ()),
        ("先别导出，标题我回头可能还要改", ()),
        ("先别导出蜡烛那个视频，我之后可能还要换音乐", ()),
    ],
)
def test_a_hold_beside_the_users_own_plan_for_later_is_only_a_hold(
    prompt: str, aside: tuple[str, ...]
) -> None:
    decision = route(prompt)
    assert decision.only_held and decision.aside == aside, decision


@pytest.mark.parametrize(
    "prompt",
    ["i might change the title later", "I'll redo the music tomorrow", "我可能明天再改一下字幕"],
)
def test_a_plan_for_later_alone_is_never_sent_as_an_edit(prompt: str) -> None:
    assert route(prompt).action.value == "ask", route(prompt)


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        (
            "dont export the candle one yet, i might change the title later",
            "This is about “Wick & Co Autumn”",
        ),
        ("先别导出 Wick & Co Autumn，标题我回头可能还要改", "这是说「Wick & Co Autumn」的"),
    ],
)
async def test_a_hold_naming_another_project_is_held_there_for_free(
    rich: Client, sim: Simulator, image: Path, tmp_path: Path, prompt: str, said: str
) -> None:
    await two_projects(rich, image, tmp_path)
    spent, turns = balance(sim), len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and out["action"] == "held", out
    assert said in out["reply"], out["reply"]
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == turns
    assert out["project"]["name"] == "Kitchen reno", out["project"]  # not switched
    # Held where it was meant: that project's status keeps export out of the next steps.
    there = await ask(rich, "status", {"project": "Wick & Co Autumn"})
    steps = " ".join(there["next_steps"])
    assert "asked not to export yet" in steps or "先不导出" in steps, steps
    here = await ask(rich, "status", {"project": "Kitchen reno"})
    steps = " ".join(here["next_steps"])
    assert "asked not to export yet" not in steps and "先不导出" not in steps, steps
    # A hold changed nothing: never listed as a change the file lacks.
    saved = await export_done(rich)
    assert not any("title later" in item for item in saved.get("not_in_file") or []), saved


# --- F12: the credits answer per project ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "sep"),
    [("en", "; "), ("zh", "；")],
)
def test_the_projects_in_the_credits_answer_are_told_apart_from_a_shared_with_list(
    lang: str, sep: str
) -> None:
    kitchen = Spent(used=200, counted=4, grouped=1, with_projects=("Portugal roadtrip",))
    wick = Spent(used=350, counted=7, grouped=1, with_projects=("Portugal roadtrip",))
    portugal = Spent(used=100, counted=2, grouped=2, with_projects=("Kitchen reno", "Wick & Co Autumn"))
    total = Spent(used=650, counted=13, grouped=4, together=200, groups=2)
    by = [("Kitchen reno", kitchen), ("Wick & Co Autumn", wick), ("Portugal roadtrip", portugal)]
    text = spent_text(total, by, lang)  # type: ignore[arg-type]
    listed = text.split("：" if lang == "zh" else ": ", 1)
    assert len(listed) == 2, text
    items = text[text.index("“Kitchen reno”" if lang == "en" else "「Kitchen reno」") :].split(sep)
    # One item per project, each opening with its own name; the shared-with names inside it.
    opens = [item.split("：" if lang == "zh" else ":")[0] for item in items[:3]]
    assert opens == (
        ["“Kitchen reno”", "“Wick & Co Autumn”", "“Portugal roadtrip”"]
        if lang == "en"
        else ["「Kitchen reno」", "「Wick & Co Autumn」", "「Portugal roadtrip」"]
    ), items
    assert "Wick & Co Autumn" in items[2] and "Kitchen reno" in items[2], items


# --- F2: a second frame beside one whose saved file is an older cut ------------------------------


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        (
            "also do a square one for insta feed but keep this vertical one",
            ("(15s)", "older version", "(20s)"),
        ),
        ("make a square one too, and keep that vertical cut", ("(15s)", "older version", "(20s)")),
        ("再做一个方形的发小红书，这个竖版的也留着", ("（15秒）", "更早的版本", "（20秒）")),
    ],
)
async def test_a_second_frame_is_confirmed_first_when_the_saved_file_is_an_older_cut(
    rich: Client, sim: Simulator, image: Path, tmp_path: Path, prompt: str, said: tuple[str, ...]
) -> None:
    photos = []
    for name in ("beach.jpg", "forest.jpg", "sunrise.jpg"):
        (tmp_path / name).write_bytes(image.read_bytes())
        photos.append(str(tmp_path / name))
    await ask(rich, "upload", {"files": photos})
    await ask(rich, "generate", {"prompt": "make a 20 second vertical video"})
    saved = await export_done(rich)
    await ask(rich, "generate", {"prompt": "make it 15 sec"})
    spent, turns = balance(sim), len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "needs_confirmation", out
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == turns
    assert all(s in out["reply"] for s in said), out["reply"]
    assert Path(str(saved["path"])).name in out["reply"], out["reply"]
    assert "never exported" not in out["reply"] and "还没有导出过" not in out["reply"], out["reply"]


# --- F11: "try again" after a request that landed in part ----------------------------------------

PARTLY = {
    "en": ('Lower the music to 20% and put the caption "See you soon" at the end.', "try again"),
    "zh": ("音乐调到20%，然后在结尾加一行字「明年见」", "再试一次"),
}
RESEND = {"en": "only the part that was not done is worth sending", "zh": "值得重发的只是没做到的那部分"}


@pytest.mark.parametrize("credits", ["enough", "none"])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_try_again_after_a_request_done_in_part_says_which_part_landed_and_which_did_not(
    rich: Client, sim: Simulator, image: Path, lang: str, credits: str
) -> None:
    request, retry = PARTLY[lang]
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 10 second video"})
    first = await ask(rich, "generate", {"prompt": request})
    assert first["timeline_changed"] is True and first["not_as_asked"], first  # the music only
    if credits == "none":
        sim.state.set_credits(0)
    spent, turns = balance(sim), len(requests_to(sim, "run_sse"))
    again = await ask(rich, "generate", {"prompt": retry})
    assert again["status"] == ("needs_confirmation" if credits == "enough" else "cannot_run"), again
    reply = again["reply"]
    # What landed (the verified change) and what did not (the record's own items), from its record.
    assert all(change in reply for change in first["changes"]), (first["changes"], reply)
    assert all(item in reply for item in first["not_as_asked"]), (first["not_as_asked"], reply)
    assert RESEND[lang] in reply, reply
    assert "which alone doesn't say" not in reply and "但这不代表" not in reply, reply
    if credits == "enough":
        assert any("that part alone" in s or "只说那一部分" in s for s in again["next_steps"]), again
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == turns


# --- F13: a request sent while the project's last one still ran ----------------------------------

FIRST = "change the title to 'Fall Collection' and make the music louder, 50%"
SECOND = "make it 8 seconds"


@pytest.mark.parametrize("second_held", [True, False], ids=["second-running", "second-done"])
async def test_a_request_sent_after_one_still_running_leads_with_the_earlier_answer(
    settings: Settings, sim: Simulator, image: Path, second_held: bool
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=2.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 10 second video"})
        gate = sim.hold("run_sse", during_call=True)  # let go while the second call waits
        try:
            first = await ask(client, "generate", {"prompt": FIRST})
            assert first["status"] == "working", first
            out: dict[str, object] = {}
            behind = anyio.Event()

            async def waiting(progress: float, total: float | None, message: str | None) -> None:
                behind.set()  # the second call's first progress: it waits behind the first

            async def second() -> None:
                result = await call(client, "generate", {"prompt": SECOND}, progress_callback=waiting)
                assert not result.is_error and result.structured_content is not None, text(result)
                out.update(result.structured_content)

            async with anyio.create_task_group() as tg:
                tg.start_soon(second)
                with anyio.fail_after(10):
                    await behind.wait()
                # The first ends; the second is held in its turn (as the user saw it), or not.
                if second_held:
                    gate = sim.hold("run_sse")  # (releases the first one's gate)
                else:
                    gate.release()
        finally:
            gate.release()
        reply = str(out["reply"])
        # The earlier request's answer first, from its record: its change and cost.
        assert "Fall Collection" in reply and reply.index("Fall Collection") < reply.index(SECOND), reply
        assert "Credits used: 50" in reply, reply
        assert len(requests_to(sim, "run_sse")) == 3
        if second_held:
            assert out["status"] == "working", out
            assert f"“{SECOND}”, was sent after it (about 50 credits)" in reply, reply
        else:
            assert out["status"] == "done", out
            assert reply.count("Credits used: 50") == 2, reply
        # Told here: status doesn't tell the earlier answer again as news.
        later = await ask(client, "status")
        assert all(a["request"] != FIRST for a in later["answers"]), later["answers"]
