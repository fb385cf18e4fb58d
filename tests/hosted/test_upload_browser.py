"""The upload page in a real browser (Debian's headless Chromium through Playwright): a link from
the ``upload`` tool, files chosen in the file picker and sent with the keyboard alone, in either
language, light and dark."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator

from .conftest import HOSTED_PAGES
from .serving import listen, loopback_config, running
from .test_upload_page import JPEG, page_link

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.xdist_group(HOSTED_PAGES)]
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")


@pytest.fixture
def hosted(database_url: str, settings: Settings) -> Iterator[str]:
    sock = listen()
    with running(loopback_config(database_url, sock, KEY), settings, sock) as base:
        yield base


def new_link(base: str, nemo_token: str) -> str:
    """The ``upload`` tool's link, asked by a real MCP client in a thread of its own (Playwright's
    sync API keeps an event loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return str(
            pool.submit(lambda: anyio.run(page_link, base, nemo_token)).result(timeout=120)["upload_url"]
        )


def background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def test_files_chosen_in_the_picker_are_sent_with_the_keyboard(
    browser: Any, hosted: str, sim: Simulator, tmp_path: Path, sample_mp4: Path
) -> None:
    token, _ = sim.state.register_user()
    url = new_link(hosted, token)
    photo = tmp_path / "beach.jpg"
    photo.write_bytes(JPEG)
    context = browser.new_context(locale="en-US", color_scheme="dark")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    assert page.locator("h1").inner_text() == "Add photos and videos"
    assert "200 MB each" in page.locator("#limits").inner_text()  # the limits are stated
    assert page.evaluate("document.activeElement.id") == "files"  # the picker has the focus
    assert background(page) == "rgb(17, 17, 20)"  # dark
    page.locator("#files").set_input_files([str(photo), str(sample_mp4)])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.locator("h1", has_text="Your files arrived").wait_for()
    assert "2 file(s) are now in your project" in page.locator("[role=status]").inner_text()
    assert page.locator("li").all_inner_texts() == ["beach.jpg", "sample.mp4"]
    context.close()
    kept = {m.name: m.path.read_bytes() for m in sim.state.media.values() if m.path is not None}
    assert kept == {"beach.jpg": JPEG, "sample.mp4": sample_mp4.read_bytes()}


def test_the_page_speaks_chinese_in_light_and_refuses_a_used_link(
    browser: Any, hosted: str, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user()
    url = new_link(hosted, token)
    photo = tmp_path / "海滩.jpg"
    photo.write_bytes(JPEG)
    context = browser.new_context(locale="zh-CN", color_scheme="light")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{url}?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "添加照片和视频"
    assert background(page) == "rgb(247, 247, 248)"  # light
    page.locator("#files").set_input_files([str(photo)])
    page.locator("button[type=submit]").click()
    page.locator("h1", has_text="文件已收到").wait_for()
    assert page.locator("li").all_inner_texts() == ["海滩.jpg"]
    page.goto(f"{url}?lang=zh")  # the same link again
    assert "此上传链接已被使用" in page.locator("[role=alert]").inner_text()
    context.close()
    assert len(sim.requests("upload")) == 1
