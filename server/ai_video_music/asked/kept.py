"""Unquoted texts and the title asked to stay, move or go, and each clip's length: asks mostly
judged on the change (the timeline before against the one after), with their readers and the
checks that need no ``met``.
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import _EN_POLITE, Asked
from .frames import _FRAME_WORD, _ZH_NOT_AGAIN
from .texts import _present
from .words import _clauses, _plainly, _texts, _zh_number

# --- the music quieter or louder ------------------------------------------------------------------
_EN_KEEP_TITLE = re.compile(
    r"(?i)^\s*(?:and\s+)?(?:please\s+)?(?:(?:keep|leave)\s+the\s+(?:opening\s+|original\s+|current\s+|existing\s+|first\s+)?"
    r"title(?:\s+(?:as\s+it\s+is|alone|unchanged|the\s+same|where\s+it\s+is|at\s+the\s+(?:start|beginning)|untouched))?"
    r"|(?:don'?t|do\s+not|never)\s+(?:\w+\s+)?(?:touch|change|move|remove|replace|swap|mess\s+with)\s+(?:the|my)\s+"
    r"(?:opening\s+|original\s+|first\s+)?title(?:\s+(?:again|this\s+time|either|at\s+the\s+(?:start|beginning)))?"
    r"|the\s+(?:opening\s+|original\s+|first\s+)?title\s+stays(?:\s+(?:as\s+it\s+is|the\s+same|put))?)"
    r"(?:\s+please)?\s*[.!]*\s*$"
)
_ZH_KEEP_TITLE = re.compile(
    r"^(?:再|并|然后|但|但是|不过)?(?:(?:开头|片头|原来|最前面|前面)的?)?标题(?:也|就|要|请)?"
    r"(?:别动|不要动|不动|保留(?:不动)?|留着|不变|不要改|别改|不用改|保持不变|保持原样|不要换|别换)"
    r"|^(?:再|并|然后|但|但是|不过)?(?:保留|别动|不要动|别改|不要改|不要换|别换)(?:(?:开头|片头|原来|最前面)的?)?标题"
    # "别又把开头标题给我换了", "别把标题换了", "不要再改标题了"
    r"|^(?:再|并|然后|但|但是|不过|还有)?(?:千万)?(?:别|不要|不准|不许|不能)(?:再|又)?(?:给我)?(?:把|将)?"
    r"(?:(?:开头|片头|原来|最前面|前面)的?)?标题(?:也|又|再)?(?:给我)?(?:换|改|动|删|换掉|改掉|删掉|去掉|弄没)(?:了|掉)?"
    r"|^(?:再|并|然后|但|但是|不过|还有)?(?:千万)?(?:别|不要|不准|不许|不能)(?:再|又)?(?:给我)?"
    r"(?:换|改|动|删|换掉|改掉|删掉|去掉)(?:开头|片头|原来|最前面|前面)?的?标题"
)


# --- a text asked to stay, or the title asked at a place (unquoted) --------------------------------
_TEXT_NOUN = r"(?:title|caption|heading|headline|label|subtitle|text)"
_EN_TITLE_AT = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:(?:put|move|place|have|show|set|shift|bring)\s+)?"
    r"(?:the|that|this|my|our)\s+(?:(?:main|opening|big|new|same|shop)\s+)?" + _TEXT_NOUN
    + r"(?:\s+(?:text|card))?\s+(?:at|to|for)\s+the\s+(?:very\s+)?"
    r"(?P<where>end|ending|back|start|beginning|front)"
    r"(?:\s+of\s+the\s+(?:video|clip|reel|slideshow))?"
    # "… not the start", "… instead of the beginning": where it is not to be, said again
    r"(?:\s*,?\s*(?:(?:and\s+)?not|instead\s+of|rather\s+than)\s+(?:at\s+)?the\s+(?:very\s+)?"
    r"(?:start|beginning|front|end))?(?:\s+instead)?(?:\s+(?:please|pls|plz))?\s*[.!。！]?\s*$"
)  # fmt: skip
_ZH_TITLE_AT = re.compile(
    r"^(?:请|麻烦|再|然后)?(?:帮我)?(?:把|将)?(?:那个|这个)?(?:标题|片名)(?:放|挪|移|调|改)(?:到|在)(?:视频的?)?"
    r"(?P<where>最后面?|结尾|末尾|开头|最前面?|最开始)(?:去)?(?:吧|就行|就好)?\s*[。！]?\s*$"
)
# Where a text asked at a place is not to be, said as a piece of its own ("…at the end, not the
# start", "放到最后，不要在开头"): the same ask, judged with it.
NOT_THERE = re.compile(
    r"(?i)^\s*(?:and\s+|but\s+)?(?:not|instead\s+of|rather\s+than)\s+(?:at\s+|in\s+)?the\s+(?:very\s+)?"
    r"(?:start|beginning|front|end)(?:\s+of\s+the\s+(?:video|clip))?\s*[.!]?\s*$"
    r"|^(?:不要|别|不是|而不是)(?:放)?(?:在)?(?:视频的?)?(?:开头|结尾|最前面|最后面?)\s*[。！]?\s*$"
)
_NOT_A_TEXT_NAME = (
    r"(?!(?:"
    + _FRAME_WORD[3:-1]
    + r"|opening|original|current|existing|first|old|same|other|last|new|previous"
    r"|whole|music|song|track|photo|picture|pic|clip|video|it|them|one|title|caption|text)\b)"
)
_EN_KEEP_TEXT = re.compile(
    r"(?i)^\s*(?:(?:and|but|also|please|pls)\s+)*(?:keep|leave|(?:don'?t|do\s+not|never)\s+"
    r"(?:remove|delete|touch|lose|drop|cut))\s+(?:the|that|this|my|our)\s+" + _NOT_A_TEXT_NAME
    + r"(?P<w>[\w'&-]+(?:\s+[\w'&-]+){0,2}?)\s+(?:one|title|caption|text|label|subtitle|heading)"
    r"(?:\s+(?:too|as\s+well|as\s+it\s+is|where\s+it\s+is|please|pls|tho|though"
    r"|(?:at|in)\s+the\s+(?:start|beginning|end|top|bottom)))*\s*[.!]*\s*$"
)  # fmt: skip
_ZH_KEEP_TEXT = re.compile(
    r"^(?:但|但是|不过|还有)?(?:把)?(?!开头|片头|原来|最前面|前面|之前|横|竖|方)(?P<w>[^\s，,。、的那这把]{1,12}?)"
    r"(?:的|那个|这个|这句|那句)?(?:字幕|文字|标题|字)(?:也|还)?(?:要)?"
    r"(?:留着|保留|别删|不要删|别动|不要动|不动)(?:吧|啊)?\s*[。！]?\s*$"
)


def _title_at(sentences: list[str]) -> str | None:
    found: set[str] = set()
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = _EN_TITLE_AT.match(clause) or _ZH_TITLE_AT.match(clause)
            if match is not None:
                where = match.group("where").casefold()
                last = where in ("end", "ending", "back") or where.startswith(("最后", "结尾", "末尾"))
                found.add("end" if last else "start")
    return found.pop() if len(found) == 1 else None


def _keep_text(sentences: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = _EN_KEEP_TEXT.match(clause) or _ZH_KEEP_TEXT.match(clause)
            if match is not None:
                found.append(match.group("w").strip())
    return tuple(dict.fromkeys(found))


def texts_stay(asked: Asked, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """Texts asked to stay unquoted ("keep the Before one"), judged on the change: each word that
    names a text on the timeline before (its whole name, or whole words of it), still there after
    it or not (``met``). A word that names no text then is not judged."""
    if not asked.keep_text or before is None:
        return []
    out: list[dict[str, Any]] = []
    for word in asked.keep_text:
        wanted = word.casefold()
        pattern = re.compile(r"(?<![^\W_])" + re.escape(wanted) + r"(?![^\W_])")
        named = [
            seg.name
            for seg in _texts(before)
            if seg.name.casefold() == wanted or pattern.search(seg.name.casefold())
        ]
        if len(set(named)) != 1:
            continue
        now = {seg.name.casefold() for seg in _texts(after)}
        out.append({"kind": "text_stays", "name": named[0], "met": named[0].casefold() in now})
    return out


def removed_gone(asked: Asked, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """Quoted texts asked to go that a text track had before the request and none has after it:
    gone, said so, though a clip's name may still hold the words (a photo kitchen_before.jpg and
    the title "Before": play22en F4)."""
    if before is None or not after.read_whole:  # gone from the part read may be past it (A24-3)
        return []
    return [
        {"kind": "text_removed", "name": text}
        for text in asked.removed
        if _present(text, before) and not _present(text, after)
    ]


_EN_DROP_TITLE = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:just\s+)?(?:remove|delete|drop|cut|get\s+rid\s+of|take\s+(?:out|off))\s+"
    r"(?:the|that|this|my)\s+(?:opening\s+|current\s+|old\s+)?"
    # the title named by its words, unquoted: "get rid of the my video title" (play28en F9); never
    # one named by a place (judged as the title at the start)
    r"(?:(?!(?:end|ending|closing|last|second|final|bottom|outro|other|new|next)\b)[\w'&-]+\s+){0,3}?"
    r"(?:title|heading|headline)"
    r"(?:\s+(?:text|card))?(?:\s+(?:too|as\s+well|please|pls|then))*\s*[.!]*\s*$"
)
_ZH_DROP_TITLE = re.compile(
    r"^(?:再|并|然后|请|麻烦|帮我)*(?:把|将)?(?:开头的?|片头的?)?标题(?:给我)?(?:去掉|删掉|删了|删除|拿掉|去了|不要了)(?:吧|了)*[。！]?$"
    r"|^(?:再|并|然后|请|麻烦|帮我)*(?:去掉|删掉|删除|拿掉)(?:开头的?|片头的?)?标题(?:吧|了)*[。！]?$"
)


# "每张图4秒", "每张照片停留2秒", "each photo 2 seconds", "3 seconds per photo": each clip's length.
_CLIP_NOUN_EN = r"(?:photo|picture|pic|image|clip|shot|slide)s?"
_EN_CLIP_SECONDS = re.compile(
    r"(?i)\b(?:each|every|per)\s+"
    + _CLIP_NOUN_EN
    + r"\s+(?:(?:for|at|is|gets|lasts|shows\s+for)\s+)?(?:about\s+)?"
    r"(\d{1,2}(?:\.\d)?)\s*(?:-\s*)?(?:seconds?|secs?|s)\b"
    r"|\b(\d{1,2}(?:\.\d)?)\s*(?:-\s*)?(?:seconds?|secs?|s)\s+(?:per|for\s+each|each|a|an)\s+"
    + _CLIP_NOUN_EN
    + r"\b"
)
_ZH_CLIP_SECONDS = re.compile(
    r"每(?:一)?(?:张|个|段|幅)(?:图|照片|图片|片段|镜头|素材)?(?:都|就|各)?(?:停留|显示|放|是|为|播)?\s*"
    r"(\d{1,2}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*秒"
)


def _clip_seconds(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        for m in [*_EN_CLIP_SECONDS.finditer(sentence), *_ZH_CLIP_SECONDS.finditer(sentence)]:
            value = _zh_number(next(g for g in m.groups() if g))
            if value is not None and 0 < value <= 60:
                found.add(value)
    return found.pop() if len(found) == 1 else None


def _clip_lengths(tl: Timeline) -> list[float]:
    return [
        round(seg.end_s - seg.start_s, 1)
        for tr in tl.tracks
        if tr.kind == "video"
        for seg in tr.segments
        if seg.end_s is not None
    ]


def title_dropped(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """A title asked to go ("remove the title"), judged on the change: the title before (the one
    text there was, else the one at the start) is on no text track after it (``met``), or still is."""
    if not asked.drop_title or before is None:
        return None
    texts = [seg for tr in before.tracks if tr.kind == "text" for seg in tr.segments if seg.name]
    names = {seg.name for seg in texts}
    title = next(iter(names)) if len(names) == 1 else next((s.name for s in texts if s.start_s < 0.5), None)
    if title is None:
        return None
    gone = not _present(title, after)
    return {"kind": "text_removed" if gone else "text_kept", "name": title, "met": gone}


def _keep_title(sentences: list[str]) -> bool:
    return any(
        _plainly(clause, _EN_KEEP_TITLE, _ZH_KEEP_TITLE)
        for sentence in sentences
        for clause in _clauses(_ZH_NOT_AGAIN.sub("又", sentence))
    )
