"""``ai-video-music serve --hosted``: read the configuration, then serve with uvicorn."""

from __future__ import annotations

import os
from collections.abc import Mapping

import uvicorn

from ..config import Settings
from .app import create_app
from .config import HostedConfig


def load(env: Mapping[str, str] | None = None) -> tuple[HostedConfig, Settings]:
    """The hosted and the local settings. Raises ``ValueError`` (one line, naming the variable,
    never its secret value) when something is missing or malformed: nothing has started yet."""
    env = os.environ if env is None else env
    return HostedConfig.from_env(env), Settings.from_env(env)


def run(config: HostedConfig, settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted."""
    # Behind a load balancer uvicorn trusts X-Forwarded-* only from FORWARDED_ALLOW_IPS (its own
    # variable; loopback by default).
    uvicorn.run(
        create_app(config, settings),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=True,
        server_header=False,
    )
