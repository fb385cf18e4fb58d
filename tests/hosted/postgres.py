"""A throwaway PostgreSQL cluster for the hosted tests: Debian's server binaries, a temporary
folder, a free loopback port, trust authentication (nothing but this machine can reach it).
The run's shared cluster also holds ``MIGRATED``, a database made by the app's migrations once,
which each test's database is copied from (``CREATE DATABASE ... TEMPLATE``)."""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PG_BIN = Path(os.environ.get("NEMO_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
MIGRATED = "nemo_migrated"  # the template each test's database is a copy of
#: A throwaway cluster need not survive a crash or feed a replica: no commit waits for its WAL,
#: no page is written twice, and a new database's files are not copied into the WAL (with
#: ``wal_level=replica``, the default, that copy was most of CREATE DATABASE's CPU).
QUICK = "-c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0"


def available() -> bool:
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """``initdb`` + ``pg_ctl start``; as root, run as the ``postgres`` user (initdb refuses root)."""

    def __init__(self, root: Path | None = None, port: int | None = None, *, quick: bool = False) -> None:
        """``quick``: the :data:`QUICK` settings (for tests; a benchmark keeps the defaults)."""
        self.quick = quick
        self.root = root or Path(tempfile.mkdtemp(prefix="nemo-pg-"))
        self.port = port or _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"

    def _run(self, *args: str, detached: bool = False) -> None:
        """``detached``: the command starts the server with no log file of its own (``restart``
        has no ``-l``), so its output must not be a pipe the server would hold open."""
        if detached:
            quiet = subprocess.DEVNULL
            subprocess.run([*self._as, *args], check=True, stdout=quiet, stderr=quiet, timeout=120)
        else:
            subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
        self._run(*initdb, "--no-sync")  # a throwaway cluster: nothing to make durable
        self.resume()

    def pause(self) -> None:
        """Stop the server, keeping its data (``resume`` starts it again): a restart held open."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the server (again): this folder's data, a loopback port, no fsync (throwaway)."""
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        if self.quick:
            options = f"{options} {QUICK}"
        log = str(self.root / "log")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l", log, "start")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, the server is back when it returns."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "restart", detached=True)

    def stop(self) -> None:
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


SHARED_ENV = "NEMO_TEST_SHARED"  # a folder the pytest process and its xdist workers share


def shared_cluster() -> Cluster:
    """One cluster for the whole run, started by the first worker that needs it (the others
    wait on the lock and reuse it; each test still gets a database of its own). Starting one
    per worker cost each worker an ``initdb``: seconds of a loaded machine, four times over."""
    folder = Path(os.environ[SHARED_ENV])
    with (folder / "pg.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = folder / "pg.json"
        if record.exists():
            known = json.loads(record.read_text(encoding="utf-8"))
            return Cluster(Path(known["root"]), int(known["port"]), quick=True)
        cluster = Cluster(quick=True)
        try:
            cluster.start()
        except BaseException:
            shutil.rmtree(cluster.root, ignore_errors=True)
            raise
        try:
            make_migrated(cluster)
        except BaseException:
            cluster.stop()
            raise
        record.write_text(json.dumps({"root": str(cluster.root), "port": cluster.port}), encoding="utf-8")
        return cluster


def make_migrated(cluster: Cluster) -> None:
    """``MIGRATED``: an empty database brought up to date by the app's own migration runner (as
    an app's first start does), then closed to connections so that it can be copied at any time."""
    # Here, not at the top: tests/conftest.py imports this module in every run, hosted or not.
    import anyio
    import psycopg

    from ai_video_music.migrate import migrate_postgresql

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{MIGRATED}"')

    async def migrate() -> None:
        async with await psycopg.AsyncConnection.connect(cluster.url(MIGRATED)) as conn:
            await migrate_postgresql(conn)

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: the caller may be inside one
        thread.submit(anyio.run, migrate).result()
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{MIGRATED}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')


def stop_shared_cluster(folder: Path) -> None:
    """At the end of the run (the process that made ``folder``): stop the cluster if one started."""
    record = folder / "pg.json"
    if record.exists():
        known = json.loads(record.read_text(encoding="utf-8"))
        Cluster(Path(known["root"]), int(known["port"])).stop()
