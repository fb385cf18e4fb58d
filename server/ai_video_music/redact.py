"""Keep secrets out of everything a person or a file sees.

The token values this process knows (``NEMO_TOKEN``, every anonymous token it fetched) are
registered here once, and :func:`redact` masks them, plus anything token-shaped, wherever
text is built for a log line, an error, a tool result or the store. A backend that echoes
the token back is the case this guards against.
"""

from __future__ import annotations

import logging
import re
import threading

_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
    re.compile(r"nmv_[A-Za-z0-9_\-\.]{4,}"),
    re.compile(r"(?i)(\"?(?:token|authorization)\"?\s*[:=]\s*\"?)[^\s\"',}]+"),
]
_MIN_SECRET = 6  # shorter values would mask ordinary words

_known: set[str] = set()
_known_lock = threading.Lock()


def remember_secret(value: str | None) -> None:
    """Register a secret value so every later :func:`redact` masks it, wherever it appears."""
    if value and len(value.strip()) >= _MIN_SECRET:
        with _known_lock:
            _known.update({value, value.strip()})


def mask_known(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask only the known secret values: safe for text that must keep its shape (a stored
    download URL with ``?token=`` in it stays usable), where :func:`redact` would cut more."""
    for secret in (*secrets, *_known):
        if secret and secret in text:
            text = text.replace(secret, "***")
    return text


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask known secrets and token-shaped substrings in ``text``."""
    text = mask_known(text, secrets)
    if "nmv_" in text or any(w in text.lower() for w in ("bearer", "token", "authorization")):
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites every record's message with :func:`redact` before any handler formats it."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), self.secrets)
        return True
