"""The MCP App in a real browser: Debian's headless Chromium, driven by Playwright, against a
host harness (tests/app_host/host.html) that speaks the MCP Apps postMessage protocol.

The app's HTML and CSP come from a real ``resources/read`` of the server's app resource; the
harness page serves it with the CSP a host would build from that metadata, and a second
loopback origin serves a real MP4 as the "CDN". Each state is screenshotted into the test's
tmp_path and, when APP_SCREENSHOTS names a folder, into that folder too. (The README's images are
not these: the MP4 here is a test pattern; scripts/screenshots takes them from a real export.)

Chromium is never downloaded: the tests use /usr/bin/chromium (apt-get install chromium) and
skip without it, except in CI (CI set), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer

from ai_video_music.app import APP_URI, build_apps

from .app_host import fixtures as fx

HOST_PAGE = Path(__file__).parent / "app_host" / "host.html"
TIMEOUT_MS = 15_000

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("chromium-app")]


# --- loopback servers ----------------------------------------------------------------------------


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 in a daemon thread, stopped by close()."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    def send_body(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


def media_handler(mp4: bytes) -> type[BaseHTTPRequestHandler]:
    """The "CDN": a pre-signed link whose sig starts with 'expired' answers 403, like S3."""

    class Media(_Quiet):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            sig = parse_qs(parts.query).get("sig", [""])[0]
            if not parts.path.endswith(".mp4") or sig.startswith("expired"):
                self.send_body(403, b"expired", "text/plain")
                return
            # Ranges, as a CDN serves them: the player then shows the first frame, not a spinner.
            match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            if not match:
                self.send_body(200, mp4, "video/mp4", Accept_Ranges="bytes")
                return
            start = int(match.group(1))
            end = min(int(match.group(2) or len(mp4) - 1), len(mp4) - 1)
            self.send_body(
                206, mp4[start : end + 1], "video/mp4", Content_Range=f"bytes {start}-{end}/{len(mp4)}"
            )

    return Media


def csp_header(ui_meta: dict[str, Any]) -> str:
    """The policy a host builds from the resource's _meta.ui.csp (the spec's construction)."""
    csp = ui_meta.get("csp") or {}
    resource = " ".join(csp.get("resourceDomains") or [])
    connect = " ".join(csp.get("connectDomains") or [])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'unsafe-inline' {resource}".strip(),
            f"style-src 'self' 'unsafe-inline' {resource}".strip(),
            f"connect-src 'self' {connect}".strip(),
            f"img-src 'self' data: {resource}".strip(),
            f"font-src 'self' {resource}".strip(),
            f"media-src 'self' data: {resource}".strip(),
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
        ]
    )


def host_handler(app_html: str, csp: str) -> type[BaseHTTPRequestHandler]:
    host_page = HOST_PAGE.read_bytes()
    app_page = app_html.encode("utf-8")

    class Host(_Quiet):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/host.html":
                self.send_body(200, host_page, "text/html; charset=utf-8")
            elif path == "/app.html":
                self.send_body(200, app_page, "text/html; charset=utf-8", Content_Security_Policy=csp)
            else:
                self.send_body(404, b"not found", "text/plain")

    return Host


@pytest.fixture(scope="module")
def media(sample_mp4: Path) -> Iterator[_Server]:
    mp4 = sample_mp4.read_bytes()
    server = _Server(media_handler(mp4))
    yield server
    server.close()


def read_app_resource(media_origin: str) -> tuple[str, dict[str, Any]]:
    """The app's HTML and _meta.ui exactly as a host gets them from resources/read."""
    server = MCPServer("app-test", extensions=[build_apps(lambda: [fx.video_url(media_origin)])])

    async def read() -> tuple[str, dict[str, Any]]:
        async with Client(server) as client:
            content = (await client.read_resource(APP_URI)).contents[0]
            assert content.mime_type == "text/html;profile=mcp-app"
            text = getattr(content, "text", None)
            assert isinstance(text, str)
            return text, (content.meta or {})["ui"]

    # Playwright's sync API keeps an event loop on this thread: read from another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, read).result()


@pytest.fixture(scope="module")
def host(media: _Server) -> Iterator[_Server]:
    html, ui_meta = read_app_resource(media.origin)
    assert ui_meta["csp"]["resourceDomains"] == [media.origin]
    server = _Server(host_handler(html, csp_header(ui_meta)))
    yield server
    server.close()


# --- the browser ---------------------------------------------------------------------------------


@dataclass
class Shots:
    """Writes each state's screenshot into tmp_path and, if APP_SCREENSHOTS is set, there too."""

    folder: Path
    written: list[Path] = field(default_factory=list)

    def take(self, page: Any, name: str) -> None:
        path = self.folder / f"{name}.png"
        page.locator("#app").screenshot(path=str(path))
        self.written.append(path)
        extra = os.environ.get("APP_SCREENSHOTS")
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(extra) / path.name)


@pytest.fixture
def shots(tmp_path: Path) -> Shots:
    return Shots(tmp_path)


@dataclass
class Opened:
    page: Any
    frame: Any

    def harness(self, expression: str) -> Any:
        return self.page.evaluate(f"() => window.harness.{expression}")

    def calls(self) -> list[dict[str, Any]]:
        return list(self.harness("calls"))

    def wait_calls(self, count: int) -> list[dict[str, Any]]:
        self.page.wait_for_function(f"() => window.harness.calls.length >= {count}", timeout=TIMEOUT_MS)
        return self.calls()

    def video_playing_source(self) -> str:
        """Waits until the player has decoded the first frame of its source, then returns it."""
        self.frame.wait_for_function(
            "() => { const v = document.getElementById('video'); return !v.hidden && v.readyState >= 2; }",
            timeout=TIMEOUT_MS,
        )
        return str(self.frame.evaluate("() => document.getElementById('video').currentSrc"))

    def settle(self) -> None:
        """Waits until the host has applied the app's latest size-changed notification."""
        height = self.frame.evaluate(
            "() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() =>"
            " ok(Math.ceil(document.documentElement.getBoundingClientRect().height)))))"
        )
        self.page.wait_for_function(
            "(h) => { const s = window.harness.sizes; return s.length && s[s.length - 1].height === h; }",
            arg=height,
            timeout=TIMEOUT_MS,
        )


OpenApp = Callable[..., Opened]


@pytest.fixture
def open_app(browser: Any, host: _Server) -> Iterator[OpenApp]:
    contexts: list[Any] = []

    def open_(
        result: dict[str, Any] | None,
        *,
        width: int = 360,
        theme: str = "light",
        locale: str = "en-US",
        responses: dict[str, list[dict[str, Any]]] | None = None,
        tool: str = "status",
        fake_clock: bool = False,
        refuse_links: bool = False,
    ) -> Opened:
        context = browser.new_context(viewport={"width": width + 40, "height": 900}, color_scheme=theme)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        if fake_clock:
            page.clock.install()
        page.goto(f"{host.origin}/host.html")
        config = {
            "appUrl": f"{host.origin}/app.html",
            "width": width,
            "hostContext": {
                "theme": theme,
                "locale": locale,
                "displayMode": "inline",
                "containerDimensions": {"width": width, "maxHeight": 4000},
                "toolInfo": {"tool": {"name": tool, "inputSchema": {"type": "object"}}},
            },
            "toolInput": {},
            "toolResult": result,
            "toolResponses": responses or {},
            "refuseLinks": refuse_links,
        }
        page.evaluate(f"() => window.harness.start({json.dumps(config)})")
        page.wait_for_function("() => window.harness.initialized", timeout=TIMEOUT_MS)
        frame = page.wait_for_selector("#app").content_frame()
        assert frame is not None
        if result is not None:
            frame.wait_for_selector("#app[aria-busy='false']", timeout=TIMEOUT_MS)
        assert not errors, errors
        return Opened(page, frame)

    yield open_
    for context in contexts:
        context.close()


def texts(frame: Any, selector: str) -> list[str]:
    return [str(t) for t in frame.locator(selector).all_text_contents()]


# --- the checks ----------------------------------------------------------------------------------


def test_player_plays_the_exports_url_and_the_timeline_shows_every_track_and_clip(
    open_app: OpenApp, media: _Server, shots: Shots
) -> None:
    result = fx.tool_result(fx.status(media.origin))
    app = open_app(result, width=360)

    assert app.video_playing_source() == fx.video_url(media.origin)
    assert texts(app.frame, ".lane-label")[1:] == ["Video", "BGM", "Title"]  # [0] is the axis row
    clips = app.frame.locator(".clip")
    assert clips.count() == len(fx.clip_names())
    assert [clips.nth(i).get_attribute("data-name") for i in range(clips.count())] == fx.clip_names()
    for i in range(clips.count()):
        box = clips.nth(i).bounding_box()
        assert box is not None and box["width"] >= 4, "every clip is visible, even a short one"
        assert (clips.nth(i).get_attribute("title") or "").startswith(fx.clip_names()[i])
    assert "volume 35%" in str(clips.nth(3).get_attribute("title"))
    listed = " ".join(texts(app.frame, "#cliplist-body li"))
    assert all(name in listed for name in fx.clip_names()), (
        "the clip list names every clip for a screen reader"
    )
    assert app.frame.locator("#timeline-meta").text_content() == "12 s · 1080×1920 · 9:16"
    assert app.frame.locator("#title").text_content() == "Summer trip"
    assert "nemovideo-summer-trip.mp4" in str(app.frame.locator("#saved").text_content())
    assert "/home/me" not in str(app.frame.locator("body").text_content()), "only the file's name is shown"
    app.settle()
    shots.take(app.page, "status-en-light-360")


def test_export_button_calls_the_export_tool_through_the_host(open_app: OpenApp, media: _Server) -> None:
    done = fx.export_done(media.origin, sig="ok-second")
    app = open_app(
        fx.tool_result(fx.status(media.origin)), responses={"export": [{"result": fx.tool_result(done)}]}
    )
    app.frame.get_by_role("button", name="Export MP4").click()

    assert app.wait_calls(1) == [{"name": "export", "arguments": {}}]
    assert app.video_playing_source() == done["url"]


def test_chinese_result_shows_chinese(open_app: OpenApp, media: _Server, shots: Shots) -> None:
    result = fx.tool_result(fx.export_done(media.origin, language="zh"))
    app = open_app(result, width=360, theme="dark", locale="en-US", tool="export")

    assert app.video_playing_source() == fx.video_url(media.origin)
    assert app.frame.locator("html").get_attribute("lang") == "zh-CN"
    assert texts(app.frame, ".actions button:not([hidden])") == ["导出 MP4", "刷新", "在 NemoVideo 中打开 ↗"]
    assert app.frame.locator("#timeline-title").text_content() == "时间线"
    assert app.frame.locator("#timeline-meta").text_content() == "12 秒 · 1080×1920 · 9:16"
    assert app.frame.locator("#badge").text_content() == "已完成"
    app.settle()
    shots.take(app.page, "export-zh-dark-360")


def test_language_falls_back_to_the_hosts_locale(open_app: OpenApp, media: _Server) -> None:
    structured = fx.status(media.origin)
    del structured["language"]
    app = open_app(fx.tool_result(structured), locale="zh-CN")

    assert app.frame.locator("#btn-refresh").text_content() == "刷新"


def test_rendering_shows_progress_then_the_video(open_app: OpenApp, media: _Server, shots: Shots) -> None:
    done = fx.export_done(media.origin)
    app = open_app(
        fx.tool_result(fx.export_rendering(40)),
        tool="export",
        fake_clock=True,
        responses={
            "export": [{"result": fx.tool_result(fx.export_rendering(80))}, {"result": fx.tool_result(done)}]
        },
    )
    progress = app.frame.locator("#progress")
    assert progress.is_visible()
    assert progress.get_attribute("value") == "40"
    assert app.frame.locator("#live").text_content() == "Rendering your video… 40%"
    assert app.frame.locator("#badge").text_content() == "Rendering 40%"
    app.settle()
    shots.take(app.page, "rendering-en-light-360")

    app.page.clock.run_for(5_000)
    assert app.wait_calls(1) == [{"name": "export", "arguments": {}}]
    app.frame.wait_for_selector("#progress[value='80']", timeout=TIMEOUT_MS)
    app.page.clock.run_for(5_000)
    assert app.wait_calls(2)[1] == {"name": "export", "arguments": {}}

    assert app.video_playing_source() == done["url"]
    assert not progress.is_visible()
    assert app.frame.locator("#live").text_content() == "The video is ready."
    app.page.clock.run_for(30_000)
    assert len(app.calls()) == 2, "polling stops once the render is done"


def test_polling_stops_when_the_host_refuses(open_app: OpenApp) -> None:
    app = open_app(
        fx.tool_result(fx.export_rendering(40)),
        tool="export",
        fake_clock=True,
        responses={"export": [{"refuse": True}]},
    )
    app.page.clock.run_for(5_000)
    app.frame.wait_for_selector("#error:not([hidden])", timeout=TIMEOUT_MS)

    app.page.clock.run_for(60_000)
    assert app.calls() == [{"name": "export", "arguments": {}}]
    assert app.frame.locator("#btn-refresh").get_attribute("aria-disabled") == "false"


def test_a_tool_error_is_shown_as_the_tools_message(open_app: OpenApp, media: _Server) -> None:
    failure = {
        "content": [{"type": "text", "text": "Error executing tool export: out of NemoVideo credits."}],
        "isError": True,
    }
    app = open_app(fx.tool_result(fx.status(media.origin)), responses={"export": [{"result": failure}]})
    app.frame.get_by_role("button", name="Export MP4").click()

    app.frame.wait_for_selector("#error:not([hidden])", timeout=TIMEOUT_MS)
    assert "out of NemoVideo credits" in str(app.frame.locator("#error").text_content())
    assert app.video_playing_source() == fx.video_url(media.origin), "the video already made stays"


def test_an_expired_link_is_refreshed_once_through_status(open_app: OpenApp, media: _Server) -> None:
    fresh = fx.status(media.origin, sig="ok-fresh")
    app = open_app(
        fx.tool_result(fx.status(media.origin, sig="expired-1")),
        responses={"status": [{"result": fx.tool_result(fresh)}]},
    )

    assert app.video_playing_source() == fresh["exports"][0]["url"]
    assert app.calls() == [{"name": "status", "arguments": {}}]


def test_a_link_that_stays_expired_is_not_retried_forever(open_app: OpenApp, media: _Server) -> None:
    still_expired = fx.status(media.origin, sig="expired-1")
    app = open_app(
        fx.tool_result(still_expired), responses={"status": [{"result": fx.tool_result(still_expired)}]}
    )

    app.frame.wait_for_selector("#btn-video:not([hidden])", timeout=TIMEOUT_MS)
    assert app.calls() == [{"name": "status", "arguments": {}}]


def test_a_video_the_hosts_policy_blocks_is_said_and_offered_as_file_and_link(
    open_app: OpenApp, media: _Server
) -> None:
    # The host's CSP lists the media server as 127.0.0.1: the same server named localhost is
    # another origin, which the policy refuses (as a host that read the app before the export).
    other = media.origin.replace("127.0.0.1", "localhost")
    blocked = fx.status(other)
    app = open_app(fx.tool_result(blocked), responses={"status": [{"result": fx.tool_result(blocked)}]})

    app.frame.wait_for_selector("#btn-video:not([hidden])", timeout=TIMEOUT_MS)
    stage = str(app.frame.locator("#placeholder-text").text_content())
    assert "can't play the video here" in stage and "nemovideo-summer-trip.mp4" in stage, stage
    assert "Refresh" not in stage and "Refresh" not in str(app.frame.locator("#error").text_content())
    assert app.frame.locator("#badge").text_content() == "Saved"  # not "Ready"
    app.frame.get_by_role("button", name="Open video ↗").click()
    app.page.wait_for_function("() => window.harness.openLinks.length === 1", timeout=TIMEOUT_MS)
    assert app.harness("openLinks") == [blocked["exports"][0]["url"]]


def test_open_in_nemovideo_asks_the_host_to_open_the_project(open_app: OpenApp, media: _Server) -> None:
    app = open_app(fx.tool_result(fx.status(media.origin)))
    button = app.frame.get_by_role("button", name="Open in NemoVideo (opens in your browser)")
    button.focus()
    app.page.keyboard.press("Enter")  # keyboard works as well as the mouse

    app.page.wait_for_function("() => window.harness.openLinks.length === 1", timeout=TIMEOUT_MS)
    assert app.harness("openLinks") == [fx.PROJECT_URL]
    assert fx.PROJECT_URL not in str(app.frame.locator("body").text_content()), "the claim token is not shown"


def test_add_photos_opens_the_upload_page_the_upload_tool_answers_in_hosted_mode(
    open_app: OpenApp, media: _Server
) -> None:
    page_url = "https://videos.example.com/upload/" + "s" * 43
    offered = {
        "language": "en",
        "status": "upload_page",
        "reply": f"To add photos and videos from your device, open this page and choose them: {page_url}",
        "next_steps": [],
        "upload_url": page_url,
    }
    local = open_app(fx.tool_result(fx.status(media.origin)))
    assert local.frame.locator("#btn-add").is_hidden(), "local mode: the assistant uploads by path"
    app = open_app(
        fx.tool_result(fx.status(media.origin) | {"upload_page": True}),
        responses={"upload": [{"result": fx.tool_result(offered)}]},
    )
    button = app.frame.get_by_role("button", name="Add photos (opens an upload page in your browser)")
    button.focus()
    app.page.keyboard.press("Enter")

    app.page.wait_for_function("() => window.harness.openLinks.length === 1", timeout=TIMEOUT_MS)
    assert app.harness("openLinks") == [page_url]
    assert app.calls()[-1] == {"name": "upload", "arguments": {}}
    app.frame.wait_for_function(
        "() => document.getElementById('live').textContent.includes('then press Refresh')", timeout=TIMEOUT_MS
    )
    assert page_url not in str(app.frame.locator("body").text_content()), "the link is the host's to open"


def test_a_refused_call_shows_an_error_and_the_buttons_stay_usable(open_app: OpenApp, media: _Server) -> None:
    app = open_app(
        fx.tool_result(fx.status(media.origin)),
        responses={"status": [{"refuse": True}, {"result": fx.tool_result(fx.status(media.origin))}]},
    )
    refresh = app.frame.locator("#btn-refresh")
    refresh.click()
    app.frame.wait_for_selector("#error:not([hidden])", timeout=TIMEOUT_MS)
    assert "didn't pass the request on" in str(app.frame.locator("#error").text_content())
    assert refresh.get_attribute("aria-disabled") == "false"

    refresh.click()
    app.frame.wait_for_selector("#error[hidden]", state="attached", timeout=TIMEOUT_MS)
    assert len(app.wait_calls(2)) == 2


def test_strings_from_the_result_are_text_not_markup(open_app: OpenApp, media: _Server) -> None:
    structured = fx.status(media.origin)
    evil = "<img src=x onerror=\"document.title='pwned'\">"
    structured["project"]["name"] = evil
    structured["timeline"]["tracks"][0]["segments"][0]["name"] = evil
    structured["timeline"]["tracks"][0]["label"] = "<b>bold</b>"
    app = open_app(fx.tool_result(structured))

    assert app.frame.locator("#title").text_content() == evil
    assert app.frame.locator("img, b").count() == 0
    assert app.frame.evaluate("() => document.title") != "pwned"


@pytest.mark.parametrize(
    ("language", "theme", "width"),
    [("en", "light", 320), ("zh", "dark", 320), ("en", "dark", 700), ("zh", "light", 700)],
)
def test_fits_the_chat_column_in_both_themes_and_languages(
    open_app: OpenApp, media: _Server, shots: Shots, width: int, theme: str, language: str
) -> None:
    app = open_app(fx.tool_result(fx.status(media.origin, language=language)), width=width, theme=theme)
    app.video_playing_source()

    overflow = app.frame.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "no horizontal scrolling"
    assert app.frame.locator("html").get_attribute("data-theme") == theme
    assert app.harness("sizes"), "the app tells the host its size"
    app.settle()
    frame_height = app.page.locator("#app").bounding_box()["height"]
    content_height = app.frame.evaluate("() => document.documentElement.getBoundingClientRect().height")
    assert frame_height >= content_height, "the host grew the frame to fit"
    shots.take(app.page, f"status-{language}-{theme}-{width}")
