"""Every link form a renderer opens is judged in the agent's words (issue 17 #9, attack7 A2).

checked_words saw "scheme:" tokens and inline [x](…) links only. A reference definition
("[v]: //127.0.0.1:8080/export.mp4", "[p]: http\\://169.254.169.254/…"), a GFM "www." autolink
("www.nemovide0.com", "www.127.0.0.1.nip.io:8080") and a raw <a href="//…"> reached the reply
verbatim behind "Download your video"; and look-alikes that split or swap the brand's letters
("nemo.video", "nemovidoe.com", "nemovid.com") passed the "dressed as ours" rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.agentlinks import checked_words, defanged, refused
from ai_video_music.messages import t

from .conftest import MakeServer, text
from .double import Hostile, sse
from .test_items import start_project, status_is, until

pytestmark = pytest.mark.anyio

WORDS = (
    "Done. Your video is ready: [Download your video][v] (or [the preview][p]).\n\n"
    "[v]: //127.0.0.1:8080/export.mp4\n"
    "[p]: http\\://169.254.169.254/latest/meta-data/\n\n"
    "Mirror: www.nemovide0.com/download and www.127.0.0.1.nip.io:8080/x"
)
NEEDLES = (
    "127.0.0.1:8080/export.mp4",
    "169.254.169.254/latest",
    "www.nemovide0.com/download",
    "nip.io:8080/x",
)


async def test_reference_www_and_escaped_links_are_judged_end_to_end(
    make_server: MakeServer, hostile: Hostile, tmp_path: Path
) -> None:
    hostile.on("run_sse", sse({"type": "text", "content": WORDS}))
    async with Client(make_server()) as client:
        await start_project(client, tmp_path)
        turn = await until(client, "generate", status_is("done"), {"prompt": "make the music piano"})
    says = str((turn.structured_content or {}).get("agent_says"))
    for body in (text(turn), says):
        for needle in NEEDLES:
            assert needle not in body
        assert t("agent.link_removed", "en", host=defanged("127.0.0.1")) in body
        assert t("agent.link_removed", "en", host=defanged("169.254.169.254")) in body


@pytest.mark.parametrize(
    ("words", "host"),
    [
        ("[Download your video][v]\n\n[v]: //127.0.0.1:8080/export.mp4", "127.0.0.1"),
        ("[Download your video][v]\n\n[v]: //nemovide0.com/download", "nemovide0.com"),
        ("[Download your video][v]\n\n[v]: <//127.0.0.1:8080/x>", "127.0.0.1"),
        ("[Download your video][v]\n\n[v]: http\\://127.0.0.1:8080/x", "127.0.0.1"),
        ("[Download your video](http\\://169.254.169.254/latest/meta-data/)", "169.254.169.254"),
        ("Get it at www.nemovide0.com/download today", "www.nemovide0.com"),
        ("Get it at www.127.0.0.1.nip.io:8080/x", "www.127.0.0.1.nip.io"),
        ('<a href="//127.0.0.1:8080/export.mp4">Download your video</a>', "127.0.0.1"),
        ('<a href="http&#58;//169.254.169.254/">Download your video</a>', "169.254.169.254"),
        ("[v]: javascript&colon;alert(document.cookie)", "javascript:"),
    ],
)
def test_each_form_meets_the_link_rule(words: str, host: str) -> None:
    out = checked_words(words, "en")
    assert t("agent.link_removed", "en", host=defanged(host)) in out
    assert "127.0.0.1:8080" not in out and "169.254.169.254/" not in out and "alert(" not in out


def test_honest_forms_stay() -> None:
    words = "See www.example.com/help, //cdn.example.org/a.mp4 and https://nemovideo.com/workspace."
    assert checked_words(words, "en") == words


@pytest.mark.parametrize(
    "host",
    [
        "nemo.video",
        "www.nemo.video",
        "nemo.videos",
        "nemovidoe.com",
        "nemovid.com",
        "nemo-vid.com",
        "neemovideeo.com",
    ],
)
def test_lookalikes_that_split_or_swap_the_name_are_refused(host: str) -> None:
    assert refused(f"https://{host}/download/v.mp4") == host


@pytest.mark.parametrize(
    "host",
    ["nemovideo.com", "www.nemovideo.com", "video.example", "release-10.0.1.example.com", "1.2.3.4.nip.io"],
)
def test_genuine_and_unrelated_hosts_pass(host: str) -> None:
    assert refused(f"https://{host}/v.mp4") is None
