"""Hosted mode's configuration: one object, read once from the environment in ``main``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..links import is_loopback

HOSTED_EXTRA = "pip install 'ai-video-generator-free-music[hosted]'"
MCP_PATH = "/mcp"


class HostedConfigError(ValueError):
    """A setting is missing or malformed: one line for the operator, never the secret itself."""


def check_database_url(raw: str | None) -> str:
    url = (raw or "").strip()
    if not url:
        raise HostedConfigError("NEMO_DATABASE_URL is not set; give a postgresql://user@host/db address")
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not (parts.hostname or "host=" in parts.query):
        # Never echo the URL: it may hold a password.
        raise HostedConfigError(
            "NEMO_DATABASE_URL must be a postgresql:// address (e.g. postgresql://nemo@db/nemo)"
        )
    return url


def check_public_url(raw: str | None) -> str:
    """The base URL clients reach: https, or plain http for a loopback address (development)."""
    url = (raw or "").strip().rstrip("/")
    if not url:
        raise HostedConfigError("NEMO_PUBLIC_URL is not set; give the https address clients use")
    parts = urlsplit(url)
    extras = parts.username or parts.password or parts.query or parts.fragment
    plain = not extras and parts.path in ("", "/")
    if not parts.hostname or not plain:
        # The routes live at the root (/mcp, /authorize...): a path prefix would break them.
        raise HostedConfigError(f"NEMO_PUBLIC_URL must be a plain base address with no path, got {url!r}")
    if parts.scheme == "http" and is_loopback(parts.hostname):
        return url
    if parts.scheme != "https":
        raise HostedConfigError(
            f"NEMO_PUBLIC_URL must use https (plain http only for a loopback address), got {url!r}"
        )
    return url


def check_secret_key(raw: str | None) -> bytes:
    """A Fernet key: url-safe base64 of 32 bytes. The value never appears in a message."""
    key = (raw or "").strip()
    if not key:
        raise HostedConfigError(
            "NEMO_SECRET_KEY is not set; make one with: python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    try:
        decoded = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        decoded = b""
    if len(decoded) != 32:
        raise HostedConfigError(
            "NEMO_SECRET_KEY is malformed: it must be url-safe base64 of 32 bytes (a Fernet key)"
        )
    return key.encode("ascii")


def _origins(raw: str | None) -> tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in (raw or "").split(",") if o.strip())


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise HostedConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not 0 < value <= 60:
        raise HostedConfigError(f"{name} must be between 0 and 60 seconds, got {raw!r}")
    return value


@dataclass(frozen=True)
class HostedConfig:
    """Everything hosted mode adds to :class:`~ai_video_music.config.Settings`."""

    database_url: str = field(repr=False)  # may carry a password
    public_url: str
    secret_key: bytes = field(repr=False)
    # Browser origins besides our own that may call /mcp (an inspector, a web host).
    allowed_origins: tuple[str, ...] = ()
    access_token_ttl: int = 15 * 60  # short-lived: a stolen access token is worth minutes
    refresh_token_ttl: int = 30 * 24 * 3600
    auth_code_ttl: int = 5 * 60
    signin_ttl: int = 15 * 60  # how long a sign-in page stays valid
    signin_failures_allowed: int = 10  # refused tokens per client address ...
    signin_failures_window: int = 15 * 60  # ... in this many seconds, then a pause
    requests_per_user: int = 8  # at once, on /mcp: one user can't take an instance's every worker
    idle_after: float = 3600.0  # a user's server leaves memory after this long without a request
    store_connections: int = 10  # the project store's pool per instance (its calls are short, synchronous)
    # How long a request waits for a database connection before it is told to try again: long
    # enough to ride out a restart (a couple of seconds), short enough to answer within a call.
    database_wait: float = 5.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HostedConfig:
        return cls(
            database_url=check_database_url(env.get("NEMO_DATABASE_URL")),
            public_url=check_public_url(env.get("NEMO_PUBLIC_URL")),
            secret_key=check_secret_key(env.get("NEMO_SECRET_KEY")),
            allowed_origins=_origins(env.get("NEMO_ALLOWED_ORIGINS")),
            database_wait=_seconds(env, "NEMO_DATABASE_WAIT_S", 5.0),
        )

    @property
    def resource_url(self) -> str:
        """The MCP endpoint, and the audience (RFC 8707 resource) every access token is bound to."""
        return self.public_url + MCP_PATH

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def public_host(self) -> str:
        return urlsplit(self.public_url).netloc
