"""Settings: one object, built once in ``main`` from the environment (never at import time)."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from .errors import OutputDirError
from .fsutil import private_dir
from .messages import Lang, locale_language, parse_language
from .platforms import detect_platform

DIST_NAME = "ai-video-generator-free-music"
SKILL_SOURCE = "ai-video-generator-free-music"
PRODUCTION_API_BASE = "https://mega-api-prod.nemovideo.ai"
DEFAULT_WEB_URL = "https://nemovideo.com"
APP_DIR = "ai-video-music"
HEADER_TIMEOUT_S = 10.0  # a request's headers, as HAProxy's `timeout http-request` in scripts/hosted-stack


@functools.cache
def skill_version() -> str:
    """The version from SKILL.md's frontmatter, as the build baked it into our metadata (read
    once: the installed metadata doesn't change under a running process, and reading it costs
    milliseconds each time)."""
    try:
        return version(DIST_NAME)
    except PackageNotFoundError:  # running from a bare source tree
        return "0.0.0"


def default_home(env: Mapping[str, str], home: Path) -> Path:
    """Per-user state folder: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows."""
    if sys.platform == "win32":
        return Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / APP_DIR
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_DIR
    return Path(env.get("XDG_STATE_HOME") or home / ".local" / "state") / APP_DIR


LOOPBACK = ("localhost", "127.0.0.1", "::1")


def check_api_base(url: str) -> str:
    """The backend address, refusing plain HTTP anywhere but loopback: the token would travel in clear."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"NEMO_API_BASE must be an http(s) address, got {url!r}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ValueError(
            f"NEMO_API_BASE {url!r} uses plain http to another machine, which would send your token "
            "unencrypted; use https (plain http is allowed only for localhost, e.g. the simulator)"
        )
    return url.rstrip("/")


def check_web_url(url: str) -> str:
    """NemoVideo's web app (project links, registration): https only, it goes into a browser."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise ValueError(f"NEMO_WEB_URL must be an https address, got {url!r}")
    if not parts.hostname or parts.username or parts.password:
        raise ValueError(f"NEMO_WEB_URL must be a plain https address, got {url!r}")
    return url.rstrip("/")


def check_token(raw: str | None) -> str | None:
    """The token as pasted, minus surrounding blanks; inner blanks or line breaks are a copy error."""
    token = (raw or "").strip()
    if not token:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in token) or not token.isascii():
        raise ValueError(
            "NEMO_TOKEN contains spaces, line breaks or non-ASCII characters; copy the token again "
            "exactly as NemoVideo shows it (or unset it to use free credits)"
        )
    return token


def positive_setting(
    env: Mapping[str, str], name: str, default: float, *, most: float | None = None
) -> float:
    """A positive number from ``env[name]`` (``default`` when unset), at most ``most``; a
    ValueError names the variable and what it holds otherwise."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    if most is not None and value > most:
        raise ValueError(f"{name} must be between 0 and {most:g} seconds, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything configurable. ``token`` is masked in ``repr`` so it never lands in a log."""

    api_base: str = PRODUCTION_API_BASE
    token: str | None = field(default=None, repr=False)
    home: Path = field(default_factory=lambda: default_home(os.environ, Path.home()))
    output_dir: Path | None = None  # None: pick a per-user default at export time
    poll_interval: float = 2.0  # the shortest time between two looks at a render
    tool_budget: float = 40.0
    # The first wait before re-sending after a lost connection or a server error; each further
    # try waits twice as long (with jitter). A test harness running the server as a subprocess
    # shortens it, since set_testing can't reach another process.
    retry_backoff: float = 0.5
    render_timeout: float = 30 * 60
    platform: str = "unknown"
    version: str = "0.0.0"
    # Seconds between "still working" notes while a long job runs.
    still_working_every: float = 120.0
    web_url: str = DEFAULT_WEB_URL
    language: Lang | None = None  # NEMO_LANGUAGE: overrides the language of the prompts
    locale_language: Lang = "en"  # the OS's: the default before any prompt
    # Where finished videos are served from (the app's player may load them): the contract's
    # storage host, plus NEMO_MEDIA_ORIGINS (comma-separated), plus the origins of known exports.
    media_origins: tuple[str, ...] = ("https://static1.nemovideo.ai",)
    max_download_bytes: int = 4 * 1024**3
    download_timeout: float = 30 * 60
    # Hosted mode: an export is its link with facts read over the network; nothing is downloaded.
    exports_as_links: bool = False
    # Hosted mode: the token is the one the user connected with on the sign-in page (not NEMO_TOKEN),
    # so a refused token is fixed by connecting again.
    token_from_signin: bool = False
    # Hosted mode: `upload` takes links only; a path would name a file on the server's own disk.
    files_by_path: bool = True
    # An agent turn whose reader died (hosted: another instance takes it over) is followed in
    # NemoVideo's state, never sent again: first look, then every so often, up to a limit (the
    # backend's rule for a broken stream: after 30 s, then every 60 s, up to 5 minutes).
    takeover_first: float = 30.0
    takeover_every: float = 60.0
    takeover_limit: float = 300.0
    # `serve --http`: a connection on which no request's headers arrived within this is closed
    # (slowclients). Tests that wait it out shorten it, as the takeover times above.
    header_timeout: float = HEADER_TIMEOUT_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, install_path: str | None = None) -> Settings:
        """Read ``NEMO_*`` variables; relative folders are made absolute against the home folder."""
        env = os.environ if env is None else env
        home = Path.home()
        state = Path(env["NEMO_HOME"]).expanduser() if env.get("NEMO_HOME") else default_home(env, home)
        out = Path(env["NEMO_OUTPUT_DIR"]).expanduser() if env.get("NEMO_OUTPUT_DIR") else None
        language = env.get("NEMO_LANGUAGE", "").strip()
        if language and parse_language(language) is None:
            raise ValueError(f"NEMO_LANGUAGE must be en or zh, got {language!r}")
        return cls(
            api_base=check_api_base(env.get("NEMO_API_BASE") or PRODUCTION_API_BASE),
            token=check_token(env.get("NEMO_TOKEN")),
            home=state if state.is_absolute() else home / state,
            output_dir=None if out is None else (out if out.is_absolute() else home / out),
            poll_interval=positive_setting(env, "NEMO_POLL_INTERVAL", 2.0),
            tool_budget=positive_setting(env, "NEMO_TOOL_BUDGET", 40.0),
            retry_backoff=positive_setting(env, "NEMO_RETRY_BACKOFF", 0.5, most=60.0),
            render_timeout=positive_setting(env, "NEMO_RENDER_TIMEOUT", 30 * 60),
            platform=detect_platform(
                install_path or str(Path(__file__).resolve()), env, str(home), exists=os.path.exists
            ),
            version=skill_version(),
            web_url=check_web_url(env.get("NEMO_WEB_URL") or DEFAULT_WEB_URL),
            language=parse_language(language) if language else None,
            locale_language=locale_language(env),
            media_origins=(
                "https://static1.nemovideo.ai",
                *(o.strip() for o in env.get("NEMO_MEDIA_ORIGINS", "").split(",") if o.strip()),
            ),
            max_download_bytes=int(positive_setting(env, "NEMO_MAX_DOWNLOAD_MB", 4096) * 1024**2),
            download_timeout=positive_setting(env, "NEMO_DOWNLOAD_TIMEOUT", 30 * 60),
            takeover_first=positive_setting(env, "NEMO_TAKEOVER_FIRST_S", 30.0),
            takeover_every=positive_setting(env, "NEMO_TAKEOVER_EVERY_S", 60.0),
            takeover_limit=positive_setting(env, "NEMO_TAKEOVER_FOR_S", 300.0),
            header_timeout=positive_setting(env, "NEMO_HEADER_TIMEOUT_S", HEADER_TIMEOUT_S),
        )


def _writable(folder: Path) -> bool:
    try:
        private_dir(folder)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            pass
    except OSError:
        return False
    return True


def resolve_output_dir(settings: Settings) -> Path:
    """The folder exports go to, created (private) if needed.

    An explicit ``NEMO_OUTPUT_DIR`` is used as is or fails loudly (a user who chose a
    folder wants an error, not files elsewhere). Otherwise try ``~/Videos``/``~/Movies``,
    then the state folder, then the temp folder: all absolute, so a host that starts us
    in ``/`` still works.
    """
    if settings.output_dir is not None:
        if _writable(settings.output_dir):
            return settings.output_dir
        raise OutputDirError("error.output_dir", path=str(settings.output_dir))
    home = Path.home()
    media = ["Movies", "Videos"] if sys.platform == "darwin" else ["Videos", "Movies"]
    candidates = [
        *(home / name / "NemoVideo" for name in media),
        settings.home / "exports",
        Path(tempfile.gettempdir()) / APP_DIR,
    ]
    for folder in candidates:
        if _writable(folder):
            return folder
    raise OutputDirError("error.output_dir_none")
