"""The anonymous token and client id, cached in NEMO_HOME (mode 0600) until they expire.

Anonymous tokens are rate limited per client and IP, so one is fetched only when none is
cached or the cached one expired or was refused. The client id outlives tokens: it is the
``?bind=`` value of the registration link.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .fsutil import atomic_write_bytes

log = logging.getLogger(__name__)

TOKEN_FILE = "token.json"  # noqa: S105 - a file name, not a secret
# Renew a little before the backend's expiry so a call never starts with a dying token.
EXPIRY_MARGIN_S = 300.0


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

    def load(self) -> TokenRecord | None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return TokenRecord(
                client_id=str(raw["client_id"]),
                token=raw.get("token"),
                expires_at=raw.get("expires_at"),
                user_id=raw.get("user_id"),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("token cache at %s is unreadable; a new free token will be fetched", self.path)
            return None

    def save(self, record: TokenRecord) -> None:
        atomic_write_bytes(self.path, json.dumps(asdict(record)).encode("utf-8"), mode=0o600)
