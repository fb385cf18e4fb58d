"""Keep tokens out of logs: a logging filter that masks anything token-shaped."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
    re.compile(r"nmv_[A-Za-z0-9_\-\.]{4,}"),
    re.compile(r"(?i)(\"?token\"?\s*[:=]\s*\"?)[^\s\"',}]+"),
]


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask known secrets and token-shaped substrings in ``text``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
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
