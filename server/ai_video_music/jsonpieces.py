"""JSON read and written in pieces, so a worker thread busy with a huge draft lets the event loop run.

The C encoder and decoder hold the GIL for a whole call: ``json.loads`` of a 4 MB draft in a
worker thread stops every other session for ~0.3 s, a canonical ``json.dumps`` of it for ~0.4 s.
Here the top of the document is walked in Python and only bounded pieces go to C (subtrees
below a fixed depth when reading; at most ``BATCH`` small items when writing), so the GIL
changes hands between pieces. The results are exactly those of the one-shot calls, at about
their speed.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

CANONICAL: dict[str, Any] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": True}
BATCH = 256  # small items per encoder call
SMALL = 64  # values in a small item, nested ones included (a clip; a hostile draft's tiny track)
# When reading, values this deep are parsed by C at once: in a draft answer, one track each
# (data/state/draft/t are walked). One level deeper, a hostile 200,000-track draft costs 200,000
# dicts walked in Python: 2-3x the one-shot parse; at this depth about its time.
C_DEPTH = 5

_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_ENCODER = json.JSONEncoder(**CANONICAL)  # made once: json.dumps with options makes one a call
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # json.decoder's own (not exported)

# --- writing ---------------------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """``json.dumps(value, sort_keys=True, separators=(",", ":"))``, the same text, in pieces.

    Raises ``TypeError`` for a key that is not a string (the one-shot dump converts some:
    callers fall back to it), and whatever ``json.dumps`` raises.
    """
    out: list[str] = []
    _pieces(value, out)
    return "".join(out)


def _small(value: Any) -> bool:
    """A plain value, or a container of at most ``SMALL`` values all told, nested ones included."""
    return _left(value, SMALL) >= 0


def _left(value: Any, budget: int) -> int:
    """``budget`` less the values in ``value``; negative once over (it stops looking there)."""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return budget - 1
    if kind is dict:
        items: Any = value.values()
    elif kind is list:
        items = value
    else:
        return -1
    budget -= 1
    if len(value) > budget:
        return -1
    for item in items:
        budget = _left(item, budget)
        if budget < 0:
            return -1
    return budget


def _pieces(value: Any, out: list[str]) -> None:
    if _small(value):
        out.append(_ENCODER.encode(value))
    elif isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise TypeError("a key that is not a string")
        out.append("{")
        for n, key in enumerate(sorted(value)):
            out.append(("," if n else "") + _ENCODER.encode(key) + ":")
            _pieces(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for start in range(0, len(value), BATCH):
            part = list(value[start : start + BATCH])
            if start:
                out.append(",")
            if all(map(_small, part)):
                out.append(_ENCODER.encode(part)[1:-1])  # "[a,b]" without its brackets
                continue
            for n, item in enumerate(part):
                if n:
                    out.append(",")
                _pieces(item, out)
        out.append("]")
    else:
        out.append(_ENCODER.encode(value))


# --- reading ---------------------------------------------------------------------------------

Scan = Callable[[str, int], tuple[Any, int]]
# The stdlib's own parsers of one object / array, which take the scanner of their values.
_OBJECT: Callable[..., tuple[Any, int]] = json.decoder.JSONObject  # type: ignore[attr-defined]
_ARRAY: Callable[..., tuple[Any, int]] = json.decoder.JSONArray  # type: ignore[attr-defined]


def _scanners(depth: int) -> Scan:
    """A scanner for the stdlib's object/array parsers: objects and arrays shallower than
    ``depth`` are walked by them (in Python), anything else is parsed by the C scanner at once."""
    decoder = json.JSONDecoder()
    c_scan: Scan = json.scanner.c_make_scanner(decoder)  # type: ignore[attr-defined]
    levels: list[Scan] = [c_scan]
    for _ in range(depth):
        levels.append(_walker(levels[-1], c_scan))
    return levels[-1]


def _walker(inner: Scan, c_scan: Scan) -> Scan:
    def scan(text: str, idx: int) -> tuple[Any, int]:
        try:
            first = text[idx]
        except IndexError:
            raise StopIteration(idx) from None
        if first == "{":
            return _OBJECT((text, idx + 1), True, inner, None, None, {})
        if first == "[":
            return _ARRAY((text, idx + 1), inner)
        return c_scan(text, idx)

    return scan


_SCAN = _scanners(C_DEPTH)


def _skip_space(text: str, idx: int) -> int:
    found = _WHITESPACE.match(text, idx)
    return found.end() if found else idx


def loads_in_pieces(raw: bytes) -> Any:
    """``json.loads(raw)``, the same value (or the same ``ValueError``), in pieces."""
    text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    idx = _skip_space(text, 0)
    try:
        value, end = _SCAN(text, idx)
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from None
    end = _skip_space(text, end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value
