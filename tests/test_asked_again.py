"""A play-test's findings (play6, EN and 中文) through a real MCP client session: "try again" is a
repeat of the last request (confirmed, never sent unasked); a request that found the timeline
already as asked says so (no paid retry offered); "no text" and "music under N%" are checked;
follow-up steps name their project; credit hints come from the balance as it is now; a hold
with a reason is a free hold that lasts until the user asks to export."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, balance, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


def told(out: dict[str, Any]) -> str:
    return str(out["reply"]) + "\n" + "\n".join(out["next_steps"])


# --- 1. "try again" -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "change", "again", "words"),
    [
        (
            "make a 6 second video for our spring sale",
            "Make the video 8 seconds instead of 6.",
            "Try again with the 8 seconds change",
            (
                "repeat the project's last request",
                "That request is already as asked: the timeline is 8 seconds long",
            ),
        ),
        (
            "用这张照片做一个6秒的视频",
            "时长改成8秒",
            "再试一次",
            ("这是要重做本项目上一个请求", "时间线已经符合那个请求的要求：时间线是 8 秒"),
        ),
    ],
    ids=["en", "zh"],
)
async def test_try_again_names_the_repeat_its_cost_and_that_it_landed_and_sends_nothing(
    rich: Client, sim: Simulator, image: Path, first: str, change: str, again: str, words: tuple[str, str]
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": first})
    done = await ask(rich, "generate", {"prompt": change})
    assert done["timeline_changed"] is True
    sent, left = len(requests_to(sim, "run_sse")), balance(sim)
    out = await ask(rich, "generate", {"prompt": again})
    assert out["status"] == "needs_confirmation"
    assert len(requests_to(sim, "run_sse")) == sent and balance(sim) == left, "not sent, not charged"
    assert all(w in out["reply"] for w in words), out["reply"]
    assert change.rstrip("。.") in out["reply"] and "50" in out["reply"], "what it repeats, what it costs"
    # Confirmed, it sends that request's own words again; the timeline was already so.
    again_out = await ask(rich, "generate", {"prompt": again, "accept_cost": True})
    assert len(requests_to(sim, "run_sse")) == sent + 1
    assert again_out["timeline_changed"] is False and again_out["as_asked"]
    said = told(again_out)
    assert ("Already as asked" in said) or ("本来就符合要求" in said), said
    assert "offer to ask again" not in said and "换个说法再请求" not in said, "no paid retry suggested"


async def test_try_again_with_no_credits_left_still_names_what_it_would_redo(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    await ask(rich, "generate", {"prompt": "Make the video 8 seconds instead of 6."})
    for user in sim.state.users.values():
        user.credits = 0
    out = await ask(rich, "generate", {"prompt": "try again"})
    assert out["status"] == "cannot_run"
    said = out["reply"]
    assert "Make the video 8 seconds instead of 6" in said and "already as asked" in said, said


@pytest.mark.parametrize(
    ("after", "again", "target"),
    [
        ("I just signed up on NemoVideo.", "Try it now.", "make a 6 second video for our spring sale"),
        ("I've registered now,", "please go ahead.", "make a 6 second video for our spring sale"),
        ("", "go ahead", "make a 6 second video for our spring sale"),
        ("Fine, I made an account.", "Go ahead with that.", "make a 6 second video for our spring sale"),
        ("我已经注册好了，", "继续吧。", "用这张照片做一个6秒的视频"),
    ],
    ids=["try-it-now", "registered-go-ahead", "go-ahead", "made-an-account", "zh"],
)
async def test_go_ahead_after_a_request_refused_for_its_cost_names_that_request_and_sends_nothing(
    rich: Client, sim: Simulator, image: Path, after: str, again: str, target: str
) -> None:
    """ "Try it now" / "go ahead" after a refusal means the refused request: named, confirmed
    first; never these words sent to the agent as a paid question."""
    sim.state.set_credits(0)
    await ask(rich, "upload", {"files": [str(image)]})
    assert (await ask(rich, "generate", {"prompt": target}))["status"] == "cannot_run"
    sim.state.set_credits(1000)
    out = await ask(rich, "generate", {"prompt": f"{after} {again}".strip()})
    assert out["status"] == "needs_confirmation" and out["action"] == "agent", out
    assert target in out["reply"] and ("nothing was charged" in out["reply"] or "没有扣费" in out["reply"])
    assert not requests_to(sim, "run_sse"), "nothing sent before it is confirmed"
    done = await ask(rich, "generate", {"prompt": again, "accept_cost": True})
    assert len(requests_to(sim, "run_sse")) == 1 and done["status"] in ("done", "working"), done
    st = await ask(rich, "status")
    assert st["timeline"]["duration_s"] == 6, "the refused request's own words were sent"


async def test_words_we_cant_read_right_after_a_refusal_name_the_refused_request(
    rich: Client, sim: Simulator, image: Path
) -> None:
    """Phrase lists are never complete: unread words after a refusal are a question confirmed
    first, and the answer names the refused request and how to send it."""
    sim.state.set_credits(0)
    await ask(rich, "upload", {"files": [str(image)]})
    target = "make a 6 second video for our spring sale"
    assert (await ask(rich, "generate", {"prompt": target}))["status"] == "cannot_run"
    sim.state.set_credits(1000)
    out = await ask(rich, "generate", {"prompt": "Wallet's full again. Let's roll with it."})
    assert out["status"] == "needs_confirmation" and out["action"] == "ask", out
    assert target in out["reply"] and "was not sent" in out["reply"], out["reply"]
    assert any('"try again"' in step for step in out["next_steps"]), out["next_steps"]
    again = await ask(rich, "generate", {"prompt": "try again"})
    assert again["status"] == "needs_confirmation" and target in again["reply"], again["reply"]
    assert not requests_to(sim, "run_sse"), "nothing sent before it is confirmed"


@pytest.mark.parametrize(
    ("prompt", "export_note"),
    [
        ("Do the same thing again, please", "if you meant exporting again, that is free"),
        ("照刚才那样再做一次", "如果你指的是再导出一次，那是免费的"),
    ],
)
async def test_the_same_again_after_an_export_names_the_request_and_says_exporting_again_is_free(
    rich: Client, sim: Simulator, image: Path, prompt: str, export_note: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    await ask(rich, "export")
    sent, left = len(requests_to(sim, "run_sse")), balance(sim)
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "needs_confirmation"
    assert "make a 6 second video for our spring sale" in out["reply"] and export_note in out["reply"]
    assert len(requests_to(sim, "run_sse")) == sent and balance(sim) == left


@pytest.mark.parametrize(
    "prompt",
    [
        "Stop that one, I changed my mind.",
        "stop making it",
        "scrap that one",
        "别做了",
        "等等，先停下，不要做这个了。",
    ],
)
async def test_a_cancel_in_the_users_own_words_cancels_and_costs_nothing(
    rich: Client, sim: Simulator, image: Path, prompt: str
) -> None:
    assert route(prompt).action is Action.CANCEL
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    sent, left = len(requests_to(sim, "run_sse")), balance(sim)
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["action"] == "cancel" and out["status"] != "needs_confirmation", out
    assert len(requests_to(sim, "run_sse")) == sent and balance(sim) == left, "free, nothing sent"


@pytest.mark.parametrize(
    "again", ["嗯，再来一遍刚才的修改", "redo the last change", "apply that change again"]
)
async def test_a_redo_that_points_back_at_the_last_change_is_confirmed_first(
    rich: Client, sim: Simulator, image: Path, again: str
) -> None:
    """No list of retry phrases is complete: a retry word beside words that only point back at an
    earlier request is that request again, named and confirmed, never sent and charged at once."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    await ask(rich, "generate", {"prompt": "Make the video 8 seconds instead of 6."})
    sent, left = len(requests_to(sim, "run_sse")), balance(sim)
    out = await ask(rich, "generate", {"prompt": again})
    assert out["status"] == "needs_confirmation", out
    assert "Make the video 8 seconds instead of 6" in out["reply"], out["reply"]
    assert len(requests_to(sim, "run_sse")) == sent and balance(sim) == left, "not sent, not charged"


def test_a_redo_of_something_named_is_a_new_edit() -> None:
    new_edits = ("redo the intro", "再改一次标题", "again with more bass", "make the last clip longer again")
    for prompt in new_edits:
        assert route(prompt).action is Action.AGENT, prompt


def test_stopping_a_part_of_the_video_is_an_edit_not_a_cancel() -> None:
    for prompt in ("stop making the intro so long", "Stop the music at 10 seconds", "不用导出"):
        assert route(prompt).action is not Action.CANCEL, prompt


def test_a_retry_with_something_new_is_an_edit_and_a_bare_retry_is_a_repeat() -> None:
    for prompt in ("try again", "do it again", "redo that", "再试一次", "再来一次", "重试", "重新做"):
        assert route(prompt).action is Action.REPEAT, prompt
    for prompt in ("try again with piano music", "重新做一下片头", "play the intro again at the end"):
        assert route(prompt).action is Action.AGENT, prompt


@pytest.mark.parametrize(
    "prompt",
    [
        "Don't render it yet, I want to check a couple of things first.",
        "don't export yet, I need to think about it",
        "先别导出，我再看看",
        "不要渲染，我要先检查一下",
        "Hold off on exporting, I'll tell you when.",
        "Don't export yet, I'll let you know",
        "先别导出，等我通知你",
        "先不要导出，我到时候告诉你",
    ],
)
def test_a_hold_with_its_reason_is_only_a_hold(prompt: str) -> None:
    decision = route(prompt)
    assert decision.only_held and Action.EXPORT in decision.held_back
    assert decision.aside == (), "a reason we know is not quoted back as unsent"


@pytest.mark.parametrize(
    ("prompt", "aside"),
    [
        ("先别导出，等我看看文案。", "等我看看文案"),
        ("不要导出，我还在跟客户沟通", "我还在跟客户沟通"),
        ("Don't render yet, my boss has to approve it first.", "my boss has to approve it first"),
    ],
)
def test_a_hold_with_a_reason_in_any_words_is_a_hold_and_quotes_them(prompt: str, aside: str) -> None:
    """No list of reasons is complete: beside a held command, words that ask for no edit, command
    or question we know are not a paid question; they are quoted back as not sent."""
    decision = route(prompt)
    assert decision.only_held and Action.EXPORT in decision.held_back
    assert decision.aside == (aside,)


def test_a_hold_beside_an_edit_is_still_an_edit() -> None:
    for prompt in ("Don't export yet, I want a different song", "先别导出，我要先检查一下字幕"):
        assert route(prompt).action is Action.AGENT, prompt


async def test_try_again_with_nothing_asked_before_is_a_question_confirmed_first(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    out = await ask(rich, "generate", {"prompt": "try again"})
    assert out["status"] == "needs_confirmation" and requests_to(sim, "run_sse") == []


# --- 2. no text, music under N% ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("Make a 6 second video, no text on screen.", "the request said no text on screen, but the timeline"),
        ("做一个6秒的视频，不要字幕", "要求画面上不要文字，但时间线上有文字（「我的视频」）"),
    ],
    ids=["en", "zh"],
)
async def test_text_the_user_said_not_to_show_is_said_first(
    rich: Client, image: Path, prompt: str, item: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    done = await ask(rich, "generate", {"prompt": prompt})
    assert any(item in x for x in done["not_as_asked"]), done["not_as_asked"]
    export_steps = ("When the user wants the file", "用户需要成品文件时")
    assert not any(s.startswith(export_steps) for s in done["next_steps"])


@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        ("keep the music under 30% volume", "the request asked for music under 30%, but the music is at 30%"),
        ("背景音乐音量低于30%", "要求音乐音量低于 30%，但音乐实际是 30%"),
    ],
    ids=["en", "zh"],
)
async def test_music_at_the_limit_is_not_under_it(rich: Client, image: Path, prompt: str, item: str) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    done = await ask(rich, "generate", {"prompt": prompt})
    assert item in done["not_as_asked"], done["not_as_asked"]
    ok = await ask(rich, "generate", {"prompt": "lower the music to 20%"})
    assert ok["not_as_asked"] == []


@pytest.mark.parametrize(
    ("prompt", "met", "over", "unmet"),
    [
        (
            "keep the music at most 30%",
            "the music is at 30%, at most 30%",
            "keep the music no more than 25%",
            "the request asked for music at most 25%, but the music is at 30%",
        ),
        (
            "背景音乐音量30%以下",
            "音乐音量 30%，不超过 30%",
            "音乐音量不超过25%",
            "要求音乐音量不超过 25%，但音乐实际是 30%",
        ),
    ],
    ids=["en", "zh"],
)
async def test_music_at_most_the_limit_is_as_asked(
    rich: Client, sim: Simulator, prompt: str, met: str, over: str, unmet: str
) -> None:
    """ "At most 30%" / "30% 以下" allow 30 itself (as "under 30%" / "低于30%" do not)."""
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    done = await ask(rich, "generate", {"prompt": prompt})
    assert done["not_as_asked"] == [] and met in done["as_asked"], done
    sim.configure(next_lie=True)  # claims 25% and leaves the music at 30%
    lied = await ask(rich, "generate", {"prompt": over})
    assert unmet in lied["not_as_asked"], lied["not_as_asked"]


# --- 3. follow-up steps name their project -----------------------------------------------------


async def test_a_rendering_export_says_which_project_to_export_again(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=2000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.5)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "make a 6 second video for our spring sale"})
        name = made["project"]["name"]
        with sim.hold("render"):  # still rendering while another project is made current
            out = await ask(client, "export")
            assert out["status"] == "rendering"
            assert f'project="{name}"' in out["next_steps"][0], out["next_steps"]
            # Another project made current meanwhile: following the step still reaches this render.
            await ask(client, "generate", {"prompt": "new project"})
        with anyio.fail_after(30):
            while (again := await ask(client, "export", {"project": name}))["status"] != "done":
                pass
        assert again["render_id"] == out["render_id"]


async def test_a_working_turn_says_which_project_to_ask_about(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.5)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": "做一个6秒的视频"})
            assert working["status"] == "working"
            name = working["project"]["name"]
            assert f'用 project="{name}" 调用 status' in working["next_steps"][0]


# --- 4. credit hints from the balance as it is now ---------------------------------------------


async def test_a_refused_request_can_run_once_the_balance_allows_it(
    rich: Client, sim: Simulator, image: Path
) -> None:
    sim.state.set_credits(0)
    await ask(rich, "upload", {"files": [str(image)]})
    refused = await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    assert refused["status"] == "cannot_run"
    low = await ask(rich, "status")
    assert any("credits" in s for s in low["next_steps"])
    sim.state.set_credits(990)
    now = await ask(rich, "status")
    assert not any(s.startswith("Share the way to more credits") for s in now["next_steps"])
    assert any("can be sent now" in s and "990" in s for s in now["next_steps"]), now["next_steps"]


async def test_a_request_that_changed_nothing_with_no_credits_left_says_credits_come_first(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "用这张照片做一个6秒的视频"})
    sim.state.set_credits(50)
    sim.configure(lie_rate=1.0)  # the agent claims the edit and makes none
    out = await ask(rich, "generate", {"prompt": "把音乐换成钢琴曲"})
    assert out["timeline_changed"] is False and balance(sim) == 0
    assert any("要再试需要先有更多积分" in s for s in out["next_steps"]), out["next_steps"]
    assert not any("换个说法再请求一次" in s for s in out["next_steps"])


# --- 5. a hold with its reason -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("hold", "edit", "held_step"),
    [
        (
            "Don't render it yet, I want to check a couple of things first.",
            "lower the music to 20%",
            "The user asked not to export yet",
        ),
        ("先别导出，我再看看", "把音乐音量调到20%", "用户要求先不导出"),
        ("不要渲染，我要先检查一下", "把音乐音量调到20%", "用户要求先不导出"),
        ("先别导出，等我看看文案。", "把音乐音量调到20%", "用户要求先不导出"),
    ],
    ids=["en", "zh", "zh-render", "zh-own-words"],
)
async def test_a_hold_with_a_reason_is_free_and_lasts_until_an_export_is_asked(
    rich: Client, sim: Simulator, image: Path, hold: str, edit: str, held_step: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    sent, left = len(requests_to(sim, "run_sse")), balance(sim)
    held = await ask(rich, "generate", {"prompt": hold})
    assert held["action"] == "held" and held["status"] == "done"
    if "文案" in hold:  # words beside the hold that we don't know are quoted, not lost unsaid
        assert "“等我看看文案”" in held["reply"] and "没有发给 NemoVideo" in held["reply"], held["reply"]
    assert len(requests_to(sim, "run_sse")) == sent and balance(sim) == left, "free, not sent"
    edited = await ask(rich, "generate", {"prompt": edit})
    assert edited["timeline_changed"] is True
    assert any(held_step in s for s in edited["next_steps"]), edited["next_steps"]
    st = await ask(rich, "status")
    assert any(held_step in s for s in st["next_steps"]), st["next_steps"]
    await ask(rich, "export")
    after = await ask(rich, "generate", {"prompt": "make it 10 seconds"})
    assert not any(held_step in s for s in after["next_steps"]), "asked to export: the hold is over"


# --- 6. media counted once per upload -----------------------------------------------------------


async def test_one_upload_call_sends_each_photo_once_and_status_counts_them_once(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    """play6-zh saw 素材（8） for 4 photos: its server's store holds two upload calls two seconds
    apart (one not in the tester's call log); a single call sends each file once."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("beach", "city-lights", "forest", "sunrise"):
        (folder / f"{name}.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
    async with Client(create_server(settings)) as client:
        await ask(client, "upload", {"files": [str(folder / "*")]})
        await ask(client, "generate", {"prompt": "用这些照片做15秒方形视频"})
        st = await ask(client, "status")
    assert len(requests_to(sim, "upload")) == 1
    assert st["media_total"] == 4 and "素材（4）" in st["reply"]


async def test_status_tells_an_unchanged_answer_with_the_balance_as_it_is_now(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.5)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video for our spring sale"})
        sim.state.set_credits(50)
        sim.configure(lie_rate=1.0)
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": "use calm piano music"})
            assert working["status"] == "working"
        with anyio.fail_after(30):
            while balance(sim) != 0:
                await anyio.sleep(0.05)
        sim.state.set_credits(990)  # the user registered before asking how it went
        st = await ask(client, "status")
    (answer,) = st["answers"]
    assert answer["timeline_changed"] is False
    assert any(s.startswith("Tell the user the request changed nothing") for s in st["next_steps"])
    assert not any("needs more credits first" in s for s in st["next_steps"]), st["next_steps"]
