"""Hosted-mode fixtures: one real PostgreSQL per test run, a fresh database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from .postgres import Cluster, available, shared_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    if not available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required in CI for the hosted tests (apt-get install postgresql)")
        pytest.skip("PostgreSQL server binaries not installed: hosted mode not tested")
    return shared_cluster()  # stopped by the run's main process (tests/conftest.py)


@contextmanager
def own_database(cluster: Cluster) -> Iterator[str]:
    """An empty database, dropped after: for a test, or for a module's shared instance."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield cluster.url(name)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(pg_cluster: Cluster) -> Iterator[str]:
    """An empty database of its own for each test: no test sees another's rows."""
    with own_database(pg_cluster) as url:
        yield url
