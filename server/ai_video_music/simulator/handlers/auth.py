"""``POST /api/auth/anonymous-token`` and ``POST /api/auth/claim-token``."""

from __future__ import annotations

import time

import uuid_utils
from starlette.requests import Request
from starlette.responses import Response

from ..envelope import ApiReject, json_body, ok, session_for, user_for
from ..state import SimState, User

CLAIM_TTL = 7 * 24 * 3600


async def anonymous_token(state: SimState, request: Request) -> Response:
    """A free token for a client id (100 credits, 7 days), rate limited per minute."""
    client_id = request.headers.get("x-client-id")
    if not client_id:
        raise ApiReject(400, "missing X-Client-Id")
    now = time.time()
    address = request.client.host if request.client else "unknown"
    with state.lock:
        state.anon_issued = [(t, c) for t, c in state.anon_issued if now - t < 60]
        if len(state.anon_issued) >= state.config.anon_tokens_per_minute:
            raise ApiReject(429, "too many anonymous tokens", retry_after=30)
        window = state.config.anon_address_window
        state.anon_by_address = [(t, a) for t, a in state.anon_by_address if now - t < window]
        per_address = state.config.anon_tokens_per_address
        if per_address and sum(a == address for _, a in state.anon_by_address) >= per_address:
            # The contract's per-IP limit: a 429 whose wait is days, not seconds.
            raise ApiReject(429, "too many anonymous tokens from this address", retry_after=window)
        state.anon_issued.append((now, client_id))
        state.anon_by_address.append((now, address))
        user = next((u for u in state.users.values() if u.client_id == client_id), None)
        if user is None:
            user = User(
                f"anon_{uuid_utils.uuid4().hex[:10]}", state.config.anonymous_credits, False, client_id
            )
            state.users[user.user_id] = user
        token = f"nmv_usr_{uuid_utils.uuid4().hex}"
        expires = now + state.config.token_ttl
        state.tokens[token] = (user.user_id, expires)
    return ok(
        state,
        {
            "token": token,
            "user_id": user.user_id,
            "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)),
            "credits": user.credits,
        },
    )


async def claim_token(state: SimState, request: Request) -> Response:
    """A token that opens one project in the web editor (never the user's own token)."""
    user = user_for(state, request)
    body = await json_body(request)
    session = session_for(state, user, str(body.get("session_id") or ""))
    if str(body.get("task_id") or "") != session.task_id:
        raise ApiReject(1002, "task not found for this session")
    claim = f"clm_{uuid_utils.uuid4().hex}"
    with state.lock:
        state.claims[claim] = session.session_id
    return ok(state, {"claim_token": claim, "expires_in": CLAIM_TTL})
