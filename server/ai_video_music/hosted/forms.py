"""The pages' forms against cross-site posts: a same-origin check and a double-submit CSRF token
(a random value in a ``SameSite=Strict`` cookie that the form must repeat)."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

CSRF_COOKIE = "nemo_csrf"


def same_origin(request: Request, public_origin: str) -> bool:
    """A browser's post names its page's origin; it must be ours (none: not a browser)."""
    origin = request.headers.get("origin")
    return origin is None or origin.rstrip("/") == public_origin


def csrf_ok(request: Request, submitted: object) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not (cookie and isinstance(submitted, str)):
        return False
    # As bytes: compare_digest refuses non-ASCII str (a 500 for "é" in the field or the cookie).
    return hmac.compare_digest(
        cookie.encode("utf-8", "surrogatepass"), submitted.encode("utf-8", "surrogatepass")
    )


def csrf_token(request: Request) -> str:
    """The browser's token, or a new one (set as the cookie with the page that carries it)."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
