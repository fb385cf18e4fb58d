"""The OAuth steps one at a time, as a hand-written client (or an attacker) makes them: register,
authorize, the sign-in form, the code exchange. For tests of what a step refuses."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from .oauth_client import hidden_fields

REDIRECT = "http://127.0.0.1:1/cb"  # never contacted: the browser stops at the redirect


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str


def pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


async def register(http: httpx.AsyncClient, redirect: str = REDIRECT, **metadata: Any) -> httpx.Response:
    body = {
        "redirect_uris": [redirect],
        "token_endpoint_auth_method": "none",
        "client_name": "Claude",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    } | metadata
    return await http.post("/register", json=body)


async def authorize(
    http: httpx.AsyncClient, client_id: str, challenge: str, redirect: str = REDIRECT
) -> httpx.Response:
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect,
        "state": "st",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return await http.get("/authorize", params=query, follow_redirects=False)


async def signin_form(http: httpx.AsyncClient, client_id: str, challenge: str) -> httpx.Response:
    """The sign-in page /authorize sends the browser to (its cookie lands in ``http``)."""
    start = await authorize(http, client_id, challenge)
    assert start.status_code == 302, start.text
    return await http.get(start.headers["location"], follow_redirects=True)


async def submit(
    http: httpx.AsyncClient, page: httpx.Response, nemo_token: str, **headers: str
) -> httpx.Response:
    return await http.post(
        "/signin", data=hidden_fields(page.text) | {"nemo_token": nemo_token}, headers=headers
    )


def code_of(done: httpx.Response) -> str:
    assert done.status_code == 303, done.text
    return parse_qs(urlsplit(done.headers["location"]).query)["code"][0]


async def exchange(http: httpx.AsyncClient, client_id: str, code: str, verifier: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    return await http.post("/token", data=form)
