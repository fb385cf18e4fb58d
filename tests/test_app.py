"""The MCP App's server side: the ui:// resource, its per-read CSP, the tool binding, the
self-contained document and the vendored ext-apps client."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from importlib import resources
from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent

from ai_video_music.app import (
    APP_URI,
    EXT_APPS_VERSION,
    app_html,
    app_tool_meta,
    build_apps,
    media_origin,
)

from .app_host import fixtures as fx

pytestmark = pytest.mark.anyio

CONFIGURED = "https://static1.nemovideo.ai"


def stub_server(known_exports: list[str], origins: Any = None) -> MCPServer:
    """A tiny server wired the way tools.py wires the real one: the extension at construction,
    ``status``/``export`` bound with app_tool_meta(); export adds its URL to the known exports."""
    server = MCPServer(
        "app-test",
        extensions=[build_apps(origins or (lambda: [CONFIGURED, *known_exports]))],
    )

    def result(structured: dict[str, Any]) -> CallToolResult:
        return CallToolResult(
            content=[TextContent(type="text", text=structured["reply"])], structured_content=structured
        )

    async def status() -> CallToolResult:
        """Project, timeline and exports."""
        return result(fx.status())

    async def export() -> CallToolResult:
        """Render and save the MP4."""
        done = fx.export_done(media="https://render-cdn.example.net")
        known_exports.append(done["url"])
        return result(done)

    server.add_tool(status, meta=app_tool_meta())
    server.add_tool(export, meta=app_tool_meta())
    return server


async def read_app(client: Client) -> tuple[Any, dict[str, Any]]:
    contents = (await client.read_resource(APP_URI)).contents
    assert len(contents) == 1
    return contents[0], (contents[0].meta or {}).get("ui", {})


async def test_reading_the_app_returns_the_html_as_an_mcp_app_with_its_csp() -> None:
    async with Client(stub_server([])) as client:
        content, ui = await read_app(client)

    assert content.mime_type == "text/html;profile=mcp-app"
    assert content.text == app_html()
    assert content.text.startswith("<!doctype html>")
    assert ui["csp"] == {"resourceDomains": [CONFIGURED]}
    assert ui["prefersBorder"] is True


async def test_the_csp_is_computed_when_the_resource_is_read() -> None:
    known: list[str] = []
    async with Client(stub_server(known)) as client:
        _, before = await read_app(client)
        exported = await client.call_tool("export", {})
        _, after = await read_app(client)

    assert exported.structured_content is not None
    assert exported.structured_content["url"].startswith("https://render-cdn.example.net/")
    assert before["csp"]["resourceDomains"] == [CONFIGURED]
    assert after["csp"]["resourceDomains"] == [CONFIGURED, "https://render-cdn.example.net"]


async def test_async_origin_lookups_work_and_a_failing_one_still_serves_the_app() -> None:
    async def from_store() -> list[str]:
        return ["https://a.example.com/x.mp4", "https://a.example.com/y.mp4"]

    def broken() -> list[str]:
        raise RuntimeError("store is closed")

    async with Client(stub_server([], origins=from_store)) as client:
        _, ui = await read_app(client)
    assert ui["csp"]["resourceDomains"] == ["https://a.example.com"]

    async with Client(stub_server([], origins=broken)) as client:
        content, ui = await read_app(client)
    assert content.text == app_html()
    assert "csp" not in ui  # the spec's restrictive default: the player says the link can't play


async def test_tools_list_binds_status_and_export_to_the_app() -> None:
    async with Client(stub_server([])) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        resources_listed = {str(r.uri): r for r in (await client.list_resources()).resources}

    for name in ("status", "export"):
        assert (tools[name].meta or {})["ui"] == {"resourceUri": APP_URI}
    assert resources_listed[APP_URI].mime_type == "text/html;profile=mcp-app"


async def test_the_server_advertises_the_apps_extension() -> None:
    async with Client(stub_server([])) as client:
        capabilities = client.server_capabilities
    assert capabilities is not None
    assert "io.modelcontextprotocol/ui" in (capabilities.extensions or {})


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("https://static1.nemovideo.ai/render-result/r.mp4?sig=abc", "https://static1.nemovideo.ai"),
        ("https://CDN.Example.com:8443/a.mp4", "https://cdn.example.com:8443"),
        ("https://cdn.example.com:443/a.mp4", "https://cdn.example.com"),
        ("https://*.nemovideo.ai", None),  # exact origins only
        ("http://127.0.0.1:8787/media/a.mp4", "http://127.0.0.1:8787"),
        ("http://localhost:9000", "http://localhost:9000"),
        ("http://[::1]:9000/a.mp4", "http://[::1]:9000"),
        ("http://cdn.example.com/a.mp4", None),  # clear text off loopback
        ("javascript:alert(1)", None),
        ("data:video/mp4;base64,AAAA", None),
        ("https://a.com;script-src *", None),
        ("https://a.com' 'unsafe-eval", None),
        ("https://a.com:99999/x", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_media_origins_become_safe_csp_sources(value: str, origin: str | None) -> None:
    assert media_origin(value) == origin


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_document_is_self_contained() -> None:
    html = app_html()
    parser = _Collector()
    parser.feed(html)
    tag_names = [tag for tag, _ in parser.tags]

    assert tag_names.count("script") == 2 and tag_names.count("style") == 1
    assert "link" not in tag_names and "iframe" not in tag_names
    assert not [(tag, attrs) for tag, attrs in parser.tags if "src" in attrs or "href" in attrs]
    assert "/* @inline" not in html, "every marked file was inlined"
    assert "@import" not in html
    script = resources.files("ai_video_music.app").joinpath("app.js").read_text(encoding="utf-8")
    markup_or_popup = r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|window\.open\s*\("
    assert not re.search(markup_or_popup, script)


def test_the_vendored_client_is_the_pinned_release_unmodified() -> None:
    vendored = (
        resources.files("ai_video_music.app").joinpath("vendor/ext-apps.js").read_text(encoding="utf-8")
    )
    header, _, body = vendored.partition(" */\n")
    assert f"@modelcontextprotocol/ext-apps {EXT_APPS_VERSION} " in header
    recorded = re.search(r"body sha256: ([0-9a-f]{64})", header)
    assert recorded is not None
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == recorded.group(1), (
        "vendor/ext-apps.js was edited by hand: rerun scripts/vendor-ext-apps"
    )
    licenses = resources.files("ai_video_music.app").joinpath("vendor/ext-apps.LICENSES.txt")
    assert f"@modelcontextprotocol/ext-apps {EXT_APPS_VERSION}" in licenses.read_text(encoding="utf-8")


def _string_tables() -> dict[str, dict[str, str]]:
    source = resources.files("ai_video_music.app").joinpath("app.js").read_text(encoding="utf-8")
    block = source[source.index("const STRINGS = {") : source.index("// --- state")]
    tables: dict[str, dict[str, str]] = {}
    for lang, body in re.findall(r"\n    (en|zh): \{\n(.*?)\n    \},", block, re.DOTALL):
        tables[lang] = dict(re.findall(r'^\s+(\w+): "((?:[^"\\]|\\.)*)",$', body, re.MULTILINE))
    return tables


def test_the_app_speaks_english_and_chinese_with_the_same_placeholders() -> None:
    tables = _string_tables()
    assert set(tables) == {"en", "zh"}
    assert tables["en"].keys() == tables["zh"].keys()
    assert len(tables["en"]) > 30
    for key, english in tables["en"].items():
        chinese = tables["zh"][key]
        assert set(re.findall(r"\{(\w+)\}", english)) == set(re.findall(r"\{(\w+)\}", chinese)), key
