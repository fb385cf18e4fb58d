"""Play-test 23 (简体: a bakery's new products, a graduation trip, a shop before/after): answers
that would make the assistant say something false, or spend unasked.

F1. 「先别导出 我再想想字幕咋写」: a hold with the user's own thinking beside it was sent to the
    agent and charged 50 credits; it is a free hold, like the bare 「先别导出」.
F4. An edit and a licence question at 0 credits ("…挪到最后3秒 对了这音乐能商用吗") was answered
    as the question alone: the edits are said not sent too.
F5. 「再发一次」 (and other everyday words for sending it again) is a retry like 「再试一次」, never
    a question priced for the agent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator

from .conftest import ask, balance, photo_files, requests_to

pytestmark = pytest.mark.anyio


# --- F1: a hold with the user's own thinking beside it -------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "先别导出 我再想想字幕咋写",
        "先别导出，我还得考虑一下标题用什么",
        "先不导出 我们再琢磨琢磨配乐",
        "暂时别导出 我想一下结尾放哪张",
    ],
)
def test_a_hold_beside_the_user_s_own_thinking_is_only_a_hold(prompt: str) -> None:
    decision = route(prompt)
    assert decision.only_held and Action.EXPORT in decision.held_back, decision
    assert decision.aside == (), decision  # their thinking is no ask to quote back


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("先别导出 标题改成「新店开业」", Action.AGENT),  # an edit beside the hold is still sent
        ("我想想 你帮我把字幕改成「装修前」", Action.AGENT),  # asked of us: an edit
    ],
)
def test_an_edit_beside_a_hold_or_a_thought_is_still_an_edit(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


async def test_a_hold_with_a_thought_costs_nothing_and_sends_nothing(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "before.jpg", "after.jpg")})
    await ask(rich, "generate", {"prompt": "做个10秒的方形视频"})
    spent, sent = balance(sim), len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": "先别导出 我再想想字幕咋写"})
    assert out["action"] == "held", out
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == sent
    assert "没有向 NemoVideo 发送任何请求" in out["reply"], out["reply"]


# --- F4: an edit and a question at 0 credits -----------------------------------------------------

# An edit, then a question beside it; the words the answer names the edit with; our licence fact.
EDITS_WITH_AN_ASIDE = [
    (
        "把「新品上市」加回开头 限量那句「每天限量20个」挪到最后3秒 对了这音乐我拿来抖音带货能商用吗",
        "编辑",
        "免费音乐能否用于广告或商用没有说明",
    ),
    (
        "put 'New in' back at the start btw can I use this music in paid ads",
        "edit",
        "not documented",
    ),
]


@pytest.mark.parametrize(("prompt", "edit_words", "licence"), EDITS_WITH_AN_ASIDE)
def test_an_edit_then_an_aside_question_is_routed_as_the_edit(
    prompt: str, edit_words: str, licence: str
) -> None:
    assert route(prompt).action is Action.AGENT


@pytest.mark.parametrize(("prompt", "edit_words", "licence"), EDITS_WITH_AN_ASIDE)
async def test_an_edit_and_a_question_at_zero_credits_say_the_edit_was_not_sent(
    rich: Client, sim: Simulator, tmp_path: Path, prompt: str, edit_words: str, licence: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "cake.jpg")})
    await ask(rich, "generate", {"prompt": "做个6秒的视频"})
    sim.state.set_credits(0)
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "cannot_run", out
    reply = out["reply"]
    print(reply)
    assert edit_words in reply and licence in reply, reply
    assert len(requests_to(sim, "run_sse")) == sent


# --- F5: everyday words for sending it again -----------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "再发一次",
        "再发一遍吧",
        "重新发一下",
        "重发一次",
        "再提交一次",
        "把刚才那个再发一次",
        "resend it",
        "send it again",
    ],
)
def test_send_it_again_is_a_retry(prompt: str) -> None:
    assert route(prompt).action is Action.REPEAT


@pytest.mark.parametrize("prompt", ["再发一次 这次音乐要钢琴", "发给我", "send"])
def test_send_with_something_new_or_alone_is_no_retry(prompt: str) -> None:
    assert route(prompt).action is not Action.REPEAT
