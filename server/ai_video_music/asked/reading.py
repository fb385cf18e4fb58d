"""``read()``: a prompt read once into an ``Asked`` by every concern's reader, with what goes
around it (a request for a video at all, only questions, nothing changed, a second frame).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import Any

from ..naming import quoted_name, title_from, title_said_plainly
from .base import _QUOTED, _SENTENCE, Asked, Shape
from .frames import (
    _EN_FRAME_VERSION,
    _EN_KEEP_FRAME,
    _ZH_FRAME_VERSION,
    _ZH_KEEP_FRAME,
    _frame_word_shape,
    _keep_frame,
    _shape,
)
from .kept import _EN_DROP_TITLE, _ZH_DROP_TITLE, _clip_seconds, _keep_text, _keep_title, _title_at
from .lengths import _seconds, bare_seconds
from .music import (
    _BARE_LEVEL,
    _MUSIC_WORD,
    _keep_music,
    _music_at,
    _music_rel,
    _music_under,
    _new_music,
    _no_music,
)
from .nophotos import read_no_photos
from .orders import _order, _sequence, _uses
from .remarks import withdrawn
from .swaps import read_swap
from .texts import (
    _no_text,
    _projects,
    _removed,
    _replaced,
    _text_at,
    _text_clip,
    _text_span,
    _text_time,
    _text_whole,
    _title_back,
)
from .words import (
    _FILE_DOT,
    _NOTE,
    _ON_SCREEN,
    ABBREVIATION,
    _asides,
    _clauses,
    _is_request,
    _plainly,
    _zh_gaps,
    zh_percents,
    zh_slips,
)


# --- the video as it was, asked to stay beside a new one ------------------------------------------
def second_frame(prompt: str) -> Shape | None:
    """The frame of a second version asked beside a keep ("can u also do a vertical version for
    shorts? but keep the wide one too"): the shape read, else a frame's version named in a clause
    that is no keep. None without a keep, or with several frames (play26en F7: polite forms the
    shape reader leaves unread replaced the only copy of the first and cost 50)."""
    stated = read(prompt)
    if not stated.keep_frame:
        return None
    if stated.shape is not None:
        return stated.shape
    found: set[Shape] = set()
    text = _QUOTED.sub(" ", prompt)
    for sentence in _SENTENCE.findall(text):
        for clause in _clauses(sentence):
            if _EN_KEEP_FRAME.match(clause) or _ZH_KEEP_FRAME.match(clause):
                continue
            for m in (*_EN_FRAME_VERSION.finditer(clause), *_ZH_FRAME_VERSION.finditer(clause)):
                found.add(_frame_word_shape(m.group("shape")))
    return found.pop() if len(found) == 1 else None


# --- shape -----------------------------------------------------------------------------------
def _notes(text: str) -> str:
    """``text`` without a bracketed note on a word inside an ask (never inside a quote, never a
    note that asks something itself: "(no music)")."""
    inside = [m.span() for m in _QUOTED.finditer(text)]

    def drop(m: re.Match[str]) -> str:
        note = m.group("note")
        if any(a < m.start() < b for a, b in inside) or len(note.split()) > 4 or _read(note) != Asked():
            return m.group(0)
        return " " if re.match(r"\s", m.group(0)) or re.search(r"\s$", m.group(0)) else ""

    return _NOTE.sub(drop, text)


def _sentences(text: str, quote: str = " ", gaps: bool = True) -> list[str]:
    """``gaps``: a space that parts Chinese clauses read as a comma (:func:`_zh_gaps`)."""
    # (after the gaps: "日出那张(sunrise.jpg)放开头" names the file, read as its name first)
    text = _asides(_notes(_zh_gaps(text) if gaps else text))
    plain = ABBREVIATION.sub(lambda m: m.group(0).replace(".", " "), _QUOTED.sub(quote, text))
    plain = _FILE_DOT.sub("\u2024", plain)
    return [part for s in _SENTENCE.findall(plain) if s.strip() for part in _ask_then_question(s.strip())]


_COMMA_AFTER = re.compile(r"(?<=[，,])")


def _ask_then_question(sentence: str) -> list[str]:
    """A sentence whose question mark ends a question said after a request ("做个15秒的猫粮促销视频，
    配乐能商用吗？", "make it 10 seconds, is the music free?"): the request, then the question. The
    mark asked of the last words only; read whole, the request was lost (play27zh F2)."""
    if not sentence.endswith(("?", "？")):
        return [sentence]
    pieces = _COMMA_AFTER.split(sentence)
    for k in range(1, len(pieces)):
        asks = "".join(pieces[k:]).strip()
        if all(_is_request(p.rstrip("，, ")) for p in pieces[:k]) and not _is_request(asks):
            return ["".join(pieces[:k]).rstrip("，, ") + "。", asks]
    return [sentence]


# --- a length said loosely -----------------------------------------------------------------------
# A request for a video of its own ("make a video of a forest", "再做一个森林的视频"): NemoVideo
# may make a new one (a generation's price) even in a project that has a timeline. An article or
# measure word is required: "make the video 10 seconds" and "把视频剪成 10 秒" are edits.
_EN_NEW_VIDEO = re.compile(
    r"(?i)\b(?:make|create|generate|produce|build|do|give\s+me)\s+(?:me\s+)?(?:a|an|one|another|new|some)\b"
    r"[^.!?]{0,60}?\b(?:video|clip|movie|film|reel|slideshow|teaser|promo)s?\b"
)
_ZH_NEW_VIDEO = re.compile(
    # (not 视频号, a platform: "再做个横屏的发视频号" is a frame for it, play28zh F15: read as a new
    # video, the title and music it replaced unasked went unsaid)
    r"(?:生成|制作|做|创建|来)(?:一个|一段|一支|一条|个|段|支|条|新的?)[^，,。]{0,12}?视频(?!号)"
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
        # "做一个 海边的视频": one ask, whatever space stands in it
        for sentence in _sentences(prompt, gaps=False)
        if _is_request(sentence)
    )


@lru_cache(maxsize=512)
def read(prompt: str) -> Asked:
    """The constraints ``prompt`` states (the user's words as sent, never the agent's). Cached: one
    answer reads the same words (and their pieces) many times; an ``Asked`` is immutable."""
    prompt = zh_slips(prompt)
    stated = _read(prompt)
    # "open with sunrise … ugh ok forget the order": what a part withdrew is not read at all; only
    # what the words ask of it after the withdrawal is.
    for topic, end in withdrawn(prompt).items():
        after = _read(prompt[end:])
        stated = dataclasses.replace(stated, **{f: getattr(after, f) for f in TOPIC_FIELDS.get(topic, ())})
    return stated


TOPIC_FIELDS: dict[str, tuple[str, ...]] = {
    "order": ("order", "sequence", "swap"),
    "music": ("no_music", "music_under", "music_at_most", "music_at", "new_music", "music_rel", "keep_music"),
    "text": (
        "no_text",
        "title",
        "text_at",
        "text_time",
        "text_span",
        "text_whole",
        "removed",
        "replaced",
        "keep_title",
        "title_at",
        "keep_text",
        "text_clip",
        "drop_title",
    ),
    "seconds": ("seconds", "clip_seconds"),
    "shape": ("shape", "keep_frame"),
}


_ZH_TEXT_WORD = re.compile(r"标题|字幕|文字|片名")
# "做个视频 叫「小猫洗澡」", "视频名字叫「A」": a quote the video (or project) is called by, never
# one a text word introduces ("标题叫「A」", "字幕就叫「A」"): it names the video, whatever else the
# request says of text on screen (play25zh F2).
_ZH_CALLED = re.compile(
    r"(?:(?:就|也|可以|要)?(?:叫做?|取名叫?|命名为|名为)|(?:名字|名称)(?:就|也)?(?:叫做?|是|为|用))\s*[:：]?\s*$"
)
_ZH_NAME_AS_TEXT = re.compile(r"(?:标题|字幕|片名)[^，,。]{0,4}(?:这个名字|这个名|同名|一样|用它|用这个)")
_ZH_TEXT_CALLED = re.compile(
    r"(?:标题|字幕|文字|片名|题目|文案|标语)\s*(?:就|也|可以|要)?(?:叫做?|是|为|用)\s*[:：]?\s*$"
)


def _names_the_video(prompt: str, name: str) -> bool:
    """``name`` is quoted right after words that call the video by it (:data:`_ZH_CALLED`)."""
    for m in _QUOTED.finditer(prompt):
        before = prompt[max(0, m.start() - 12) : m.start()]
        if m.group(0)[1:-1].strip() != name or _ZH_TEXT_CALLED.search(before):
            continue
        if _ZH_CALLED.search(before):
            return True
    return False


# A question word that asks about what happened ("怎么变成5秒了", "为什么没换"), never a condition
# ("如果太长就剪短") nor a yes/no tag: what follows it in the same sentence may ask plainly.
_ZH_WHY = re.compile(r"怎么|为什么|为啥|咋")
_ZH_CONDITION = re.compile(r"如果|要是|假如|万一|若是|的话")


def _asks_after_why(sentence: str) -> list[str]:
    """The clauses of a Chinese sentence after one that asks why ("怎么变成5秒了，改回20秒，字幕也再
    加一下"): asks of their own (play28zh F11: the whole sentence was read as a question, and "改回20秒"
    unchecked while the video stayed 5 s). Nothing when the question is last or a condition is said."""
    if _is_request(sentence) or _ZH_CONDITION.search(sentence) or not _ZH_WHY.search(sentence):
        return []
    parts = re.split(r"[，,]", sentence)
    asking = [i for i, part in enumerate(parts) if not _is_request(part)]
    rest = "，".join(parts[asking[-1] + 1 :]).strip("，, ") if asking else ""
    return [rest] if rest and _is_request(rest) else []


def _read(prompt: str) -> Asked:
    sentences = [
        s.rstrip("?？ ")
        for whole in _sentences(zh_percents(prompt))
        for s in ([whole] if _is_request(whole) else _asks_after_why(whole))
    ]
    # a title typed without quotes ("title Anvil & Hoof") is asked on screen, no name given the video
    name: str | None = title_from(prompt) or title_said_plainly(prompt) or None
    given = quoted_name(prompt)
    on_screen = bool(_ON_SCREEN.search(prompt)) and (
        not (name and _names_the_video(prompt, name)) or bool(_ZH_NAME_AS_TEXT.search(prompt))
    )
    under = _music_under(sentences)
    removed, replaced = _removed(prompt), _replaced(prompt)
    level = _music_at(sentences)
    # "把标题放到最后": the title's place (title_at), never a clip's
    order = tuple(o for o in _order(sentences) if not _ZH_TEXT_WORD.search(o[0]))
    if name in removed or name in replaced:
        name = None  # "remove the 'My Video' title": a title asked to go, not to be shown
    back = _title_back(prompt)
    if back and (not name or name in removed):
        name = back[0]  # "把「A」删掉 标题换回「B」": B is the title asked for, on screen
    return Asked(
        no_music=_no_music(sentences),
        seconds=_seconds(sentences),
        shape=_shape(sentences),
        named_only=name if name and not on_screen and name != given else None,
        # "去掉标题「X」" asks for that title to go, not for no text at all: the quote stays marked.
        no_text=_no_text([s for s in _sentences(prompt, "\ue002") if _is_request(s)]),
        music_under=under[0] if under else None,
        music_at_most=under[1] if under else False,
        new_music=_new_music(sentences),
        title=name if name and on_screen and name != given else None,
        given_name=given or None,
        music_at=level,
        order=order,
        sequence=_sequence(sentences)[0],
        # "lead with the beach shot" asks for an order, which says the clip is used
        uses=tuple(
            u for u in _uses(sentences) if u not in {w for w, _ in order} | set(_sequence(sentences)[0])
        ),
        text_at=_text_at(prompt),
        text_time=_text_time(prompt),
        text_span=_text_span(prompt),
        text_whole=_text_whole(prompt),
        removed=removed,
        replaced=replaced,
        # "lower the music to about 20%": the level is the ask, the word only its way there.
        music_rel=_music_rel(sentences) if under is None and level is None else None,
        keep_title=_keep_title(sentences),
        keep_frame=_keep_frame(sentences),
        projects=_projects(prompt),
        # a quoted text placed is judged as such ("put the 'X' title at the end")
        title_at=None if _text_at(prompt) else _title_at(sentences),
        keep_text=_keep_text(sentences),
        keep_music=_keep_music(sentences),
        text_clip=_text_clip(prompt),
        no_change=any(NO_CHANGE.match(c) for sentence in sentences for c in _clauses(sentence)),
        clip_seconds=_clip_seconds(sentences),
        swap=read_swap(sentences),
        no_photos=read_no_photos([c for sentence in sentences for c in _clauses(sentence)]),
        drop_title=any(
            _plainly(clause, _EN_DROP_TITLE, _ZH_DROP_TITLE)
            for sentence in sentences
            for clause in _clauses(sentence)
        ),
    )


# Nothing to change at all ("dont change anything", "no changes yet", "先别改任何东西"): judged on the
# change (play26en F18: beside a question it was sent, and the music swapped unsaid). Never
# "anything else", a limit beside an edit. The router reads the same words as asking no edit.
NO_CHANGE_WORDS = (
    r"^(?:(?:so|ok|okay|but|and|please|pls|just)\s+)*(?:(?:don['’]?t|do not|no need to)"
    r"\s+(?:change|touch|edit|modify|alter)\s+(?:anything|a thing|any of it|the video|it)"
    r"|no changes?|leave (?:everything|it all) (?:as it is|as is|alone))(?: (?:at all|yet|for now|now|please"
    r"|pls|thanks|ok|okay))*[\s!.~]*$"
    "|^(?:先|暂时|现在)?(?:什么都|啥都|任何东西都|都)?(?:别|不要|先别|不用)(?:改|动)(?:任何东西|任何地方|任何内容|什么)?"
    "(?:了|啊|哦|哈)?$"
)
NO_CHANGE = re.compile("(?i)" + NO_CHANGE_WORDS)


def nothing_changed(prompt: str, asked: Asked, changed: bool | None) -> dict[str, Any] | None:
    """ "Don't change anything" beside no other ask (a question, "just curious"), judged on the
    change: ``met`` when the timeline is as it was. None where the words ask something besides."""
    if not asked.no_change or changed is None or dataclasses.replace(asked, no_change=False) != Asked():
        return None
    return {"kind": "no_change", "met": not changed}


def bare_level(prompt: str) -> float | None:
    """The one level a request says of "it" alone ("put it at 25%", "make it 40%"): the music's
    only where the talk before was of the music (the caller knows; the words alone don't)."""
    found = {
        float(next(g for g in m.groups() if g))
        for sentence in _sentences(zh_percents(prompt))
        if _is_request(sentence)
        for clause in _clauses(sentence.rstrip("?？ "))
        if (m := _BARE_LEVEL.match(clause)) is not None
    }
    return found.pop() if len(found) == 1 else None


_VOLUME_TALK = re.compile(
    r"(?i)\b(?:volume|loud(?:er)?|quiet(?:er)?|soft(?:er)?|level)\b|\d{1,3}\s*[%％]|音量|大声|小声|吵"
)


def about_the_volume(prompt: str) -> bool:
    """The words speak of the music's volume: a level or a way asked, or a question of it ("how
    loud is the music now?"), so a level said of "it" next is the music's."""
    stated = read(prompt)
    if stated.music_at is not None or stated.music_under is not None or stated.music_rel is not None:
        return True
    return bool(_MUSIC_WORD.search(prompt) and _VOLUME_TALK.search(prompt))


def length_of_it(prompt: str, said_before: str) -> float | None:
    """A number said alone ("actually 10", "10 is fine") right after talk of the video's length
    ("make it 15s"): the length asked, in seconds; None otherwise (play27en S3)."""
    if not said_before or (read(said_before).seconds is None and not _LENGTH_TALK.search(said_before)):
        return None
    if read(prompt) != Asked():
        return None  # the words ask something of their own: read as they are
    sentences = [s.rstrip("?？ ") for s in _sentences(prompt) if _is_request(s)]
    return bare_seconds([c for sentence in sentences for c in _clauses(sentence)])


_LENGTH_TALK = re.compile(
    r"(?i)\b(?:long|longer|short|shorter|length|duration|seconds?|secs?)\b|\d\s*s\b|时长|秒"
)
