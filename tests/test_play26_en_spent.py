"""Play-test 26 (English, "Dana", a coffee cart; casual, typos): requests that were sent and
charged, or acted on, though the user asked for nothing of the kind.

F7. "can u also do a vertical version for shorts? but keep the wide one too" (never exported) was
    sent and replaced the wide video: a second frame asked in everyday words ("can u also do a
    vertical version", "can i get a vertical one for stories") beside a keep is held, as
    "a square version, but keep the wide one" is.
F9. "dont export the night brew one yet, i still wanna fix the title on it later": the hold and
    the user's own plan for later; nothing to send (it cost 50 credits for "Which title?").
F18. "what other songs can i pick from? just curious, dont change anything" was sent as an edit
    and the music was swapped: a question beside "don't change anything" is held like any other.
F21. "export the beach one" exported the current video ("Happy Bday Mom"): a video named by what
    it shows is the one exported, and the answer says which.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music import asked
from ai_video_music.asked import Shape
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator

from .conftest import ask, photo_files, requests_to

# --- F7: a second frame asked in everyday words, the first kept -------------------------------------

SECOND_FRAMES = [
    ("can u also do a vertical version for shorts? but keep the wide one too", Shape.VERTICAL),
    ("can i get a vertical one for stories but keep the square one as well", Shape.VERTICAL),
    ("could you do a square version for insta, and keep the wide one", Shape.SQUARE),
    ("can we have a wide one for youtube too? keep the vertical one as well", Shape.HORIZONTAL),
]


@pytest.mark.parametrize(("prompt", "shape"), SECOND_FRAMES)
def test_f7_a_second_frame_asked_politely_beside_a_keep_is_read(prompt: str, shape: Shape) -> None:
    assert asked.second_frame(prompt) is shape


@pytest.mark.parametrize(
    "prompt",
    [
        "keep the wide one too",  # a keep alone: no second frame asked
        "make the title bigger, keep the wide one",
        "can u also do a vertical version for shorts?",  # no keep: sent as an edit, judged after
    ],
)
def test_f7_no_second_frame_without_both_asks(prompt: str) -> None:
    assert asked.second_frame(prompt) is None


async def _made(rich: Client, tmp_path: Path, prompt: str) -> dict[str, object]:
    await ask(
        rich, "upload", {"files": photo_files(tmp_path, "beach.jpg", "sunrise.jpg"), "new_project": True}
    )
    made = await ask(rich, "generate", {"prompt": prompt})
    assert made["status"] == "done", made
    return made


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("first", "prompt"),
    [
        ("make a 6 second horizontal video", SECOND_FRAMES[0][0]),
        ("make a 10 second square video", SECOND_FRAMES[1][0]),
    ],
)
async def test_f7_a_second_frame_beside_a_keep_is_held_unsent_and_free(
    rich: Client, sim: Simulator, tmp_path: Path, first: str, prompt: str
) -> None:
    await _made(rich, tmp_path, first)
    sent = len(requests_to(sim, "run_sse"))
    left = (await ask(rich, "credits"))["available"]
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "needs_confirmation", out
    assert "never exported" in out["reply"], out["reply"]
    assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
    assert (await ask(rich, "credits"))["available"] == left, "nothing was charged"


@pytest.mark.anyio
async def test_f7_a_first_frame_whose_only_export_was_cancelled_is_still_held_for(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    await _made(rich, tmp_path, "make a 10 second square video")
    with sim.hold("render"):
        rendering = await ask(rich, "export")
        assert rendering["status"] == "rendering", rendering
        stopped = await ask(rich, "generate", {"prompt": "cancel the export"})
        assert stopped["action"] == "cancel", stopped
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": SECOND_FRAMES[1][0]})
    assert out["status"] == "needs_confirmation" and "never exported" in out["reply"], out
    assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"


# --- F9: a hold beside the user's own plan for later ------------------------------------------------

HOLDS_WITH_A_PLAN = [
    "dont export the night brew one yet, i still wanna fix the title on it later",
    "don't export yet, i want to change the music later",
    "hold off on exporting, i need to redo the title tomorrow",
    "dont render it yet i still wanna tweak the ending later",
]


@pytest.mark.parametrize("prompt", HOLDS_WITH_A_PLAN)
def test_f9_a_hold_beside_a_plan_for_later_is_only_a_hold(prompt: str) -> None:
    decision = route(prompt)
    assert decision.only_held and Action.EXPORT in decision.held_back, decision
    assert decision.aside == (), decision  # the plan is why it is held: not quoted as unsent


@pytest.mark.parametrize(
    "prompt",
    [
        "dont export yet, fix the title first",  # an edit asked now
        "i want to fix the title",  # no "later": a wish for now
        "don't export yet, change the music to piano",
    ],
)
def test_f9_an_edit_asked_now_beside_a_hold_is_still_sent(prompt: str) -> None:
    assert route(prompt).action is Action.AGENT


@pytest.mark.anyio
async def test_f9_the_hold_with_a_plan_is_answered_free(rich: Client, sim: Simulator, tmp_path: Path) -> None:
    await _made(rich, tmp_path, "make a 6 second video with the title 'Night Brew'")
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": HOLDS_WITH_A_PLAN[0]})
    assert out["action"] == "held" and out["status"] == "done", out
    assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"


# --- F18: a question beside "don't change anything" ---------------------------------------------------

CURIOUS = [
    "what other songs can i pick from? just curious, dont change anything",
    "which music can i choose from? don't change anything",
    "what songs do you have? just asking, do not change anything yet",
    "有哪些音乐可以选？先别改任何东西",
    "don't change the video, just tell me the song name",
]


@pytest.mark.parametrize("prompt", CURIOUS)
def test_f18_a_question_beside_dont_change_anything_is_asked_first(prompt: str) -> None:
    assert route(prompt).action is Action.ASK


@pytest.mark.parametrize(
    "prompt",
    [
        "make the music louder, dont change anything else",
        "swap the song for something jazzy but don't change anything else",
    ],
)
def test_f18_dont_change_anything_else_beside_an_edit_still_sends_it(prompt: str) -> None:
    assert route(prompt).action is Action.AGENT


@pytest.mark.anyio
async def test_f18_the_song_question_is_held_unsent(rich: Client, sim: Simulator, tmp_path: Path) -> None:
    await _made(rich, tmp_path, "make a 6 second video")
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": CURIOUS[0]})
    assert out["status"] == "needs_confirmation" and out["action"] == "ask", out
    assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"


# --- F21: an export naming another video by what it shows -------------------------------------------


@pytest.mark.anyio
async def test_f21_export_the_beach_one_exports_the_beach_video(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    beach_dir, mom_dir = tmp_path / "beach", tmp_path / "mom"
    beach_dir.mkdir()
    mom_dir.mkdir()
    await ask(
        rich, "upload", {"files": photo_files(beach_dir, "beach.jpg", "sunrise.jpg"), "new_project": True}
    )
    made = await ask(rich, "generate", {"prompt": "make a 6 second video with the title 'Salt & Sun'"})
    assert made["status"] == "done", made
    beach = made["project"]["name"]
    await ask(
        rich, "upload", {"files": photo_files(mom_dir, "mom-cake.jpg", "mom-garden.jpg"), "new_project": True}
    )
    made = await ask(rich, "generate", {"prompt": "make a 10 second video with the title 'Happy Bday Mom!'"})
    assert made["status"] == "done", made
    mom = made["project"]["name"]
    assert mom != beach
    out = await ask(rich, "generate", {"prompt": "export the beach one"})
    assert out["action"] == "export", out
    assert f"“{beach}”" in out["reply"], out["reply"]  # the answer names the video exported
    for _ in range(40):
        if out["status"] == "done":
            break
        out = await ask(rich, "export")
    saved = Path(str(out.get("path") or out["reply"].split("Your video is saved: ")[1].split()[0])).name
    assert saved.startswith("salt") and "mom" not in saved, out["reply"]


@pytest.mark.anyio
async def test_f21_export_of_a_description_two_videos_fit_asks_which_and_exports_nothing(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    names = []
    for folder, title in (("a", "Salt & Sun"), ("b", "Surf Day"), ("c", "Happy Bday Mom!")):
        (tmp_path / folder).mkdir()
        photos = ("beach.jpg", "sunrise.jpg") if folder != "c" else ("mom-cake.jpg", "mom-garden.jpg")
        await ask(rich, "upload", {"files": photo_files(tmp_path / folder, *photos), "new_project": True})
        made = await ask(rich, "generate", {"prompt": f"make a 6 second video with the title '{title}'"})
        assert made["status"] == "done", made
        names.append(made["project"]["name"])
    renders = len(requests_to(sim, "render"))
    out = await ask(rich, "generate", {"prompt": "export the beach one"})
    assert out["status"] == "needs_confirmation", out
    assert f"“{names[0]}”" in out["reply"] and f"“{names[1]}”" in out["reply"], out["reply"]
    assert len(requests_to(sim, "render")) == renders, "nothing was rendered"
