"""One agent text costs in proportion to its length (issue 17 #8, attack7 A3; attack10 A1).

The agent's SSE text "Done. http://x" followed by 19,986 ")" (inside sse.MAX_TEXT_CHARS) made the
link trim quadratic: 1.3 s per reading of the agent's words, read several times per answer on the
event loop, so one generate held every session ~4 s. Then "mailto:" repeated without an "@": the
link pattern's mail alternative looked for the "@" to the end of the text from every "mailto:"
(20,000 characters 13 times an honest text; an 80,000-character backend error message 1.5 s, an
8 MB one hours). Cost is compared with an honest text of the same length in the same run (a
ratio, not a clock), and the words are judged once per answer. Every form of link the pattern
knows is fuzzed for cost that grows faster than the text (twice the text, about twice the cost).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from ai_video_music import agentlinks, replies
from ai_video_music.agentlinks import MAX_URL_CHARS, checked_words, defanged
from ai_video_music.messages import t

from .conftest import cost_ratio

SIZE = 20_000
HOSTILE = {
    "closing parens": "Done. http://x" + ")" * (SIZE - 14),
    "long link": "Done. https://example.com/" + "a" * (SIZE - 26),
    "parens then link": "Done. https://example.com/(" + ")" * (SIZE - 27),
    "mailto without an @": ("Done. " + "mailto:" * SIZE)[:SIZE],
    "schemes without //": ("Done. " + "http:" * SIZE)[:SIZE],
    "open brackets": "Done. " + "[" * (SIZE - 6),
    "distinct short hosts": " ".join(f"a{i}.co" for i in range(SIZE))[:SIZE],
    "distinct short schemes": " ".join(f"x{i}:y" for i in range(SIZE))[:SIZE],
}
# The pieces every alternative of the link pattern (and the markdown one) starts, stops or turns on.
PIECES = [
    *("mailto:", "http:", "https://", "javascript:", "x://", "a.co", ".co", "www.", "//", "\\\\", "/\\"),
    *("a", "1", "é", "é.", "-", ".", ":", "@", "/", "?", "#", " ", "\n", "(", ")", "[", "]", "](", "!["),
    *("<", ">", '"', "&#58;", "\\:", "xn--", "127.0.0.1", "7f000001.nip.io"),
]
HONEST = ("Done. Your video is ready at https://nemovideo.com/workspace/v1 (12 s, piano). " * 300)[:SIZE]


def _judged_fresh(words: str) -> Callable[[], object]:
    def run() -> object:
        agentlinks.refused.cache_clear()  # each run judges its links anew
        return checked_words(words, "en")

    return run


def test_hostile_agent_text_costs_like_an_honest_one() -> None:
    for name, words in HOSTILE.items():
        # Quadratic was ~25x the honest text here; linear work on the same length is about 1x.
        assert cost_ratio(_judged_fresh(words), _judged_fresh(HONEST)) <= 3, name


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join))
def test_no_link_form_costs_more_than_its_length(unit: str) -> None:
    half = (unit * (SIZE // 2 // len(unit) + 1))[: SIZE // 2]
    whole = (unit * (SIZE // len(unit) + 1))[:SIZE]
    # Linear: twice the text, about twice the cost; quadratic is four times (and 13x at 20,000).
    assert cost_ratio(_judged_fresh(whole), _judged_fresh(half)) <= 3, unit


def test_trailing_parens_are_trimmed_and_a_very_long_link_is_refused() -> None:
    assert checked_words("see http://127.0.0.1/x)))", "en").endswith(")))")
    assert "127.0.0.1/x" not in checked_words("see http://127.0.0.1/x)))", "en")
    kept = "https://en.wikipedia.org/wiki/Foo_(bar)"
    assert checked_words(f"({kept})", "en") == f"({kept})"
    huge = "https://example.com/" + "a" * MAX_URL_CHARS
    assert checked_words(huge, "en") == t("agent.link_removed", "en", host=defanged("https:"))


def test_agent_words_are_judged_once_per_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def counting(words: str, lang: str) -> str:
        calls.append(words)
        return words

    replies._said.cache_clear()
    monkeypatch.setattr(replies, "checked_words", counting)
    first = [replies._said("Done, one of a kind 7a.", "en") for _ in range(5)]
    assert first == ["Done, one of a kind 7a."] * 5
    assert len(calls) == 1
    replies._said.cache_clear()
