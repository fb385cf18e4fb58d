""" "Forget my token" (/signout) is no place to try tokens in bulk: its tries count against the
sign-in limit of the address, and its answer doesn't say whether a token was stored here (attack
round 6, N14: 300 wrong tokens in 15 s were answered "No stored token matches", never paused)."""

from __future__ import annotations

import re

import anyio
import httpx
import psycopg
import pytest

from ai_video_music.config import Settings
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
