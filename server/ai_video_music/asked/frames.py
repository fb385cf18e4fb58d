"""What the words ask of the frame: a shape (vertical, square, horizontal) and the frame as it was
asked to stay beside a new one.
"""

from __future__ import annotations

import re

from .base import _EN_POLITE, Shape
from .lengths import _EN_INTO, _NOT_A_BOUND, _ZH_FOR_PLATFORM, _ZH_KIND, _ZH_PLATFORM_BEFORE, _ZH_SOFT_END
from .words import _SIZE_ONLY, _clauses

# --- the video as it was, asked to stay beside a new one ------------------------------------------
# "keep the wide one for the website", "but keep the normal one", "don't lose the original version",
# "keep both", "横版的也要留着", "原来的版本也保留", "两个版本都要": a project holds one video, so a
# new frame replaces the old one; judged on the change (the frame before against the one after).
_FRAME_WORD = (
    r"(?:wide|wide-?screen|horizontal|landscape|16\s*:\s*9|vertical|portrait|9\s*:\s*16|square|1\s*:\s*1"
    r"|normal|original|old|first|current|existing|regular)"
)
_VERSION = r"(?:one|version|video|cut|format|edit)"
_FRAME_VERSION = _FRAME_WORD + r"\s+" + _VERSION
_EN_KEEP_FRAME = re.compile(
    r"(?i)^\s*(?:and\s+)?(?:please\s+)?(?:also\s+)?(?:"
    r"(?:keep|save|retain|preserve|hold\s+on\s+to)\s+(?:the\s+|my\s+|our\s+|this\s+|that\s+)?"
    r"(?:" + _FRAME_VERSION + r"|original)"
    + r"|(?:don'?t|do\s+not|never)\s+(?:lose|delete|replace|overwrite|get\s+rid\s+of|throw\s+away)"
    r"\s+(?:the\s+|my\s+|this\s+|that\s+)?" + _FRAME_VERSION
    + r"|(?:i|we)\s+(?:still\s+)?(?:want|need)\s+(?:to\s+keep\s+)?the\s+" + _FRAME_VERSION
    + r"|keep\s+both(?:\s+(?:versions|of\s+them|formats|videos))?"
    r"|the\s+" + _FRAME_VERSION + r"\s+(?:stays|should\s+stay|has\s+to\s+stay|must\s+stay)"
    r")(?:\s+(?:too|as\s+well|also))?(?:\s+(?:for|on)\s+(?:the\s+|my\s+|our\s+)?[\w' -]{1,30}?)?"
    r"(?:\s+(?:too|as\s+well|please))?\s*[.!]*\s*$"
)  # fmt: skip
_ZH_FRAME_WORD = (
    r"(?:原来|之前|原版|现在|横屏|横版|竖屏|竖版|方形|正方形|方版"
    r"|16\s*[:：]\s*9|9\s*[:：]\s*16|[竖横方](?=的))"
)
# What the kept one is for ("竖屏的也要留着发抖音", "原来的保留给网站用"): it is still kept (play28zh F14:
# "再做个横屏的发视频号 竖屏的也要留着发抖音" replaced the only vertical cut and cost 50 credits).
_ZH_KEPT_FOR = (
    r"(?:(?:用来|拿来|好|要)?(?:发|传|投|放|给)(?:到|在)?[\u4e00-\u9fffA-Za-z]{1,8}?(?:上)?(?:用|看)?)?"
)
_ZH_KEEP_FRAME = re.compile(
    r"^(?:但|但是|不过|同时|并且|还有|另外)?(?:也|还)?(?:要)?(?:把)?(?:这个|那个)?" + _ZH_FRAME_WORD
    + r"(?:的)?(?:那个|这个|那版)?(?:版本|视频|版)?(?:也|还)?(?:要|得|请)?"
    r"(?:留着|保留|留下|留一份|保留一份|别删|不要删|别动|不要动|别覆盖|不要覆盖)(?:着)?(?:别动|不要动|不动)?"
    + _ZH_KEPT_FOR
    + r"(?:吧|啊|哦|呀)?\s*[。！]?\s*$"
    r"|^(?:但|但是|不过|同时|并且|还有|另外)?(?:也|还)?(?:要)?(?:保留|留着|留下)" + _ZH_FRAME_WORD
    + r"(?:的)?(?:那个|这个)?(?:版本|视频|版)?" + _ZH_KEPT_FOR + r"(?:吧|啊)?\s*[。！]?\s*$"
    r"|^(?:但|但是|不过)?两个(?:版本|视频)?都(?:要|得)(?:留着|保留)?(?:吧|啊)?\s*[。！]?\s*$"
)  # fmt: skip


def _keep_frame(sentences: list[str]) -> bool:
    return any(
        _EN_KEEP_FRAME.match(clause) or _ZH_KEEP_FRAME.match(clause)
        for sentence in sentences
        for clause in _clauses(sentence)
    )


# "a vertical version", "a square one for insta", "a wide cut": a frame's version, wherever the
# clause puts it ("can u also do …", "can i get …"); read only beside a keep, never on its own.
_EN_SHAPES: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"vertical|portrait|9\s*:\s*16"),
    (Shape.SQUARE, r"square|1\s*:\s*1"),
    (Shape.HORIZONTAL, r"horizontal|landscape|wide-?screen|wide|16\s*:\s*9"),
)
_ZH_SHAPES_FOR_KEEP: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"竖屏|竖版|9\s*[:：]\s*16"),
    (Shape.SQUARE, r"正方形|方形|1\s*[:：]\s*1"),
    (Shape.HORIZONTAL, r"横屏|横版|16\s*[:：]\s*9"),
)
_EN_FRAME_VERSION = re.compile(
    r"(?i)\b(?:a|an|one|another)\s+(?:(?:new|second|separate|short|quick)\s+)?(?P<shape>"
    + "|".join(words for _, words in _EN_SHAPES)
    + r")\s+(?:one|version|video|vid|cut|format|edit|copy)\b"
)
_ZH_FRAME_VERSION = re.compile(
    r"(?:做|出|来|要|弄)(?:一个|一版|个|版)?(?P<shape>"
    + "|".join(words for _, words in _ZH_SHAPES_FOR_KEEP)
    + r")(?:的)?(?:版本|版|视频)"
)


def _frame_word_shape(word: str) -> Shape:
    for shape, words in (*_EN_SHAPES, *_ZH_SHAPES_FOR_KEEP):
        if re.fullmatch(words, word, re.IGNORECASE):
            return shape
    return Shape.HORIZONTAL  # (unreachable: every word above is one of the shapes)


# "不要再改标题了": this 再 means "again", not "and then" (which would split the clause).
_ZH_NOT_AGAIN = re.compile(r"(?<=不要|不准|不许|不能)再|(?<=别)再|(?<=千万别)再")


# --- shape -----------------------------------------------------------------------------------
_ZH_SHAPES: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"竖屏|竖版|竖向|9\s*[:：]\s*16"),
    (Shape.SQUARE, r"正方形|方形|1\s*[:：]\s*1"),
    (Shape.HORIZONTAL, r"横屏|横版|横向|宽屏|16\s*[:：]\s*9"),
)
_EN_SHAPE_CLAUSE = (
    r"(?i)^\s*" + _EN_POLITE + r"(?:(?:make|turn|change|switch|crop|format|put|bring|set)"
    r"\s+(?:it|the\s+video|this|everything|the\s+(?:[\w'&.-]+\s+){{1,4}}(?:video|vid|one)"
    r"|[a-z]+'?s\s+(?:video|vid|one))\s+(?:back\s+)?(?:to\s+|into\s+)?"  # "make rosies one vertical"
    r"(?:a\s+)?"
    # "change the frame to 9:16", "aspect ratio 9:16": the frame named by its own word (play27en S3)
    r"|(?:(?:change|switch|set|make|put|turn)\s+)?(?:the\s+)?(?:video'?s?\s+)?"
    r"(?:frame|format|aspect(?:\s+ratio)?|ratio|orientation)\s*(?:(?:back\s+)?to\s+|should\s+be\s+|=\s*|:\s*)?(?:a\s+)?"
    # "keep it vertical", "leave it in 9:16": the frame asked to stay, judged as any other (play25en F5)
    r"|(?:keep|leave)\s+(?:it|the\s+video)\s+(?:in\s+)?(?:a\s+)?|(?:make\s+sure|ensure)\s+(?:that\s+)?(?:it|the\s+video|this)(?:\s+is|'s|\s+stays|\s+remains)\s+"
    r"(?:a\s+)?|(?:make|create|do|generate|give\s+me)\s+(?:me\s+)?(?:a|an|one)\s+|(?:in|as)\s+(?:a\s+)?|(?:a|an|one)\s+"
    # "I also want a square version", "we'd like a vertical one"
    r"|(?:(?:i|we)\s+)?(?:(?:also\s+)?(?:want|need|would\s+like)|(?<=i|e)'d\s+(?:also\s+)?like)\s+(?:it\s+)?(?:(?:a|an|one)\s+|in\s+)?"
    # "can i get a vertical one for stories", "could you do a square version" (play26en F8)
    r"|(?:can|could)\s+(?:i|we|you|u)\s+(?:also\s+)?(?:get|have|make|do)\s+(?:me\s+|us\s+)?(?:also\s+)?(?:a|an|one)\s+"
    r"(?:(?:new|second|separate|another)\s+)?" + _EN_INTO.replace("{", "{{").replace("}", "}}") + r")?"
    r"(?:\d{{1,3}}(?:\.\d)?(?:\s*-\s*|\s+)?(?:seconds?|secs?|s)\s+)?"
    # "a short square vid", "a quick little vertical clip": words of size or tone before the frame
    r"(?:(?:short|quick|little|small|simple|nice|cute|fun|brief|new)\s+){{0,2}}"
    r"(?:{shape})(?:\s+(?:{shape}))?(?:\s+\d{{1,3}}(?:\.\d)?(?:\s*-\s*|\s+)?(?:seconds?|secs?|s))?(?:(?:\s+"
    + _NOT_A_BOUND.replace("{", "{{").replace("}", "}}")
    + r"[a-z][\w'-]*){{0,2}}?\s+(?:format|frame|aspect(?:\s+ratio)?|ratio|video|vid|reel"
    r"|clip|teaser|short|promo|ad|version|post|slideshow|story|one|cut|intro|outro|opener|trailer|vlog))?"
    # "a 9:16 cut as well": a second one asked, of that shape
    r"(?:\s+(?:too|as\s+well|also))?"
    r"(?:\s+(?:from|of|with|without|for|about|using|showing|called|named|titled|like)\b.*)?"
    # "vertical so it fits my phone screen": the reason says no other shape
    r"(?:\s+so\s+(?:that\s+)?it\s+fits(?:\s+on)?\s+(?:my|a|your|the|our)\s+(?:phone|mobile)(?:\s+screen)?)?"
    # "make it vertical 9:16 instead" (play28en F9: said "not checked" while still square), "vertical
    # 9:16 pls": a phone's politeness, as a length's (play29en F13: the frame went unread)
    r"(?:\s+(?:instead|please|pls|plz|thanks|thx|tho|though|this\s+time|now|then)){{0,3}}\s*[.!。！]?\s*$"
)
_ZH_SHAPE_CLAUSE = (
    r"^(?:[^，,。]*?(?:做|剪|生成|制作|改|换|调整|裁|来|弄|搞|整)(?:成|为|到|回)?(?:一个|一段|一支|一条|个|段|支|条)?"
    r"|(?:请|麻烦)?(?:确保|一定要|务必)(?:视频)?(?:是|为|用)?"
    # "杯子方形版": the subject's version in that frame (never "保留横版", "原来的竖版")
    r"|(?:(?![留保要删别不原旧之现那这也还都的])[\u4e00-\u9fff]){{1,6}}?(?=(?:{shape})(?:版本|版)(?:吧)?\s*[。！]?\s*$)"
    r"|[^，,。]*?出(?:一个|一版|一支|个|版)"  # "再出个方形的": one more made, in that frame
    # "算了 还是横屏吧", "就用横屏": a mind changed to that frame (play25zh F1)
    r"|(?:算了\s*)?(?:还是|就|那就)?(?:用|要)"
    r"|(?:算了\s*)?(?:还是|那就)"
    r")?"
    + _ZH_PLATFORM_BEFORE.replace("{", "{{").replace("}", "}}")
    + r"\s*(?:\d{{1,3}}\s*秒(?:钟)?(?:左右|上下)?的?)?(?:\d{{1,2}}\s*[:：]\s*\d{{1,2}}\s*的?)?"
    r"(?:{shape})(?:\s*[（(]?\s*(?:{shape})\s*[)）]?)?"
    r"(?:的?(?:画面|比例|格式|"
    + _ZH_KIND.replace("{", "{{").replace("}", "}}")
    + r"(?:短?视频|短片|小片|片子|宣传片|广告片|vlog|Vlog|VLOG)|版本|版|vlog|Vlog|VLOG"
    # "做个横屏16:9的B站版本": the version for a platform, in that frame (play26zh F18)
    r"|(?:B站|b站|抖音|小红书|视频号|快手|朋友圈|微博|YouTube|youtube|油管|tiktok|TikTok|ins|Ins)(?:的)?(?:版本|版)))?"
    + _ZH_FOR_PLATFORM.replace("{", "{{").replace("}", "}}")
    + r"的?(?:\s*\d{{1,3}}\s*秒(?:钟)?(?:左右|上下)?(?:的?(?:短?视频|短片|小片|片子))?)?"
    + _ZH_SOFT_END
    + r"\s*[。！]?\s*$"
)


# --- a length said loosely -----------------------------------------------------------------------
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


def shape_of(width: int, height: int) -> Shape:
    if abs(width - height) <= 0.02 * max(width, height):
        return Shape.SQUARE
    return Shape.VERTICAL if height > width else Shape.HORIZONTAL
