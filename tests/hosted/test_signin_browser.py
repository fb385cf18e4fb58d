"""The sign-in page in a real browser (Debian's headless Chromium through Playwright): reached
from /authorize, used with the keyboard alone, in the browser's language, light and dark; the
code it yields is exchanged for tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from .conftest import HOSTED_PAGES
from .serving import listen, loopback_config, running

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.xdist_group(HOSTED_PAGES)]
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")
CALLBACK = "http://127.0.0.1:9/callback"  # answered by the test inside the browser, never reached


@pytest.fixture
def hosted(database_url: str, settings: Settings) -> Iterator[str]:
    sock = listen()
    with running(loopback_config(database_url, sock, KEY), settings, sock) as base:
        yield base


def authorize_url(base: str, verifier: str) -> tuple[str, str]:
    """A registered public client's /authorize URL, and its client id."""
    client = httpx.post(
        f"{base}/register",
        json={
            "client_name": "Browser test",
            "redirect_uris": [CALLBACK],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
        },
        timeout=30,
        verify=shared_context(),
    ).json()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    query = {
        "client_id": client["client_id"],
        "response_type": "code",
        "redirect_uri": CALLBACK,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "st",
        "resource": f"{base}/mcp",
    }
    return f"{base}/authorize?{urlencode(query)}", client["client_id"]


def open_signin(chromium: Any, url: str, *, locale: str, scheme: str) -> Any:
    """A page that followed /authorize to the sign-in page; the app's callback is answered here."""
    context = chromium.new_context(locale=locale, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route(f"{CALLBACK}**", lambda route: route.fulfill(status=200, body="signed in"))
    page.goto(url)
    return page


def test_a_user_signs_in_with_the_keyboard_alone_in_chinese_and_dark(
    browser: Any,
    hosted: str,
    sim: Simulator,
) -> None:
    token, _ = sim.state.register_user()
    verifier = secrets.token_urlsafe(48)
    url, client_id = authorize_url(hosted, verifier)
    page = open_signin(browser, url, locale="zh-CN", scheme="dark")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "连接你的 NemoVideo 账户" in page.locator("h1").inner_text()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(17, 17, 20)"
    # The token field has the focus on arrival: type, Enter, and the browser goes back to the app.
    assert page.evaluate("document.activeElement.name") == "nemo_token"
    page.keyboard.type("nmv_wrong_token")
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=alert]")
    assert "NemoVideo 不接受这个令牌" in page.locator("[role=alert]").inner_text()
    assert page.evaluate("document.activeElement.name") == "nemo_token"
    page.keyboard.type(token)
    with page.expect_request(f"{CALLBACK}**") as back_to_the_app:
        page.keyboard.press("Enter")
    query = parse_qs(urlsplit(back_to_the_app.value.url).query)
    assert query["state"] == ["st"]
    tokens = httpx.post(
        f"{hosted}/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": CALLBACK,
            "client_id": client_id,
            "code_verifier": verifier,
        },
        timeout=30,
        verify=shared_context(),
    )
    assert tokens.status_code == 200 and tokens.json()["token_type"] == "Bearer"
    page.context.close()


def test_the_page_is_light_in_light_mode_and_switches_language(
    browser: Any,
    hosted: str,
) -> None:
    url, _ = authorize_url(hosted, secrets.token_urlsafe(48))
    page = open_signin(browser, url, locale="en-US", scheme="light")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(247, 247, 248)"
    page.get_by_role("link", name="Language: 中文").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert "连接你的 NemoVideo 账户" in page.locator("h1").inner_text()
    page.context.close()
