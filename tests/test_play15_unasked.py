"""Play-test 15, answers that misled: a change the request did not ask for (the music replaced
when a caption was asked for, clips dropped, the frame changed) is said as a fact from the diff,
in the user's language; never left for the assistant to tell as "done as asked"."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from ai_video_music.asked import unasked
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import Segment, Timeline, Track, aspect_ratio
from ai_video_music.tools import create_server
from ai_video_music.turns import _without_questions

from .conftest import ask, requests_to

pytestmark = pytest.mark.anyio


def tl(
    clips: tuple[str, ...] = ("beach.jpg", "forest.jpg"),
    music: str | None = "Lo-fi Chill (free music)",
    volume: float = 35.0,
    titles: tuple[str, ...] = ("Spring Sale",),
    frame: tuple[int, int] = (1920, 1080),
) -> Timeline:
    seconds = 5.0 * len(clips)
    video = Track("video", "", [Segment(c, i * 5, i * 5 + 5, None) for i, c in enumerate(clips)], len(clips))
    tracks = [video]
    if music is not None:
        tracks.append(Track("audio", "", [Segment(music, 0, seconds, volume)], 1))
    if titles:
        tracks.append(Track("text", "", [Segment(x, 0, 3, None) for x in titles], len(titles)))
    return Timeline(tuple(tracks), len(tracks), seconds, frame[0], frame[1], aspect_ratio(*frame))


CAPTION = "add the caption 'Grand opening' at the start"


def test_music_replaced_when_only_a_caption_was_asked_is_said() -> None:
    after = tl(music="Calm Piano (free music)", titles=("Spring Sale", "Grand opening"))
    assert unasked(CAPTION, tl(), after) == [
        {
            "kind": "music_unasked",
            "change": "replaced",
            "before": ["Lo-fi Chill (free music)"],
            "names": ["Calm Piano (free music)"],
        }
    ]
    assert unasked("在开头加一行字「盛大开业」", tl(), after)[0]["change"] == "replaced"


@pytest.mark.parametrize(
    ("after", "kind", "change"),
    [
        (tl(music=None), "music_unasked", "removed"),
        (tl(volume=80), "volume_unasked", None),
        (tl(clips=("beach.jpg",)), "clips_unasked", "removed"),
        (tl(frame=(1080, 1920)), "frame_unasked", None),
        (tl(titles=()), "text_unasked", "removed"),
        (tl(titles=("Summer",)), "text_unasked", "replaced"),
    ],
)
def test_each_kind_of_change_nobody_asked_for_is_found(
    after: Timeline, kind: str, change: str | None
) -> None:
    for prompt in ("make the colours warmer", "把色调调暖一点"):
        found = unasked(prompt, tl(), after)
        assert [(f["kind"], f.get("change")) for f in found] == [(kind, change)], (prompt, found)


@pytest.mark.parametrize(
    ("prompt", "after"),
    [
        ("swap the music for something calmer", tl(music="Calm Piano (free music)")),
        ("make it feel more relaxing", tl(music="Calm Piano (free music)")),
        ("把音乐换成钢琴曲", tl(music="Calm Piano (free music)")),
        ("换个轻松的风格", tl(music="Calm Piano (free music)")),
        ("turn it down a little, it's too loud", tl(volume=20)),
        ("make it 10 seconds, at 20%", tl(volume=20)),
        ("fade out in the last 2 seconds", tl(volume=0)),
        ("remove the forest photo", tl(clips=("beach.jpg",))),
        ("make it 5 seconds", tl(clips=("beach.jpg",))),
        ("make it 20 seconds", tl(clips=("beach.jpg", "forest.jpg", "city.jpg", "sea.jpg"))),
        ("把森林那张删掉", tl(clips=("beach.jpg",))),
        ("make it vertical for TikTok", tl(frame=(1080, 1920))),
        ("做成竖屏", tl(frame=(1080, 1920))),
        ("remove the title", tl(titles=())),
        ("change the title to 'Summer'", tl(titles=("Summer",))),
        ("undo the last change", tl(music=None, titles=())),
        ("start over with a different style", tl(music="Calm Piano (free music)", titles=())),
        ("make a new video of the sea", tl(clips=("sea.mp4",), music="Calm Piano (free music)")),
        ("give it more energy", tl(music="Upbeat Pop (free music)")),
        ("make it look like a movie trailer", tl(music="Epic Cinematic (free music)", titles=("Soon",))),
        ("更有活力一点", tl(music="Upbeat Pop (free music)")),
        ("做出大片的感觉", tl(music="Epic Cinematic (free music)")),
    ],
)
def test_a_change_the_words_speak_of_is_not_unasked(prompt: str, after: Timeline) -> None:
    assert unasked(prompt, tl(), after) == [], prompt


def test_a_video_made_from_nothing_asks_for_all_it_has() -> None:
    assert unasked("add a title", Timeline(), tl()) == []


async def test_an_edit_that_also_replaced_the_music_says_so_first(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    sim.configure(next_overreach=True)  # the agent adds the caption and swaps the music too
    out = await ask(rich, "generate", {"prompt": CAPTION})
    said = (
        "the request said nothing of the music, but it was replaced: "
        "“Lo-fi Chill (free music)” → “Calm Piano (free music)”"
    )
    assert out["reply"].startswith("Not as asked: " + said), out["reply"]
    assert said in out["not_as_asked"]
    assert not any("call export (free)" in s for s in out["next_steps"]), out["next_steps"]
    assert any("the request said nothing of the music, but it was replaced" in s for s in out["next_steps"])
    done = await ask(rich, "export")
    assert "said nothing of the music" in done["reply"], "the file is told as not as asked either"


async def test_an_unasked_change_is_said_in_chinese(rich: Client, sim: Simulator, image: Path) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "用这张照片做一个6秒的视频"})
    sim.configure(next_overreach=True)
    out = await ask(rich, "generate", {"prompt": "在开头加一行字「盛大开业」"})
    assert out["reply"].startswith("与要求不符：请求没有提到音乐，但音乐被换了："), out["reply"]


# --- 2. a file named that the project does not have ------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "names"),
    [
        ("use sunset.jpg for the opening", ["sunset.jpg"]),
        ("用sunset.jpg做开头", ["sunset.jpg"]),
        ("把「海边 日落.png」放最后", ["海边 日落.png"]),
        ("put C:\\pics\\IMG_2034.HEIC first.", ["IMG_2034.HEIC"]),
        ("add the caption 'see you at example.com'", []),
        ("make the title v1.2 and keep it", []),
    ],
)
def test_the_file_names_a_request_names_are_read(prompt: str, names: list[str]) -> None:
    from ai_video_music.asked import files_named

    assert files_named(prompt) == names


async def test_a_file_never_uploaded_is_said_plainly_with_what_was(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    sent = len(requests_to(sim, "run_sse"))
    prompt = "use sunset.jpg for the opening and make it 10 seconds"
    held = await ask(rich, "generate", {"prompt": prompt})
    said = "o file named “sunset.jpg” was uploaded to this project (its uploads: “beach.jpg”)"
    assert held["status"] == "needs_confirmation" and held["reply"].startswith("N" + said), held["reply"]
    assert "nothing was charged" in held["reply"] and len(requests_to(sim, "run_sse")) == sent
    assert any("call upload with it" in s for s in held["next_steps"]), held["next_steps"]
    # Sent anyway, as the user wants: the answer still says it, as a fact, never as done.
    out = await ask(rich, "generate", {"prompt": prompt, "accept_cost": True})
    assert out["status"] == "done" and len(requests_to(sim, "run_sse")) == sent + 1
    assert out["reply"].startswith("Not as asked: n" + said), out["reply"]
    assert not any("sunset.jpg" in q for q in out["not_checked"]), "said as a fact, not as unchecked"
    assert any("call upload with it" in s for s in out["next_steps"]), out["next_steps"]
    assert not any("call export (free)" in s for s in out["next_steps"]), out["next_steps"]
    # The file the user did upload, named, is no alarm.
    fine = await ask(rich, "generate", {"prompt": "use beach.jpg for the opening"})
    assert fine["status"] == "done" and "file named" not in fine["reply"], fine["reply"]


async def test_a_file_never_uploaded_is_said_in_chinese(rich: Client, sim: Simulator, image: Path) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "用这张照片做一个6秒的视频"})
    held = await ask(rich, "generate", {"prompt": "把 sunset.jpg 放在开头"})
    said = "这个项目没有上传过名为「sunset.jpg」的文件（已上传的是：「beach.jpg」）"
    assert held["status"] == "needs_confirmation" and held["reply"].startswith(said), held["reply"]
    out = await ask(rich, "generate", {"prompt": "把 sunset.jpg 放在开头", "accept_cost": True})
    assert out["reply"].startswith("与要求不符：" + said), out["reply"]


async def test_a_file_named_where_nothing_was_uploaded_is_not_sent(rich: Client, sim: Simulator) -> None:
    out = await ask(rich, "generate", {"prompt": "make a 10 second video from sunset.jpg"})
    assert out["status"] == "needs_confirmation", out["reply"]
    assert "(nothing was uploaded to it)" in out["reply"] and requests_to(sim, "run_sse") == []
    assert "about 100 credits" in out["reply"], "made from nothing, it would cost a generation's price"


# --- 3. an edit that lands while an export of the timeline before it renders ------------------


async def test_an_export_that_rendered_while_an_edit_landed_says_the_file_is_from_before_it(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """Export started → an edit requested (from another call) lands → the export finishes: the
    file is of the timeline before the edit, and its answer said "saved" as if it had it."""
    token, _ = sim.state.register_user(credits=2000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video for our spring sale"})
        done: dict[str, Any] = {}

        async def export() -> None:
            done.update(await ask(client, "export"))

        with sim.hold("render", during_call=True) as gate:
            async with anyio.create_task_group() as tg:
                tg.start_soon(export)
                assert await gate.entered()
                edit = await ask(client, "generate", {"prompt": "lower the music to 20%"})
                gate.release()
        assert edit["timeline_changed"] is True
        # The edit's own answer: the export under way is of the timeline before it.
        assert "An export of the timeline before this change was under way" in edit["reply"], edit["reply"]
        assert any("won't have it" in s for s in edit["next_steps"]), edit["next_steps"]
        assert done["status"] == "done"
        said = "This export shows the timeline from before “lower the music to 20%” changed it"
        assert said in done["reply"] and done["reply"].index(said) < done["reply"].index(done["path"])
        assert done["not_in_file"] == ["lower the music to 20%"]
        assert "call export again" in done["next_steps"][0], done["next_steps"]
        again = await ask(client, "export")
        assert again["path"] != done["path"] and "from before" not in again["reply"], again["reply"]


async def test_a_render_of_an_earlier_timeline_is_marked_in_status(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=2000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.5)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "用这张照片做一个6秒的视频"})
        with sim.hold("render"):
            assert (await ask(client, "export"))["status"] == "rendering"
            edit = await ask(client, "generate", {"prompt": "音乐音量调到20%"})
            assert "这次修改生效时，修改前的时间线正在导出" in edit["reply"], edit["reply"]
            seen = await ask(client, "status")
            assert "（渲染的是较早的时间线：文件里不会有之后的修改）" in seen["reply"], seen["reply"]


# --- 4. the language of the answer is the language the user writes in -------------------------


async def test_a_working_answer_to_chinese_with_english_words_is_in_chinese(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=2000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.5)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video for our spring sale"})
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": "把 music 换成 lo-fi 的"})
        assert working["status"] == "working" and working["language"] == "zh"
        assert working["reply"].startswith("智能体仍在处理"), working["reply"]


async def test_a_caption_or_file_in_another_language_does_not_change_the_answer_s(
    rich: Client, image: Path
) -> None:
    """ "add the caption '新年快乐'" is written in English: its answer is English, and so are the
    answers after it; a Chinese request quoting an English caption is answered in Chinese."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video for our spring sale"})
    out = await ask(rich, "generate", {"prompt": "add the caption '新年快乐' at the start"})
    assert out["language"] == "en" and "What changed on the timeline" in out["reply"], out["reply"]
    assert (await ask(rich, "status"))["language"] == "en"
    zh = await ask(rich, "generate", {"prompt": "把标题改成 'Happy New Year'"})
    assert zh["language"] == "zh", zh["reply"]


@pytest.mark.parametrize(
    ("prompt", "lang"),
    [
        ("把 music 换成 lo-fi 的", "zh"),
        ("music 换成 lo-fi", "zh"),
        ("用sunset.jpg做开头", "zh"),
        ("加一行字 'Happy New Year'", "zh"),
        ("「新年快乐」", "zh"),  # nothing but the quote: it is all there is to go by
        ("add the caption '新年快乐' at the start", "en"),
        ("Make the title 「春季大促」", "en"),
        ("put 海滩.jpg first", "en"),
        ("don't use 海滩.jpg, it's blurry", "en"),
    ],
)
def test_the_language_is_the_one_the_words_around_quotes_and_files_are_in(prompt: str, lang: str) -> None:
    from ai_video_music.messages import detect_language

    assert detect_language(prompt) == lang


@pytest.mark.parametrize(
    "prompt",
    [
        "改成15秒，配乐能商用吗？",
        "make it 10 seconds, is the music ok for ads?",
        "把标题改成「开业大吉」 对了这个音乐能商用吗",
    ],
)
def test_music_replaced_beside_a_question_about_its_rights_is_said_unasked(prompt: str) -> None:
    """A question about the right to use the music names it and asks nothing of it: the agent
    swapping the music on such a request is a change nobody asked for (play27zh, left unsaid)."""
    after = tl(music="Calm Piano (free music)")
    assert [i["kind"] for i in unasked(_without_questions(prompt), tl(), after)] == ["music_unasked"]


@pytest.mark.parametrize(
    "prompt",
    ["能把音乐换成钢琴吗？", "can you change the music to piano? is it ok for ads?", "换个能商用的音乐"],
)
def test_music_asked_for_in_a_question_is_never_said_unasked(prompt: str) -> None:
    after = tl(music="Calm Piano (free music)")
    assert unasked(_without_questions(prompt), tl(), after) == []
