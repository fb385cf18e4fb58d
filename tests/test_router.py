"""Every routing row, in English and Chinese, and the cases that must stay with the agent."""

from __future__ import annotations

import pytest

from ai_video_music.router import Action, extract_media, route


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("export", Action.EXPORT),
        ("Download it please", Action.EXPORT),
        ("send me the video", Action.EXPORT),
        ("导出", Action.EXPORT),
        ("帮我导出视频", Action.EXPORT),
        ("how many credits do I have?", Action.CREDITS),
        ("balance", Action.CREDITS),
        ("积分", Action.CREDITS),
        ("我的余额是多少", Action.CREDITS),
        ("status", Action.STATUS),
        ("show tracks", Action.STATUS),
        ("状态", Action.STATUS),
        ("upload /home/ana/a.jpg", Action.UPLOAD),
        ("上传 /tmp/b.mp4", Action.UPLOAD),
        ("make a 30-second video from my photos", Action.AGENT),
        ("add upbeat background music", Action.AGENT),
        ("给视频加上配乐", Action.AGENT),
    ],
)
def test_each_row_routes(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


@pytest.mark.parametrize(
    "prompt",
    [
        "add music and then export",
        "make a video and download it",
        "trim the intro, then send me the video",
        "添加音乐然后导出",
        "upload these and make a video /tmp/a.jpg",
        "generate a status update video",
    ],
)
def test_a_prompt_that_also_asks_for_an_edit_goes_to_the_agent(prompt: str) -> None:
    assert route(prompt).action is Action.AGENT


def test_keywords_match_whole_words_only() -> None:
    assert route("make a video about exporters").action is Action.AGENT
    assert route("the credit-card ad").action is Action.AGENT


def test_upload_carries_the_paths_and_links_it_names() -> None:
    decision = route(
        "upload ~/Pictures/cat.png ./clip.MOV C:\\Users\\ana\\song.mp3 https://x.io/v.mp4, please"
    )
    assert decision.files == ("~/Pictures/cat.png", "./clip.MOV", "C:\\Users\\ana\\song.mp3")
    assert decision.urls == ("https://x.io/v.mp4",)


def test_extract_media_finds_nothing_in_plain_text() -> None:
    assert extract_media("upload my photos") == ((), ())
