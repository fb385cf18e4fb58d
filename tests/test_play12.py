"""What play-test 12 found, as tests: a hold in everyday words ("Hang on with the export",
"等一下再导出") is a free hold, never an export or a paid question; "carry on with the logo" /
"logo 那个继续" beside a registration repeats the refused request (confirmed first); lengths and
shapes said as "加长到 12 秒", "竖屏 6 秒" and "a 14-second highlight" are checked."""

from __future__ import annotations

import pytest

from ai_video_music.asked import Shape, read
from ai_video_music.router import Action, route


@pytest.mark.parametrize(
    "prompt",
    [
        "Hang on with the export, my co-coach wants a look first.",
        "Wait with the export until my co-coach has seen it.",
        "hold the export",
        "等一下再导出，我先给学员看看。",
    ],
)
def test_a_hold_in_everyday_words_is_a_free_hold(prompt: str) -> None:
    decision = route(prompt)
    assert decision.only_held and Action.EXPORT in decision.held_back, decision


@pytest.mark.parametrize("prompt", ["wait, export it now", "hold on, export it", "export it"])
def test_an_export_after_a_pause_word_is_still_an_export(prompt: str) -> None:
    assert route(prompt).action is Action.EXPORT


@pytest.mark.parametrize("prompt", ["Signed up. Carry on with the logo.", "我注册了，logo 那个继续。"])
def test_carry_on_beside_a_registration_repeats_the_refused_request(prompt: str) -> None:
    assert route(prompt).action is Action.REPEAT


def test_lengths_and_shapes_in_everyday_words_are_read() -> None:
    assert read("音量调到 30% 以下，再加长到 12 秒。").seconds == 12
    assert read("把视频加长到 12 秒。").seconds == 12
    vertical = read("再做一个，叫“晨练打卡”，竖屏 6 秒，只要最后一张图，不要音乐。")
    assert vertical.seconds == 6 and vertical.shape is Shape.VERTICAL
    assert read("Make a 14-second landscape highlight from the photos").seconds == 14
