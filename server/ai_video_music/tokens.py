"""The anonymous token and client id, cached in NEMO_HOME (mode 0600) until they expire.

Anonymous tokens are rate limited per client and IP, so one is fetched only when none is
cached or the cached one expired or was refused. The client id outlives tokens: it is the
``?bind=`` value of the registration link.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import anyio

from .errors import local_state_error
from .fsutil import atomic_write_bytes, pid_alive, private_dir

log = logging.getLogger(__name__)

TOKEN_FILE = "token.json"  # noqa: S105 - a file name, not a secret
# Renew a little before the backend's expiry so a call never starts with a dying token.
EXPIRY_MARGIN_S = 300.0
# A lock older than this was left by a killed process.
STALE_LOCK_S = 60.0


@dataclass
class TokenRecord:
    client_id: str
    token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    user_id: str | None = None

    def usable(self, now: float | None = None) -> bool:
        if not self.token:
            return False
        if self.expires_at is None:
            return True
        return (now if now is not None else time.time()) < self.expires_at - EXPIRY_MARGIN_S


class TokenCache:
    """Reads and writes ``<home>/token.json``; a corrupt file is treated as absent."""

    def __init__(self, home: Path) -> None:
        self.path = home / TOKEN_FILE
        self._lock = home / (TOKEN_FILE + ".lock")

    @contextlib.asynccontextmanager
    async def locked(self, wait: float = 30.0) -> AsyncIterator[None]:
        """Hold a lock across server processes sharing NEMO_HOME, so only one fetches a token.

        An ``O_EXCL`` lock file works on every OS; a stale one (its owner was killed) is broken.
        A folder that can't be written raises :class:`LocalStateError` (its path, in words).
        """
        try:
            private_dir(self._lock.parent)
        except OSError as err:
            raise local_state_error(err, self._lock.parent) from None
        deadline = time.monotonic() + wait
        held = False
        while not held:
            try:
                fd = os.open(self._lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                with contextlib.suppress(OSError, ValueError):
                    with self._lock.open("rb") as fh:
                        owner = int(fh.read(32).strip() or b"0")
                    age = time.time() - self._lock.stat().st_mtime
                    # A lock whose owner is gone (killed mid-fetch) is broken at once, not after a wait.
                    if age > STALE_LOCK_S or (owner and not pid_alive(owner)):
                        self._lock.unlink()
                        continue
                if time.monotonic() > deadline:
                    break  # better a second fetch than a stuck server (the lock stays its owner's)
                await anyio.sleep(0.05)
                continue
            except OSError as err:
                raise local_state_error(err, self._lock.parent) from None
            held = True
            try:
                os.write(fd, str(os.getpid()).encode())
            except OSError as err:
                self._lock.unlink()  # a half-written lock (a full disk) must not block the next call
                raise local_state_error(err, self._lock.parent) from None
            finally:
                os.close(fd)
        try:
            yield
        finally:
            if held:
                with contextlib.suppress(FileNotFoundError):
                    self._lock.unlink()

    def _read_private(self) -> bytes:
        """The file's bytes, after taking away any group or other permission it had (a copy, an
        old version, a umask): the token in it is the user's account. A link is not followed."""
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ValueError("not a regular file")
            if info.st_mode & 0o077 and hasattr(os, "fchmod"):
                try:
                    os.fchmod(fh.fileno(), 0o600)
                    log.warning("%s was readable by other users; it is now private (0600)", self.path)
                except OSError:
                    # Someone else's file, say: a token others can read is not one to use.
                    raise ValueError("readable by others and can't be made private") from None
            return fh.read(1 << 20)

    def load(self) -> TokenRecord | None:
        try:
            raw = json.loads(self._read_private().decode("utf-8"))
            expires = raw.get("expires_at")
            return TokenRecord(
                client_id=str(raw["client_id"]),
                token=raw.get("token") if isinstance(raw.get("token"), str) else None,
                expires_at=float(expires) if isinstance(expires, int | float) else None,
                user_id=raw.get("user_id") if isinstance(raw.get("user_id"), str) else None,
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("token cache at %s is unreadable; a new free token will be fetched", self.path)
            return None

    def save(self, record: TokenRecord) -> None:
        try:
            atomic_write_bytes(self.path, json.dumps(asdict(record)).encode("utf-8"), mode=0o600)
        except OSError as err:
            raise local_state_error(err, self.path.parent) from None
