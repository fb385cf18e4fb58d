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

# The xdist group of the hosted pages' browser modules: one worker runs them in a row, on one
# Chromium (tests/conftest.py's ``browser``), instead of launching one per module.
HOSTED_PAGES = "chromium-hosted"


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


@pytest.fixture(scope="session")
def worker_database(pg_cluster: Cluster) -> Iterator[str]:
    """This worker's database, a copy of the migrated one, emptied before each test that takes
    ``database_url`` (a database per test cost PostgreSQL ~0.1 s of CPU to copy and drop)."""
    with own_database(pg_cluster, MIGRATED) as url:
        yield url


def emptied(url: str) -> str:
    """Every row of every table gone, sequences back to 1, and no connection left but ours
    (as ``DROP DATABASE ... WITH (FORCE)`` would): what an earlier test wrote can't be seen or
    written to. The migrations' own record stays: the schema is the same."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename <> 'schema_migrations'"
            )
        ]
        sequences = [
            row[0]
            for row in conn.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
            )
        ]
        # DELETE, not TRUNCATE: a test's few rows go in a millisecond, where TRUNCATE gives each of
        # the ~20 tables new files (~65 ms a test). Foreign keys are not checked meanwhile (every
        # table is emptied, in any order).
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            for table in tables:
                conn.execute(f'DELETE FROM "{table}"')
            for sequence in sequences:
                conn.execute(f'ALTER SEQUENCE "{sequence}" RESTART')
    return url


@pytest.fixture
def database_url(worker_database: str) -> str:
    """A database for this test alone, already migrated (migrating ~140 databases one by one was
    most of their set-up): no test sees another's rows. The app still runs its migrations at
    start and finds nothing to do; tests of migrating take ``empty_database_url``, a test that
    drops its database takes one of its own (``own_database``)."""
    return emptied(worker_database)


@pytest.fixture
def empty_database_url(pg_cluster: Cluster) -> Iterator[str]:
    """An empty database of its own (no tables): for tests of what migrating does."""
    with own_database(pg_cluster) as url:
        yield url
