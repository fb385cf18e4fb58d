"""A part of an earlier ask taken back ("never mind the music") and a remark that asks nothing
("looks great"): words that are not a constraint to check, and the topics an ask is about.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .base import _QUOTED
from .words import _ZH_CHANGE_VERBS

# --- a part taken back, a remark ------------------------------------------------------------------
# "ugh ok forget the order", "never mind the music", "算了顺序不用管了": a part of an earlier ask
# withdrawn, no ask of its own; what it withdraws (said before it) is not checked at all.
_EN_WITHDRAW = re.compile(
    r"(?i)^\s*(?:(?:ugh|ok(?:ay)?|oh|well|so|fine|alright|actually|hmm+|yeah|yes|and|but|then)[\s,!.]+)*"
    r"(?:just\s+|actually\s+)?(?:forget(?:\s+about)?|never\s*mind(?:\s+about)?|nvm|scratch"
    r"|don'?t\s+(?:worry|bother)\s+(?:about|with)"
    # "dont care about the length": a part waived, no ask (play26en F5)
    r"|(?:i\s+)?(?:don'?t|do\s+not)\s+(?:really\s+)?care\s+(?:about|for|much\s+about))\s+"
    r"(?:the\s+|that\s+|this\s+|my\s+|our\s+)?(?P<what>[\w'\u2024 -]{1,40}?)"
    r"(?:\s+(?:thing|part|stuff|bit|idea|request|one))?"
    r"(?:\s+(?:then|for\s+now|altogether|entirely|completely|though|after\s+all|please|pls))*\s*[.!。！]?\s*$"
)
_ZH_WITHDRAW = re.compile(
    r"^(?:算了|好吧|那|嗯|唉)*[，,]?\s*(?:(?:不用管|别管|不管|不用考虑|不考虑)(?P<what1>[\u4e00-\u9fff]{1,8}?)了?"
    r"|(?P<what2>[\u4e00-\u9fff]{1,8}?)(?:的事|这个|那个|这块)?(?:就|也|都|还是)?"
    r"(?:算了|不用管了?|别管了?|不管了?|无所谓了?|不用了|不重要了?|随便吧?"
    # "音乐不换了", "字幕不用再加了": the change itself given up (play27zh F5)
    r"|不(?:用|要|必)?(?:再)?(?:改|换|调|动|加|删|替换)了?)"
    # "算了不要竖屏了": the other frame asked before, taken back (play28zh R2: the agent made it vertical
    # anyway, and the frame changed unflagged). Only a frame: "算了不要音乐了" may ask for no music.
    r"|算了[，,\s]*(?:不要|不用|不做|不弄)(?:那个|这个)?(?P<what3>竖屏|横屏|竖版|横版|方形|正方形)(?:的|版|版本)?)"
    r"(?:吧|了|啊)*\s*[。！]?\s*$"
)
# English words bounded by ASCII letters: "bgm来点别的" names the music (to \b a CJK letter is a word letter).
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("order", re.compile(r"(?i)(?<![a-z])(?:order|ordering|sequence|reorder)(?![a-z])|顺序|排序|先后")),
    (
        "music",
        re.compile(r"(?i)(?<![a-z])(?:music|song|soundtrack|bgm|track|volume)(?![a-z])|音乐|配乐|歌|音量"),
    ),
    ("text", re.compile(r"(?i)(?<![a-z])(?:title|caption|text|subtitles?)(?![a-z])|标题|字幕|文字")),
    ("seconds", re.compile(r"(?i)(?<![a-z])(?:length|duration)(?![a-z])|时长|长度")),
    (
        "shape",
        re.compile(
            r"(?i)(?<![a-z])(?:frame|format|ratio|vertical|horizontal|square)(?![a-z])|画幅|比例|竖屏|横屏|[竖横]版|方形"
        ),
    ),
    # "字体算了不管了", "forget the font": the look of the letters (no check reads it)
    (
        "font",
        re.compile(r"(?i)(?<![a-z])(?:fonts?|typeface|font\s+size|text\s+size)(?![a-z])|字体|字号|字的大小"),
    ),
)
# An ask of the letters' look: "标题字再大一点", "make the title text bigger", "bigger font".
_FONT_ASK = re.compile(
    r"(?i)\b(?:bigger|larger|smaller|bold(?:er)?)\s+(?:text|font|letters|title)\b"
    r"|\b(?:text|font|letters)\s+(?:bigger|larger|smaller|bold(?:er)?)\b|字(?:再|更|稍微)?(?:大|小|粗|细)"
)


def ask_topics(ask: str) -> set[str]:
    """The topics of one ask, as a withdrawal names them: "标题字再大一点" is of the text and the
    font, so "字体算了不管了" later takes it back (play26zh F9)."""
    found = {topic for topic, words in _TOPICS if words.search(ask)}
    return found | ({"font"} if _FONT_ASK.search(ask) else set())


def withdrawal(clause: str) -> str | None:
    """What ``clause`` takes back ("forget the order": "order"; "forget the week5 one": "" for a
    part no check reads), or None when it is no withdrawal."""
    en = _EN_WITHDRAW.match(clause)
    zh = None if en else _ZH_WITHDRAW.match(clause)
    if en is None and zh is None:
        return None
    what = en.group("what") if en else (zh.group("what1") or zh.group("what2") or zh.group("what3"))  # type: ignore[union-attr]
    if en is None and re.search(_ZH_CHANGE_VERBS, what):
        return None  # "把音乐删了就算了" is no withdrawal of the music
    return next((topic for topic, words in _TOPICS if words.search(what)), "")


def withdrawn(prompt: str) -> dict[str, int]:
    """The topics ``prompt`` takes back, with where (in the prompt) the last withdrawal of each ends:
    asks of that topic said before it are withdrawn."""
    found: dict[str, int] = {}
    for m in re.finditer(r"[^.!?。！？;；\n,，:：]+", _QUOTED.sub(lambda q: " " * len(q.group(0)), prompt)):
        # "forget the order and put the beach photo last": the ask after "and" is not taken back
        cuts = [
            m.start(),
            *(c.start() for c in re.finditer(r"(?i)\s+(?=(?:but|and)\s)", m.group(0))),
            m.end(),
        ]
        cuts[1:-1] = [m.start() + c for c in cuts[1:-1]]
        for start, end in pairwise(cuts):
            topic = withdrawal(prompt[start:end].strip())
            if topic:
                found[topic] = end
    return found


# "sunrise looks kinda washed out", "the beach one is nice": a remark on what is there, no ask
# (unless it asks a change: "make it brighter", or says what is too much: "it's too dark").
_EN_REMARK = re.compile(
    r"(?i)^\s*(?:(?:ugh|oh|hmm+|and|but|also|so|well|tbh|honestly|though)[\s,]+)*"
    r"(?:(?:the|that|this|my|it|its)\s+)?(?:[\w'\u2024-]+\s+){0,3}?"
    r"(?:looks?|looked|seems?|seemed|feels?|felt|sounds?|sounded|is|was|are|were|'s)\s+"
    r"(?:[\w'-]+\s+){0,3}?[\w'-]+\s*[.!]?\s*$"
)
_EN_REMARK_ASKS = re.compile(
    r"(?i)\b(?:too|make|change|put|move|add|remove|use|should|shouldn'?t|needs?|want|wanted|please|pls"
    r"|can|could|would|fix|swap|replace|set|turn|go|goes|come|comes|first|last|end|start)\b"
)
_ZH_REMARK = re.compile(r"看起来|看着|感觉|显得|好像|有点|有些")
_ZH_REMARK_ASKS = re.compile(_ZH_CHANGE_VERBS + r"|太|要|想|希望|请|帮|吗|最后|开头|第一")


# "lofi不太搭", "这个音乐不好听", "the lofi doesn't fit": a dislike said beside the ask it explains
# (play22zh F10), never an ask of its own (the change is asked in words of its own).
_ZH_DISLIKE = re.compile(
    r"^(?!.*(?:" + _ZH_CHANGE_VERBS + r"))[\w\u4e00-\u9fff \-]{1,12}?(?:不太|不怎么|不是很|不大|不)"
    r"(?:搭|合适|好听|好看|喜欢|行|对味|配|适合)(?:了|吧|啊|呀)*\s*[。！!]?\s*$"
)
_EN_DISLIKE = re.compile(
    r"(?i)^\s*(?:(?:but|and|also|tbh|honestly)[\s,]+)*(?:the\s+|that\s+|this\s+)?[\w' -]{1,30}?\s+"
    r"(?:doesn'?t|does\s+not|don'?t|isn'?t|is\s+not)\s+(?:really\s+|quite\s+)?(?:fit|work|match|suit|fitting|working)"
    r"(?:\s+(?:it|here|the\s+\w+|at\s+all))?\s*[.!]?\s*$"
)


# "its our best seller", "that's the one for the shop", "it is for a client": says what something
# is, no change asked (play22en F9); "it's too dark" asks one (_EN_REMARK_ASKS: too).
_EN_STATEMENT = re.compile(
    r"(?i)^\s*(?:(?:and|but|also|so|cause|cuz|coz|because|since)[\s,]+)*"
    r"(?:it'?s|its|it\s+is|that'?s|thats|that\s+is|this\s+is|they'?re|theyre|they\s+are|these\s+are)\s+"
    r"(?:[\w'&-]+\s+){0,5}?[\w'&-]+\s*[.!]*\s*$"
)


# "夜景收尾好看", "海边那张很漂亮": what the user likes, said as why they ask (play23zh F3d/F7);
# "好看一点" asks for more, never a remark.
_ZH_LIKE = re.compile(
    r"^(?!.*(?:" + _ZH_CHANGE_VERBS + r"))[\w\u4e00-\u9fff \-]{1,12}?(?:很|挺|更|会|比较|真|超)?"
    r"(?:好看|漂亮|不错|有感觉|有氛围|有意境|舒服)(?:的|了|吧|啊|呀|哈)*\s*[。！!]?\s*$"
)


# "omg its 5 sec now", "wow the music is gone": a cry before a remark leaves it a remark (play28en
# F10: said after an edit went wrong, it was listed as an ask "not checked").
_EN_CRY = re.compile(
    r"(?i)^\s*(?:(?:omg|omfg|wow|whoa|woah|lol|oof|yikes|wait|ah+|oh+|ugh+|no+|wtf)[\s,!.]+)+"
)


def remark(clause: str) -> bool:
    """``clause`` only remarks on the video ("sunrise looks kinda washed out", "lofi不太搭") or
    says what something is ("its our best seller"): no ask."""
    text = _EN_CRY.sub("", _QUOTED.sub(" ", clause))
    if (_EN_REMARK.match(text) or _EN_STATEMENT.match(text)) and not _EN_REMARK_ASKS.search(text):
        return True
    if _ZH_DISLIKE.match(text.strip()) or _EN_DISLIKE.match(text) or _ZH_LIKE.match(text.strip()):
        return True
    return bool(_ZH_REMARK.search(text)) and not _ZH_REMARK_ASKS.search(text) and not text.isascii()


# A question about the right to use the video or its music: licence, ads, commercial use.
_RIGHTS_QUESTION = re.compile(
    r"(?i)licen[cs]|copyright|royalt|commercial|\bads?\b|advert|monetis|monetiz|sponsor|\brights?\b"
    r"|allowed|ok to (?:use|post)|okay to (?:use|post)|legal|商用|版权|授权|侵权|广告|推广|变现|合法"
)


def rights_question(text: str) -> bool:
    """The words ask about the right to use the video or its music (licence, ads, commercial use)."""
    return bool(_RIGHTS_QUESTION.search(text))
