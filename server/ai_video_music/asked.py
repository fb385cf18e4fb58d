"""What a request verifiably asks of the timeline, from the user's words only, and whether the
timeline after the turn has it: no music, a length, a shape, a music volume (a limit or a level),
no text, which clip comes first or last.

An agent that ignores "no music" (and adds a track anyway) answers as if all went well; only the
timeline tells. These checks are deliberately narrow: a constraint is read only where the words
leave no doubt (a plain clause such as "no music", "6 seconds", "square", "不要音乐", "6 秒",
"方形"), never inside quoted text (a caption), a question, a condition, a negation of the
constraint itself, or a time span ("the first 3 seconds", "每张 2 秒"). Words that match nothing
ask nothing: a missed constraint costs less than a false alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .naming import quoted_name, title_from
from .timeline import Timeline


class Shape(StrEnum):
    VERTICAL = "vertical"
    SQUARE = "square"
    HORIZONTAL = "horizontal"


@dataclass(frozen=True)
class Asked:
    """The constraints a request states; ``seconds`` and ``shape`` None when it states none
    (or more than one, which is not a constraint to check)."""

    no_music: bool = False
    seconds: float | None = None
    shape: Shape | None = None
    named_only: str | None = None  # the video's name, given without asking for an on-screen title
    no_text: bool = False  # "no text on screen", "不要字幕": no title or text track
    music_under: float | None = None  # "music under 30%": every music segment's volume below it
    music_at_most: bool = False  # the limit itself is allowed ("at most 30%", "30% 以下", "不超过 30%")
    new_music: bool = False  # "swap the music for …" / "把音乐换成…": another track than before
    title: str | None = None  # a title asked for on screen: "put the title 'Fresh Every Morning' first"
    # A quoted name a new video is given ("New video: 'Croissant Day' — …"): the words don't say
    # whether it is to be shown, so it is neither missing when absent nor unasked when shown.
    given_name: str | None = None
    # "set the music to about 20%", "音量调到 20%": a level, met within ``VOLUME_TOLERANCE``.
    music_at: float | None = None
    # "put the beach photo first", "把海滩那张放最后": (the user's word for the clip, "first"/"last").
    order: tuple[tuple[str, str], ...] = ()
    # A quoted text asked for at the start or the end ("「下次见」 at the end"): (text, "start"|"end").
    text_at: tuple[tuple[str, str], ...] = ()


# Quoted text is what the video shows, never an instruction: masked before reading.
_QUOTED = re.compile("[\"“「『《‘][^\"“”「」『』《》‘’\n]{0,200}[\"”」』》’]|(?<!\\w)'[^'\n]{1,200}'(?!\\w)")
_SENTENCE = re.compile(r"[^.!?。！？;；\n]+[.!?。！？;；]*")
_CLAUSE = re.compile(
    r"[,，、()（）]|(?<!\d)\s*[—–]\s*(?!\d)|(?<!\d)\s-\s(?!\d)|(?<!\d)[:：](?!\d)|\band\b|\bbut\b|\bplus\b|(?:并且|而且|然后|再)"
)
# A sentence that asks about the video or sets a condition states nothing to check.
_EN_NOT_A_REQUEST = re.compile(
    r"(?i)^\s*(?:is|are|was|were|does|did|do(?!\s+(?:not|a|an|one|me|another)\b)|has|have|had|why|what|how|which|where|when|whether|if"
    r"|unless|once|in\s+case|should|shall)\b"
)
_ZH_NOT_A_REQUEST = re.compile(r"(?:如果|要是|假如|万一|若是|是否|有没有|是不是|为什么|怎么|吗|呢|么)")
_ZH_ASKING = re.compile(r"(?:帮我|请|麻烦|给我)")

# "Can you make …", "please make …": a polite opening before the request itself.
_EN_POLITE = (
    r"(?:(?:hey|hi|ok|okay|now)\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|please\s+|pls\s+)?"
)

# --- no music --------------------------------------------------------------------------------
_MUSIC_EN = r"(?:background\s+)?(?:music|soundtrack|bgm|song|songs)"
_EN_NO_MUSIC = re.compile(
    rf"(?i)(?<![\w'])(?:(?:no|zero)\s+(?:{_MUSIC_EN}|audio|sound)|without\s+(?:any\s+)?(?:{_MUSIC_EN}|audio|sound)"
    rf"|(?:don'?t|do\s+not|never)\s+(?:add|use|put\s+in|include|want|need)\s+(?:any\s+)?{_MUSIC_EN}"
    rf"|mute(?:d)?(?:\s+(?:it|everything|the\s+(?:music|video|audio|sound|bgm|whole\s+(?:thing|video))))?)"
)
# What may follow it for it to mean the whole video: the clause ends, or only softeners follow.
_EN_END = re.compile(
    r"(?i)^\s*(?:at\s+all|whatsoever|please|thanks|thank\s+you|in\s+it|on\s+it|this\s+time)?\s*[.!。！]*\s*$"
)
_EN_NEGATED = re.compile(r"(?i)(?:\b(?:not|don'?t|do\s+not|never|no)\s+|\bun)$")
_EN_OTHER_AUDIO = re.compile(
    r"(?i)\b(?:voice|voiceover|voice-over|narration|sound\s+effects?|sounds?\s+of|sounds|sfx|ambient|ambience)\b"
)
_ZH_NO_MUSIC = re.compile(
    r"(?:不要|不用|不加|别加|不需要|不配|无|去掉|拿掉|删掉|删除|关掉)(?:任何)?(?:背景)?(?:音乐|配乐|bgm|BGM)|静音"
)
_ZH_END = re.compile(
    r"^\s*(?:了|吧|啊|哦|哈|喔|呀|谢谢|就好|就行|就可以|的(?:视频|版本|短片|片子))?\s*[.!。！]*\s*$"
)
_ZH_NEGATED = re.compile(r"(?:不要|别|不|不用|无需|不必)$")
_ZH_OTHER_AUDIO = re.compile(r"(?:旁白|配音|人声|音效|解说|环境音)")

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

# --- music volume under N% (or at most N%) -------------------------------------------------------
# Below it: "under/below/less than/lower than", "低于/小于/少于". At most (the limit allowed): "at
# most/no more than/not above/up to", "不超过/不高于/最多", and "N% 以下/以内" (in Chinese 以下 includes N).
_EN_LIMIT = (
    r"(?:under|below|less\s+than|lower\s+than|at\s+or\s+(?:below|under)|at\s+most|no\s+more\s+than"
    r"|not\s+more\s+than|(?:no|not)\s+(?:higher|louder)\s+than|not\s+(?:above|over)|up\s+to)"
)
_EN_MUSIC_UNDER = re.compile(
    r"(?i)(?:music|bgm|soundtrack|song)(?:\s+volume)?\s+(?:at\s+|to\s+)?"
    + _EN_LIMIT
    + r"\s+(\d{1,3})\s*%(?:\s+volume)?(?:\s+please)?\s*[.!。！]?\s*$"
    # "keep it under 40% volume" (in a clause about the music): the word volume says what "it" is
    r"|^\s*(?:and\s+)?(?:keep|set|put|turn)\s+(?:it|that|the\s+(?:new\s+)?(?:music|song|track|beat))\s+(?:down\s+)?"
    r"(?:at\s+|to\s+)?" + _EN_LIMIT + r"\s+(\d{1,3})\s*%\s+volume(?:\s+please)?\s*[.!。！]?\s*$"
)
_ZH_LIMIT = (
    r"(?:(?:低于|小于|少于|不超过|不高于|不大于|最多|至多)\s*(\d{1,3})\s*[%％]"
    r"|(\d{1,3})\s*[%％]\s*(?:以下|以内))"
)
_ZH_MUSIC_UNDER = re.compile(
    r"(?:音乐|配乐|背景音乐|bgm|BGM)(?:的)?(?:音量)?(?:调到|调成|降到|降低到|调低到|保持在|在)?"
    + _ZH_LIMIT
    + r"\s*[。！]?\s*$"
    r"|^(?:再|并|然后)?(?:把|将)?音量\s*(?:调到|降到|调低到|在)?\s*" + _ZH_LIMIT + r"\s*[。！]?\s*$"
)
_BARE_LIMIT = re.compile(r"^\s*" + _ZH_LIMIT + r"\s*[。！]?\s*$")
_MUSIC_WORD = re.compile(r"(?i)音乐|配乐|音量|\bmusic\b|\bvolume\b")
_AT_MOST = re.compile(
    r"(?i)at\s+or\s+(?:below|under)|at\s+most|no\s+more|not\s+more|(?:no|not)\s+(?:higher|louder)"
    r"|not\s+(?:above|over)|up\s+to|不超过|不高于|不大于|最多|至多|以下|以内"
)
# "turn the music up to 30%" sets a level: it is not a limit.
_RAISE = re.compile(r"(?i)\b(?:turn|bring|raise|push|crank|pump|boost|increase|put)\b[^%]*\bup\s+to\b")

# --- music volume at N% -------------------------------------------------------------------------
# A level, not a limit: "lower the music to about 20%", "set the music volume to 20%", "turn the
# music up to 30%", "音量调到 20%", "把音乐调到 20% 左右". Met within VOLUME_TOLERANCE points.
_EN_ABOUT = r"(?:(?:about|around|roughly|approximately|approx\.?|~)\s*)?"
_EN_MUSIC_AT = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:(?:lower|set|turn|put|bring|drop|reduce|change|adjust|keep|raise"
    r"|increase|decrease|boost|have)\s+)?(?:the\s+)?(?:(?:background\s+|[a-z]+\s+)?(?:music|bgm|soundtrack|song)(?:'s)?"
    r"(?:\s+volume)?|volume(?:\s+of\s+the\s+(?:music|song|bgm|soundtrack))?)\s+(?:(?:down|up|back)\s+)?(?:to|at)\s+"
    + _EN_ABOUT
    + r"(\d{1,3})\s*%(?:\s+volume)?(?:\s+or\s+so)?(?:\s+please)?\s*[.!。！]?\s*$"
)
_ZH_MUSIC_AT = re.compile(
    r"^(?:再|并|然后|请|麻烦)?(?:帮我)?(?:把|将)?(?:(?:背景)?(?:音乐|配乐|bgm|BGM)(?:的)?(?:音量)?|音量)\s*"
    r"(?:调到|调成|调至|降到|降低到|降至|调低到|调高到|提高到|升到|设为|设成|设置为|设置成|改成|改为|保持在|在)\s*"
    r"(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*(?:左右|上下)?\s*(?:就好|就行|吧)?\s*[。！]?\s*$"
)
# "about 20%" is met by 18-22%; an exact "20%" by a track NemoVideo set to 19 or 21 (its own
# rounding) as well: the found level is always said, so a near miss is never hidden.
VOLUME_TOLERANCE = 2.0

# --- clip order ----------------------------------------------------------------------------------
# "put the beach photo first", "move the city clip to the end", "把海滩那张放第一个", "把海滩放最后":
# judged against the video track's first/last clip, where the user's word names one clip only.
_EN_ORDER = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:put|move|place|have|set|add|insert|append)\s+(?>(?:the\s+|my\s+|that\s+|this\s+)?)"
    r"(?!(?:first|last|second|third|other|next|same|previous|\d+(?:st|nd|rd|th)?)\b)"
    r"([\w'-]+(?:\s+[\w'-]+){0,2}?)\s+(?:photo|picture|pic|image|clip|shot|one|video|slide)\s+"
    r"(first|last|(?:at|to)\s+the\s+(?:start|beginning|front|end|back)|at\s+the\s+very\s+(?:start|beginning|end))"
    r"(?:\s+of\s+the\s+(?:video|slideshow|reel))?(?:\s+please)?\s*[.!。！]?\s*$"
)
# "swap the order so the beach photo comes first", "the beach photo should go last": a wish, never
# a description ("the beach photo comes first" alone says what is, not what is wanted).
_EN_ORDER_SO = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:(?:swap|switch|change|reverse|flip)\s+(?:the\s+|their\s+)?order\s+)?"
    r"(?:so\s+(?:that\s+)?(?=(?:the|my)\s+[\w'-]+(?:\s+[\w'-]+){0,2}?\s+\w+\s+(?:comes|goes|should|will))|(?=.*\bshould\b))"
    r"(?:the|my)\s+"
    r"(?!(?:first|last|second|third|other|next|same|previous|\d+(?:st|nd|rd|th)?)\b)"
    r"([\w'-]+(?:\s+[\w'-]+){0,2}?)\s+(?:photo|picture|pic|image|clip|shot|one|slide)\s+"
    r"(?:comes|goes|should\s+(?:come|go|be)|will\s+(?:come|go|be))\s+"
    r"(first|last|(?:at|to)\s+the\s+(?:start|beginning|front|end|back)|at\s+the\s+very\s+(?:start|beginning|end))"
    r"(?:\s+please)?\s*[.!。！]?\s*$"
)
_ZH_ORDER = re.compile(
    r"^(?:再|并|然后|请|麻烦)?(?:帮我)?(?:把|将)([^，,。的那这把将放]{1,12}?)(?:的)?(?:那张|这张|那个|这个|那段|这段)?"
    r"(?:照片|图片|图|片段|视频)?(?:放|移|挪|排|调|加|添加|插|接)(?:到|在|成|去)?(?:视频的?|片子的?)?"
    r"(第一个?|第一张|第一位|最前面?|最开始|开头|最后面?|最后一个|最后一张|结尾|末尾)(?:吧)?\s*[。！]?\s*$"
)


# --- where a quoted text goes -------------------------------------------------------------------
# "在视频最后加一句字幕「下次见」", "put 'See you soon' at the end": the text's place is judged on the
# text track (a caption that landed at 0-3 s is not at the end), where one quoted text and one
# place stand in one sentence, outside the quote.
_ONE_QUOTE = re.compile('["“「『]([^"“”「」『』\n]{1,80})["”」』]' + r"|(?<!\w)'([^'\n]{1,80})'(?!\w)")
_AT_END = re.compile(
    r"(?i)\b(?:at|in|to)\s+the\s+(?:very\s+)?end\b|\b(?:ending|closing|outro)\b|\bfinal\s+(?:caption|text|line|card)"
    r"|\b(?:in|for|during|over)\s+the\s+(?:last|final)\s+(?:\d{1,3}|few|couple(?:\s+of)?)\b"
    r"|最后|结尾|片尾|末尾"
)
_AT_START = re.compile(
    r"(?i)\b(?:at|to)\s+the\s+(?:very\s+)?(?:start|beginning)\b|\b(?:opening|intro)\b|开头|片头|最前面|一开始|开场"
    r"|\b(?:in|for|during|over)\s+the\s+first\s+(?:\d{1,3}|few|couple(?:\s+of)?)\b|前\s*\d{1,3}\s*秒"
)
_SENTENCE_MARK = re.compile(r"[.!?。！？;；\n，,]")  # a clause: "…放到最前面，然后视频最后加「明年见」"


def _text_at(prompt: str) -> tuple[tuple[str, str], ...]:
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group(0)), prompt)
    found: list[tuple[str, str]] = []
    start = 0
    for mark in [*_SENTENCE_MARK.finditer(masked), None]:
        end = mark.end() if mark is not None else len(prompt)
        outside, raw = masked[start:end], prompt[start:end]
        start = end
        quotes = ["".join(pair) for pair in _ONE_QUOTE.findall(raw)]
        if len(quotes) != 1 or not _is_request(outside.replace("\0", " ").strip() or "x"):
            continue
        at_end, at_start = _AT_END.search(outside), _AT_START.search(outside)
        if bool(at_end) != bool(at_start):
            found.append((quotes[0].strip(), "end" if at_end else "start"))
    return tuple(dict.fromkeys(found))


def _text_placed(asked: Asked, tl: Timeline) -> list[tuple[str, str, str | None, bool]]:
    """Each quoted text asked at a place: (text, place, where it is "3-6", met); skipped where
    the text is nowhere (the quoted-text check says that) or the length is unknown."""
    out: list[tuple[str, str, str | None, bool]] = []
    length = tl.duration_s
    for text, where in asked.text_at:
        wanted = text.casefold()
        segs = [
            seg
            for tr in tl.tracks
            if tr.kind == "text"
            for seg in tr.segments
            if seg.name and wanted in seg.name.casefold()
        ]
        if not segs or not length:
            continue
        if where == "end":
            met = any((seg.end_s or seg.start_s) >= length - 0.5 or seg.start_s >= length / 2 for seg in segs)
        else:
            met = any(seg.start_s <= 0.5 for seg in segs)
        seg = segs[0]
        span = f"{seg.start_s:g}-{seg.end_s:g}" if seg.end_s is not None else f"{seg.start_s:g}"
        out.append((text, where, span, met))
    return out


def _order(sentences: list[str]) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = _EN_ORDER.match(clause) or _EN_ORDER_SO.match(clause) or _ZH_ORDER.match(clause)
            if match:
                where = match.group(2).casefold()
                last = any(w in where for w in ("last", "end", "back", "最后", "结尾", "末尾"))
                found.append((match.group(1).strip(), "last" if last else "first"))
    return tuple(dict.fromkeys(found))


# "lower the music a bit, to about 20%", "音乐小一点，20% 左右": the level is the music's.
_BARE_LEVEL = re.compile(
    r"(?i)^\s*(?:(?:down|up)\s+)?(?:to|at)\s+"
    + _EN_ABOUT
    + r"(\d{1,3})\s*%(?:\s+or\s+so)?(?:\s+please)?\s*[.!]?\s*$"
    r"|^(?:调到|降到|调至|降至)?\s*(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*左右\s*[。！]?\s*$"
    # "音乐调小一点，到20%"
    r"|^(?:调到|降到|调至|降至|到)\s*(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*(?:就好|就行|吧)?\s*[。！]?\s*$"
)


def _music_at(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        clauses = _clauses(sentence)
        for n, clause in enumerate(clauses):
            if _EN_MUSIC_UNDER.search(clause) and not _RAISE.search(clause):
                continue  # "music up to 30%" is a limit (read by _music_under), not a level
            match = _EN_MUSIC_AT.match(clause) or _ZH_MUSIC_AT.match(clause)
            if match is None and n and _MUSIC_WORD.search(clauses[n - 1]):
                match = _BARE_LEVEL.match(clause)
            if match:
                found.add(float(next(g for g in match.groups() if g)))
    return found.pop() if len(found) == 1 else None


# --- another music track ------------------------------------------------------------------------
_EN_NEW_MUSIC = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:swap|change|replace|switch)\s+(?:out\s+)?(?:the\s+|this\s+|that\s+)?"
    r"(?:background\s+)?(?:music|song|soundtrack|bgm|track)(?:\s+out)?\s+(?:for|to|with)\s+\S"
)
_ZH_NEW_MUSIC = re.compile(
    r"^(?:再|并|然后|请|麻烦)?(?:把|将)?(?:背景)?(?:音乐|配乐|歌曲?|bgm|BGM)(?:换成|改成|替换成|换为|改为)\S"
)

# --- length ----------------------------------------------------------------------------------
# What the video is made into: "turn these pictures into a …", "make my photos into a …".
_EN_INTO = (
    r"|(?:turn|make|put|cut|edit)\s+(?:(?:these|those|the|my|our|all|this|that|\d+)\s+)*"
    r"(?:photos?|pictures?|pics|images?|clips?|shots|footage|files?|them|it)\s+into\s+(?:a|an|one)\s+"
)
_NOT_A_BOUND = (
    r"(?!(?:or|to|and|longer|shorter|more|less|max|maximum|min|minimum|plus|at|most|least|ish|tops|under"
    r"|over|around|about|roughly|approx|each|per)\b)"
)
_EN_SECONDS = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:(?:set|change|put|bring|get|make)\s+(?:the\s+)?(?:video'?s?\s+)?(?:total\s+)?"
    r"(?:length|duration|runtime)\s+(?:back\s+)?(?:to|at)\s+"  # "set the length to 20 seconds"
    r"|(?:put|bring|get|set)\s+(?:it|the\s+video|this)\s+back\s+to\s+"  # "put it back to 20 seconds"
    r"|(?:make\s+sure|ensure)\s+(?:that\s+)?(?:it|the\s+video|this|the\s+(?:[a-z'-]+\s+){1,3}(?:one|video))"
    r"(?:\s+is|'s|\s+stays|\s+remains)\s+"
    r"|(?:make|cut|trim|shorten|lengthen|extend|change|stretch|bring)"
    r"\s+(?:it|the\s+video|this|the\s+whole\s+(?:thing|one)|the\s+(?:[\w'&.-]+\s+){1,4}(?:video|one)|(?-i:[A-Z0-9][\w'&-]*\s+(?:[A-Z0-9&][\w'&-]*\s+){0,3}))\s*(?:to\s+)?"
    r"|(?:make|create|do|give\s+me|generate)\s+(?:me\s+)?(?:a|an|one)\s+(?:(?:vertical|square|horizontal|portrait"
    r"|landscape|widescreen)\s+)?|(?:a|an|one|exactly|just|only)\s+"
    + _EN_INTO
    + r")?(\d{1,3}(?:\.\d)?)(?:\s*-\s*|\s+)?(?:seconds?|secs?|s)(?:\s+long|\s+in\s+total|\s+total)?"
    r"(?:\s+again)?"
    r"(?:\s+instead\s+of\s+\d{1,3}(?:\s*(?:seconds?|secs?|s))?)?"
    r"(?:\s+(?:vertical|square|horizontal|portrait|landscape|widescreen|\d{1,2}\s*:\s*\d{1,2})){0,2}"
    # "a 12-second widescreen 16:9 thank-you video": up to two words of its kind before the noun
    # (never a range or a bound: "a 10 second or longer video", "10 seconds max video")
    r"(?:(?:\s+"
    + _NOT_A_BOUND
    + r"[a-z][\w'-]*){0,2}?\s+(?:video|reel|clip|teaser|short|promo|ad|version|slideshow|story"
    r"|highlights?|montage|recap|compilation|film|movie|one))?"
    r"(?:\s+(?:from|of|with|without|for|about|using|showing|called|named|titled)\b.*)?(?:\s+please)?\s*[.!。！]?\s*$"
)
# A few words of what the video is for before its noun ("年会开场视频"), never a part of it
# ("片头视频" is the intro's length, not the video's).
_ZH_KIND = r"(?:(?!片头|片尾|开头|结尾)[\u4e00-\u9fff]){0,8}?"
_ZH_SECONDS = re.compile(
    r"^(?:[^，,。]*?(?:做|剪|生成|制作)(?:成|出)?(?:一个|一段|一支|一条|个|段|支|条)?"
    r"(?:(?:竖屏|横屏|方形|正方形|竖版|横版)的?)?"
    r"|(?:再|并|然后)?(?:把|将)?(?:整个|整段|整支|整条|全部|全片)(?:视频|片子|短片)?的?(?:时长|总长|长度)?"
    r"(?:改|剪|缩短|延长|调整|调|变|加长|拉长|缩)(?:成|到|为)"
    r"|(?:再|并|然后|还要)?(?:把|将)?(?:视频的?)?(?:时长|总长|长度)"
    r"(?:是|为|改成|改为|调到|调成|剪到|剪成|缩到|缩短到|减到|加长到|延长到|拉长到|设为|设成|设置为|设置成|定为|改回|恢复到|恢复成)?"
    r"|(?:再|并|然后)?(?:把|将)[^，,。]{0,16}?(?:改|剪|缩短|延长|调整|变|加长|拉长|缩)(?:成|到|为)"
    r"|(?:再|并|然后)?(?:帮我)?(?:视频|片子|这个视频)?(?:改|剪|缩短|延长|调整|加长|拉长|变长|缩|减)(?:成|到|为|回)|只要|就"
    r"|(?:竖屏|横屏|方形|正方形|竖版|横版))?\s*(\d{1,3}(?:\.\d)?)\s*秒(?:钟)?(?:长)?"
    r"(?:的?(?:竖屏|横屏|方形|正方形|竖版|横版)?的?"
    + _ZH_KIND
    + r"(?:短?视频|短片|小片|片子|宣传片|vlog))?\s*[。！]?\s*$"
)
_EN_SPAN = re.compile(
    r"(?i)\b(?:first|last|each|every|per|between|intro|outro|until|till)\b"
    r"|\b(?:at|after|before|from)\s+(?:the\s+)?(?:\d|start|beginning|end|middle)"
)
_ZH_SPAN = re.compile(
    r"(?:前|后|每|最后|开头|结尾|片头|片尾|第|之后|之前|从|到第|以内|标题|字幕|文字|转场|淡入|淡出|停留|显示)"
)

# --- shape -----------------------------------------------------------------------------------
_EN_SHAPES: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"vertical|portrait|9\s*:\s*16"),
    (Shape.SQUARE, r"square|1\s*:\s*1"),
    (Shape.HORIZONTAL, r"horizontal|landscape|widescreen|16\s*:\s*9"),
)
_ZH_SHAPES: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"竖屏|竖版|竖向|9\s*[:：]\s*16"),
    (Shape.SQUARE, r"正方形|方形|1\s*[:：]\s*1"),
    (Shape.HORIZONTAL, r"横屏|横版|横向|16\s*[:：]\s*9"),
)
_EN_SHAPE_CLAUSE = (
    r"(?i)^\s*" + _EN_POLITE + r"(?:(?:make|turn|change|switch|crop|format|put|bring|set)"
    r"\s+(?:it|the\s+video|this|everything|the\s+(?:[\w'&.-]+\s+){{1,4}}(?:video|one))\s+(?:back\s+)?(?:to\s+|into\s+)?"
    r"(?:a\s+)?|(?:make\s+sure|ensure)\s+(?:that\s+)?(?:it|the\s+video|this)(?:\s+is|'s|\s+stays|\s+remains)\s+"
    r"(?:a\s+)?|(?:make|create|do|generate|give\s+me)\s+(?:me\s+)?(?:a|an|one)\s+|(?:in|as)\s+(?:a\s+)?|(?:a|an|one)\s+"
    + _EN_INTO.replace("{", "{{").replace("}", "}}")
    + r")?"
    r"(?:\d{{1,3}}(?:\.\d)?(?:\s*-\s*|\s+)?(?:seconds?|secs?|s)\s+)?"
    r"(?:{shape})(?:\s+(?:{shape}))?(?:\s+\d{{1,3}}(?:\.\d)?(?:\s*-\s*|\s+)?(?:seconds?|secs?|s))?(?:(?:\s+"
    + _NOT_A_BOUND.replace("{", "{{").replace("}", "}}")
    + r"[a-z][\w'-]*){{0,2}}?\s+(?:format|frame|aspect(?:\s+ratio)?|ratio|video|reel"
    r"|clip|teaser|short|promo|ad|version|post|slideshow|story|one))?"
    r"(?:\s+(?:from|of|with|without|for|about|using|showing|called|named|titled|like)\b.*)?"
    # "vertical so it fits my phone screen": the reason says no other shape
    r"(?:\s+so\s+(?:that\s+)?it\s+fits(?:\s+on)?\s+(?:my|a|your|the|our)\s+(?:phone|mobile)(?:\s+screen)?)?"
    r"(?:\s+please)?\s*[.!。！]?\s*$"
)
_ZH_SHAPE_CLAUSE = (
    r"^(?:[^，,。]*?(?:做|剪|生成|制作|改|换|调整|裁|来)(?:成|为|到)?(?:一个|一段|一支|一条|个|段|支|条)?"
    r"|(?:请|麻烦)?(?:确保|一定要|务必)(?:视频)?(?:是|为|用)?)?"
    r"\s*(?:\d{{1,3}}\s*秒的?)?(?:\d{{1,2}}\s*[:：]\s*\d{{1,2}}\s*的?)?(?:{shape})(?:\s*[（(]?\s*(?:{shape})\s*[)）]?)?"
    r"(?:的?(?:画面|比例|格式|"
    + _ZH_KIND.replace("{", "{{").replace("}", "}}")
    + r"(?:短?视频|短片|小片|片子)|版本|版))?的?"
    r"(?:\s*\d{{1,3}}\s*秒(?:钟)?(?:的?(?:短?视频|短片|小片|片子))?)?\s*[。！]?\s*$"
)


# Abbreviations whose full stop ends no sentence ("Dr. Patel", "e.g. the beach").
ABBREVIATION = re.compile(r"(?i)(?<![\w.])(?:mrs|mr|ms|dr|st|prof|jr|vs|etc|e\.g|i\.e)\.")


def _sentences(text: str) -> list[str]:
    plain = ABBREVIATION.sub(lambda m: m.group(0).replace(".", " "), _QUOTED.sub(" ", text))
    return [s.strip() for s in _SENTENCE.findall(plain) if s.strip()]


_POLITE_ASK = re.compile(r"(?i)^\s*(?:(?:can|could|would|will)\s+you|please)\b|帮|请|麻烦")


def _is_request(sentence: str) -> bool:
    """A statement or a polite request ("Can you make …?"); not a question about the video or
    a condition ("is there no music?", "No music? Really?", "if it's vertical…", "有没有音乐",
    "如果没有音乐")."""
    if _EN_NOT_A_REQUEST.match(sentence):
        return False
    if sentence.rstrip().endswith(("?", "？")) and not _POLITE_ASK.search(sentence):
        return False
    zh_question = _ZH_NOT_A_REQUEST.search(sentence)
    # "能帮我做一个方形视频吗？" asks for it; "有没有音乐？" asks about it.
    return not zh_question or (zh_question.group() in "吗呢么" and _ZH_ASKING.search(sentence) is not None)


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(sentence) if c and c.strip()]


def _no_music(sentences: list[str]) -> bool:
    return any(
        _plainly(clause, _EN_NO_MUSIC, _ZH_NO_MUSIC)
        for sentence in sentences
        # "no music, just the waves' sound": some audio is wanted, not checkable
        if not (_EN_OTHER_AUDIO.search(sentence) or _ZH_OTHER_AUDIO.search(sentence))
        for clause in _clauses(sentence)
    )


def _no_text(sentences: list[str]) -> bool:
    return any(
        _plainly(clause, _EN_NO_TEXT, _ZH_NO_TEXT) for sentence in sentences for clause in _clauses(sentence)
    )


def _plainly(clause: str, en: re.Pattern[str], zh: re.Pattern[str]) -> bool:
    """``clause`` says it in so many words: a match that ends the clause and no negation before it."""
    for pattern, end, negated in ((en, _EN_END, _EN_NEGATED), (zh, _ZH_END, _ZH_NEGATED)):
        for found in pattern.finditer(clause):
            if end.match(clause[found.end() :]) and not negated.search(clause[: found.start()]):
                return True
    return False


def _new_music(sentences: list[str]) -> bool:
    return any(
        _EN_NEW_MUSIC.search(clause) or _ZH_NEW_MUSIC.search(clause)
        for sentence in sentences
        for clause in _clauses(sentence)
    )


def _music_under(sentences: list[str]) -> tuple[float, bool] | None:
    """The music's volume limit and whether the limit itself is allowed ("at most")."""
    found: set[tuple[float, bool]] = set()
    for sentence in sentences:
        clauses = _clauses(sentence)
        for n, clause in enumerate(clauses):
            match = _EN_MUSIC_UNDER.search(clause) or _ZH_MUSIC_UNDER.search(clause)
            if match is None and n and _MUSIC_WORD.search(clauses[n - 1]):
                match = _BARE_LIMIT.match(clause)  # "音乐小声一点，25% 以下": the limit is the music's
            if match and not _RAISE.search(clause):
                limit = float(next(g for g in match.groups() if g))
                found.add((limit, _AT_MOST.search(match.group(0)) is not None))
    return found.pop() if len(found) == 1 else None


def _seconds(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        for clause in _clauses(sentence):
            if _EN_SPAN.search(clause) or _ZH_SPAN.search(clause):
                continue  # a time point or a part: "the title for the first 3 seconds", "每张 2 秒"
            match = _EN_SECONDS.match(clause) or _ZH_SECONDS.match(clause)
            if match:
                found.add(float(match.group(1)))
    return found.pop() if len(found) == 1 else None


def _shape(sentences: list[str]) -> Shape | None:
    found: set[Shape] = set()
    for sentence in sentences:
        for clause in _clauses(sentence):
            for shape, words in _EN_SHAPES:
                if re.match(_EN_SHAPE_CLAUSE.format(shape=words), clause):
                    found.add(shape)
            for shape, words in _ZH_SHAPES:
                if re.match(_ZH_SHAPE_CLAUSE.format(shape=words), clause):
                    found.add(shape)
            size = _SIZE_ONLY.match(clause)  # "1080x1080" said as the frame
            if size is not None:
                found.add(shape_of(int(size.group(1)), int(size.group(2))))
    return found.pop() if len(found) == 1 else None


_SIZE_ONLY = re.compile(
    r"(?i)^\s*(?:(?:make\s+it|改成|调成|做成)\s*)?(\d{3,4})\s*[x×*]\s*(\d{3,4})\s*[.!。！]?\s*$"
)


# Words that ask for text on screen: with any of them, a name shown as a title may be wanted.
_ON_SCREEN = re.compile(
    r"(?i)\b(?:title[sd]?|headline|caption|text|subtitles?|words|heading|overlay)\b|标题|片名|字幕|文字|标语|文案"
)


# A request for a video of its own ("make a video of a forest", "再做一个森林的视频"): NemoVideo
# may make a new one (a generation's price) even in a project that has a timeline. An article or
# measure word is required: "make the video 10 seconds" and "把视频剪成 10 秒" are edits.
_EN_NEW_VIDEO = re.compile(
    r"(?i)\b(?:make|create|generate|produce|build|do|give\s+me)\s+(?:me\s+)?(?:a|an|one|another|new|some)\b"
    r"[^.!?]{0,60}?\b(?:video|clip|movie|film|reel|slideshow|teaser|promo)s?\b"
)
_ZH_NEW_VIDEO = re.compile(
    r"(?:生成|制作|做|创建|来)(?:一个|一段|一支|一条|个|段|支|条|新的?)[^，,。]{0,12}?视频"
)


def only_questions(prompt: str) -> bool:
    """Every sentence is a question or a condition: the words ask for no change."""
    sentences = _sentences(prompt)
    return bool(sentences) and not any(_is_request(s) for s in sentences)


def asks_for_a_video(prompt: str) -> bool:
    """Whether the user's own words (outside quotes, not a question or a condition) ask for a
    video to be made, rather than an edit of the one there."""
    return any(
        _EN_NEW_VIDEO.search(sentence) or _ZH_NEW_VIDEO.search(sentence)
        for sentence in _sentences(prompt)
        if _is_request(sentence)
    )


def read(prompt: str) -> Asked:
    """The constraints ``prompt`` states (the user's words as sent, never the agent's)."""
    sentences = [s.rstrip("?？ ") for s in _sentences(prompt) if _is_request(s)]
    name, given = title_from(prompt), quoted_name(prompt)
    on_screen = bool(_ON_SCREEN.search(prompt))
    under = _music_under(sentences)
    return Asked(
        no_music=_no_music(sentences),
        seconds=_seconds(sentences),
        shape=_shape(sentences),
        named_only=name if name and not on_screen and name != given else None,
        no_text=_no_text(sentences),
        music_under=under[0] if under else None,
        music_at_most=under[1] if under else False,
        new_music=_new_music(sentences),
        title=name if name and on_screen and name != given else None,
        given_name=given or None,
        music_at=_music_at(sentences),
        order=_order(sentences),
        text_at=_text_at(prompt),
    )


def shape_of(width: int, height: int) -> Shape:
    if abs(width - height) <= 0.02 * max(width, height):
        return Shape.SQUARE
    return Shape.VERTICAL if height > width else Shape.HORIZONTAL


# Words that ask about the video's length in any way: a request without them asked for none.
_LENGTH_WORDS = re.compile(
    r"(?i)\b(?:longer|shorter|lengthen|shorten|extend|stretch|length|duration|runtime|trim|cut|tighten"
    r"|second|seconds|secs?|minutes?|min)\b|\d\s*s\b|更长|长一点|长一些|加长|延长|短一点|短一些|缩短|时长|剪|秒|分钟"
)


# Seconds said of a part ("make the title show for 5 seconds", "each photo 2 seconds", "字幕显示3秒").
_PART_SECONDS = re.compile(
    r"(?i)\b(?:title|caption|text|logo|photo|picture|clip|intro|outro|each|every)\b[^.!?]{0,30}?"
    r"\b\d{1,3}\s*(?:seconds?|secs?|s)\b|(?:标题|字幕|文字|照片|每张|每段|片头|片尾)[^。！？]{0,12}?\d{1,3}\s*秒"
)


def length_unasked(prompt: str, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The video's length changed though the words asked nothing of it (an agent that took "the
    title for 5 seconds" or "最后两秒" for the video's length): the fact, to be said."""
    if before is None or before.duration_s is None or after.duration_s is None or not before.tracks_total:
        return None
    if abs(before.duration_s - after.duration_s) <= 1.0:
        return None

    def clips(tl: Timeline) -> int:
        return sum(tr.segments_total for tr in tl.tracks if tr.kind == "video")

    if clips(before) != clips(after):
        return None  # clips added or removed: the length follows them
    words = _QUOTED.sub(" ", prompt)
    stated = read(prompt)
    if stated.seconds is not None:
        return None
    # "最后两秒" names seconds for a part, not the whole: a part's seconds ask for no length.
    spans = _EN_SPAN.search(words) or _ZH_SPAN.search(words) or _PART_SECONDS.search(words)
    if _LENGTH_WORDS.search(words) and not spans:
        return None
    return {
        "kind": "length_unasked",
        "before": round(before.duration_s, 1),
        "found": round(after.duration_s, 1),
    }


def unmet(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """The constraints the timeline does not have, as facts to keep with the turn's record:
    ``{"kind": "music", "names": [...]}``, ``{"kind": "seconds", "asked": 6, "found": 15}``,
    ``{"kind": "shape", "asked": "square", "width": 1080, "height": 1920}``."""
    found: list[dict[str, Any]] = []
    if asked.no_music:
        playing = [
            seg
            for track in tl.tracks
            if track.kind == "audio"
            for seg in track.segments
            if seg.volume is None or seg.volume > 0
        ]
        if playing:
            names = list(dict.fromkeys(s.name for s in playing if s.name))[:3]
            found.append({"kind": "music", "names": names})
    seconds, length = asked.seconds, tl.duration_s
    if seconds is not None and length is not None and abs(length - seconds) > max(1.0, 0.1 * seconds):
        found.append({"kind": "seconds", "asked": seconds, "found": round(length, 1)})
    if (
        asked.shape is not None
        and tl.width
        and tl.height
        and shape_of(tl.width, tl.height) is not asked.shape
    ):
        found.append({"kind": "shape", "asked": str(asked.shape), "width": tl.width, "height": tl.height})
    texts = [seg for tr in tl.tracks if tr.kind == "text" for seg in tr.segments]
    if asked.no_text and texts:
        found.append({"kind": "text", "names": list(dict.fromkeys(s.name for s in texts if s.name))[:3]})
    limit, at_most = asked.music_under, asked.music_at_most
    loud = [v for v in _music_volumes(tl) if limit is not None and (v > limit if at_most else v >= limit)]
    if loud:
        found.append({"kind": "volume", "asked": limit, "found": max(loud), "at_most": at_most})
    level, volumes = asked.music_at, _music_volumes(tl)
    if level is not None and volumes:
        farthest = max(volumes, key=lambda v: abs(v - level))
        if abs(farthest - level) > VOLUME_TOLERANCE:
            found.append({"kind": "volume_at", "asked": level, "found": farthest})
    for word, where, clip in _placed(asked, tl):
        if clip is not None and clip[0] != clip[1]:
            found.append({"kind": "order", "name": word, "where": where, "found": clip[1]})
    for text, where, span, ok in _text_placed(asked, tl):
        if not ok:
            found.append({"kind": "text_at", "name": text, "where": where, "found": span})
    return found


def name_shown(asked: Asked, tl: Timeline) -> str | None:
    """The name the request gave the video ("called 'Night run crew'"), when the timeline shows it
    as text: not "not as asked" (a video called X titled X is what most people mean), only said."""
    if asked.named_only is None:
        return None
    name = asked.named_only.casefold()
    shown = (seg for tr in tl.tracks if tr.kind == "text" for seg in tr.segments)
    return asked.named_only if any(seg.name.casefold() == name for seg in shown) else None


def _clip_words(name: str) -> tuple[str, list[str]]:
    """A clip's name as the user may say it: its file stem, and the stem's words."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name.strip()).casefold()
    return stem, re.findall(r"[^\W_]+", stem)


def _names_clip(word: str, name: str) -> bool:
    """The user's ``word`` for a clip ("beach", "city lights", "海滩") names the clip ``name``
    ("beach.jpg", "city-lights", "海滩日落.jpg"): each of its words is one of the name's words, or
    (Chinese, written without spaces) inside its stem."""
    stem, words = _clip_words(name)
    said = re.findall(r"[^\W_]+", word.casefold())
    return bool(said) and all(w in words or (not w.isascii() and w in stem) for w in said)


def _placed(asked: Asked, tl: Timeline) -> list[tuple[str, str, tuple[str, str] | None]]:
    """Each order asked, with (the clip it names, the clip in that place); None where it can't be
    judged: no clip, or more than one, is named by the word, or the track's end is not listed."""
    video = next((tr for tr in tl.tracks if tr.kind == "video" and tr.segments), None)
    out: list[tuple[str, str, tuple[str, str] | None]] = []
    for word, where in asked.order:
        clip: tuple[str, str] | None = None
        if video is not None and (where == "first" or video.segments_total == len(video.segments)):
            ordered = sorted(video.segments, key=lambda seg: seg.start_s)
            named = {seg.name for seg in ordered if _names_clip(word, seg.name)}
            if len(named) == 1:
                clip = (named.pop(), (ordered[0] if where == "first" else ordered[-1]).name)
        out.append((word, where, clip))
    return out


def order_judged(asked: Asked, tl: Timeline) -> bool:
    """Every clip order ``asked`` states can be judged on ``tl`` (its word names one clip)."""
    return all(clip is not None for _, _, clip in _placed(asked, tl))


def _music_volumes(tl: Timeline) -> list[float]:
    """The known volumes (percent) of the music playing; a segment without one is not judged."""
    return [
        float(seg.volume)
        for track in tl.tracks
        if track.kind == "audio"
        for seg in track.segments
        if seg.volume is not None and seg.volume > 0
    ]


def met(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """The constraints the timeline already has, as facts (``{"kind": "seconds", "found": 25}``):
    a request that changed nothing may have found them done already."""
    if not tl.tracks_total:
        return []
    missing = {str(item["kind"]) for item in unmet(asked, tl)}
    out: list[dict[str, Any]] = []
    if asked.seconds is not None and tl.duration_s is not None and "seconds" not in missing:
        out.append({"kind": "seconds", "found": round(tl.duration_s, 1)})
    if asked.shape is not None and tl.width and tl.height and "shape" not in missing:
        out.append({"kind": "shape", "asked": str(asked.shape), "width": tl.width, "height": tl.height})
    if asked.no_music and "music" not in missing:
        out.append({"kind": "music"})
    if asked.no_text and "text" not in missing:
        out.append({"kind": "text"})
    volumes = _music_volumes(tl)
    if asked.music_under is not None and volumes and "volume" not in missing:
        out.append(
            {
                "kind": "volume",
                "asked": asked.music_under,
                "found": max(volumes),
                "at_most": asked.music_at_most,
            }
        )
    level = asked.music_at
    if level is not None and volumes and "volume_at" not in missing:
        farthest = max(volumes, key=lambda v: abs(v - level))  # every one is within the tolerance
        out.append({"kind": "volume_at", "asked": level, "found": farthest})
    for word, where, clip in _placed(asked, tl):
        if clip is not None and clip[0] == clip[1]:
            out.append({"kind": "order", "name": word, "where": where, "found": clip[1]})
    for text, where, span, ok in _text_placed(asked, tl):
        if ok:
            out.append({"kind": "text_at", "name": text, "where": where, "found": span})
    if asked.title is not None:
        wanted = asked.title.casefold()
        shown = (seg.name for tr in tl.tracks if tr.kind == "text" for seg in tr.segments if seg.name)
        if any(wanted in name.casefold() for name in shown):
            out.append({"kind": "title", "name": asked.title})
    return out


def same_music(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """Another track was asked for ("swap the music for …") and the music after the turn is the
    one before (by name): the fact, whatever the agent says."""
    if not asked.new_music or before is None:
        return None
    names_before, names_after = _music_names(before), _music_names(after)
    if names_after and names_after == names_before:
        return {"kind": "same_music", "names": sorted(names_after)[:3]}
    return None


def _music_names(tl: Timeline) -> frozenset[str]:
    return frozenset(seg.name for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments if seg.name)


# The user's own photos or clips, named in a request ("use the first photo only", "these pictures",
# "用我上传的照片"): outside quotes, not negated ("no photos", "without my clips", "不用照片").
# A request that says so, sent to a project holding none, would be made from nothing.
_EN_MEDIA = re.compile(
    r"(?i)(?<![\w-])(?:photos?|pictures?|pics|images?|clips?|footage|snaps|uploads?|uploaded|attached|"
    r"attachments?|selfies?|screenshots?)(?![\w-])"
)
_EN_MEDIA_NEGATED = re.compile(
    r"(?i)\b(?:no|without|not|don'?t\s+(?:use|need|want)|no\s+need\s+for|skip|stock|ai|generated?)"
    r"\s+(?:[\w']+\s+){0,3}$"
)
# "a 5-second intro clip", "one short clip of waves": the thing to make, not the user's media.
_EN_MEDIA_MADE = re.compile(r"(?i)\b(?:a|an|one|new)\s+(?:[\w'-]+\s+){0,3}$")
# After the word: "no photos needed", "photos not needed".
_EN_MEDIA_NEGATED_AFTER = re.compile(
    r"(?i)^\s*(?:are\s+|is\s+)?(?:not\s+needed|not\s+required|needed:?\s*no)\b"
)
_ZH_MEDIA = re.compile(r"照片|图片|相片|素材|截图|自拍|上传|附件|这几张|这些图|原片")
_ZH_MEDIA_NEGATED = re.compile(
    r"(?:不用|不要|别用|没有|无需|不需要|不带|不必用|无)(?:我的|任何|我上传的|上传的)?$"
)
# After the word: "我的照片不用了", "照片就不要了", "素材不需要".
_ZH_MEDIA_NEGATED_AFTER = re.compile(r"^(?:[了就也都]\s*)*(?:不用|不要|不需要|用不上|不必|免了)")


def speaks_of_own_media(prompt: str) -> bool:
    """Whether the words ask for the user's own photos or clips (not negated, not quoted). A
    request that says anywhere not to use them ("no photos", "不用我的照片") is not about them:
    its other words for media ("an intro clip") are the video to make (play-test 17)."""
    text = _QUOTED.sub(" ", prompt)
    asked = False
    for pattern, negated, after, made in (
        (_EN_MEDIA, _EN_MEDIA_NEGATED, _EN_MEDIA_NEGATED_AFTER, _EN_MEDIA_MADE),
        (_ZH_MEDIA, _ZH_MEDIA_NEGATED, _ZH_MEDIA_NEGATED_AFTER, None),
    ):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            if negated.search(before) or after.match(text[m.end() : m.end() + 20]):
                return False  # the user said not to use their media
            if made is None or not made.search(before):
                asked = True
    return asked
