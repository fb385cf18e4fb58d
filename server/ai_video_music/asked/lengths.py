"""What the words ask of the video's length: a number of seconds said plainly or loosely
("about 10 s", "十来秒"), never a time span or the length of a part.
"""

from __future__ import annotations

import re

from .base import _EN_POLITE
from .words import _ON_SCREEN, _PART_SECONDS, _clauses, _zh_number

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
    # "put it back to 20 seconds", "put the barn video back to 12 seconds" (play23en F4)
    r"|(?:put|bring|get|set|take|turn|change)\s+(?:it|the\s+video|this|the\s+(?:[\w'&.-]+\s+){1,4}(?:video|one))"
    r"\s+back\s+(?:down\s+|up\s+)?to\s+"
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
    r"(?:\s+(?:from|of|with|without|for|about|using|showing|called|named|titled)\b.*)?"
    # "10 seconds instead then", "15s now pls": the mind changed, said loosely (play27en S3)
    r"(?:\s+(?:instead|then|now|please|pls|plz|thanks|thx))*\s*[.!。！]?\s*$"
)
# What the video is for ("发抖音", "发小红书"): says no other shape.
_ZH_FOR_PLATFORM = (
    r"(?:的?(?:用来|拿来|要|好)?(?:发|传|投|放)(?:到|在)?(?:抖音|小红书|视频号|快手|朋友圈|B站|b站|微博|微信"
    r"|tiktok|TikTok|Instagram|instagram|ins|Ins|YouTube|youtube)(?:上|用)?)?"
)
# The same said before the frame ("做个抖音用的竖屏", "来个发小红书的竖版"): play23zh F6.
_ZH_PLATFORM_BEFORE = (
    r"(?:(?:用来|拿来|要)?(?:发|传|投|放|给)?(?:到|在)?(?:抖音|小红书|视频号|快手|朋友圈|B站|b站|微博|微信"
    r"|tiktok|TikTok|Instagram|instagram|ins|Ins|YouTube|youtube)(?:上)?(?:用|发|看|投放)?的)?"
)
_ZH_SOFT_END = r"(?:吧|了|就行|就好|就可以|就够了|即可|啊|呀)*"
# A few words of what the video is for before its noun ("年会开场视频"), never a part of it
# ("片头视频" is the intro's length, not the video's).
_ZH_KIND = r"(?:(?!片头|片尾|开头|结尾)[\u4e00-\u9fff]){0,8}?"
_ZH_SECONDS = re.compile(
    r"^(?:[^，,。]*?(?:做|剪|生成|制作|弄|搞|整)(?:成|出)?(?:一个|一段|一支|一条|个|段|支|条)?"
    r"(?:(?:竖屏|横屏|方形|正方形|竖版|横版)的?)?"
    r"|(?:再|并|然后)?(?:把|将)?(?:整个|整段|整支|整条|全部|全片)(?:视频|片子|短片)?的?(?:时长|总长|长度)?"
    r"(?:改|剪|缩短|延长|调整|调|变|加长|拉长|缩)(?:成|到|为)"
    r"|(?:再|并|然后|还要)?(?:把|将)?(?:视频的?)?(?:时长|总长|长度)"
    r"(?:是|为|改成|改为|调到|调成|剪到|剪成|缩到|缩短到|减到|加长到|延长到|拉长到|设为|设成|设置为|设置成|定为|改回|恢复到|恢复成"
    r"|回到|改回到|变回|变回到|调回|调回到|恢复为|还是|还原到|还原成)?"
    r"|(?:再|并|然后)?(?:把|将)[^，,。]{0,16}?(?:改|剪|缩短|延长|调整|变|加长|拉长|缩)(?:成|到|为)"
    r"|(?:再|并|然后)?(?:帮我)?(?:视频|片子|这个视频)?(?:改|剪|缩短|延长|调整|加长|拉长|变长|缩|减)(?:成|到|为|回)|只要|就"
    r"|(?:一共|总共|总计|全长|加起来)(?:是|要|就|为)?|(?:竖屏|横屏|方形|正方形|竖版|横版))?\s*(\d{1,3}(?:\.\d)?)\s*秒(?:钟)?(?:长)?(?:左右|上下)?"
    r"(?:的?(?:竖屏|横屏|方形|正方形|竖版|横版)(?:的?"
    + _ZH_KIND
    + r"(?:短?视频|短片|小片|片子|宣传片|vlog|空镜|动画))?|的?"
    + _ZH_KIND
    + r"(?:短?视频|短片|小片|片子|宣传片|vlog|空镜|动画))?"
    + _ZH_FOR_PLATFORM
    + _ZH_SOFT_END
    + r"\s*[。！]?\s*$"
)
_EN_SPAN = re.compile(
    r"(?i)\b(?:first|last|each|every|per|between|intro|outro|until|till)\b"
    r"|\b(?:at|after|before|from)\s+(?:the\s+)?(?:\d|start|beginning|end|middle)"
)
_ZH_SPAN = re.compile(
    r"(?:前|后|每|最后|开头|结尾|片头|片尾|第|之后|之前|从|到第|以内|标题|字幕|文字|转场|淡入|淡出|停留|显示)"
)


# --- shape -----------------------------------------------------------------------------------
# "6 sec intro", "make a 6 second intro for my channel", "做个10秒的vlog片头": the video made is
# the intro, so its seconds are the video's length (play26en F6, play26zh F4); never "add a 3 sec
# intro" nor "加一个3秒的片头" (a part added to a video); "片头视频" may be a video's intro.
_EN_MADE_INTRO = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:(?:make|create|do|generate|give\s+me)\s+(?:me\s+)?)?(?:(?:a|an|one)\s+)?"
    r"(\d{1,3}(?:\.\d)?)(?:\s*-\s*|\s+)?(?:seconds?|secs?|s)\s+(?:(?!(?:of|for|with)\b)[\w'&-]+\s+){0,2}?"
    r"(?:intro|outro|opener)(?:\s+(?:for|of|with|about)\b.*)?(?:\s+please)?\s*[.!]?\s*$"
)
_ZH_MADE_INTRO = re.compile(
    r"^(?:请|帮我|给我)?(?:再)?(?:做|生成|制作|来|弄|剪)(?:一个|一段|一支|一条|个|段|支|条)\s*"
    r"(\d{1,3}(?:\.\d)?)\s*秒(?:钟)?的?(?:[\u4e00-\u9fffA-Za-z]){0,8}?(?:片头|片尾|开场)(?!视频)"
    + _ZH_SOFT_END
    + r"\s*[。！]?\s*$"
)


# "还是改成15秒吧", "算了 那就改成15秒": a mind changed, then the length asked; the words before it
# ask nothing of their own (play27zh F5: 20 s asked, then 15 s, and the export said 20 s lacking).
_ZH_MIND_CHANGED = re.compile(r"^(?:算了|还是|那就|那|要不|要不然)+\s*")


# "…20 sec again, no wait keep 15", "make it 20s, actually 15": the mind changed within the
# request; the later length is the one asked (play29en F15: the 20 s taken back was said to be as
# asked). A marker opens the clause; a bare number counts only after a length said before it.
_EN_CORRECTED_SECONDS = re.compile(
    r"(?i)^\s*(?:(?:no|nah|nope|wait|actually|sorry|oops|scratch\s+that|i\s+mean)\b[\s,!.]*)+"
    r"(?:make\s+(?:it|that)\s+|keep\s+(?:it\s+)?(?:at\s+)?|(?:let'?s\s+)?(?:go\s+with|do)\s+)?"
    r"(\d{1,3}(?:\.\d)?)\s*(seconds?|secs?|s)?(?:\s+(?:then|instead|pls|please|long))*\s*[.!]?\s*$"
)


def _seconds(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        for clause in _clauses(sentence):
            corrected = _EN_CORRECTED_SECONDS.match(clause)
            if corrected and (corrected.group(2) or found):
                found = {float(corrected.group(1))}  # what was said before it is taken back
                continue
            if (kept := _kept_seconds(clause)) is not None:
                found.add(kept)  # "keep it at 20 seconds": a length, though "at 20" reads as a point
                continue
            if made := _EN_MADE_INTRO.match(clause) or _ZH_MADE_INTRO.match(clause):
                found.add(float(made.group(1)))
                continue
            if _EN_SPAN.search(clause) or _ZH_SPAN.search(clause):
                continue  # a time point or a part: "the title for the first 3 seconds", "每张 2 秒"
            match = _EN_SECONDS.match(clause) or _ZH_SECONDS.match(_ZH_MIND_CHANGED.sub("", clause))
            if match:
                found.add(float(match.group(1)))
            elif (loose := _loose_seconds(clause)) is not None:
                found.add(loose)
    return found.pop() if len(found) == 1 else None


# "keep it at 20 seconds", "still 20s", "还是20秒", "仍然20秒", "长度保持20秒不变": the length asked
# to stay, which the timeline shows met or not as any other length.
_EN_KEPT_SECONDS = re.compile(
    r"(?i)^\s*(?:please\s+)?(?:(?:keep|leave)\s+(?:it|the\s+video|the\s+length|the\s+whole\s+thing)\s+(?:at\s+)?"
    r"|(?:it'?s\s+|it\s+is\s+|(?:it|the\s+video)\s+should\s+be\s+)?still\s+(?:at\s+)?"
    r"|(?:it|the\s+video|the\s+length)\s+(?:stays|should\s+stay)\s+(?:at\s+)?)"
    r"(\d{1,3}(?:\.\d)?)\s*(?:-\s*)?(?:seconds?|secs?|s)(?:\s+long)?(?:\s+please)?\s*[.!]?\s*$"
)
_ZH_KEPT_SECONDS = re.compile(
    r"^(?:视频|片子|整个视频)?(?:的)?(?:总)?(?:时长|长度|总长)?"
    r"(?:还是|仍然是?|仍是|依然是?|依旧是?|保持(?:在)?|还保持(?:在)?|维持(?:在)?)\s*"
    r"(\d{1,3}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*秒(?:钟)?(?:不变)?(?:就行|就好|吧|啊)?\s*[。！]?\s*$"
)


def _kept_seconds(clause: str) -> float | None:
    """The length ``clause`` asks to stay (see above)."""
    match = _EN_KEPT_SECONDS.match(clause) or _ZH_KEPT_SECONDS.match(clause)
    value = _zh_number(match.group(1)) if match else None
    return value if value is not None and 1 <= value <= 900 else None


def kept_length(ask: str) -> bool:
    """``ask`` only asks the video's length to stay ("keep it at 20 seconds", "还是20秒")."""
    return _kept_seconds(ask.strip().rstrip(".!。！")) is not None


# --- a length said loosely -----------------------------------------------------------------------
# "make the whole video about 16 seconds long", "cut it down to 8 seconds", "改回20秒", "剪短到8秒",
# "20秒左右", "时长控制在20秒左右": one length in a clause whose other words only say what is cut or
# made (the video, it) and how loosely. A verb that changes by an amount ("extend", "缩短") states
# a length only with "to"/"到": "extend it by 5 seconds", "延长5秒" add or take seconds away.
_EN_LOOSE_NUMBER = re.compile(
    r"(?i)(?<![\w.])(\d{1,3}(?:\.\d)?)\s*(?:-\s*)?(?:(seconds?|secs?|s)|(minutes?|mins?))(?![\w])"
)
_EN_LOOSE_WORDS = frozenset(
    (
        "make", "it", "the", "video", "whole", "thing", "entire", "one", "this", "cut", "trim", "shorten",
        "lengthen", "extend", "change", "set", "bring", "get", "keep", "stretch", "down", "back", "to",
        "at", "about", "around", "roughly", "approximately", "approx", "just", "long", "in", "total",
        "please", "again", "so", "or", "exactly", "its", "length", "duration", "runtime", "overall",
        "be", "should", "is", "i", "want", "i'd", "like", "would", "we", "need", "now", "instead",
        "~", "it's", "final", "have", "let's", "lets", "only", "clip", "reel", "a",
        # "ok make it like 15 sec pls": softeners around it (play25en F5)
        "ok", "okay", "pls", "plz", "actually", "yeah", "hmm",
        # "nah 10s", "on second thought 10s", "actually 10s is better": the mind changed about the
        # length, which replaces the length asked before (play27en S3: the export said it lacking)
        "nah", "no", "wait", "on", "second", "thought", "do", "go", "with", "then", "better", "fine",
        "enough", "works", "good", "thanks", "thx",
    )
)  # fmt: skip
_EN_BY_AMOUNT = re.compile(r"(?i)\b(?:cut|trim|shorten|lengthen|extend|stretch)\b")
_EN_TO_NUMBER = re.compile(
    r"(?i)\b(?:to|at)\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|like\s+|~\s*)?\0"
)


_ZH_LOOSE_NUMBER = re.compile(
    r"(\d{1,3}(?:\.\d)?|[零一二两三四五六七八九十]{1,3}|半)\s*(?:(秒)(?:钟)?|(分钟|分))"
)
_ZH_LOOSE_PARTS = re.compile(
    r"照片|图片|这张|那张|每|片段|镜头|标题|字幕|文字|音乐|黑屏|转场|淡|前|后(?!期)|最后|开头|结尾|片头|片尾|第|以内|以下|之内|内|多|少|加|减少|增加"
)
_ZH_LOOSE_CLAUSE = re.compile(
    r"^(?:再|并|然后|还要|请|帮我|麻烦|就|那就|那|我们?(?=要|想要))*(?:想要(?=\x00))?"
    # the project or the video named first: "夏天那个视频", "城市的视频", "这个视频"
    r"(?:[\u4e00-\u9fff\w ]{0,12}?(?:那个|这个|的)(?:视频|片子|短片|片)"
    # the project named by a quote (masked) or a word: "「山间小院」那个帮我缩到10秒"
    r"|[\u4e00-\u9fff\w ]{0,12}?(?:那个|这个)\s*(?:帮我|给我|请)?"
    r"|整个视频|整段视频|整个片子|全片|视频|片子|它|这个)?"
    r"(?:把|将)?(?:它|视频|片子|整个视频|整体)?(?:的)?(?:总)?(?:时长|长度|总长|时间)?"
    r"(?:(?:改短|改长|改|剪|剪短|剪长|缩短|缩|减|延长|加长|拉长|变短|变长|变|弄短|弄|做|调|调整|控制|恢复|压缩|设|设置|定)(?:成|到|为|回|至|在|回到)"
    r"|改回|恢复|保持(?:在)?|是|为|要)?"
    r"(?:大约|大概|约|差不多|接近)?\x00(?:左右|上下|的样子|出头)?(?:长)?"
    # "视频要15秒的", "我要15秒的视频" (play25zh F4)
    r"(?:的(?:视频|片子|短片)?)?"
    r"(?:就行|就好|就可以|吧|了|即可|就够了|啊|呀)*\s*[。！!~～]*$"
)


def _loose_seconds(clause: str) -> float | None:
    """The video's length, where ``clause`` says one and nothing else (see above)."""
    if _EN_SPAN.search(clause) or _PART_SECONDS.search(clause) or _ON_SCREEN.search(clause):
        return None
    numbers = list(_EN_LOOSE_NUMBER.finditer(clause))
    if len(numbers) == 1:
        found = numbers[0]
        rest = clause[: found.start()] + "\0" + clause[found.end() :]
        if _EN_BY_AMOUNT.search(rest) and not _EN_TO_NUMBER.search(rest):
            return None  # "extend it 5 seconds": by how much, not to what
        words = re.findall(r"[a-z~'][a-z'~]*", rest.casefold().replace("\0", " "))
        if not words or any(w not in _EN_LOOSE_WORDS for w in words):
            return None
        if re.sub(r"(?i)[a-z'~\s\0.!,]", "", rest):
            return None  # another sign or number said with it
        value = float(found.group(1)) * (60 if found.group(3) else 1)
        return value if 1 <= value <= 900 else None
    numbers = list(_ZH_LOOSE_NUMBER.finditer(clause))
    if len(numbers) == 1 and not _ZH_LOOSE_PARTS.search(clause):
        found = numbers[0]
        number = _zh_number(found.group(1))
        rest = (clause[: found.start()] + "\x00" + clause[found.end() :]).strip()
        if number is None or not _ZH_LOOSE_CLAUSE.match(rest):
            return None
        value = number * (60 if found.group(3) else 1)
        return value if 1 <= value <= 900 else None
    return None


# "actually 10", "10 is fine", "make it 10 instead": a number alone, the length's only where the talk
# before was of the length (the caller knows; the words alone don't).
_BARE_NUMBER = re.compile(r"(?<![\w.%])(\d{1,3}(?:\.\d)?)(?![\w.%:])")


def bare_seconds(clauses: list[str]) -> float | None:
    """The one number said alone in ``clauses`` with nothing but loose words around it."""
    found: set[float] = set()
    for clause in clauses:
        numbers = list(_BARE_NUMBER.finditer(clause))
        if len(numbers) != 1:
            continue
        rest = clause[: numbers[0].start()] + " " + clause[numbers[0].end() :]
        words = re.findall(r"[a-z~'][a-z'~]*", rest.casefold())
        if all(w in _EN_LOOSE_WORDS for w in words) and not re.sub(r"(?i)[a-z'~\s.!,]", "", rest):
            found.add(float(numbers[0].group(1)))
    value = found.pop() if len(found) == 1 else None
    return value if value is not None and 1 <= value <= 900 else None
