"""Hosts that lead to the user's machine or dress as NemoVideo's are refused by the one link rule,
wherever a link comes from (issue 17, attack10 A4, A9, A10).

- A wildcard DNS service (nip.io, sslip.io, or anyone's own under any domain) answers a name with
  the address it spells: "169.254.169.254.nip.io", "127-0-0-1.sslip.io", nip.io's hex
  "7f000001.nip.io" and "magic-c0a80101.nip.io". upload(urls=…) handed them to the backend to
  fetch (its metadata service, its loopback, its LAN), and the agent's words kept the hex forms.
- A reference definition without "//" ("[v]: http:127.0.0.1:8080/admin") is a link a browser
  opens as http://127.0.0.1:8080/admin; the agent's words kept it.
- links.LinkPolicy refused only non-ASCII and punycode look-alikes: "nemovide0.com",
  "nemovideo.com-download.net" passed as a render's download link (handed to the user in hosted
  mode), an uploaded file's media link and the App's CSP, while the agent's words refused them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.agentlinks import checked_words, defanged, refused
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings
from ai_video_music.links import LinkPolicy, Refusal, UnsafeLinkError, embedded_address
from ai_video_music.messages import t

from .conftest import MakeServer, call, text
from .double import Hostile, ok, sse
from .test_items import start_project, status_is, until

pytestmark = pytest.mark.anyio

PRODUCTION = LinkPolicy("https://mega-api-prod.nemovideo.ai")

LEAD_HOME = [
    "169.254.169.254.nip.io",
    "app.10.0.0.1.nip.io",
    "127-0-0-1.sslip.io",
    "www-192-168-0-1.sslip.io",
    "app-10.0.0-1.nip.io",  # dots and dashes mixed
    "7f000001.nip.io",  # hex
    "magic-c0a80101.nip.io",
    "app-A9FEA9FE.nip.io",
    "fe80--1.sslip.io",  # IPv6 with dashes
    "0.0.0.0.nip.io",
    "10-0-0-1.wildcard.example.net",  # anyone's own wildcard service
    "x.localtest.me",  # every name under it is 127.0.0.1
]
PUBLIC = [
    "1.2.3.4.nip.io",
    "cdn-8-8-8-8.example.com",
    "release-10.0.1.example.com",
    "deadbeef.example.com",  # hex that decodes to a public address
    "e0000001.example.com",  # ... or a multicast one: no wildcard service leads there
    "static1.nemovideo.ai",
]
DRESSED = [
    "nemovide0.com",
    "nemovideo.com-download.net",
    "nemo-video.app",
    "nernovideo.com",
    "download.nemovideo.com.evil.example",
]


@pytest.mark.parametrize("host", LEAD_HOME)
def test_a_name_that_spells_a_local_address_is_local(host: str) -> None:
    with pytest.raises(UnsafeLinkError) as info:
        PRODUCTION.check(f"https://{host}/latest/meta-data/")
    assert info.value.reason is Refusal.LOCAL


@pytest.mark.parametrize("host", PUBLIC)
def test_a_name_that_spells_a_public_address_or_none_passes(host: str) -> None:
    assert embedded_address(host) is None
    assert PRODUCTION.check(f"https://{host}/v.mp4") == f"https://{host}/v.mp4"


@pytest.mark.parametrize("host", DRESSED)
def test_a_host_dressed_as_nemovideos_is_refused_by_the_one_rule(host: str) -> None:
    with pytest.raises(UnsafeLinkError) as info:
        PRODUCTION.check(f"https://{host}/download/v.mp4")
    assert info.value.reason is Refusal.LOOKALIKE
    assert refused(f"https://{host}/download/v.mp4") == host  # the agent's words judge it the same


def test_a_staging_backend_keeps_its_own_domain() -> None:
    staging, own = LinkPolicy("https://api.nemovideo-staging.com"), "https://cdn.nemovideo-staging.com/v.mp4"
    assert staging.check(own) == own
    assert staging.safe("https://nemovide0.com/v.mp4") is None


async def test_upload_links_through_wildcard_dns_are_never_sent(
    make_server: MakeServer, hostile: Hostile
) -> None:
    for host in ("169.254.169.254.nip.io", "10.0.0.1.nip.io", "magic-c0a80101.nip.io", "nemovide0.com"):
        async with Client(make_server()) as client:
            result = await call(client, "upload", {"urls": [f"https://{host}/latest/meta-data/"]})
        assert result.is_error and host in text(result), text(result)
    assert not hostile.requests("upload")


@pytest.mark.parametrize(
    "link",
    [
        "https://nemovide0.com/p.jpg",
        "https://nemovideo.com-download.net/p.jpg",
        "https://10.0.0.1.nip.io/p.jpg",
        "https://magic-a9fea9fe.nip.io/p.jpg",
    ],
)
async def test_an_uploaded_files_media_link_on_such_a_host_is_dropped(
    hsettings: Settings, hostile: Hostile, tmp_path: Path, link: str
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    files = [
        {"filename": "photo.jpg", "file_type": "image", "cdn_url": link},
        {"filename": "b.jpg", "file_type": "image", "cdn_url": "https://static1.nemovideo.ai/b.jpg"},
    ]
    hostile.on("upload", ok({"files": files}))
    async with NemoClient(dataclasses.replace(hsettings)) as client:
        uploaded = await client.upload_files("s1", [photo])
    assert [f.cdn_url for f in uploaded] == [None, "https://static1.nemovideo.ai/b.jpg"]


AGENT = (
    "Your video is ready: [Download your video][v] or [open the preview][w].\n\n"
    "[v]: http:127.0.0.1:8080/admin\n"
    "[w]: https:/\\127.0.0.1/x\n\n"
    "Mirror: https://7f000001.nip.io:8080/admin , https://magic-c0a80101.nip.io/router"
)


async def test_the_agents_reference_links_and_hex_names_are_judged_end_to_end(
    make_server: MakeServer, hostile: Hostile, tmp_path: Path
) -> None:
    hostile.on("run_sse", sse({"type": "text", "content": AGENT}))
    async with Client(make_server()) as client:
        await start_project(client, tmp_path)
        turn = await until(client, "generate", status_is("done"), {"prompt": "make the music piano"})
    says = str((turn.structured_content or {}).get("agent_says"))
    for body in (text(turn), says):
        for needle in ("127.0.0.1:8080", "127.0.0.1/x", "nip.io:8080", "nip.io/router"):
            assert needle not in body
        for host in ("127.0.0.1", "7f000001.nip.io", "magic-c0a80101.nip.io"):
            assert t("agent.link_removed", "en", host=defanged(host)) in body


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("[v]: http:127.0.0.1:8080/admin", "127.0.0.1"),
        ("[v]: HTTPS:127.0.0.1/x", "127.0.0.1"),
        ("[v]: https:/\\127.0.0.1/x", "127.0.0.1"),
        ("[v]: https:\\\\169.254.169.254/latest", "169.254.169.254"),
        ("[v]: \\\\127.0.0.1\\admin", "127.0.0.1"),
        ("[v]: /\\127.0.0.1/admin", "127.0.0.1"),
        ("[v]: ws:127.0.0.1:9222/devtools", "ws:"),  # no https: refused by its scheme
        ("[v]: nemovide0.com:443/v.mp4", "nemovide0.com"),
        ("[v]: vscode:extension/evil.evil", "vscode:"),  # an app's link, with or without //
        ("[v]: mailto:someone", "mailto:"),
    ],
)
def test_a_scheme_with_or_without_slashes_is_a_link(words: str, why: str) -> None:
    assert checked_words(words, "en") == "[v]: " + t("agent.link_removed", "en", host=defanged(why))


@pytest.mark.parametrize(
    "words",
    [
        "Saved to C:\\Users\\me\\Videos\\beach.mp4 (16:9, 0:30).",
        "Write to hello@example.com or mailto:hello@example.com.",
        "Note: the music is piano. Ratio 4:3, at 10:30.",
        "See https://nemovideo.com/workspace and host.example:8443/help.",
    ],
)
def test_honest_colons_and_links_stay(words: str) -> None:
    assert checked_words(words, "en") == words


@pytest.mark.parametrize(
    "words",
    [
        "Get it: https://ok.example/,https://127.0.0.1/admin",
        "Get it: https://ok.example/x;http://10.0.0.1:8080/",
        "Get it: https://ok.example/a|https://nemovide0.com/v.mp4",
    ],
)
def test_a_link_hidden_after_an_accepted_one_in_the_same_token_is_judged_too(words: str) -> None:
    """fix10B's note: a token was judged by its first URL only; a linkifier that splits at the
    comma (or ";", "|") opens the second."""
    out = checked_words(words, "en")
    assert "127.0.0.1/" not in out and "10.0.0.1" not in out and "nemovide0.com" not in out, out
    assert "link removed" in out, out


def test_a_link_carrying_another_public_link_as_a_parameter_stays() -> None:
    words = "Share: https://ok.example/share?u=https://nemovideo.com/x"
    assert checked_words(words, "en") == words
