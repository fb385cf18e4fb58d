"""Play-test 26 (简体): a question beside an edit is read as one, and said answered only when it is.

ZH F2. 「对了这音乐能商用不」 (a question ending in 不, not 吗), and the A不A forms 「能不能商用」,
    「可不可以商用」: sent with the edit, said passed on with our licence fact, never listed as an
    edit that can't be checked; alone, it is held as a question, nothing sent.
ZH F10. 「…顺便问下，Lo-fi Chill这个歌算温柔的吗？」 and a reply that only names the song
    (「已将音乐换成「Lo-fi Chill (free music)」」): its reply does not speak of the question.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music import replies
from ai_video_music.simulator import Simulator

from .conftest import ask, photo_files, requests_to

pytestmark = pytest.mark.anyio

LICENCE = "免费音乐能否用于广告或商用没有说明"


@pytest.mark.parametrize(
    ("prompt", "question"),
    [
        ("音乐调到20%。对了这音乐能商用不 我可能要接推广的", "这音乐能商用不"),
        ("音乐调到20%，这个歌能不能商用", "这个歌能不能商用"),
        ("音乐调到20% 顺便问下这歌可不可以商用", "这歌可不可以商用"),
    ],
)
async def test_a_licence_question_without_ma_is_passed_on_with_our_fact(
    rich: Client, sim: Simulator, tmp_path: Path, prompt: str, question: str
) -> None:
    """Call 3: 「对了这音乐能商用不」 listed as an edit not checked, no licence note."""
    await ask(rich, "upload", {"files": photo_files(tmp_path, "latte.jpg")})
    await ask(rich, "generate", {"prompt": "做个6秒的视频，配点音乐"})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and len(requests_to(sim, "run_sse")) == 2, out
    reply = out["reply"]
    assert question in reply and LICENCE in reply, reply
    assert not any("商用" in q for q in out.get("not_checked") or []), out


@pytest.mark.parametrize("prompt", ["对了这音乐能商用不", "这音乐能不能商用", "这个歌可以商用不？"])
async def test_a_licence_question_alone_without_ma_is_held_nothing_sent(
    rich: Client, sim: Simulator, tmp_path: Path, prompt: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "latte.jpg")})
    await ask(rich, "generate", {"prompt": "做个6秒的视频，配点音乐"})
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["action"] == "ask" and out.get("credits_used") in (None, 0), out
    assert LICENCE in out["reply"], out["reply"]
    assert len(requests_to(sim, "run_sse")) == sent


@pytest.mark.parametrize(
    ("prompt", "edit"),
    [
        ("音乐能不能调小一点", True),  # a change asked politely, never a question
        ("把音乐调小点行不", True),
        ("能不能帮我把标题改成「早安」", True),
        ("这音乐能商用不", False),
    ],
)
def test_a_change_asked_in_question_form_stays_a_request(prompt: str, edit: bool) -> None:
    assert (replies.side_questions(prompt) == []) is edit, replies.side_questions(prompt)


@pytest.mark.parametrize(
    ("question", "words", "spoken"),
    [
        (
            "Lo-fi Chill这个歌算温柔的吗？",
            "已将音乐换成「Lo-fi Chill (free music)」。告诉我导出即可下载视频。",
            False,
        ),
        ("is the Lo-fi Chill track calm enough?", "Switched the music to “Lo-fi Chill (free music)”.", False),
        ("Lo-fi Chill这个歌算温柔的吗？", "「Lo-fi Chill (free music)」节奏舒缓，算比较温柔的。", True),
        ("is the Lo-fi Chill track mellow enough?", "“Lo-fi Chill (free music)” is quite mellow.", True),
    ],
)
def test_a_reply_that_only_names_what_the_question_is_about_does_not_speak_of_it(
    question: str, words: str, spoken: bool
) -> None:
    """Call 32: 「下面 NemoVideo 的回复谈到了它」 when the reply only named the song."""
    assert replies._spoken_of(question, words) is spoken


async def test_the_answer_never_says_a_reply_naming_the_song_spoke_of_the_question(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    """Call 32 through the tools: 「下面 NemoVideo 的回复谈到了它」 for a reply that named the song."""
    await ask(rich, "upload", {"files": photo_files(tmp_path, "coffee-shop.jpg", "latte.jpg")})
    await ask(rich, "generate", {"prompt": "用我上传的照片做个20秒的视频，配点音乐"})
    out = await ask(
        rich, "generate", {"prompt": "把latte调到第一个。顺便问下，Lo-fi Chill这个歌算温柔的吗？"}
    )
    reply = out["reply"]
    assert "Lo-fi Chill这个歌算温柔的吗" in reply, reply
    if "温柔" not in (out.get("agent_says") or ""):  # the agent's words never speak of gentleness
        assert "谈到了它" not in reply, reply
