"""Atomic, private file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import uuid_utils


def temp_sibling(path: Path) -> Path:
    """A unique hidden name next to ``path``, so ``os.replace`` stays on one filesystem."""
    return path.with_name(f".{path.name}.{uuid_utils.uuid4().hex[:12]}.part")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (POSIX; on Windows, assume it does:
    there ``os.kill`` would terminate it)."""
    if os.name == "nt" or pid <= 0:
        return os.name == "nt"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents as 0700, whatever the umask (``mkdir -p`` gives
    parents the umask's mode: world-writable under ``umask 000``). Existing folders are left as
    they are: they are the user's."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically with permissions ``mode`` from the first byte."""
    private_dir(path.parent)
    tmp = temp_sibling(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # umask may have narrowed or (on odd systems) widened it
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
