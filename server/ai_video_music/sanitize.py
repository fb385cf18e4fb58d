"""Untrusted text made safe to show, store and serialise.

The backend (and the local file system) can hand us strings that break or mislead what
reads them: a lone UTF-16 surrogate (a JavaScript string cut inside an emoji) can't be
encoded as UTF-8, so it kills the stdio writer and SQLite; terminal escapes and bidi
overrides rewrite what a person sees; a non-finite number breaks JSON. Every path that
takes backend text into a tool result or the store passes it through here.
"""

from __future__ import annotations

import math
import re
from typing import Any

REPLACEMENT = "\ufffd"
ELLIPSIS = "…"

_SURROGATE = re.compile("[\ud800-\udfff]")
# ANSI/VT escape sequences (CSI, OSC, and two-character escapes), then any other control
# character except tab and newline, C1 controls, and bidi overrides/isolates.
_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-Z\\-_]?"  # other escapes, or a bare ESC
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def fix_surrogates(text: str) -> str:
    """Lone surrogates (and undecodable file-name bytes) become U+FFFD; nothing else changes."""
    if text.isascii():  # the common case, without a regex scan
        return text
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def clean_text(text: str, limit: int | None = None) -> str:
    """Text safe for a person's screen: no surrogates, escapes or control characters
    (tab and newline stay; ``\\r\\n`` becomes ``\\n``), at most ``limit`` characters."""
    if not text.isascii() or not text.isprintable():
        text = _UNSAFE.sub("", fix_surrogates(text.replace("\r\n", "\n")))
    return cap(text, limit) if limit is not None else text


def one_line(text: str, limit: int | None = None) -> str:
    """Text for a field shown on one line (a file name, a tool name, an error message): as
    :func:`clean_text`, with every run of whitespace one space and the ends trimmed.

    Our answers put the server's own guidance at the start of a line ("Next (for the
    assistant):"); a backend string that could break a line (``\\n``, U+2028/2029, NEL, a
    vertical tab) could start such a line of its own. ``str.split()`` knows every Unicode
    line break and space, so nothing the backend writes begins a line of our answer.
    """
    # Split before cleaning too, so a line break that is also a control character (NEL, a
    # vertical tab) separates words instead of vanishing between them.
    text = " ".join(clean_text(" ".join(text.split())).split())
    return cap(text, limit) if limit is not None else text


def cap(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + ELLIPSIS


def finite(value: Any) -> float | None:
    """A real, finite number from a backend value, else None (``Infinity``, ``NaN``, ``1e999``, ``"²"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) < 1e15 else None
    if isinstance(value, float):
        return value if math.isfinite(value) and abs(value) < 1e15 else None
    if isinstance(value, str):
        text = value.strip()
        # float() accepts "inf", "nan" and "1_000"; only plain ASCII decimals are numbers here.
        word = text.lower().lstrip("+-")
        if not text or not text.isascii() or "_" in text or word.startswith(("inf", "nan")):
            return None
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) and abs(number) < 1e15 else None
    return None


def whole(value: Any) -> int | None:
    """A whole number from a backend value (an error code sent as 2001, "2001" or 2001.0), else None."""
    number = finite(value)
    return int(number) if number is not None and number == int(number) else None


def clean_json(value: Any, depth: int = 0) -> Any:
    """A parsed JSON value with every string's surrogates fixed and non-finite numbers nulled.

    Keys and values keep their meaning (ids are not stripped of characters here: the
    caller validates them); the walk stops at a depth no honest answer reaches.
    """
    if isinstance(value, str):
        return fix_surrogates(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth > 64:
        return None
    if isinstance(value, dict):
        return {fix_surrogates(str(k)): clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v, depth + 1) for v in value]
    return value
