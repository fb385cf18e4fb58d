""" "Forget my token" (/signout) is no place to try tokens in bulk: its tries count against the
sign-in limit of the address, and its answer doesn't say whether a token was stored here (attack
round 6, N14: 300 wrong tokens in 15 s were answered "No stored token matches", never paused)."""

from __future__ import annotations

import re
import socket

import anyio
import httpx
import psycopg
import pytest

from ai_video_music.config import Settings
from ai_video_music.hosted.signin import FREE_COOKIE
from ai_video_music.simulator import Simulator

from ..conftest import call
from .accounts_helpers import hosted_with
from .oauth_client import hidden_fields, signed_in
from .test_hosted_flow import signin_page

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
_NOTICE = re.compile(r'role="(?:status|alert)"[^>]*>(.*?)<', re.S)


def said(page: httpx.Response) -> str:
    [sentence] = _NOTICE.findall(page.text)
    return str(sentence)


async def forget(http: httpx.AsyncClient, token: str) -> httpx.Response:
    page = await http.get("/signout")
    return await http.post("/signout", data=hidden_fields(page.text) | {"nemo_token": token})


def stored(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(nemo_token) FROM users").fetchone()
    assert row is not None
    return int(row[0])


async def test_wrong_tokens_are_paused_like_sign_in_and_a_stored_one_is_not_forgotten_then(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    victim, _ = sim.state.register_user(credits=100)
    with hosted_with(database_url, settings) as base:
        with anyio.fail_after(60):
            async with signed_in(base, victim) as app:
                await call(app, "credits")
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            wrong = [await forget(http, f"nmv_usr_guess{i:04d}") for i in range(10)]
            paused = await forget(http, "nmv_usr_guess9999")
            hit = await forget(http, victim)
            # The same limit as sign-in's: this address is paused there too, good token or not.
            page = await signin_page(http)
            signin = await http.post("/signin", data=hidden_fields(page.text) | {"nemo_token": victim})
    assert [r.status_code for r in wrong] == [200] * 10
    assert paused.status_code == 429 and "Too many refused tokens" in said(paused)
    assert hit.status_code == 429
    assert stored(database_url) == 1  # the paused try looked nothing up
    assert signin.status_code == 429


async def test_a_stored_token_and_a_wrong_one_get_the_same_answer_and_only_wrong_ones_count(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    victim, _ = sim.state.register_user(credits=100)
    with hosted_with(database_url, settings, signin_failures_allowed=2) as base:
        with anyio.fail_after(60):
            async with signed_in(base, victim) as app:
                await call(app, "credits")
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            miss = await forget(http, "nmv_usr_not_stored")
            hit = await forget(http, victim)
            # The hit was given back: one more wrong try still fits in the allowance of 2.
            after = await forget(http, "nmv_usr_not_stored_either")
            over = await forget(http, "nmv_usr_third")
    assert miss.status_code == hit.status_code == after.status_code == 200
    assert said(miss) == said(hit) and "if this token was stored" in said(hit)
    assert "No stored token" not in miss.text
    assert stored(database_url) == 0  # the hit still forgot the token
    assert over.status_code == 429


async def test_the_answer_is_in_chinese_too(database_url: str, settings: Settings) -> None:
    with hosted_with(database_url, settings) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30, headers={"Accept-Language": "zh-CN"}) as http:
            answer = await forget(http, "nmv_usr_not_stored")
    assert "如果本服务器保存过这个令牌" in said(answer)


def stalled_signout(base: str) -> str:
    """The status line a ``POST /signout`` gets that declares a small form and sends none of it."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            f"POST /signout HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n" not in answer and (chunk := sock.recv(4096)):
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


async def test_the_signout_form_is_counted_per_address_before_it_is_read_or_looked_up(
    database_url: str, settings: Settings
) -> None:
    """attack18 B2 and B4: ``POST /signout`` had no per-address limit and its form was read before
    any (stalled ones from three addresses held an instance), and each "forget the free account"
    with a made-up cookie was a database lookup. Now its page and form count per address like the
    sign-in page's, the next one past the allowance is refused without its form being waited for,
    and the form is small."""
    with hosted_with(database_url, settings, authorizations_per_address=2) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            page = await http.get("/signout")
            fields = hidden_fields(page.text) | {"free": "1"}
            too_big = await http.post("/signout", data=fields | {"nemo_token": "x" * 17_000})
            http.cookies.set(FREE_COOKIE, "made-up")
            looked_up = await http.post("/signout", data=fields)
            refused = await http.post("/signout", data=fields)
        stalled = await anyio.to_thread.run_sync(stalled_signout, base)
    assert page.status_code == 200
    assert too_big.status_code == 413  # a form of a few hundred bytes; a token is at most 4 KiB
    assert looked_up.status_code == 200 and "nothing to forget" in said(looked_up), said(looked_up)
    assert refused.status_code == 429 and "Too many requests to this page" in said(refused)
    assert refused.headers["retry-after"]
    assert stalled.endswith("429 Too Many Requests")  # at once, not after waiting for its form
