"""Play-test 29 (EN): a farrier typing on his phone. Fixed here: a request naming another of the
user's videos in phone words ("the anvil vid", "rosie vid: ...") was sent to the current video and
charged there (one landed); an edit beside a question ("sunrise 1st!! also quick q ...") answered as
a free status that dropped the edit; a length taken back ("20 sec, no wait keep 15") said as asked;
a frame, a title, a music level typed the phone way ("vertical 9:16 pls", "title Anvil & Hoof",
"music volume 35%") listed as unchecked or not read; "stick the forest pic on the end" priced as a
question."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import files_asked, read
from ai_video_music.config import Settings
from ai_video_music.mentions import described, elsewhere
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.timeline import Segment, Timeline, Track, aspect_ratio
from ai_video_music.tools import create_server

from .conftest import ask, photo_files, requests_to


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "en", None, None, 0.0, 0.0, 1)


ANVIL, CLINIC = _project("Anvil & Hoof"), _project("Barefoot Trim Clinic - Sat 14th")
CLIENT, HORSE = _project("Client"), _project("Horse getting shod")
ALL = [ANVIL, CLINIC, CLIENT, HORSE]


@pytest.mark.parametrize(
    ("current", "prompt", "named"),
    [
        (CLIENT, "on the anvil vid turn music up to 50% and cut it to 15 sec", ANVIL),
        (HORSE, "the clinic vid make it 10 sec", CLINIC),
        (HORSE, "the clinic vids music is too loud", CLINIC),
    ],
)
def test_vid_is_a_video(current: Project, prompt: str, named: Project) -> None:
    """F7 (S1): "the clinic one" was held, "the clinic vid" sent to the current video and charged."""
    found = elsewhere(prompt, current, ALL)
    assert found is not None and found.named == (named,), found


FILES = {
    ANVIL.id: ["sunrise.jpg", "forest.jpg", "beach.jpg", "city-lights.jpg"],
    CLINIC.id: ["forest.jpg", "sunrise.jpg"],
    CLIENT.id: ["beach.jpg", "city-lights.jpg"],
    HORSE.id: [],
}
SAID = {
    CLIENT.id: ["this ones for a client, her old mare Rosie retired after 22 yrs. widescreen 16:9, 30 secs"],
    HORSE.id: ["new vid: generate a clip of a horse getting shod at a forge, sparks flying, 10 sec"],
    ANVIL.id: ["ok make me a vertical vid like 20 sec for insta, upbeat country type music"],
}


@pytest.mark.parametrize(
    "prompt",
    [
        "rosie vid: music a bit louder pls, like 30%",
        "rosies vid needs the music at 40%",
        "on rosie's video make the music 40%",
        "for the rosie vid, music 40%",
    ],
)
def test_a_video_described_without_the_is_still_that_video(prompt: str) -> None:
    """F10 (S1): "rosie vid: ..." while the horse video was current: sent there, landed there
    (music 35% -> 30%) and charged; Rosie is only in the other video's words."""
    found = described(prompt, HORSE, ALL, FILES, SAID)
    assert found is not None and found.named == (CLIENT,), found


@pytest.mark.parametrize(
    "prompt",
    [
        "make vid 10 sec",  # a verb, not a description
        "new vid: 12 sec from my pics",
        "my vid needs music",
        "horse vid: music 40%",  # the current video's own words
        "use the beach pic in this vid",
        "for insta vid make it vertical",  # "insta" said of the current video too
    ],
)
def test_ordinary_phone_words_name_no_other_video(prompt: str) -> None:
    said = {**SAID, HORSE.id: [*SAID[HORSE.id], "vertical for insta"]}
    assert described(prompt, HORSE, ALL, FILES, said) is None
    assert elsewhere(prompt, HORSE, ALL) is None


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_phone_word_for_another_video_is_not_sent_to_this_one(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    """F10 end to end: nothing is sent or charged; the answer names the video meant."""
    token, _ = sim.state.register_user(credits=1000)
    beach, city = photo_files(tmp_path, "beach.jpg", "city-lights.jpg")
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [beach, city]})
        rosie_words = "her old mare Rosie retired after 22 yrs. 16:9, 30 secs, gentle music"
        made = await ask(client, "generate", {"prompt": rosie_words})
        assert made["status"] == "done", made
        rosie = made["project"]["name"]
        horse = {"prompt": "new vid: a horse getting shod at a forge, 10 sec", "new_project": True}
        other = await ask(client, "generate", horse)
        assert other["status"] == "done", other
        sent = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": "rosie vid: music a bit louder pls, like 30%"})
        assert out["status"] == "needs_confirmation", out
        assert rosie in out["reply"], out["reply"]
        assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"


@pytest.mark.parametrize(
    "prompt",
    [
        "still wrong order, sunrise 1st!! also quick q can i use this music in a paid fb ad?",
        "sunrise 1st pls",
        "the beach pic should be 1st",
    ],
)
def test_a_phone_ordinal_is_an_order(prompt: str) -> None:
    """F4 (S2): "sunrise 1st" read as no edit, and beside a question (with "still") the whole was
    answered as a free status: the edit was dropped without a word."""
    assert route(prompt).action is Action.AGENT


@pytest.mark.anyio
@pytest.mark.priced
async def test_an_edit_beside_a_licence_question_is_sent_and_the_licence_said_unknown(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    """F4 end to end: the edit is sent (not a free status that says nothing of it), and the answer
    says the music's licence is not documented."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "forest.jpg", "sunrise.jpg")})
        made = await ask(client, "generate", {"prompt": "clinic promo, square, 15 sec, calm music"})
        assert made["status"] == "done", made
        sent = len(requests_to(sim, "run_sse"))
        prompt = "still wrong order, sunrise 1st!! also quick q can i use this music in a paid fb ad?"
        out = await ask(client, "generate", {"prompt": prompt})
        assert out["action"] == "agent", out
        assert len(requests_to(sim, "run_sse")) == sent + 1, "the edit was sent"
        assert "not documented" in out["reply"], out["reply"]


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("actually make it 20 sec again, no wait keep 15, just make the title bigger", 15.0),
        ("make it 20 sec, no wait 15 sec", 15.0),
        ("make it 20s, actually 15", 15.0),
        ("make it 20 sec", 20.0),
    ],
)
def test_a_length_taken_back_is_not_the_one_asked(prompt: str, seconds: float) -> None:
    """F15 (S2): the user took "20 sec" back ("no wait keep 15")."""
    assert read(prompt).seconds == seconds


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_length_taken_back_is_never_said_as_asked(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    """F15 end to end: the agent made it 20 s, the length the user took back; the answer said
    "as asked: the timeline is 20 seconds long" and nothing was flagged."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "sunrise.jpg", "forest.jpg")})
        made = await ask(client, "generate", {"prompt": "make a 15 sec vertical video"})
        assert made["status"] == "done", made
        prompt = "actually make it 20 sec again, no wait keep 15, just make the title bigger"
        out = await ask(client, "generate", {"prompt": prompt})
        assert out["status"] == "done", out
        assert any(c.startswith("Length: 15s → 20s") for c in out["changes"]), out["changes"]
        assert not any("20 seconds" in a for a in out["as_asked"]), out["as_asked"]
        assert any("15 seconds" in n for n in out["not_as_asked"]), out


@pytest.mark.parametrize(
    ("prompt", "shape"),
    [
        ("vertical 9:16 pls", "vertical"),
        ("square pls", "square"),
        ("make it 16:9 thx", "horizontal"),
        ("make rosies one vertical for her insta story", "vertical"),
    ],
)
def test_a_frame_said_with_phone_politeness_is_read(prompt: str, shape: str) -> None:
    """F13/F12 (S3): "vertical 9:16 pls" landed, yet was listed as no check could verify it."""
    found = read(prompt).shape
    assert found is not None and found.value == shape, found


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_frame_that_landed_is_said_as_asked_not_unchecked(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "beach.jpg")})
        made = await ask(client, "generate", {"prompt": "make a 10 sec widescreen 16:9 video"})
        assert made["status"] == "done", made
        out = await ask(client, "generate", {"prompt": "vertical 9:16 pls"})
        assert any("Frame" in c and "9:16" in c for c in out["changes"]), out["changes"]
        assert out["not_checked"] == [], out["not_checked"]
        assert any("vertical" in a for a in out["as_asked"]), out["as_asked"]


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        (
            "vertical vid like 20 sec for insta, upbeat music, title Anvil & Hoof. its for my biz",
            "Anvil & Hoof",
        ),
        (
            "square, 15 sec, text Barefoot Trim Clinic - Sat 14th on it. sunrise pic first",
            "Barefoot Trim Clinic - Sat 14th",
        ),
        ("widescreen 16:9, 30 secs, gentle music, title Happy Retirement Rosie", "Happy Retirement Rosie"),
        ("add title My Farm", "My Farm"),
        ("make the title bigger", None),
        ("move the title to the end", None),
        ("title at 5s", None),
    ],
)
def test_a_title_typed_without_quotes_is_read(prompt: str, title: str | None) -> None:
    """F1 (S3, four times in one sitting): "title Anvil & Hoof" was listed "not checked" though the
    only text on the video was "My Video"."""
    assert read(prompt).title == title


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_title_typed_without_quotes_that_did_not_land_is_said(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "beach.jpg", "forest.jpg")})
        prompt = "widescreen 16:9, 30 secs, gentle music, title Happy Retirement Rosie"
        out = await ask(client, "generate", {"prompt": prompt})
        assert out["status"] == "done", out
        titles = [c for c in out["changes"] if "Title" in c]
        assert titles and "Happy Retirement Rosie" not in titles[0], out["changes"]  # the sim's "My Video"
        assert any("Happy Retirement Rosie" in n for n in out["not_as_asked"]), out
        assert not any("Happy Retirement Rosie" in n for n in out["not_checked"]), out["not_checked"]


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("stick the forest pic on the end of it", Action.AGENT),
        ("shove the title to the end", Action.AGENT),
        ("stick with this one", Action.ASK),  # keeping it as it is: never a paid edit
        ("lets stick to the plan", Action.ASK),
    ],
)
def test_stick_it_on_the_end_is_an_edit(prompt: str, action: Action) -> None:
    """F11 (S3): "stick the forest pic on the end of it" was answered as a paid question."""
    assert route(prompt).action is action


@pytest.mark.parametrize(
    ("prompt", "level"),
    [
        ("music volume 35%", 35.0),
        ("make the music 60% on this one", 60.0),
        ("music 50% on that one", 50.0),
        ("make the music 50% louder", None),  # relative: no level
    ],
)
def test_a_music_level_said_without_to_is_read(prompt: str, level: float | None) -> None:
    """S3 (minor): "music volume 35%" landed (30% -> 35%) but was neither as asked nor checked."""
    assert read(prompt).music_at == level


@pytest.mark.parametrize(
    "prompt",
    [
        "ok make it 15 sec and take the beach pic out its not even a farrier pic lol",
        "take the beach pic out",
        "cut the beach photo out pls",
        "leave the beach pic out of it",
    ],
)
def test_a_photo_taken_out_in_phone_words_is_judged_on_the_track(prompt: str) -> None:
    """F8: "take the beach pic out" (verb and particle around the photo) was listed "not checked"
    while beach.jpg stayed on the track: it is judged, kept or gone."""

    def track(*names: str) -> Timeline:
        clips = [Segment(n, 5 * i, 5 * i + 5, None) for i, n in enumerate(names)]
        return Timeline(
            (Track("video", "", clips, len(clips)),),
            1,
            5.0 * len(clips),
            1920,
            1080,
            aspect_ratio(1920, 1080),
        )

    before, uploads = track("beach.jpg", "forge.jpg"), (["beach.jpg", "forge.jpg"], 2)
    assert files_asked(prompt, before, uploads, before)[1] == [{"kind": "clip_kept", "names": ["beach.jpg"]}]
    assert files_asked(prompt, track("forge.jpg"), uploads, before)[0] == [
        {"kind": "clip_gone", "names": ["beach.jpg"]}
    ]
