"""What the words ask of text on screen: none at all, where a quoted text goes (start, end, a
time, a span, a clip), a quoted text moved, removed or replaced, and which quoted texts are
wanted on screen.
"""

from __future__ import annotations

import re
from typing import Any

from ..naming import quoted, title_said_plainly
from ..timeline import Timeline
from .base import _QUOTED, Asked
from .words import (
    _ON_SCREEN,
    _ZH_NEGATED,
    _clauses,
    _is_request,
    _plainly,
    _the_title,
    _zh_gaps,
    _zh_number,
    zh_slips,
)

# --- no text on screen --------------------------------------------------------------------
# "words" only with "on screen": "I have no words" asks nothing.
_TEXT_EN = (
    r"(?:on[- ]screen\s+)?(?:text|titles?|captions?|subtitles?)(?:\s+on[- ]?screen)?|words\s+on[- ]?screen"
)
_EN_NO_TEXT = re.compile(
    rf"(?i)(?<![\w'])(?:(?:no|zero)\s+(?:{_TEXT_EN})|without\s+(?:any\s+)?(?:{_TEXT_EN})"
    rf"|(?:don'?t|do\s+not|never)\s+(?:add|use|put|put\s+in|include|want|need|show)\s+(?:any\s+)?{_TEXT_EN})"
)
_ZH_NO_TEXT = re.compile(
    r"(?:不要|不用|不加|别加|不需要|无|去掉|拿掉|删掉|删除)(?:任何)?(?:文字|字幕|标题|文案)"
)


# --- where a quoted text goes -------------------------------------------------------------------
# "在视频最后加一句字幕「下次见」", "put 'See you soon' at the end": the text's place is judged on the
# text track (a caption that landed at 0-3 s is not at the end), where one quoted text and one
# place stand in one sentence, outside the quote.
_ONE_QUOTE = re.compile('["“「『]([^"“”「」『』\n]{1,80})["”」』]' + r"|(?<!\w)'([^'\n]{1,80})'(?!\w)")
# "near the end", "towards the end", "the last few seconds", "快结束的时候": said loosely, still the end.
_FEW = r"(?:\d{1,3}|few|couple(?:\s+of)?|two|three|four|five|several)"
_AT_END = re.compile(
    r"(?i)\b(?:at|in|to|near|towards?|by|around|close\s+to)\s+the\s+(?:very\s+)?end\b|\b(?:ending|closing|outro)\b"
    r"|\bfinal\s+(?:caption|text|line|card)|\bend\s+of\s+the\s+(?:video|clip|reel)\b"
    r"|\b(?:the\s+)?(?:last|final)\s+" + _FEW + r"\s+(?:seconds?|secs?|s|moments?)\b"
    r"|\bthe\s+(?:last|final)\s+(?:second|moment)s?\b"
    r"|最后|结尾|片尾|末尾|收尾|快结束|结束前|结束时|结束的时候"
)
_AT_START = re.compile(
    r"(?i)\b(?:at|to|near|towards?|around|close\s+to)\s+the\s+(?:very\s+)?(?:start|beginning)\b|\b(?:opening|intro)\b"
    r"|\b(?:the\s+)?first\s+" + _FEW + r"\s+(?:seconds?|secs?|s|moments?)\b"
    r"|开头|片头|最前面|一开始|开场|刚开始|开始时|开始的时候|前\s*\d{1,3}\s*秒"
)
# Any other place for a text ("in the middle", "after the second photo", "第5秒", "中间"): not
# read, so never judged, and listed as not checked.
PLACE = re.compile(
    r"(?i)\b(?:in|at|near|towards?|around|during|after|before|over|on|from|until|between)\s+(?:the\s+)?"
    r"(?:middle|centre|center|halfway|\d|\w+\s+(?:photo|picture|pic|clip|image|slide|shot|scene|second|seconds))"
    r"|\b(?:midway|halfway)\b|中间|中段|中途|第\s*\d+|第[一二三四五六七八九十]+|\d+\s*秒(?:处|时|的时候|那里|左右)"
    r"|(?:放|加|移|挪|插|出现|显示)(?:在|到)?[^，,。「」“”]{0,10}?(?:之后|之前|以后|以前|后面|前面|中间)"
)
_ORIGIN = re.compile(
    r"(?i)\b(?:off|from|away\s+from)\s+the\s+(?:very\s+)?(?:start|beginning|end|opening)\b"
    r"|从(?:视频的?)?(?:开头|结尾|最后|片头|片尾|最前面|一开始)"
)
_SENTENCE_MARK = re.compile(r"[.!?。！？;；\n，,]")  # a clause: "…放到最前面，然后视频最后加「明年见」"


def _text_at(prompt: str) -> tuple[tuple[str, str], ...]:
    going = set(_removed(prompt)) | set(_replaced(prompt))
    # "「厦门三日」标题要在开头 「下次再见 厦门」放到最后3秒": two asks parted by a space (play22zh F8)
    text = _zh_gaps(prompt)
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group(0)), text)
    found: list[tuple[str, str]] = []
    start = 0
    for mark in [*_SENTENCE_MARK.finditer(masked), None]:
        end = mark.end() if mark is not None else len(text)
        outside, raw = masked[start:end], text[start:end]
        start = end
        quotes = ["".join(pair) for pair in _ONE_QUOTE.findall(raw)]
        if len(quotes) != 1 or not _is_request(outside.replace("\0", " ").strip() or "x"):
            continue
        # Where it comes from is not where it goes: "take 'X' off the start and put it at the end".
        outside = _ORIGIN.sub(" ", outside)
        at_end, at_start = _AT_END.search(outside), _AT_START.search(outside)
        if bool(at_end) != bool(at_start) and quotes[0].strip() not in going:
            found.append((quotes[0].strip(), "end" if at_end else "start"))
    return tuple(dict.fromkeys(found))


# --- a quoted text asked to move ------------------------------------------------------------------
# "move 'Made it!' to the end", "shift 'Before' a bit later", "把「A」挪到最后": a move is as asked only
# when the text's place changed to where asked; on screen where it was, it did not move (play25en F2).
_MOVE = re.compile(
    r"(?i)\b(?:move|moving|moved|shift|push|drag|slide|nudge|reposition|relocate)\b|挪|移到|移动|移至"
)


def moved_quotes(prompt: str) -> tuple[str, ...]:
    """The quoted texts ``prompt`` asks to move: one quote in a clause with a verb of moving."""
    text = _zh_gaps(prompt)
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group(0)), text)
    found: list[str] = []
    start = 0
    for mark in [*_SENTENCE_MARK.finditer(masked), None]:
        end = mark.end() if mark is not None else len(text)
        outside, raw = masked[start:end], text[start:end]
        start = end
        quotes = ["".join(pair).strip() for pair in _ONE_QUOTE.findall(raw)]
        if (
            len(quotes) == 1
            and _MOVE.search(outside)
            and _is_request(outside.replace("\0", " ").strip() or "x")
        ):
            found.append(quotes[0])
    return tuple(dict.fromkeys(found))


def _span(text: str, tl: Timeline | None) -> tuple[float, float | None] | None:
    """Where ``text`` first is on the text tracks of ``tl`` (start, end), or None."""
    wanted = text.casefold()
    for tr in tl.tracks if tl is not None else ():
        if tr.kind != "text":
            continue
        for seg in tr.segments:
            if seg.name and wanted in seg.name.casefold():
                return seg.start_s, seg.end_s
    return None


def not_moved(prompt: str, asked: Asked, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """Each text asked to move that is where it was before the request (by start and end): not
    moved, a fact, whatever the agent says, even where it was already at the place asked (a move
    is as asked only when the place changed to where asked). The texts: those quoted in a clause
    of moving, and the one title named unquoted ("move the caption to the end")."""
    names = list(moved_quotes(prompt))
    if asked.title_at is not None and before is not None and _MOVE.search(_QUOTED.sub(" ", prompt)):
        title = _the_title(before)
        if title is not None:
            names.append(title)
    out: list[dict[str, Any]] = []
    for text in dict.fromkeys(names):
        was, now = _span(text, before), _span(text, after)
        if was is None or now is None:
            continue
        if abs(was[0] - now[0]) <= 0.25 and (
            was[1] is None or now[1] is None or abs(was[1] - now[1]) <= 0.25
        ):
            found = f"{now[0]:g}-{now[1]:g}" if now[1] is not None else f"{now[0]:g}"
            out.append({"kind": "text_not_moved", "name": text, "found": found})
    return out


# --- a quoted text asked with a clip ---------------------------------------------------------------
_SHOT = r"(?:shot|photo|picture|pic|image|clip|slide|scene|snap|one)"
_EN_TEXT_CLIP_START = re.compile(
    r"(?i)\b(?:when|as\s+soon\s+as|as|once|the\s+moment)\s+(?:the\s+|my\s+|our\s+|that\s+)?"
    r"(?P<w>[\w'-]+(?:\s+[\w'-]+){0,2}?)\s+" + _SHOT + r"s?\s+"
    r"(?:shows\s+up|appears|comes\s+(?:up|on|in)|starts|begins|pops\s+up|is\s+shown|shows|kicks\s+in)\b"
    r"|\bat\s+the\s+(?:start|beginning)\s+of\s+the\s+(?P<w2>[\w'-]+(?:\s+[\w'-]+){0,2}?)\s+" + _SHOT + r"\b"
)
_EN_TEXT_CLIP_DURING = re.compile(
    r"(?i)\b(?:on|over|during|with)\s+(?:the\s+|my\s+|our\s+|that\s+)"
    r"(?P<w>[\w'-]+(?:\s+[\w'-]+){0,2}?)\s+" + _SHOT + r"\b"
)
_NOT_A_CLIP_WORD = frozenset(
    ("first", "last", "second", "third", "next", "final", "opening", "other", "same")
)


def _text_clip(prompt: str) -> tuple[tuple[str, str, str], ...]:
    """(text, clip word, "start"|"during") for each clause with one quote and a clip it goes with."""
    text = _zh_gaps(prompt)
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group(0)), text)
    found: list[tuple[str, str, str]] = []
    start = 0
    for mark in [*_SENTENCE_MARK.finditer(masked), None]:
        end = mark.end() if mark is not None else len(text)
        outside, raw = masked[start:end], text[start:end]
        start = end
        quotes = ["".join(pair).strip() for pair in _ONE_QUOTE.findall(raw)]
        if len(quotes) != 1 or not _is_request(outside.replace("\0", " ").strip() or "x"):
            continue
        for pattern, how in ((_EN_TEXT_CLIP_START, "start"), (_EN_TEXT_CLIP_DURING, "during")):
            match = pattern.search(outside)
            word = (match.group("w") or match.groupdict().get("w2") or "") if match else ""
            if word and word.casefold() not in _NOT_A_CLIP_WORD:
                found.append((quotes[0], word, how))
                break
    return tuple(dict.fromkeys(found))


# --- a quoted text asked at a time ----------------------------------------------------------------
# "「洗澡前」改到第1秒出现", "第8秒出现「洗澡后」", "字幕「洗澡前」在1秒的时候出现", "show 'Before' at 1s",
# "'After' at the 8 second mark", "move 'Before' to 1s": one quote and one time point in a clause.
# A span ("第3到6秒", "from 3 to 6 s") is read as a span (below); "前3秒", "for 3 seconds" not at all.
_ZH_TEXT_TIME = re.compile(
    r"(?<![前后每到至\d])(?:第\s*)?(\d{1,3}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*秒(?:钟)?"
    r"(?:的时候|时|处|那里|那儿|开始)?\s*(?:就|再|才)?(?:开始)?(?:出现|显示|出来|弹出|冒出来)"
    # "在第6秒加上字幕「翻新后」", "第3秒的时候打上标题「A」": a text put at a point (play24zh F4); never
    # "加一个6秒的字幕" (how long) nor "前3秒加字幕" (a span)
    r"|(?<![前后每到至\d])(?:在|从)\s*(?:第\s*)?(\d{1,3}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*秒(?:钟)?"
    r"(?:的时候|时|处|那里|那儿)?\s*(?:再|就)?(?:开始)?(?:加上|加入|加|放上|放|打上|插入|添加|显示|出现)"
    r"|(?<![前后每到至\d在从])第\s*(\d{1,3}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*秒(?:钟)?"
    r"(?:的时候|时|处|那里|那儿)?\s*(?:再|就)?(?:加上|加入|放上|打上|插入|添加)"
)
_EN_TEXT_TIME = re.compile(
    r"(?i)\b(?:at|to)\s+(?:the\s+)?(\d{1,3}(?:\.\d)?)\s*(?:-\s*)?(?:s|secs?|seconds?)(?:\s+mark)?\b"
    r"(?!\s*(?:to|-|–|until|till|through)\s*\d)"
)
_TIME_SPAN = re.compile(
    r"(?i)\d\s*(?:秒钟?)?\s*(?:到|至|-|–|~|～)\s*第?\s*\d|\bfrom\s+(?:the\s+)?\d|\bbetween\b|\bfor\s+\d"
    r"|\b(?:first|last)\s+\d"
)
# A quoted text asked on screen over a span ("0到5秒显示「装修前」", "从第5秒到第10秒显示文字「装修后」",
# "show 'Before' from 0 to 5 seconds", "'After' 5-10s"): (text, from, to), judged against where it
# starts and ends on the text track (play22zh F4). "前5秒"/"the first 5 seconds" is read elsewhere.
_ZH_TEXT_SPAN = re.compile(
    r"(?<![前后每\d.])(?:从)?\s*(?:第\s*)?(\d{1,3}(?:\.\d)?)\s*(?:秒(?:钟)?)?\s*(?:到|至|-|–|~|～)\s*"
    r"(?:第\s*)?(\d{1,3}(?:\.\d)?)\s*秒(?:钟)?(?:之间|的时候|时|内)?"
)
_EN_TEXT_SPAN = re.compile(
    r"(?i)(?<![\w.])(?:from\s+(?:the\s+)?)?(\d{1,3}(?:\.\d)?)\s*(?:s|secs?|seconds?)?\s*(?:to|-|–|until|till|through)\s*"
    r"(\d{1,3}(?:\.\d)?)\s*(?:s|secs?|seconds?)\b|\bbetween\s+(\d{1,3}(?:\.\d)?)\s*(?:s|secs?|seconds?)?\s+and\s+"
    r"(\d{1,3}(?:\.\d)?)\s*(?:s|secs?|seconds?)\b"
)


def _time_of(outside: str) -> tuple[float, float | None] | None:
    """The one time point (start, None) or span (start, end) ``outside`` (a clause's words around
    one quote) asks for a text; None for none, or more than one."""
    spans = [*_ZH_TEXT_SPAN.finditer(outside), *_EN_TEXT_SPAN.finditer(outside)]
    if spans:
        if len(spans) != 1:
            return None
        a, b = (float(g) for g in spans[0].groups() if g is not None)
        return (a, b) if a < b <= 900 else None
    if _TIME_SPAN.search(outside):
        return None  # a span said some other way ("for 3 seconds", "the first 3 seconds")
    times = [*_ZH_TEXT_TIME.finditer(outside), *_EN_TEXT_TIME.finditer(outside)]
    said = next((g for g in times[0].groups() if g is not None), None) if len(times) == 1 else None
    value = _zh_number(said) if said is not None else None
    return (value, None) if value is not None and value < 600 else None


def _timed_quotes(prompt: str) -> list[tuple[str, float, float | None]]:
    """The quoted texts asked at a time point or over a span: one per clause, or in a clause of
    several quotes each after its own time ("0-5秒显示「A」 5-10秒显示「B」")."""
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group(0)), _zh_gaps(prompt))
    raw_text = _zh_gaps(prompt)
    found: list[tuple[str, float, float | None]] = []
    start = 0
    untimed: str | None = None  # the one quote of the clause before, said with no time
    for mark in [*_SENTENCE_MARK.finditer(masked), None]:
        end = mark.end() if mark is not None else len(raw_text)
        outside, raw = masked[start:end], raw_text[start:end]
        start = end
        before, untimed = untimed, None
        if not _is_request(outside.replace("\0", " ").strip()):
            continue
        quotes = [(m.start(), m.end(), "".join(m.groups("")).strip()) for m in _ONE_QUOTE.finditer(raw)]
        if not quotes and before is not None and time_only(outside):
            # "加上字幕「下次见」，放在12到15秒", "…「今日份拉花」，第1秒出现": the quote's own time
            # (play26zh F8, F15)
            timed = _time_of(outside)
            if timed is not None:
                found.append((before, *timed))
        if len(quotes) == 1:
            timed = _time_of(outside)
            if timed is not None:
                found.append((quotes[0][2], *timed))
            elif mark is not None and mark.group(0) in ",，":
                untimed = quotes[0][2]
        elif len(quotes) > 1:
            # each quote with the words between the one before it and itself; none after the last
            cuts = [0, *(q[1] for q in quotes)]
            each = [_time_of(outside[cuts[i] : q[0]]) for i, q in enumerate(quotes)]
            if all(each) and _time_of(outside[quotes[-1][1] :]) is None:
                found += [(q[2], *timed) for q, timed in zip(quotes, each, strict=True) if timed]
    return list(dict.fromkeys(found))


# What may be said around a time that places the text before it, and nothing more.
_TIME_FILLER = re.compile(
    r"(?i)放在|放到|摆在|显示在|出现在|停在|在|从|开始|出现|显示|出来|弹出|的时候|时|吧|就行|就好|即可|的|要|让它|它"
    r"|\b(?:put|show|place|have|it|them|at|from|please|pls|and|then|appear(?:s|ing)?|on\s+screen)\b|[\s.!。！,，]"
)


def time_only(clause: str) -> bool:
    """``clause`` says only a time for a text ("放在12到15秒", "第1秒出现", "show it at 2s")."""
    spans = [*_ZH_TEXT_SPAN.finditer(clause), *_EN_TEXT_SPAN.finditer(clause)]
    times = spans or [*_ZH_TEXT_TIME.finditer(clause), *_EN_TEXT_TIME.finditer(clause)]
    if len(times) != 1:
        return False
    rest = clause[: times[0].start()] + clause[times[0].end() :]
    return not _TIME_FILLER.sub("", rest)


def _text_time(prompt: str) -> tuple[tuple[str, float], ...]:
    """The quoted texts asked to appear at a time (see above)."""
    return tuple((text, at) for text, at, until in _timed_quotes(prompt) if until is None)


def _text_span(prompt: str) -> tuple[tuple[str, float, float], ...]:
    """The quoted texts asked on screen over a span (see above)."""
    return tuple((text, at, until) for text, at, until in _timed_quotes(prompt) if until is not None)


TEXT_TIME_TOLERANCE = 0.5

# On screen from start to end: "the whole vid", "the entire time", "for all 10 sec", "全程", "从头到尾".
WHOLE_TIME = re.compile(
    r"(?i)\b(?:the\s+)?(?:whole|entire|full)\s+(?:vid|video|clip|time|thing|way|length)\b"
    r"|\b(?:for\s+)?all\s+\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\b|\ball\s+the\s+(?:way|time)\s+through\b"
    r"|\bstart\s+to\s+(?:finish|end)\b|全程|从头到尾|一直(?:显示|在|都在|挂着|保留)|整个视频(?:都|一直)?(?:显示|在)"
)


def _text_whole(prompt: str) -> tuple[str, ...]:
    """The quoted text asked on screen the whole video: a request clause that says so, with the one
    text the request quotes ("title should say 'X' … and keep it on screen the whole vid")."""
    quotes = list(dict.fromkeys(q.strip() for q in quoted(prompt) if q.strip()))
    if len(quotes) != 1:
        return ()
    text = _QUOTED.sub(" ", prompt)
    for sentence in re.findall(r"[^.!?。！？;；\n]+[.!?。！？;；]?", text):
        if _is_request(sentence.strip()) and WHOLE_TIME.search(sentence) and not _NOT_WHOLE.search(sentence):
            return (quotes[0],)
    return ()


# "not the whole video", "don't keep it the whole time": never asked whole.
_NOT_WHOLE = re.compile(
    r"(?i)\b(?:not|n't|never)\s+(?:\w+\s+){0,4}?(?:the\s+)?(?:whole|entire|all)\b|不要全程|别全程"
)


def _text_segments(text: str, tl: Timeline) -> list[Any]:
    wanted = text.casefold()
    return [
        seg
        for tr in tl.tracks
        if tr.kind == "text"
        for seg in tr.segments
        if seg.name and wanted in seg.name.casefold()
    ]


# --- quoted texts asked to go, or to be replaced ---------------------------------------------------
# A quote is stood in for by a mark ("\ue000<n>\ue001") so the words around it can be read.
_MARK = re.compile("\ue000(\\d+)\ue001")
_M = "\ue000\\d+\ue001"
_EN_REMOVE = re.compile(
    r"(?i)\b(?:remove|delete|drop|erase|ditch|lose|kill|scrap|hide|clear|strip(?:\s+out)?"
    r"|take\s+(?:out|off|away|down)|get\s+rid\s+of|cut(?=\s+(?:the|that|this|out|" + _M + r")))\b"
)
# "take 'X' off", "'X' has to go", "no 'X' title", "without the 'X' text"
_EN_REMOVE_AROUND = re.compile(
    r"(?i)\btake\s+(?:the\s+)?(" + _M + r")\s+(?:\w+\s+)?(?:out|off|away|down)\b"
    r"|(" + _M + r")\s+(?:\w+\s+)?(?:has|needs|should|can|must|has\s+got)\s+(?:to\s+)?go\b"
    r"|\b(?:no|without(?:\s+the)?)\s+(" + _M + r")"
)
# A verb that starts another ask: the removal's reach ends before it.
_EN_OTHER_VERB = re.compile(
    r"(?i)\b(?:add|put|make|change|set|keep|move|use|replace|swap|switch|turn|show|insert|write|type|call"
    r"|name|lower|raise|place|include|leave|want|need|give|create|rename|title|caption|display)\b(?!\s+(?:either|both))"
)
# A text taken from one place and put at another is moved, not removed: "take 'X' off the start
# and put it at the end", "把「A」从开头删掉，放到结尾" (a place it comes from, and one it goes to).
_MOVED = re.compile(r"(?i)\b(?:put|move|place|stick|bring)\s+(?:it|them)\b|它们?(?:放|挪|移|加)")
_PLACED = re.compile(r"(?i)\b(?:put|move|place|add|stick|bring|show)\b|(?:放|挪|移|加)(?:到|在)|挪|移动")
# "remove everything except 'Hello'", "remove the blur from 'Sunset'": the removal stops there.
_EN_REACH_END = re.compile(r"(?i)\b(?:except|but|instead|apart|other\s+than|from|besides)\b")
_EN_NEGATED_VERB = re.compile(r"(?i)\b(?:don'?t|do\s+not|never|not|no\s+need\s+to|won'?t|shouldn'?t)\s+$")
# After a comma, the removal goes on over what only names more things ("remove the music, the
# title and 'Bye'"), never over a new ask.
_EN_MORE_THINGS = re.compile(
    r"(?i)^\s*(?:and\s+|or\s+|plus\s+|as\s+well\s+as\s+)?(?:the|that|this|those|these|a|an|all|any|both|"
    + _M
    + r")"
)
_ZH_REMOVE = r"(?:删掉|删除|删了|删去|去掉|去除|拿掉|拿走|移除|撤掉|撤下|取消|不要了?|别要了?|去了)"
_ZH_BETWEEN = r"[那这个行句条的标题字幕文字文案开头结尾上面里中间最后头也都就给我帮把将]{0,8}"
_ZH_REMOVE_AFTER = re.compile("(" + _M + ")" + _ZH_BETWEEN + _ZH_REMOVE + r"(?:吧|了|啊|呀|掉)*\s*$")
_ZH_AND_MORE = re.compile(_M + r"|[和跟及以、的字这那行句条个标题字幕文字文案吧了啊呀也都]|\s")
_ZH_REMOVE_BEFORE = re.compile("(?<!不)(?<!别)(?<!不用)" + _ZH_REMOVE + _ZH_BETWEEN + "(" + _M + ")")
_REPLACE = re.compile(
    "(?i)(" + _M + r")\s*(?:(?:title|text|caption|标题|字幕|文字)\s*)?(?:to|with|for|into|→|->|=>|"
    r"改成|换成|改为|换为|替换成|替换为|变成|改叫|换作)\s*(?:(?:the\s+)?(?:title|text|caption)\s+)?(?:"
    + _M
    + ")"
)
_EN_CHANGE = re.compile(r"(?i)\b(?:change|replace|swap|switch|rename|turn|update|edit|fix|correct|from)\b")


def _marked(prompt: str) -> tuple[str, list[str]]:
    quotes: list[str] = []

    def mark(m: re.Match[str]) -> str:
        quotes.append("".join(g or "" for g in m.groups()).strip())
        return f"\ue000{len(quotes) - 1}\ue001"

    return _ONE_QUOTE.sub(mark, prompt), quotes


# "“我的视频”太土了", "'My video' is so cheesy": a quoted text the user dislikes, beside a new one
# asked, is one to go, never one asked to be there (play23zh F2).
_DISLIKED = re.compile(
    "("
    + _M
    + r")\s*(?:这个|那个|这句)?(?:标题|字幕|文字|文案)?(?:也|就|真的?|实在)?(?:太|有点|好|特别|超|挺)"
    r"(?:土|丑|难看|俗|俗气|老土|老气|low|LOW|烂|傻|尬|尴尬|普通|没意思)(?:了|啦|吧|啊|呀|哈)*\s*[。！!]?\s*$"
    r"|(?i:(" + _M + r")\s+(?:is|was|looks|sounds|'s|feels)\s+(?:so\s+|too\s+|really\s+|kinda\s+|a\s+bit\s+)*"
    r"(?:tacky|cheesy|lame|ugly|boring|cringe|cringy|corny|dated|bland|meh)\s*[.!]*\s*$)"
)


def _removed(prompt: str) -> tuple[str, ...]:
    """The quoted texts the words ask to go (not in a question, a condition or a negation)."""
    marked, quotes = _marked(_zh_gaps(prompt))  # "把「A」删掉 标题换回「B」": two clauses
    found: list[int] = []
    for sentence in re.findall(r"[^.!?。！？;；\n]+", marked):
        moved = _MOVED.search(sentence) or (_ORIGIN.search(sentence) and _PLACED.search(sentence))
        if not _is_request(_MARK.sub(" ", sentence)) or moved:
            continue
        for m in _EN_REMOVE_AROUND.finditer(sentence):
            found += [int(_MARK.match(g).group(1)) for g in m.groups() if g]  # type: ignore[union-attr]
        for verb in _EN_REMOVE.finditer(sentence):
            if _EN_NEGATED_VERB.search(sentence[: verb.start()]):
                continue
            reach, rest = "", sentence[verb.end() :]
            for n, piece in enumerate(re.split(r"[,，、]", rest)):
                if n and not _EN_MORE_THINGS.match(piece):
                    break
                other = _EN_OTHER_VERB.search(piece) or _EN_REACH_END.search(piece)
                reach += piece[: other.start()] if other else piece
                if other:
                    break
            found += [int(i) for i in _MARK.findall(reach)]
        for clause in re.split(r"[,，;；]", sentence):
            for m in _DISLIKED.finditer(clause.strip()):
                found.append(int(_MARK.match(m.group(1) or m.group(2)).group(1)))  # type: ignore[union-attr]
            for m in _ZH_REMOVE_AFTER.finditer(clause):
                found.append(int(_MARK.match(m.group(1)).group(1)))  # type: ignore[union-attr]
            for m in _ZH_REMOVE_BEFORE.finditer(clause):
                # "不要把「A」改成「B」" asks for no removal: only names may follow the quote.
                after = _ZH_AND_MORE.sub("", clause[m.end() :])
                if not _ZH_NEGATED.search(clause[: m.start()]) and not after.strip():
                    found.append(int(_MARK.match(m.group(1)).group(1)))  # type: ignore[union-attr]
                    found += [int(i) for i in _MARK.findall(clause[m.end() :])]  # "删掉「A」和「B」"
    return tuple(dict.fromkeys(quotes[i] for i in found if quotes[i]))


def _replaced(prompt: str) -> tuple[str, ...]:
    """The quoted texts the words ask to be replaced by another quoted text."""
    marked, quotes = _marked(prompt)
    found: list[str] = []
    for m in _REPLACE.finditer(marked):
        chinese = not re.search(r"(?i)[a-z>→]", m.group(0).replace(m.group(1), ""))
        if chinese or _EN_CHANGE.search(marked[max(0, m.start() - 60) : m.start()]):
            found.append(quotes[int(_MARK.match(m.group(1)).group(1))])  # type: ignore[union-attr]
    return tuple(dict.fromkeys(q for q in found if q))


# A quoted project the words go to or speak in: "回到小满那个「视频 2」", "切到「山间小院」",
# "「视频 2」那个项目", "back to 'Holiday teaser'", "switch to the 'Grandpa' project".
_PROJECT_REF = re.compile(
    r"(?:回到|切回到?|切到|切换到|换到|转到|打开|去)[^，,。！？!?\ue000\ue001]{0,10}?(?:那个|这个)?\s*("
    + _M
    + ")"
    r"|(" + _M + r")\s*(?:(?:那个|这个)(?:项目|视频|片子)?|项目|工程)"
    r"|(?i:\b(?:back\s+to|switch(?:ing)?\s+(?:back\s+)?to|go(?:ing)?\s+(?:back\s+)?to|open|return\s+to)"
    r"\s+(?:the\s+|my\s+)?(" + _M + r"))"
    r"|(?i:\bthe\s+(" + _M + r")\s+(?:project|video|one)\b)"
)


def _projects(prompt: str) -> tuple[str, ...]:
    marked, quotes = _marked(prompt)
    found = [int(_MARK.match(g).group(1)) for m in _PROJECT_REF.finditer(marked) for g in m.groups() if g]  # type: ignore[union-attr]
    back = set(_title_back(prompt))  # "change the title back to 'Home'" goes to no project
    return tuple(dict.fromkeys(quotes[i] for i in found if quotes[i] and quotes[i] not in back))


# A title asked back ("标题换回「住过的都说好」", "把标题改回「X」", "change the title back to 'X'",
# "restore the old title 'X'"): the quoted text is asked to be on screen as the title again.
_TITLE_BACK = re.compile(
    r"(?:标题|片名|大标题|主标题)(?:也|再|就|都)?(?:给我)?(?:换回|改回|变回|恢复成|恢复为|恢复到|还原成|还原为|还原到|回到|换回到|改回到)"
    r"(?:成|为|到)?(?:原来的|之前的|以前的)?\s*(" + _M + ")"
    r"|(?i:\b(?:title|heading|headline)\s+(?:text\s+)?back\s+to\s+(?:the\s+)?(?:old\s+|original\s+|previous\s+)?(?:one\s+|title\s+)?,?\s*("
    + _M
    + r"))"
    r"|(?i:\b(?:restore|bring\s+back|put\s+back)\s+(?:the\s+)?(?:old\s+|original\s+|previous\s+)?(?:title|heading)\s*,?\s*("
    + _M
    + r"))"
)


def _title_back(prompt: str) -> tuple[str, ...]:
    """The quoted texts asked back as the title (not in a question or a negation)."""
    marked, quotes = _marked(prompt)
    found: list[str] = []
    for sentence in re.findall(r"[^.!?。！？;；\n]+", marked):
        if not _is_request(_MARK.sub(" ", sentence)):
            continue
        for m in _TITLE_BACK.finditer(sentence):
            if _EN_NEGATED_VERB.search(sentence[: m.start()]) or re.search(
                r"(?:不要|别|不用)(?:把|将)?$", sentence[: m.start()]
            ):
                continue
            found += [quotes[int(_MARK.match(g).group(1))] for g in m.groups() if g]  # type: ignore[union-attr]
    return tuple(dict.fromkeys(q for q in found if q))


def wanted_quotes(prompt: str, stated: Asked, projects: tuple[str, ...] = ()) -> list[str]:
    """The quoted texts the request asks to be on the video: not a name given to the video
    ("叫「开业倒计时」"), nor a text asked to go or to be replaced ('change "A" to "B"': only B),
    nor a project the words go to ("回到「视频 2」") or one of the user's ``projects`` by name."""
    going = (stated.named_only, stated.given_name, *stated.removed, *stated.replaced, *stated.projects)
    # A project's name asked as the title or at a place ("标题改成「山间小院」") is still asked for.
    shown = {stated.title, *(text for text, _ in stated.text_at)}
    names = {p.casefold() for p in projects if p not in shown and not _on_screen_ask(prompt, p)}
    wanted = [q for q in quoted(prompt) if q not in going and q.casefold() not in names]
    # A title said without quotes ("标题改成 萌宠日") is asked for as much as a quoted one (play27zh F4).
    plain = title_said_plainly(zh_slips(prompt))
    if plain and plain == stated.title and plain not in wanted and plain not in going:
        wanted.append(plain)
    return wanted


def _on_screen_ask(prompt: str, text: str) -> bool:
    """A clause quoting ``text`` speaks of text on screen or a place ("标题改成「X」", "结尾加上「X」")."""
    marked, quotes = _marked(_zh_gaps(prompt))
    for clause in re.split(r"[,，。.!?！？;；\n]", marked):
        marks = _MARK.findall(clause)
        # with another quote beside it ("给「视频 2」结尾加上「下一站见」") the words are the other's
        if len(marks) == 1 and quotes[int(marks[0])] == text:
            outside = _MARK.sub(" ", clause)
            if _ON_SCREEN.search(outside) or _AT_END.search(outside) or _AT_START.search(outside):
                return True
    return False


def present(text: str, tl: Timeline) -> bool:
    """``text`` is on screen: in the name of a segment on ``tl`` that is no clip and no music (a
    text track, or one of a kind not known here), case-insensitively. A photo's file name holding
    the words ("客厅装修前" for 「装修前」) puts no caption on screen (play22zh F2)."""
    return _present(text, tl)


def _present(text: str, tl: Timeline) -> bool:
    wanted = text.casefold()
    return any(
        wanted in seg.name.casefold()
        for tr in tl.tracks
        if tr.kind not in ("video", "audio")
        for seg in tr.segments
        if seg.name
    )


def in_clip_names(text: str, tl: Timeline) -> list[str]:
    """The clips and music on ``tl`` whose name holds ``text`` (a file's name, never a caption)."""
    wanted = text.casefold()
    names = (
        seg.name
        for tr in tl.tracks
        if tr.kind in ("video", "audio")
        for seg in tr.segments
        if seg.name and wanted in seg.name.casefold()
    )
    return list(dict.fromkeys(names))[:3]


# --- shape -----------------------------------------------------------------------------------
def _no_text(sentences: list[str]) -> bool:
    return any(
        _plainly(clause, _EN_NO_TEXT, _ZH_NO_TEXT) for sentence in sentences for clause in _clauses(sentence)
    )
