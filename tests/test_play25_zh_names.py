"""Play-test 25 (中文 F9): a project named from "做一个小猫洗澡前后对比的视频" was called
"个小猫洗澡前后对比": a name from the user's words starts and ends where words do; the words that
ask for it (做一个, 帮我弄个, 来一段…) are no part of it."""

from __future__ import annotations

import pytest

from ai_video_music.naming import name_from

SUBJECT = "小猫洗澡前后对比"


@pytest.mark.parametrize(
    "prompt",
    [
        "做一个小猫洗澡前后对比的视频",
        "帮我用这些照片做一个小猫洗澡前后对比的视频",  # new: a run longer than 12 characters
        "请你帮我用这些照片做一个小猫洗澡前后对比的视频",  # new
        "帮我弄个小猫洗澡前后对比的视频",  # new: other verbs
        "搞一个小猫洗澡前后对比的视频",  # new
        "来一段小猫洗澡前后对比的视频",  # new
        "帮忙整个小猫洗澡前后对比的视频",  # new
        "给我出一个小猫洗澡前后对比的视频",  # new
        "我想要小猫洗澡前后对比的视频",  # new: who wants it
    ],
)
def test_a_name_from_the_users_words_is_cut_at_word_edges(prompt: str) -> None:
    assert name_from(prompt) == SUBJECT


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("日出延时的视频", "日出延时"),  # a verb-like character inside a subject stays
        ("整理房间的视频", "整理房间"),
        ("弄堂风景的视频", "弄堂风景"),
        ("出游的vlog", "出游"),
        ("想念奶奶的视频", "想念奶奶"),
    ],
)
def test_a_subject_that_starts_like_a_verb_is_kept_whole(prompt: str, name: str) -> None:
    assert name_from(prompt) == name
