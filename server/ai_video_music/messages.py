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
    # --- timeline (timeline.py: summaries and change lists) ---------------------------------------
    "timeline.empty": ("Timeline is empty.", "时间线是空的。"),
    "timeline.head": ("Timeline: {facts}.", "时间线：{facts}。"),
    "timeline.facts.sep": (", ", "，"),
    "timeline.track.sep": (" ", "；"),
    "timeline.seconds": ("{n}s", "{n} 秒"),
    "timeline.frame": ("{w}x{h} ({ratio})", "{w}x{h}（{ratio}）"),
    "timeline.tracks": ("{n} tracks", "{n} 条轨道"),
    "timeline.tracks.one": ("1 track", "1 条轨道"),
    "timeline.track": ("{index}. {label}: {clips}", "{index}. {label}：{clips}"),
    "timeline.track.empty": ("(empty)", "（空）"),
    "timeline.kind.video": ("Video", "视频"),
    "timeline.kind.audio": ("BGM", "背景音乐"),
    "timeline.kind.text": ("Title", "标题"),
    "timeline.kind.other": ("Track", "轨道"),
    "timeline.clip": ("{name} ({span})", "{name}（{span}）"),
    "timeline.clip.volume": ("{name} ({span}, {volume})", "{name}（{span}，{volume}）"),
    "timeline.span": ("{start}-{end}s", "{start}-{end} 秒"),
    "timeline.span.open": ("from {start}s", "{start} 秒起"),
    "timeline.quoted": ('"{text}"', "“{text}”"),
    "timeline.untitled": ("untitled", "未命名"),
    "timeline.volume.default": ("default", "默认"),
    "timeline.more": ("+{n} more", "另有 {n} 个"),
    "timeline.more_tracks": ("+{n} more tracks", "另有 {n} 条轨道"),
    "timeline.clips": ("{n} clips", "{n} 个片段"),
    "timeline.clips.one": ("1 clip", "1 个片段"),
    "timeline.diff.frame": ("Frame: {old} → {new}", "画面：{old} → {new}"),
    "timeline.diff.length": ("Length: {old} → {new}", "时长：{old} → {new}"),
    "timeline.diff.change": ("{label}: {old} → {new}", "{label}：{old} → {new}"),
    "timeline.diff.volume": ("Music volume: {old} → {new}", "音乐音量：{old} → {new}"),
    "timeline.diff.volume.named": (
        "Music volume ({name}): {old} → {new}",
        "音乐音量（{name}）：{old} → {new}",
    ),
    "timeline.diff.count": ("{label}: {old} → {new}{detail}", "{label}：{old} → {new}{detail}"),
    "timeline.diff.detail": (" ({detail})", "（{detail}）"),
    "timeline.diff.detail.sep": ("; ", "；"),
    "timeline.diff.added_names": ("added {names}", "新增 {names}"),
    "timeline.diff.removed_names": ("removed {names}", "删除 {names}"),
    "timeline.diff.added": ("Added {label}: {clips}", "新增{label}：{clips}"),
    "timeline.diff.removed": ("Removed {label}: {clips}", "删除{label}：{clips}"),
    "timeline.diff.more": ("+{n} more changes", "另有 {n} 处变化"),
}
