"""Big answers are read and fingerprinted in pieces (so other sessions are not held up): the
values and fingerprints are exactly those of the one-shot calls, errors included."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_video_music.jsonpieces import C_DEPTH, canonical_json, loads_in_pieces
from ai_video_music.models import decode_big_body, decode_body

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=5), inner, max_size=8),
    max_leaves=200,
)
# A quarter of the profile's count (25 by default, derandomized; 250 under
# --hypothesis-profile=fuzz): the sizes the pieces turn on (deeper than the walked levels, wider
# than a batch), which these rarely reach, have a test of their own.
BIG_EXAMPLES = max(25, settings.default.max_examples // 4)


def _nested(depth: int) -> Any:
    value: Any = {"n": [1, 2.5, "x", None, True]}
    for level in range(depth):
        value = [value, {"k": value, "e": []}] if level % 2 else {"a": value, "b": {}}
    return value


@settings(max_examples=BIG_EXAMPLES)
@given(_JSON, st.sampled_from(["", " ", "\n\t"]))
def test_an_answer_reads_as_the_one_shot_parse_reads_it(value: Any, space: str) -> None:
    raw = (space + json.dumps(value, indent=1 if space else None) + space).encode()
    assert loads_in_pieces(raw) == json.loads(raw)
    assert canonical_json(value) == json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_deeper_than_the_walked_levels_and_wider_than_a_batch() -> None:
    deep = {"data": {"state": {"draft": _nested(C_DEPTH + 4)}}, "wide": [[i, {"i": i}] for i in range(600)]}
    raw = json.dumps(deep).encode()
    assert loads_in_pieces(raw) == json.loads(raw)
    assert decode_big_body(raw) == decode_body(raw)
    assert canonical_json(deep) == json.dumps(deep, sort_keys=True, separators=(",", ":"))


@pytest.mark.parametrize(
    "raw", [b"", b"  ", b"[1,", b'{"a": 1} x', b"\xff", b'{"a" 1}', b"[" * 100_000 + b"]" * 100_000]
)
def test_a_broken_answer_is_refused_as_before(raw: bytes) -> None:
    assert decode_big_body(raw) is None and decode_body(raw) is None
