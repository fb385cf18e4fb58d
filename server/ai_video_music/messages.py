"""Every sentence the server writes itself, in English and Chinese (简体), in one catalogue.

``t(key, lang, **params)`` renders one entry; a :class:`Msg` is an entry not rendered yet
(errors and job labels carry them until the language of the answer is known). A test
checks that every entry has both languages with the same placeholders.
"""

from __future__ import annotations

import locale
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["en", "zh"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> Lang | None:
    """``zh`` for text with Chinese characters, ``en`` for Latin words, None when it can't tell
    (a path, a number, an emoji): then the previous language stands."""
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return None


def parse_language(value: str | None) -> Lang | None:
    """``zh``, ``zh-CN``, ``zh_TW.UTF-8``, ``Chinese`` → zh; ``en…`` → en; anything else None."""
    raw = (value or "").strip().lower()
    if raw.startswith(("zh", "chinese")):
        return "zh"
    if raw.startswith(("en", "english", "c.", "posix")) or raw == "c":
        return "en"
    return None


def locale_language(env: Mapping[str, str]) -> Lang:
    """The OS's language: the default before the user has said anything."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        found = parse_language(env.get(name))
        if found:
            return found
    try:
        found = parse_language(locale.getlocale()[0])
    except ValueError:
        found = None
    return found or "en"


def backend_language(lang: Lang) -> str:
    """The value the backend's session takes (``en`` or ``zh-CN``)."""
    return "zh-CN" if lang == "zh" else "en"


@dataclass(frozen=True)
class Msg:
    """A catalogue entry and its parameters, rendered once the answer's language is known."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        return t(self.key, lang, **self.params)


def msg(key: str, **params: Any) -> Msg:
    return Msg(key, params)


def t(key: str, lang: Lang, /, **params: Any) -> str:
    """Render ``key`` in ``lang``; :class:`Msg` parameters are rendered in the same language."""
    en, zh = CATALOGUE[key]
    values = {k: v.render(lang) if isinstance(v, Msg) else v for k, v in params.items()}
    return (zh if lang == "zh" else en).format(**values)


# (English, 简体中文). Placeholders in braces; both sides use the same ones.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- joining words -------------------------------------------------------------------------
    "list.sep": (", ", "、"),
    "sentence.sep": (" ", ""),
}
