"""Secrets at rest: random tokens stored as hashes, NemoVideo tokens encrypted with Fernet.

Nothing is hand-rolled: ``secrets`` makes the values, ``hashlib`` hashes them, ``hmac`` keys the
user lookup, and ``cryptography``'s Fernet (AES-CBC + HMAC, authenticated) encrypts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken


def new_secret() -> str:
    """A fresh code or token: 256 random bits, url-safe."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """What the database keeps of a code or token: its SHA-256 (the value is random, so unsalted
    is enough, and it lets one indexed lookup find it)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class SecretBox:
    """Encrypts what must be read back (NemoVideo tokens, client secrets) with NEMO_SECRET_KEY."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)
        # A separate key for lookups, derived so the encryption key itself is never used twice.
        self._lookup_key = hmac.new(key, b"nemo-user-lookup", hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def seal(self, plain: str) -> bytes:
        return self._fernet.encrypt(plain.encode("utf-8"))

    def open(self, sealed: bytes) -> str | None:
        """The plain value, or None if it was sealed with another key (NEMO_SECRET_KEY changed)."""
        try:
            return self._fernet.decrypt(sealed).decode("utf-8")
        except InvalidToken:
            return None

    def lookup(self, nemo_token: str) -> str:
        """A stable, keyed fingerprint of a NemoVideo token: finds its user without storing it."""
        return hmac.new(self._lookup_key, nemo_token.encode("utf-8"), hashlib.sha256).hexdigest()
