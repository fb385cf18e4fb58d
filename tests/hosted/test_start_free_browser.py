""" "Start free" in a real browser (Debian's Chromium): the button, the per-address sentence, and
the way back to the app with a code."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator

from .accounts_helpers import hosted_with
from .conftest import HOSTED_PAGES
from .test_signin_browser import CALLBACK, authorize_url, open_signin

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.xdist_group(HOSTED_PAGES)]


def test_start_free_in_chinese_with_the_keyboard_then_back_to_the_app(
    browser: Any, database_url: str, settings: Settings, sim: Simulator
) -> None:
    with hosted_with(database_url, settings, allow_anonymous=True) as base:
        url, _ = authorize_url(base, secrets.token_urlsafe(48))
        page = open_signin(browser, url, locale="zh-CN", scheme="dark")
        assert "每个网络地址只允许少量免费账户" in page.locator("main").inner_text()
        page.get_by_role("button", name="免费开始").focus()
        with page.expect_request(f"{CALLBACK}**") as back_to_the_app:
            page.keyboard.press("Enter")
        query = parse_qs(urlsplit(back_to_the_app.value.url).query)
        page.context.close()
    assert query["state"] == ["st"] and query["code"]
    assert len(sim.requests("token")) == 1


def test_the_limit_is_said_on_the_page_and_the_token_field_stays_usable(
    browser: Any, database_url: str, settings: Settings, sim: Simulator
) -> None:
    sim.configure(anon_tokens_per_address=1)
    sim.state.anon_by_address.append((time.time(), "127.0.0.1"))  # this address's free account: used
    with hosted_with(database_url, settings, allow_anonymous=True) as base:
        url, _ = authorize_url(base, secrets.token_urlsafe(48))
        page = open_signin(browser, url, locale="en-US", scheme="light")
        page.get_by_role("button", name="Start free").click()
        page.wait_for_selector("[role=alert]")
        alert = page.locator("[role=alert]").inner_text()
        token_field = page.locator("#nemo_token").is_visible()
        page.context.close()
    assert "NemoVideo gives no more free accounts" in alert and "Paste your own" in alert
    assert token_field
