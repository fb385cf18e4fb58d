"""Hosted mode's configuration: one object, read once from the environment in ``main``."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..config import Settings, positive_setting
from ..links import is_loopback

REGISTRATIONS_PER_ADDRESS = 60
AUTHORIZATIONS_PER_ADDRESS = 120
# Token requests come from the client's servers (claude.ai's few cloud addresses for all of its
# users, each refreshing every 15 minutes), so this one is much wider.
TOKENS_PER_ADDRESS = 1200
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


def _flag(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


def _whole(name: str, raw: str | None, default: int, *, least: int = 0) -> int:
    text = (raw or "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise HostedConfigError(f"{name} must be a whole number of at least {least}, got {text!r}")
    return value


def _team_token(raw: str | None) -> str | None:
    token = (raw or "").strip()
    if token and (not token.isascii() or any(c.isspace() or ord(c) < 32 for c in token)):
        # Never echo it: it is the team's secret.
        raise HostedConfigError("NEMO_TEAM_TOKEN is malformed (spaces or non-ASCII characters)")
    return token or None


def check_trusted_proxies(raw: str | None) -> tuple[str, ...]:
    """The addresses (or networks) of the load balancers whose X-Forwarded-For is believed.
    Anyone else's is ignored: a client could write any address there, and the per-address
    limits would count nothing (a new address per try) or lock out everyone behind one."""
    found: list[str] = []
    for entry in (e.strip() for e in (raw or "").split(",")):
        if not entry:
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise HostedConfigError(
                "NEMO_TRUSTED_PROXIES must list IP addresses or networks"
                f" (e.g. 10.0.0.5,10.1.0.0/16), got {entry!r}"
            ) from None
        found.append(entry)
    return tuple(found)


def _origins(raw: str | None) -> tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in (raw or "").split(",") if o.strip())


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        return positive_setting(env, name, default, most=60)
    except ValueError as err:
        raise HostedConfigError(str(err)) from None


@dataclass(frozen=True)
class HostedConfig:
    """Everything hosted mode adds to :class:`~ai_video_music.config.Settings`."""

    database_url: str = field(repr=False)  # may carry a password
    public_url: str
    secret_key: bytes = field(repr=False)
    # Browser origins besides our own that may call /mcp (an inspector, a web host).
    allowed_origins: tuple[str, ...] = ()
    # Balancers whose X-Forwarded-For names the client (none: the connection's own address).
    trusted_proxies: tuple[str, ...] = ()
    access_token_ttl: int = 15 * 60  # short-lived: a stolen access token is worth minutes
    refresh_token_ttl: int = 30 * 24 * 3600
    auth_code_ttl: int = 5 * 60
    signin_ttl: int = 15 * 60  # how long a sign-in page stays valid
    signin_failures_allowed: int = 10  # refused tokens per client address ...
    signin_failures_window: int = 15 * 60  # ... in this many seconds, then a pause
    # Requests that need no sign-in, per client address and window: each one stores a row.
    # Generous: claude.ai registers from a few cloud addresses for all of its users.
    registrations_per_address: int = REGISTRATIONS_PER_ADDRESS
    authorizations_per_address: int = AUTHORIZATIONS_PER_ADDRESS
    tokens_per_address: int = TOKENS_PER_ADDRESS
    anonymous_window: int = 10 * 60
    requests_per_user: int = 8  # at once, on /mcp: one user can't take an instance's every worker
    idle_after: float = 3600.0  # a user's server leaves memory after this long without a request
    resident_users: int = 500  # users' servers kept in memory at most (the least recently used goes)
    store_connections: int = 10  # the project store's pool per instance (its calls are short, synchronous)
    # "Start free": anonymous NemoVideo accounts made here (NemoVideo limits them per address).
    allow_anonymous: bool = False
    free_per_address: int = 1  # free accounts one client address may start ...
    free_window: int = 7 * 24 * 3600  # ... in this many seconds (a free token lasts 7 days)
    # A team: one NemoVideo token of the operator's, members with a credit quota each.
    team_token: str | None = field(default=None, repr=False)
    team_quota: int = 500  # credits a member may spend ...
    team_quota_days: int = 30  # ... in this many days (a rolling window)
    # Tool calls per user per minute, counted in the database (0: no limit).
    calls_per_minute: int = 30
    # Upload pages: how long a link works, and what one page may send. Files are spooled to unnamed
    # temporary files (gone when closed, or when the process dies) until all are checked, so an
    # instance's spool is at most uploads_at_once * upload_total_mb.
    upload_link_ttl: int = 15 * 60
    upload_files: int = 20
    upload_file_mb: int = 200
    upload_total_mb: int = 400
    uploads_at_once: int = 4  # per instance; more are told to retry, unless a slow post gives way
    # A post that trickles holds its slot: at least this many bytes a second over each window.
    upload_min_rate: int = 16 * 1024
    upload_rate_window: float = 30.0
    # A post still arriving after this many seconds gives way to one that finds every slot taken,
    # the slowest first (upload_page.UploadDesk._slot says why).
    upload_give_way: float = 30.0
    # How long a request waits for a database connection before it is told to try again: long
    # enough to ride out a restart (a couple of seconds), short enough to answer within a call.
    database_wait: float = 5.0
    # How long /healthz waits for a database connection before it says "unavailable".
    health_wait: float = 3.0

    @property
    def team(self) -> bool:
        return self.team_token is not None

    @property
    def upload_wait(self) -> float:
        """The longest a post waits for an upload slot before it is told to come back (503 and
        Retry-After): three give-ways, 90 s by default, inside the documented HAProxy's
        ``timeout server`` (120 s), past which the user would get its bare 504 instead."""
        return 3 * self.upload_give_way

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HostedConfig:
        return cls(
            database_url=check_database_url(env.get("NEMO_DATABASE_URL")),
            public_url=check_public_url(env.get("NEMO_PUBLIC_URL")),
            secret_key=check_secret_key(env.get("NEMO_SECRET_KEY")),
            allowed_origins=_origins(env.get("NEMO_ALLOWED_ORIGINS")),
            allow_anonymous=_flag(env.get("NEMO_ALLOW_ANONYMOUS")),
            team_token=_team_token(env.get("NEMO_TEAM_TOKEN")),
            team_quota=_whole("NEMO_TEAM_QUOTA", env.get("NEMO_TEAM_QUOTA"), 500),
            team_quota_days=_whole("NEMO_TEAM_QUOTA_DAYS", env.get("NEMO_TEAM_QUOTA_DAYS"), 30, least=1),
            calls_per_minute=_whole("NEMO_CALLS_PER_MINUTE", env.get("NEMO_CALLS_PER_MINUTE"), 30),
            trusted_proxies=check_trusted_proxies(env.get("NEMO_TRUSTED_PROXIES")),
            registrations_per_address=_whole(
                "NEMO_REGISTER_LIMIT", env.get("NEMO_REGISTER_LIMIT"), REGISTRATIONS_PER_ADDRESS, least=1
            ),
            authorizations_per_address=_whole(
                "NEMO_AUTHORIZE_LIMIT", env.get("NEMO_AUTHORIZE_LIMIT"), AUTHORIZATIONS_PER_ADDRESS, least=1
            ),
            tokens_per_address=_whole(
                "NEMO_TOKEN_LIMIT", env.get("NEMO_TOKEN_LIMIT"), TOKENS_PER_ADDRESS, least=1
            ),
            database_wait=_seconds(env, "NEMO_DATABASE_WAIT_S", 5.0),
            resident_users=_whole("NEMO_RESIDENT_USERS", env.get("NEMO_RESIDENT_USERS"), 500, least=1),
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


def load(env: Mapping[str, str]) -> tuple[HostedConfig, Settings]:
    """The hosted and the local settings. Raises ``ValueError`` (one line, naming the variable,
    never its secret value) when something is missing or malformed: nothing has started yet.
    Needs neither the 'hosted' extra nor the MCP SDK, so the CLI checks it before importing them."""
    return HostedConfig.from_env(env), Settings.from_env(env)
