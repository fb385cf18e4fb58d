"""The test modules' rewritten code, made once per run by the main process and read by every
xdist worker.

pytest rewrites each test module's ``assert`` statements before running it and keeps the result as
a ``.pyc`` file in ``__pycache__``. On a fresh checkout (CI) none exist yet, so each of the four
workers rewrote all ~100 test modules at once, about 1.5 s of CPU per process; with
``PYTHONDONTWRITEBYTECODE`` (set on many CI machines and containers) it keeps nothing, and they did
so on every run. Here the main process rewrites them before the workers start: into pytest's own
``__pycache__`` folders, or with the variable set, into a folder of pytest's cache (never next to
the sources), and every process reads them from there. A cached file is used only while it
matches its source (pytest checks it): an edited test is rewritten as before. Only pytest's own
files move: ``sys.pycache_prefix`` would also hide the installed packages' bytecode (every process
would compile them again).
"""

from __future__ import annotations

import fnmatch
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

FOLDER_ENV = "NEMO_TEST_REWRITTEN"  # the folder, handed from the main process to its workers


def read_shared() -> None:
    """In every process, before the test modules are imported: pytest's rewritten modules are
    looked up (and, in the main process, written) in the run's folder."""
    folder = os.environ.get(FOLDER_ENV)
    if not folder or not sys.dont_write_bytecode:
        return
    try:  # pytest's own rewriting is private: a pytest that moved it only loses the speed-up
        from _pytest.assertion import rewrite
    except ImportError:
        return
    rewrite.get_cache_dir = lambda source: _cache_dir(Path(folder), Path(source))  # type: ignore[attr-defined]


def write_shared(config: pytest.Config, fallback: Path) -> None:
    """In the main process (pytest_configure, before the workers start): rewrite the run's test
    modules. ``fallback``: a folder of this run, used when pytest's cache is switched off."""
    if config.getoption("assertmode", "rewrite") != "rewrite":
        return
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _read_pyc,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
        )

        state = config.stash[assertstate_key]
    except (ImportError, KeyError):
        return
    if sys.dont_write_bytecode:
        cache = getattr(config, "cache", None)
        folder = cache.mkdir("rewritten") if cache is not None else fallback / "rewritten"
        where = lambda source: _cache_dir(folder, source)  # noqa: E731
    else:  # a fresh checkout: pytest's own __pycache__ folders, made here once instead of in every worker
        where = get_cache_dir
    patterns = [*config.getini("python_files"), "conftest.py"]
    stale: list[tuple[Path, Path]] = []
    for source in _sources(config):
        if not any(fnmatch.fnmatch(source.name, pattern) for pattern in patterns):
            continue
        pyc = where(source) / (source.name[:-3] + PYC_TAIL)
        if _read_pyc(source, pyc) is None:
            pyc.parent.mkdir(parents=True, exist_ok=True)
            stale.append((source, pyc))
    # A fresh checkout rewrites ~120 modules, ~6 s of CPU while no worker has started: a forked
    # child takes every other one, so both cores work (pytest has started no thread yet).
    child = os.fork() if len(stale) > 8 and (os.cpu_count() or 1) > 1 else -1
    try:
        for source, pyc in stale[child == 0 :: 2 if child >= 0 else 1]:
            with warnings.catch_warnings(record=True) as warned:
                warnings.simplefilter("always")
                source_hash, code = _rewrite_test(source, config)
            if warned:  # an always-true assert, say: left to the worker, whose collection reports it
                continue
            _write_pyc(state, code, source_hash, pyc)
    finally:
        if child == 0:
            os._exit(0)  # the child's share is written; nothing of pytest's may run twice
    if child > 0:
        os.waitpid(child, 0)
    if sys.dont_write_bytecode:
        os.environ[FOLDER_ENV] = str(folder)
        read_shared()


def _cache_dir(folder: Path, source: Path) -> Path:
    """Where pytest keeps ``source``'s rewritten module under ``folder`` (as with pycache_prefix)."""
    return folder.joinpath(*source.resolve().parts[1:-1])


def _sources(config: pytest.Config) -> Iterator[Path]:
    """The Python files the run imports: all of a folder it names; a file it names and the
    conftest.py files above it (not its neighbours: rewriting them would cost more than it saves)."""
    seen: set[Path] = set()
    root = config.rootpath.resolve()
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path.is_dir():
            found: list[Path] = sorted(path.rglob("*.py"))
        else:
            above = [folder for folder in path.parents if folder == root or root in folder.parents]
            found = [path, *(folder / "conftest.py" for folder in above)]
        for source in found:
            if source not in seen and source.is_file():
                seen.add(source)
                yield source
