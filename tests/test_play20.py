"""Play-test 20 (English, a fitness coach): words that point at the user's pictures hold a request
sent where there are none; a "new video: X." heading names the project X.

F1. "start with her before pic, save the after shot for the very end" in a new, empty project was
    sent at once and 100 credits went on an AI scene: the photo-words hold knew only "my photos".
F5. That project was named "Very end" (from "for the very end"), not "Jess 10 week transformation".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.naming import name_from
from ai_video_music.replies import _spoken_of
from ai_video_music.router import route
from ai_video_music.simulator import Simulator

from .conftest import ask, balance, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]

JESS = (
    "new video: Jess 10 week transformation. start with her before pic, save the after shot for the "
    "very end, something motivational for music, maybe 12 secs"
)


@pytest.mark.parametrize(
    ("prompt", "name", "where"),
    [
        (JESS, "Jess 10 week transformation", "none of your photos"),
        ("新视频：小王的减肥历程。先放她的前后对比图，最后放现在那张", "小王的减肥历程", "没有你的任何照片"),
    ],
)
async def test_a_new_video_about_pictures_it_lacks_is_held_and_named_from_its_heading(
    rich: Client, sim: Simulator, image: Path, prompt: str, name: str, where: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)], "new_project": True})
    await ask(rich, "generate", {"prompt": "make a 6 second video"})
    spent, turns = balance(sim), len(requests_to(sim, "run_sse"))
    said = await ask(rich, "generate", {"prompt": prompt, "new_project": True})
    assert said["status"] == "needs_confirmation", said
    assert where in said["reply"], said["reply"]
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == turns
    went = await ask(rich, "generate", {"prompt": prompt, "new_project": True, "accept_cost": True})
    assert went["status"] == "done", went
    assert went["project"]["name"] == name, went["project"]
    # Sent as it is: the photos it speaks of can't be in it, a fact, never "look at the video".
    assert ("holds none of them" in went["reply"]) or ("没有你的任何照片" in went["reply"]), went["reply"]
    assert not any("pic" in q or "对比图" in q for q in went.get("not_checked") or []), went
    assert (await ask(rich, "status", {"project": name}))["project"]["name"] == name


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        (JESS, "Jess 10 week transformation"),
        ("New project: spring sale promo, 10 seconds, square", "spring sale promo"),
        ("new video - Harbour Days. open with the boats", "Harbour Days"),
        ("Another video: Mia's first marathon! use the finish-line snap last", "Mia's first marathon"),
        ("新视频：小王的减肥历程。先放她的前后对比图，最后放现在那张", "小王的减肥历程"),
        ("新项目：春季促销，竖屏", "春季促销"),
        ("另一个视频：周末露营。把日出那张放最后", "周末露营"),
    ],
)
def test_a_new_video_heading_names_the_project(prompt: str, name: str) -> None:
    assert name_from(prompt) == name


@pytest.mark.parametrize(
    "prompt",
    [
        "save the beach one for the very end",
        "make a 10 second video, the logo for the end",
        "a video, sunrise one at the start",
        "把日出那张放最后",
        "做个视频，海边那张放在最后面",
        "新视频：帮我直接生成一段5秒的海浪空镜，不用我的照片",
    ],
)
def test_a_place_in_the_video_is_never_its_name(prompt: str) -> None:
    named = name_from(prompt).casefold()
    for place in ("end", "start", "最后", "very"):
        assert place not in named, named


REORDER = "the beach one ended up second. put it at the end: forest, sunrise, beach"
REORDER_ZH = "把海滩那张放最后，顺序：森林、日出、海滩"


@pytest.mark.parametrize(
    ("reorder", "other", "retry"),
    [
        (REORDER, "make the music a bit louder", "ok signed up. try the reorder again pls"),
        (REORDER, "make the music a bit louder", "do the order thing again"),
        (REORDER, "make the music a bit louder", "give the reorder another go"),
        (REORDER, "make the music a bit louder", "redo the reorder"),
        (REORDER_ZH, "音乐大声一点", "注册好了。顺序再弄一次"),
        (REORDER_ZH, "音乐大声一点", "再试一次那个排序"),
    ],
)
async def test_a_retry_that_names_an_earlier_request_is_confirmed_first_naming_it(
    rich: Client, sim: Simulator, image: Path, tmp_path: Path, reorder: str, other: str, retry: str
) -> None:
    """F4: "try the reorder again" after a reorder that cost 50 was sent and charged again with no
    word; "seriously? try again" is confirmed first. Any retry that names the request is too."""
    files = []
    for name in ("forest.jpg", "sunrise.jpg", "beach.jpg"):
        (tmp_path / name).write_bytes(image.read_bytes())
        files.append(str(tmp_path / name))
    await ask(rich, "upload", {"files": files})
    await ask(rich, "generate", {"prompt": "make a 9 second video"})
    await ask(rich, "generate", {"prompt": reorder})
    await ask(rich, "generate", {"prompt": other})
    spent, turns = balance(sim), len(requests_to(sim, "run_sse"))
    again = await ask(rich, "generate", {"prompt": retry})
    assert again["status"] == "needs_confirmation", again
    assert reorder[:12] in again["reply"], again["reply"]  # the reorder it would redo, not the music
    assert other not in again["reply"], again["reply"]
    assert "last request" not in again["reply"] and "上一个请求" not in again["reply"], again["reply"]
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == turns
    went = await ask(rich, "generate", {"prompt": retry, "accept_cost": True})
    assert went["status"] in ("done", "working"), went
    assert len(requests_to(sim, "run_sse")) == turns + 1
    assert reorder[:12] in went["reply"], went["reply"]  # the reorder's own words went, not "try the …"


@pytest.mark.parametrize(
    "prompt", ["redo the intro", "重新做一下片头", "redo the intro from scratch with waves"]
)
async def test_a_redo_naming_no_earlier_request_is_the_edit_it_says(
    rich: Client, sim: Simulator, prompt: str
) -> None:
    await ask(rich, "generate", {"prompt": "make a 6 second video"})
    turns = len(requests_to(sim, "run_sse"))
    went = await ask(rich, "generate", {"prompt": prompt})
    assert went["status"] in ("done", "working"), went
    assert len(requests_to(sim, "run_sse")) == turns + 1


@pytest.mark.parametrize(
    ("prompt", "redo"),
    [
        ("ok signed up. try the reorder again pls", "the reorder"),
        ("ugh, try the music change again please", "the music change"),
        ("can you do the title change again?", "the title change"),
        ("give the reorder another go", "the reorder"),
        ("redo the reorder", "the reorder"),
        ("顺序再弄一次", "顺序"),
        ("再试一次那个排序", "排序"),
        ("注册好了。排序再来一次", "排序"),
        ("把音乐那个再试一次吧", "音乐"),
        ("重新弄一下刚才的排序", "排序"),
    ],
)
def test_a_retry_naming_what_to_redo_is_read_as_one(prompt: str, redo: str) -> None:
    assert route(prompt).redo == redo


@pytest.mark.parametrize(
    "prompt",
    [
        "try again with piano music",
        "do it again but with a slower song",
        "play the first photo again at the end",
        "重新做一个视频",
        "再来一段钢琴音乐",
        "再导出一次",
        "export again",
        "我还想再改改",
        "try the reorder again, and make the music louder",
    ],
)
def test_words_that_redo_nothing_named_are_not_a_named_retry(prompt: str) -> None:
    assert not route(prompt).redo


@pytest.mark.parametrize(
    ("prompt", "passed", "licence"),
    [
        (
            "make a 6 second promo from the photo, upbeat music. oh and can I use the music in paid "
            "instagram ads? gonna boost it",
            "can I use the music in paid instagram ads?",
            "not documented",
        ),
        (
            "用这张照片做个6秒视频，配点欢快的音乐。这音乐能用在付费广告里吗？",
            "这音乐能用在付费广告里吗？",
            "没有说明",
        ),
    ],
)
async def test_a_rights_question_inside_a_paid_request_is_said_passed_on_with_our_own_fact(
    rich: Client, sim: Simulator, image: Path, prompt: str, passed: str, licence: str
) -> None:
    """F6: the ads question went with a charged request and vanished from the answer. The answer
    says it went to NemoVideo with the request, whether NemoVideo's reply spoke of it, and that the
    free music's licence for ads is not documented here (never "safe")."""
    await ask(rich, "upload", {"files": [str(image)]})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and len(requests_to(sim, "run_sse")) == 1, out
    reply = out["reply"]
    assert passed in reply, reply
    assert ("NemoVideo" in reply) and licence in reply, reply
    assert "safe to" not in reply.replace("nothing here says it is safe", ""), reply
    # The simulator's agent speaks of edits, never of licences: its reply did not answer it.
    assert ("does not speak of it" in reply) or ("没有谈到" in reply), reply


@pytest.mark.parametrize(
    ("prompt", "licence"),
    [
        ("quick q - is the Upbeat Pop track ok to use in a paid instagram ad? like am I allowed commercially",
         "not documented"),
        ("这首音乐能商用吗？", "没有说明"),
    ],
)  # fmt: skip
async def test_a_rights_question_alone_says_our_own_fact_before_asking_to_pay(
    rich: Client, sim: Simulator, prompt: str, licence: str
) -> None:
    await ask(rich, "generate", {"prompt": "make a 6 second video"})
    turns = len(requests_to(sim, "run_sse"))
    said = await ask(rich, "generate", {"prompt": prompt})
    assert said["status"] == "needs_confirmation", said
    assert licence in said["reply"], said["reply"]
    assert len(requests_to(sim, "run_sse")) == turns


@pytest.mark.parametrize(
    ("question", "words", "spoken"),
    [
        ("can I use the music in paid instagram ads?", "Done! I added upbeat music.", False),
        ("can I use the music in paid instagram ads?", "The track is licensed for commercial use.", True),
        ("这音乐能商用不？", "已添加音乐。", False),
        ("这音乐能商用不？", "这首音乐可以商用。", True),
        ("how much will that cost?", "", False),
        ("how much will that cost?", "This edit used 50 credits.", True),
    ],
)
def test_whether_the_agent_spoke_of_a_side_question_is_read_from_its_words(
    question: str, words: str, spoken: bool
) -> None:
    assert _spoken_of(question, words) is spoken


@pytest.mark.parametrize(
    ("prompt", "where"),
    [
        ("put the after shot last and the before pic first, 10 seconds", "holds none of your photos"),
        ("那张海边的放最后，做成10秒", "没有你的任何照片"),
    ],
)
async def test_words_pointing_at_pictures_in_the_current_empty_project_are_held(
    rich: Client, sim: Simulator, prompt: str, where: str
) -> None:
    await ask(rich, "generate", {"prompt": "new video"})
    spent = balance(sim)
    said = await ask(rich, "generate", {"prompt": prompt})
    assert said["status"] == "needs_confirmation", said
    assert where in said["reply"], said["reply"]
    assert requests_to(sim, "run_sse") == [] and balance(sim) == spent
