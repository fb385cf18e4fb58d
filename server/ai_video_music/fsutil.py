"""Atomic, private file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
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


# What link() says on a file system without hard links (FAT, some network shares).
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK})


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` atomically with permissions ``mode`` from the first byte.

    ``exclusive``: never replace an existing ``path`` (FileExistsError instead), for a file that
    must not overwrite another (a backup of the user's config)."""
    private_dir(path.parent)
    tmp = temp_sibling(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # umask may have narrowed or (on odd systems) widened it
        if not exclusive:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # complete, and only where nothing is yet (EEXIST otherwise)
        except OSError as err:
            if err.errno not in _NO_LINKS or os.path.lexists(path):
                raise
            os.replace(tmp, path)  # no hard links here: checked just before instead
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def make_private(paths: Iterable[Path]) -> list[Path]:
    """Take group and other permissions away from those of ``paths`` that are our own regular
    files (a link, a FIFO or someone else's file is left alone, never followed or opened
    blocking). Returns the paths that were tightened; a path that can't be is skipped."""
    if not hasattr(os, "fchmod"):
        return []  # Windows: files inherit the folder's ACL
    tightened = []
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue  # absent, a link, unreadable
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.fchmod(fd, 0o600)
                tightened.append(path)
        except OSError:
            pass
        finally:
            os.close(fd)
    return tightened
