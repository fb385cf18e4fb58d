"""Hosted-mode fixtures: one real PostgreSQL per test run, a fresh database per test (a copy of
one migrated once per run, or empty for the tests of migrations)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from .postgres import MIGRATED, Cluster, available, shared_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    if not available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI for the hosted tests (apt-get install postgresql)")
        pytest.skip("PostgreSQL server binaries not installed: hosted mode not tested")
    return shared_cluster()  # stopped by the run's main process (tests/conftest.py)


@contextmanager
def own_database(cluster: Cluster, template: str | None = None) -> Iterator[str]:
    """A database of its own, dropped after: for a test, or for a module's shared instance.
    Empty, or a copy of ``template`` (:data:`MIGRATED`: as the app leaves it at its first start)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(pg_cluster: Cluster) -> Iterator[str]:
    """A database of its own for each test, already migrated (migrating ~140 databases one by
    one was most of their set-up): no test sees another's rows. The app still runs its
    migrations at start and finds nothing to do; tests of migrating take ``empty_database_url``."""
    with own_database(pg_cluster, MIGRATED) as url:
        yield url


@pytest.fixture
def empty_database_url(pg_cluster: Cluster) -> Iterator[str]:
    """An empty database of its own (no tables): for tests of what migrating does."""
    with own_database(pg_cluster) as url:
        yield url
