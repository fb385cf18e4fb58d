"""``ai-video-music serve --hosted``: serve with uvicorn (the CLI read the configuration first,
with ``config.load``)."""

from __future__ import annotations

from typing import Any

import uvicorn

from ..config import Settings
from ..heap import freeze_startup_objects
from ..slowclients import slow_client_options
from .app import create_app
from .config import HostedConfig


def run(config: HostedConfig, settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted."""
    app = create_app(config, settings)
    freeze_startup_objects()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        **proxy_options(config),
        **slow_client_options(),
    )


def proxy_options(config: HostedConfig) -> dict[str, Any]:
    """uvicorn believes X-Forwarded-For only from NEMO_TRUSTED_PROXIES (the balancer, which must
    overwrite whatever the client sent); with none configured, only the connection's own address
    counts. (Not uvicorn's FORWARDED_ALLOW_IPS default, loopback: a stack whose balancer passes a
    client's header through would let every client pick its address.)"""
    if not config.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(config.trusted_proxies)}
