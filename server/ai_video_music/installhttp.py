"""``ai-video-music install --client cursor|claude-code --http``: point a host at ``serve --http``.

The entry is a ``url`` with an ``Authorization: Bearer <secret>`` header (Cursor's and Claude
Code's format for remote servers). The secret is the one ``serve --http`` requires (created
here if the server never ran). It is written into the config file directly, never passed to
the host's own CLI: a command line is visible to every local account (``/proc/*/cmdline``).
The config file then keeps no group or other permission, and ``--dry-run`` masks the secret.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import Settings
from .httpguard import MCP_PATH
from .httpsecret import SecretFileError, ensure_secret
from .installer import CLIENTS, InstallError, apply, config_path, plan_config

log = logging.getLogger(__name__)

HTTP_CLIENTS = ("cursor", "claude-code")
# Keys of a command (stdio) entry that mean nothing to, or would confuse, a URL entry.
STDIO_KEYS = ("command", "args", "env", "type", "url", "headers")


def http_entry(previous: object, client: str, url: str, secret: str) -> dict[str, Any]:
    """Our URL entry: the previous entry's own other keys and headers kept, ours set."""
    old = dict(previous) if isinstance(previous, dict) else {}
    headers = dict(old["headers"]) if isinstance(old.get("headers"), dict) else {}
    headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
    headers["Authorization"] = f"Bearer {secret}"
    kept = {k: v for k, v in old.items() if k not in STDIO_KEYS}
    kind = {"type": "http"} if client == "claude-code" else {}  # Cursor tells by the url
    return {**kept, **kind, "url": url, "headers": headers}


def _bearer(entry: object) -> str | None:
    headers = entry.get("headers") if isinstance(entry, dict) else None
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if str(key).lower() == "authorization" and isinstance(value, str) and value.startswith("Bearer "):
            return value.removeprefix("Bearer ")
    return None


def refresh_hosts(
    old: str | None, new: str, *, home: Path | None = None, env: Mapping[str, str] | None = None
) -> list[Path]:
    """After the secret was replaced (the old one may be known to other accounts): the host
    configs whose entry for us carried ``old`` get ``new``, the rest of the file as it was.
    Returns the files updated; one that can't be is left to the user (the warning says how)."""
    if not old:
        return []
    home = home or Path.home()
    env = os.environ if env is None else env
    updated = []
    for client in HTTP_CLIENTS:
        swapped: list[bool] = []

        def build(previous: object, client: str = client, swapped: list[bool] = swapped) -> dict[str, Any]:
            if _bearer(previous) != old or not isinstance(previous, dict):
                return previous  # type: ignore[return-value]  # not ours to touch: unchanged
            swapped.append(True)
            return http_entry(previous, client, str(previous.get("url", "")), new)

        path = config_path(client, home, env)
        try:
            change = plan_config(client, path, command="", build=build, secret=new)
            if swapped and change.changed:  # a file without our old entry is never written
                apply(change)
                updated.append(change.path)
        except (InstallError, OSError) as err:
            log.warning("%s: not updated with the new HTTP secret (%s)", path, err)
    return updated


def install_http(
    client: str,
    *,
    port: int = 8765,
    dry_run: bool = False,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """Write (or show, with ``dry_run``) the URL entry; returns the lines to show the user."""
    if client not in CLIENTS:
        raise InstallError(f"Unknown client {client!r}; choose one of: {', '.join(CLIENTS)}.")
    if client not in HTTP_CLIENTS:
        raise InstallError(
            f"--http works with {' and '.join(HTTP_CLIENTS)}; {client} starts the server itself "
            f"(run install without --http)."
        )
    if not 0 < port < 65536:
        raise InstallError(f"--port must be between 1 and 65535, not {port}.")
    home = home or Path.home()
    env = os.environ if env is None else env
    try:
        state = Settings.from_env(env).home
        secret = ensure_secret(state, lambda old, new: refresh_hosts(old, new, home=home, env=env))
    except (ValueError, SecretFileError) as err:
        raise InstallError(f"the HTTP secret can't be used ({err}); nothing was changed.") from None
    url = f"http://127.0.0.1:{port}{MCP_PATH}"
    change = plan_config(
        client,
        config_path(client, home, env),
        command="",
        build=lambda previous: http_entry(previous, client, url, secret),
        secret=secret,
    )
    if not change.changed:
        return [f"{change.path}: already up to date, nothing changed."]
    if dry_run:
        return [change.diff() or f"{change.path}: would be created."]
    saved = apply(change)
    return [
        f"{change.path}: updated" + (f" (backup: {saved.name})" if saved else " (created)"),
        f"{client} will connect to {url} with the secret of `ai-video-music http-secret`; start the "
        f"server with `ai-video-music serve --http --port {port}`, then restart {client}.",
    ]
