"""Hosted mode starts only when configured right, and brings its database schema up to date."""

from __future__ import annotations

import base64
import dataclasses
import os
import subprocess
from pathlib import Path

import anyio
import httpx
import psycopg
import pytest

from ai_video_music.config import Settings
from ai_video_music.hosted import db
from ai_video_music.hosted.config import HostedConfig, HostedConfigError
from ai_video_music.tls import shared_context

from ..conftest import console_script
from .conftest import own_database
from .postgres import MIGRATED, Cluster
from .serving import listen, loopback_config, running

KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!").decode()  # fixed: stable test ids


def _env(**over: str) -> dict[str, str]:
    base = {
        "NEMO_DATABASE_URL": "postgresql://nemo@127.0.0.1:1/nemo",
        "NEMO_PUBLIC_URL": "https://videos.example.com",
        "NEMO_SECRET_KEY": KEY,
    }
    return {k: v for k, v in (base | over).items() if v}


def test_a_complete_configuration_puts_the_mcp_endpoint_under_the_public_url() -> None:
    config = HostedConfig.from_env(_env())
    assert config.resource_url == "https://videos.example.com/mcp"
    assert KEY not in repr(config)


@pytest.mark.parametrize(
    ("over", "names"),
    [
        ({"NEMO_SECRET_KEY": ""}, "NEMO_SECRET_KEY is not set"),
        ({"NEMO_SECRET_KEY": "c2hvcnQ="}, "NEMO_SECRET_KEY is malformed"),
        ({"NEMO_SECRET_KEY": KEY[:-4] + "!!!!"}, "NEMO_SECRET_KEY is malformed"),
        ({"NEMO_DATABASE_URL": "mysql://db/x"}, "NEMO_DATABASE_URL must be a postgresql://"),
        ({"NEMO_DATABASE_URL": ""}, "NEMO_DATABASE_URL is not set"),
        ({"NEMO_PUBLIC_URL": "http://videos.example.com"}, "must use https"),
        ({"NEMO_PUBLIC_URL": "https://videos.example.com/nemo"}, "no path"),
        ({"NEMO_PUBLIC_URL": ""}, "NEMO_PUBLIC_URL is not set"),
        ({"NEMO_TRUSTED_PROXIES": "*"}, "NEMO_TRUSTED_PROXIES must list IP addresses"),
        ({"NEMO_REGISTER_LIMIT": "0"}, "NEMO_REGISTER_LIMIT must be a whole number of at least 1"),
        ({"NEMO_AUTHORIZE_LIMIT": "lots"}, "NEMO_AUTHORIZE_LIMIT must be a whole number of at least 1"),
        ({"NEMO_TOKEN_LIMIT": "0"}, "NEMO_TOKEN_LIMIT must be a whole number of at least 1"),
        ({"NEMO_TRUSTED_PROXIES": "10.0.0.5,balancer"}, "NEMO_TRUSTED_PROXIES must list IP addresses"),
    ],
)
def test_a_wrong_setting_is_named_in_one_line(over: dict[str, str], names: str) -> None:
    with pytest.raises(HostedConfigError, match=names):
        HostedConfig.from_env(_env(**over))


def test_forwarded_addresses_are_believed_only_from_the_configured_balancers() -> None:
    assert HostedConfig.from_env(_env()).trusted_proxies == ()
    listed = HostedConfig.from_env(_env(NEMO_TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16"))
    assert listed.trusted_proxies == ("10.0.0.5", "10.1.0.0/16")


def test_plain_http_is_accepted_for_a_loopback_public_url() -> None:
    assert HostedConfig.from_env(_env(NEMO_PUBLIC_URL="http://127.0.0.1:8080/")).public_url == (
        "http://127.0.0.1:8080"
    )


@pytest.mark.parametrize("key", ["", "not-a-key", KEY[:20]])
def test_serve_hosted_refuses_to_start_without_a_valid_secret_key_and_never_prints_it(
    key: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEMO_")} | _env(NEMO_SECRET_KEY=key)
    env["NEMO_HOME"] = str(tmp_path)
    done = subprocess.run(
        [console_script(), "serve", "--hosted", "--port", "1"],  # refused before it binds
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "NEMO_SECRET_KEY" in lines[0], done.stderr
    assert not key or key not in done.stderr
    assert done.stdout == ""


@pytest.mark.anyio
async def test_migrations_run_once_even_when_instances_start_together(empty_database_url: str) -> None:
    database_url = empty_database_url

    async def start() -> list[str]:
        async with await psycopg.AsyncConnection.connect(database_url) as conn:
            return await db.migrate(conn)

    results: list[list[str]] = []

    async def collect() -> None:
        results.append(await start())

    async with anyio.create_task_group() as tg:
        for _ in range(3):
            tg.start_soon(collect)
    names = [m.name for m in db.migrations()]
    assert sorted(results, key=len) == [[], [], names]
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT name FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == names


def test_healthz_says_whether_the_database_answers(pg_cluster: Cluster, tmp_path: Path) -> None:
    sock = listen()
    with own_database(pg_cluster, MIGRATED) as database_url:  # its own: dropped under the app
        # "unavailable" after 0.5 s without a connection (a balancer is given 3 s)
        config = dataclasses.replace(loopback_config(database_url, sock, KEY.encode()), health_wait=0.5)
        with running(config, Settings(home=tmp_path), sock) as base:
            up = httpx.get(f"{base}/healthz", timeout=30, verify=shared_context())
            with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)')
            down = httpx.get(f"{base}/healthz", timeout=30, verify=shared_context())
    assert (up.status_code, up.json()) == (200, {"status": "ok"})
    assert (down.status_code, down.json()) == (503, {"status": "unavailable"})
