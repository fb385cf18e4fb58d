"""A token pasted in a browser that started a free account takes that account over, and nobody
who was signed in with the free account keeps acting with the pasted token (attack round 6, N1).

The scene: Mallory presses "Start free" (her app holds a sign-in on free user X, her browser the
free-account cookie); Alice later signs in with her own NemoVideo token in a browser carrying
that cookie (a shared browser). Alice's token lands on user X; Mallory's app must be signed out
then, on every instance, and Alice's own calls must use her token at once, not the free one."""

from __future__ import annotations

import dataclasses
import html
import re
import ssl
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx
import pytest
from mcp.shared.auth import AuthorizationCodeResult

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.simulator import Simulator

from ..conftest import call
from .accounts_helpers import KEY, FormBrowser, hosted_with
from .oauth_client import MemoryStorage, hidden_fields, signed_in
from .serving import listen, loopback_config, serving
from .test_client_documents import self_signed
from .test_hosted_flow import signin_page
from .test_tokens import INITIALIZE

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
_CONTINUE = re.compile(r'<a href="([^"]+)">(?:Continue to your app|继续前往你的应用)</a>')
_NOTICE = re.compile(r'role="status">(.*?)<', re.S)


@dataclasses.dataclass
class CookieBrowser(FormBrowser):
    """A browser that keeps its cookies between sign-ins (a shared one), and follows the page a
    take-over answers with to the app."""

    jar: dict[str, str] = dataclasses.field(default_factory=dict)

    async def open(self, url: str) -> None:
        async with httpx.AsyncClient(timeout=30, cookies=self.jar) as browser:
            page = await browser.get(url, follow_redirects=True)
            self.pages.append(page)
            form = {k: v for k, v in hidden_fields(page.text).items() if k != "start_free"} | self.fields
            answer = await browser.post(page.url.copy_with(query=None), data=form)
            self.pages.append(answer)
            self.jar |= dict(answer.cookies.items())
        if answer.status_code == 200 and (link := _CONTINUE.search(answer.text)):
            target = html.unescape(link.group(1))
        elif answer.status_code == 303:
            target = answer.headers["location"]
        else:
            return
        query = parse_qs(urlsplit(target).query)
        self.result = AuthorizationCodeResult(
            code=query["code"][0], state=query.get("state", [None])[0], iss=query.get("iss", [None])[0]
        )


async def mcp_status(base: str, access: str) -> int:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        answer = await http.post(
            "/mcp",
            json=INITIALIZE,
            headers={"Authorization": f"Bearer {access}", "Accept": "application/json, text/event-stream"},
        )
    return answer.status_code


@pytest.fixture
def two_instances(database_url: str, settings: Settings) -> Iterator[tuple[str, str]]:
    first, second = listen(), listen()
    configs = [
        dataclasses.replace(
            loopback_config(database_url, sock, KEY), allow_anonymous=True, free_per_address=5
        )
        for sock in (first, second)
    ]
    with (
        serving(create_app(configs[0], settings), first) as a,
        serving(create_app(configs[1], settings), second) as b,
    ):
        yield a, b


async def test_a_pasted_token_signs_out_every_app_of_the_free_account_it_takes_over(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    alice_token, _ = sim.state.register_user(credits=777)
    with hosted_with(database_url, settings, allow_anonymous=True, free_per_address=5) as base:
        mallory = CookieBrowser("", fields={"start_free": "1"})
        mallory_app = MemoryStorage()
        with anyio.fail_after(90):
            async with signed_in(base, "", mallory_app, browser=mallory) as m:
                free = await call(m, "credits")  # her server is resident now, with the free token
                upload = await call(m, "upload")  # an upload page into user X's project
            alice = CookieBrowser(
                alice_token, fields={"nemo_token": alice_token}, jar={"nemo_free": mallory.jar["nemo_free"]}
            )
            async with signed_in(base, alice_token, browser=alice) as a:
                mine = await call(a, "credits")
        assert mallory_app.tokens is not None
        mallory_mcp = await mcp_status(base, mallory_app.tokens.access_token)
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            refreshed = await http.post(
                "/token",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": mallory_app.tokens.refresh_token or "",
                    "client_id": mallory_app.client_info.client_id if mallory_app.client_info else "",
                },
            )
            upload_page = await http.get(str((upload.structured_content or {})["upload_url"]))
    # Mallory's sign-in ended: her access token, her refresh token and her upload link.
    assert mallory_mcp == 401
    assert refreshed.status_code == 400
    assert upload_page.status_code == 410
    assert (free.structured_content or {})["available"] == 100
    # Alice's calls use her token at once, not the free one the resident server was built with.
    assert (mine.structured_content or {})["available"] == 777
    # The page said what happened, and the cookie that named the free account is gone.
    [notice] = _NOTICE.findall(alice.pages[-1].text)
    assert "work were kept" in notice and "signed out" in notice
    dropped = [h for h in alice.pages[-1].headers.get_list("set-cookie") if h.startswith("nemo_free=")]
    assert len(dropped) == 1 and "Max-Age=0" in dropped[0]


async def test_another_instance_serves_the_taken_over_user_with_the_new_token(
    two_instances: tuple[str, str], sim: Simulator
) -> None:
    a, b = two_instances
    alice_token, _ = sim.state.register_user(credits=777)
    mallory = CookieBrowser("", fields={"start_free": "1"})
    with anyio.fail_after(120):
        async with signed_in(b, "", browser=mallory) as m:
            await call(m, "credits")  # instance B keeps X's server, built with the free token
        alice = CookieBrowser(
            alice_token, fields={"nemo_token": alice_token}, jar={"nemo_free": mallory.jar["nemo_free"]}
        )
        async with signed_in(a, alice_token, browser=alice) as on_a:
            await call(on_a, "credits")
        async with signed_in(b, alice_token) as on_b:  # the same user X, found by Alice's token
            there = await call(on_b, "credits")
    assert (there.structured_content or {})["available"] == 777


async def test_the_free_cookie_is_a_host_only_secure_cookie_over_https(
    database_url: str, settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    sock = listen()
    config = dataclasses.replace(
        loopback_config(database_url, sock, KEY),
        public_url=f"https://127.0.0.1:{sock.getsockname()[1]}",
        allow_anonymous=True,
        free_per_address=5,
    )
    own, _ = sim.state.register_user(credits=777)
    app = create_app(config, settings)
    trusted = ssl.create_default_context(cafile=str(cert))
    with serving(app, sock, "https", ssl_certfile=str(cert), ssl_keyfile=str(key)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30, verify=trusted) as http:
            started = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
            value = http.cookies.get("__Host-nemo_free")
        # A cookie of the old name (one a sibling subdomain could plant) names no free account.
        async with httpx.AsyncClient(base_url=base, timeout=30, verify=trusted) as other:
            page = await signin_page(other)
            other.cookies.set("nemo_free", value or "", domain="127.0.0.1")
            pasted = await other.post("/signin", data=hidden_fields(page.text) | {"nemo_token": own})
    [set_cookie] = [h for h in started.headers.get_list("set-cookie") if "nemo_free" in h]
    assert set_cookie.startswith("__Host-nemo_free=") and value
    attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}
    assert {"secure", "path", "httponly"} <= attributes and "domain" not in attributes
    assert "Path=/" in set_cookie
    assert pasted.status_code == 303  # an ordinary sign-in: a new user, no take-over
