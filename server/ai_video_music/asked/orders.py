"""What the words ask of the clips' order: a clip first or last, clips in a sequence, and a clip
asked to be used, read from the user's own word for each clip.
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import _EN_POLITE, _ZH_NOT_A_REQUEST, Asked
from .words import _clauses, _names_clip

# --- clip order ----------------------------------------------------------------------------------
# "put the beach photo first", "move the city clip to the end", "把海滩那张放第一个", "把海滩放最后":
# judged against the video track's first/last clip, where the user's word names one clip only.
_EN_ORDER = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:put|move|place|have|set|add|insert|append)\s+(?>(?:the\s+|my\s+|that\s+|this\s+)?)"
    r"(?!(?:first|last|second|third|other|next|same|previous|\d+(?:st|nd|rd|th)?)\b)"
    r"([\w'\u2024-]+(?:\s+[\w'-]+){0,2}?)(?:\s+(?:photo|picture|pic|image|clip|shot|one|video|slide)"
    # "put sunrise.jpg first": a file name needs no noun after it
    r"|(?<=\u2024jpg)|(?<=\u2024jpeg)|(?<=\u2024png)|(?<=\u2024heic)|(?<=\u2024webp)|(?<=\u2024mp4)|(?<=\u2024mov))\s+"
    # "to the very start" as well as "at the very start" (play22en F6)
    r"(first|last|(?:at|to)\s+the\s+(?:very\s+)?(?:start|beginning|front|end|back))"
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
    r"(first|last|(?:at|to)\s+the\s+(?:very\s+)?(?:start|beginning|front|end|back))"
    r"(?:\s+please)?\s*[.!。！]?\s*$"
)
_ZH_WHERE = (
    r"(?:放|移|挪|排|调|加|添加|插|接)(?:到|在|成|去)?(?:视频的?|片子的?)?"
    r"(?P<where>第一个?|第一张|第一位|最前面?|最开始|开头|最后面?|最后一个|最后一张|结尾|末尾)"
    r"(?:去|来)?(?:吧|就行|就好)?\s*[。！]?\s*$"  # "放到最后面去" (play25zh F3)
)
_ZH_ORDER = re.compile(
    r"^(?:再|并|然后|请|麻烦|就)?(?:帮我|给我)?\s*(?:"
    r"(?:把|将)\s*(?P<word>[^，,。的那这把将放\s]{1,16}?)\s*(?:的)?(?:那张|这张|那个|这个|那段|这段)?"
    r"(?:照片|图片|图|片段|视频)?"
    # "日出那张放最前面", "城市夜景那张照片放第一个": the clip named, then where it goes
    r"|(?!最后|最前|第|前面|后面|上一|下一|开头|结尾)(?P<bare>[^，,。的那这把将放\s]{1,16}?)\s*(?:的)?(?:(?:那张|这张|那个|这个|那段|这段)"
    # "红色那个杯子放最前面": what the photo shows after 那个 (play22zh F8)
    r"(?:照片|图片|图|片段|视频|(?:(?!最后|最前|第|开头|结尾)[\u4e00-\u9fff]){1,3}(?=\s*(?:放|移|挪|排)))?"
    r"|照片|图片|片段)"
    # "红色的放第一个": the photo named by what it shows, then 的 (play22zh F9)
    r"|(?!最后|最前|第|前面|后面|上一|下一|开头|结尾|新|旧|别|其他|另)(?P<adj>[\u4e00-\u9fff]{1,4}?)的(?=\s*(?:放|移|挪|排))"
    # "日落放最后": the photo named bare, right before the verb (play25zh F3); never a part of the
    # video that is no photo ("标题放最后", "音乐放最后")
    r"|(?!最后|最前|第|前面|后面|上一|下一|开头|结尾|新|旧|别|其他|另|标题|字幕|文字|片名|音乐|配乐|背景"
    r"|视频|片子|歌|曲|它|这|那|转场|特效|水印|片头|片尾|我|你|都|也|还|就|要|想|先|再)(?P<plain>[\u4e00-\u9fff]{1,4}?)(?=\s*(?:放|移|挪|排)))\s*"
    + _ZH_WHERE
)
# The other ways an order is asked: "with the beach photo first", "beach photo first", "start with
# the sunrise", "starting with beach.jpg", "end with the forest", "the forest one last". The word
# is never a part of the video that is no clip ("start with the title", "end with a fade").
_CLIP_NOUN = r"(?:photos?|pictures?|pics?|images?|clips?|shots?|one|slides?)"
_NOT_A_CLIP = (
    # "first"/"last" said as an ordinal ("the first photo last"), never as the first word of a clip's
    # name ("put the first dance pic first", play23en F3)
    r"(?!(?:first|last)\b(?!\s+(?!(?:photos?|pictures?|pics?|images?|clips?|shots?|ones?|slides?|and|or"
    r"|then|but|to|at|of|in|on|for|with|please|pls|first|last)\b)[a-z]))"
    r"(?!(?:second|third|other|next|same|previous|title|titles|text|texts|caption|captions|music"
    r"|song|track|logo|intro|outro|transitions?|fades?|it|them|this|that|a|an|some|video|credits|words"
    r"|make|cut|add|put|export|render|save|send|change|turn|remove|use|move|try|do|give|show|check|fix|let"
    r"|please|also|just|then|and|keep|set|one|the|my|our|\d+(?:st|nd|rd|th)?"
    # a feeling or a report, never a clip's name ("love the beach photo at the end")
    r"|love[sd]?|like[sd]?|hate[sd]?|want|need|see|saw|shot|took|uploaded|have|has|had|is|was|i|we|you"
    r"|they|he|she|its|looks?|really|so|very|great|nice|good|also|something|anything|everything|nothing"
    # "ill check it first", "lemme see it first": the user's own step, typed without an apostrophe
    r"|ill|ive|lemme|gonna|wanna)\b)"
)
# A word that says what a clip does ("the beach photo comes first"): a description, no clip's name.
_NOT_A_NAME = (
    r"(?!(?:comes?|goes?|is|was|are|were|be|should|will|must|starts?|ends?|stays?|came|went|still|now"
    r"|already)\b)"
)
_CLIP = (
    r"(?:the\s+|my\s+|our\s+)?"
    + _NOT_A_CLIP
    + r"([\w'\u2024-]+(?:\s+"
    + _NOT_A_NAME
    + r"[\w'\u2024-]+){0,2}?)"
    r"(?:\s+" + _CLIP_NOUN + r")?"
)
_EN_WHERE = (
    r"(first|last|up\s+front|(?:at|to)\s+the\s+(?:very\s+)?(?:start|beginning|front|end|back)"
    r"|at\s+the\s+very\s+(?:start|beginning|end))"
)
# Words said after an order that add nothing to it ("open with the sunrise one obviously").
_EN_FILLER = (
    r"(?:\s*,?\s+(?:please|pls|plz|tho|though|this\s+time|instead|obviously|of\s+course|definitely|for\s+sure"
    r"|naturally|ofc|if\s+possible|if\s+you\s+can|thanks|thx|too|as\s+well|again))*"
)
_EN_TAIL = r"(?:\s+of\s+the\s+(?:video|slideshow|reel))?" + _EN_FILLER + r"\s*[.!。！]?\s*$"
_EN_WISH = (
    r"(?:(?:i|we)\s+(?:also\s+)?(?:want|need|'d\s+like|would\s+like)\s+(?:it|the\s+video|this|the\s+[\w'-]+\s+one)\s+"
    r"|(?:make|have)\s+(?:it|the\s+video)\s+)?"
)
# "with the beach photo first", "I want it with the beach photo first", "a video with beach first"
_EN_WITH_ORDER = re.compile(
    r"(?i)(?:^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?"
    + _EN_WISH
    + r"|(?<=\w)\s+)(?<!not\s)(?<!n't\s)with\s+"
    + _CLIP
    + r"\s+"
    + _EN_WHERE
    + _EN_TAIL
)
# "beach photo first", "the forest one last", "the beach photo at the start"
_EN_BARE_ORDER = re.compile(r"(?i)^\s*(?:and\s+)?" + _CLIP + r"\s+" + _EN_WHERE + _EN_TAIL)
# "start with the sunrise", "it should open with beach.jpg", "starting with the beach photo",
# "end with the forest", "I want it to finish on the forest one"
_EN_START_WITH = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:(?:(?:i|we)\s+(?:want|need|'d\s+like|would\s+like)\s+(?:it|the\s+video)\s+to"
    r"|it\s+(?:should|must|has\s+to|needs\s+to)|(?:make|have|let)\s+(?:it|the\s+video)|let'?s)\s+)?"
    r"(?:(start|open|begin|lead|kick\s+off|end|finish|close|wrap\s+up)s?|(start|open|begin|end|finish|clos)ing)"
    r"(?:\s+(?:it|the\s+video|things))?(?:\s+off)?\s+(?:with|on)\s+" + _CLIP + _EN_TAIL
)
# "make the beach photo the first one", "use the forest shot as the closer"
_EN_MAKE_ORDER = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:make|have|use|put|set)\s+" + _CLIP
    + r"\s+(?:as\s+)?the\s+(first|last|opening|closing|final|opener|closer|ending|intro|outro)"
    r"(?:\s+(?:one|photo|picture|pic|image|clip|shot|slide|scene))?" + _EN_TAIL
)  # fmt: skip
# "put sunrise first", "move beach.jpg to the end": a verb, the clip's own word (no noun), its place
# (play22en F6); never a part that is no clip ("put the title at the end": _NOT_CLIP_WORDS).
_EN_VERB_ORDER = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:put|move|place|set|shift|bring)\s+" + _CLIP + r"\s+"
    + _EN_WHERE + _EN_TAIL
)  # fmt: skip
# "save the beach shot for last", "keep the forest one for the end", "the beach pic for the ending",
# "the sunrise shot for the opening": a clip kept for a place.
_EN_SAVE_FOR = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:(?:save|keep|leave|hold|reserve)\s+" + _CLIP
    + r"\s+(?:for|till|until|to)|(?:the\s+|my\s+|our\s+)?" + _NOT_A_CLIP
    + r"([\w'\u2024-]+(?:\s+" + _NOT_A_NAME + r"[\w'\u2024-]+){0,2}?)(?:\s+" + _CLIP_NOUN
    # "sunrise.jpg for the end": a file name needs no noun after it
    + r"|(?<=\u2024jpg)|(?<=\u2024jpeg)|(?<=\u2024png)|(?<=\u2024heic)|(?<=\u2024webp)"
    r"|(?<=\u2024mp4)|(?<=\u2024mov))"
    r"\s+for)"
    r"\s+(?:the\s+)?(?:very\s+)?"
    r"(last|end|ending|finale|finish|close|closer|outro|opening|opener|start|beginning|intro)" + _EN_TAIL
)  # fmt: skip
# "can u make the sunrise go first", "have the beach one come last", "swap the 2 pics so the sunrise
# one comes first": a clip made to go to a place, whatever was said before it (play28en F6: three
# phrasings left "not checked" while the video still opened with the other photo). Without
# make/have/let/so it describes ("the beach photo comes first").
_EN_GOES = re.compile(
    r"(?i)(?<![\w'])(?:make|have|let|so(?:\s+that)?)\s+" + _CLIP
    + r"\s+(?:go|come|be|goes|comes|is)\s+" + _EN_WHERE + _EN_TAIL
)  # fmt: skip
# Words for a part of the video that is no clip: never a clip's name in an order.
_NOT_CLIP_WORDS = re.compile(
    r"(?i)\b(?:no|music|song|track|soundtrack|bgm|text|title|caption|logo|fade|transition|credits|audio)\b"
)
_ZH_CLIP = (
    r"(?P<w>(?!最后|最前|第|前面|后面|开头|结尾|标题|字幕|文字|音乐)[^，,。、的那这把将放用以\s]{1,12}?)\s*(?:的)?"
    r"(?:那张|这张|那个|这个|那段|这段)?(?:照片|图片|图|片段|视频)?"
)
_ZH_END_SOFT = r"(?:吧|就行|就好|吧|啊)?\s*[。！]?\s*$"
_ZH_ORDER_MORE: tuple[tuple[re.Pattern[str], str], ...] = (
    # "先放海滩那张", "先用日出"
    (re.compile(r"^(?:请|麻烦)?(?:帮我)?先(?:放|用|上|来)" + _ZH_CLIP + _ZH_END_SOFT), "first"),
    # "以海滩开头", "用日出那张开场"
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:以|用|拿)" + _ZH_CLIP + r"(?:开头|开场|打头|作为?开头)" + _ZH_END_SOFT
        ),
        "first",
    ),
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:以|用|拿)" + _ZH_CLIP + r"(?:结尾|收尾|结束|作为?结尾)" + _ZH_END_SOFT
        ),
        "last",
    ),
    # "开头用海滩那张", "第一个放海滩", "最前面放日出"
    (
        re.compile(
            r"^(?:视频的?)?(?:开头|开场|第一个|第一张|最前面|一开始)(?:就)?"
            # "第一张换成sunrise" (play23zh F3)
            r"(?:用|放|是|先放|换成|改成|改为|换为|变成|要是|要用|放上)" + _ZH_CLIP + _ZH_END_SOFT
        ),
        "first",
    ),
    # "海滩那张当开头", "把海滩那张作为第一张", "森林那张做结尾"
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:把|将)?"
            + _ZH_CLIP
            + r"(?:当|作为|做|当作)(?:开头|第一张|第一个|开场|片头)"
            + _ZH_END_SOFT
        ),
        "first",
    ),
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:把|将)?"
            + _ZH_CLIP
            + r"(?:当|作为|做|当作)(?:结尾|最后一张|最后一个|收尾|片尾)"
            + _ZH_END_SOFT
        ),
        "last",
    ),
    # "海滩那张压轴", "用海滩那张压轴", "海滩留到最后", "把海滩那张留在最后"
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:把|将|用|让|拿)?"
            + _ZH_CLIP
            + r"(?:来|用来|做|当)?(?:压轴|殿后|收尾|垫底)"
            + _ZH_END_SOFT
        ),
        "last",
    ),
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:把|将)?"
            + _ZH_CLIP
            + r"(?:留|搁|排|放)(?:到|在)(?:视频的?)?(?:最后面?|最后一个|最后一张|结尾|末尾)"
            + r"(?:再(?:出场|放|出现))?"
            + _ZH_END_SOFT
        ),
        "last",
    ),
    # "日出那张开场", "用日出那张打头": the clip named with its noun (never "视频开场")
    (
        re.compile(
            r"^(?:请|麻烦)?(?:帮我)?(?:把|将|用|让|拿)?"
            r"(?P<w>(?!最后|最前|第|前面|后面|开头|结尾|标题|字幕|文字|音乐|视频)[^，,。、的那这把将放用以\s]{1,12}?)\s*(?:的)?"
            r"(?:那张|这张|那段|这段)(?:照片|图片|图|片段)?(?:来)?(?:开场|打头)" + _ZH_END_SOFT
        ),
        "first",
    ),
    # "最后放森林", "结尾用森林那张"
    (
        re.compile(
            r"^(?:视频的?)?(?:最后|结尾|末尾|最后一个|最后一张)(?:用|放|是|换成|改成|改为|换为|变成|要是|要用|放上)"
            + _ZH_CLIP
            + _ZH_END_SOFT
        ),
        "last",
    ),
)


# --- clips in a sequence ------------------------------------------------------------------------
# "sunrise first then beach then forest", "beach photo first, then sunrise, then forest", "first
# sunrise, then beach", "start with sunrise then beach", "sunrise → beach → forest".
_SEQ_ITEM = (
    r"(?:the\s+|my\s+)?" + _NOT_A_CLIP + r"[\w'\u2024-]+(?:\s+" + _NOT_A_CLIP + r"[\w'\u2024-]+)?"
    r"(?:\s+" + _CLIP_NOUN + r")?"
)
_EN_SEQUENCE = re.compile(
    r"(?i)(?:^|(?<=[,:;])|(?<=\band\b))\s*(?:and\s+)?(?P<lead>(?:first|start\s+with|starting\s+with|begin\s+with|open\s+with)\s+)?"
    r"(?P<items>"
    + _SEQ_ITEM
    + r"(?:\s+first)?(?:\s*,?\s*(?:and\s+)?(?:then|followed\s+by|after\s+that)\s+"
    + _SEQ_ITEM
    + r"|\s*(?:->|→|>)\s*"
    + _SEQ_ITEM
    + r"){1,8}(?:\s+(?:last|at\s+the\s+end))?)"
    r"(?:\s+please)?\s*(?=$|[,.;!]|\band\b)"
)
_EN_SEQ_CUT = re.compile(r"(?i)\s*,?\s*(?:and\s+)?(?:then|followed\s+by|after\s+that)\s+|\s*(?:->|→|>)\s*")
_EN_SEQ_STRIP = re.compile(r"(?i)^(?:the|my)\s+|\s+(?:first|last|at\s+the\s+end)$|\s+" + _CLIP_NOUN + r"$")
# An item never holds a joiner's first character: each item ends at one place (no backtracking
# over "先海滩再日出再…" at every split).
_ZH_SEQ_ITEM = r"(?:放|用|是|接|上)?[^，,。、；;！\s先再然接之后其最]{1,14}"
_ZH_SEQUENCE = re.compile(
    r"(?P<lead>先)(?P<items>"
    + _ZH_SEQ_ITEM
    + r"(?:[，,、]?\s*(?:然后|再|接着|之后|后面|其次|最后)"
    + _ZH_SEQ_ITEM
    + r"){1,8})"
    r"(?=$|[，,。；;！])"
)
# A step, not a clip: "先剪短再导出", "先加字幕再换音乐".
_ZH_NOT_A_CLIP = re.compile(
    r"剪|导出|导|加|改|换|删|调|做|缩|配|发|上传|去掉|弄|生成|渲染|保存|下载|看|听|试|标题|字幕|文字|音乐|转场|淡"
)
_ZH_SEQ_CUT = re.compile(r"[，,、]?\s*(?:然后|再|接着|之后|后面|其次|最后)")
_ZH_SEQ_STRIP = re.compile(
    # "第一张latte，第二张coffee-shop": the place counted before the clip's name is no part of it
    r"^(?:放|用|是|接|上|第[一二三四五六七八九十\d]{1,2}(?:张|个|段)?)|(?:的)?(?:那张|这张|那个|这个|那段|这段)?(?:照片|图片|图|片段)?(?:吧|就行|就好)?$"
)


# "so order: city lights, sunrise, forest, beach", "顺序：城市夜景、日出、森林、海滩": the whole order listed.
_EN_ORDER_LIST = re.compile(
    r"(?i)^\s*(?:(?:so|and|ok|okay|then|the|new|final)\s+)*(?:order|sequence)"
    r"(?:\s+(?:should\s+be|is|will\s+be|like\s+this|please))?\s*[:：]?\s*"
    r"(?P<items>" + _SEQ_ITEM
    + r"(?:\s*(?:,|，|、|\band\b|\bthen\b|->|→)\s*(?:and\s+|then\s+)?" + _SEQ_ITEM + r"){1,8})"
    r"(?:\s+please)?\s*[.!。！]?\s*$"
)  # fmt: skip
_EN_LIST_CUT = re.compile(r"(?i)\s*(?:,|，|、|->|→)\s*(?:and\s+|then\s+)?|\s+(?:and|then)\s+")
_ZH_ORDER_LIST = re.compile(
    r"^(?:那|就)?(?:顺序|排序)(?:是|改成|换成|改为|为|按)?\s*[:：]?\s*"
    r"(?P<items>[^，,。、；;！\s]{1,14}(?:[、，,→]\s*[^，,。、；;！\s]{1,14}){1,8})(?:吧|就行|就好)?\s*[。！]?\s*$"
)
_ZH_LIST_CUT = re.compile(r"\s*[、，,→]\s*")


def _sequence(sentences: list[str]) -> tuple[tuple[str, ...], bool]:
    """The clips a request names in order (two or more), in the user's words, and whether the
    sequence is said from the start ("first …", "sunrise first then …", "先…": its first clip opens
    the video); ((), False) when none, or more than one sequence is named."""
    found: list[tuple[tuple[str, ...], bool]] = []
    for sentence in sentences:
        for listed, cut in ((_EN_ORDER_LIST, _EN_LIST_CUT), (_ZH_ORDER_LIST, _ZH_LIST_CUT)):
            if (whole := listed.match(sentence)) is not None:
                items = [
                    _ZH_SEQ_STRIP.sub("", _EN_SEQ_STRIP.sub("", w.strip())).strip()
                    for w in cut.split(whole.group("items"))
                ]
                named = [w.replace("\u2024", ".") for w in items if w]
                if (
                    len(named) >= 2
                    and len(set(named)) == len(named)
                    and not any(_ZH_NOT_A_CLIP.search(w) for w in named)
                ):
                    found.append((tuple(named), True))
        for pattern, cut, strip in (
            (_EN_SEQUENCE, _EN_SEQ_CUT, _EN_SEQ_STRIP),
            (_ZH_SEQUENCE, _ZH_SEQ_CUT, _ZH_SEQ_STRIP),
        ):
            for m in pattern.finditer(sentence):
                words: list[str] = []
                for item in cut.split(m.group("items")):
                    word = item.strip()
                    for _ in range(3):
                        word = strip.sub("", word).strip()
                    if not word or _ZH_NOT_A_REQUEST.search(word) or _ZH_NOT_A_CLIP.search(word):
                        words = []
                        break
                    words.append(word.replace("\u2024", "."))
                if len(words) >= 2 and len(set(words)) == len(words):
                    first = cut.split(m.group("items"))[0]
                    led = bool(m.group("lead")) or bool(re.search(r"(?i)\sfirst\s*$", first))
                    found.append((tuple(words), led))
    return found[0] if len(set(found)) == 1 else ((), False)


# --- a clip asked to be used ----------------------------------------------------------------------
# "with the city lights photo", "using the beach pictures", "use the forest photo too", "用上日出那张",
# "用城市夜景那张照片": the noun is required ("with calm music" names no clip), a place is not
# said ("with the beach photo first" is an order), and a negation asks nothing.
_EN_USES = re.compile(
    r"(?i)(?:^\s*" + _EN_POLITE + r"(?:and\s+)?(?:also\s+)?(?:use|include|add|put\s+in)\s+|(?:^|(?<=\w)\s+)"
    r"(?<!not\s)(?<!n't\s)(?:with|using|featuring|including)\s+)(?:the\s+|my\s+|our\s+|that\s+|this\s+)?"
    + _NOT_A_CLIP
    + r"([\w'\u2024-]+(?:\s+"
    + _NOT_A_NAME
    + r"[\w'\u2024-]+){0,2}?)\s+(?:photos?|pictures?|pics?|images?|shots?)"
    r"(?:\s+(?:too|as\s+well|please|in\s+it))?\s*[.!。！]?\s*$"
)
_ZH_USES = re.compile(
    r"^(?:请|麻烦)?(?:帮我)?(?:再|也|还)?(?:要)?(?:用上|用|加上|放上|放进|加入|带上)\s*"
    r"(?P<w>(?!最后|最前|第|开头|结尾|标题|字幕|文字|音乐)[^，,。的那这把将\s]{1,12}?)\s*(?:的)?"
    r"(?:(?:那张|这张|那个)(?:照片|图片|图)?|照片|图片)(?:吧|就行|就好|也要|啊)?\s*[。！]?\s*$"
)


# "把日出那张也加进去", "用海边和森林那两张": a photo put in with 把, or two named at once
# (play28zh F1/F5: sunrise.jpg on no track was only "not checked"; beach and forest used, the same).
_ZH_USES_BA = re.compile(
    r"^(?:请|麻烦)?(?:帮我)?(?:再)?(?:把|将)\s*"
    r"(?P<w>(?!最后|最前|第|开头|结尾|标题|字幕|文字|音乐)[^，,。的那这\s]{1,12}?)\s*(?:的)?"
    r"(?:那张|这张|那个)?(?:照片|图片|图)?(?:也|都)?(?:加进去|加进来|加上|放进去|放进来|用上|加到视频里)"
    r"(?:吧|就行|啊)?\s*[。！]?\s*$"
)
_ZH_USES_BOTH = re.compile(
    r"^(?:请|麻烦)?(?:帮我)?(?:就)?(?:用|用上)\s*(?P<a>[^，,。的那这和跟与及\s]{1,8}?)(?:和|跟|与|及)"
    r"(?P<b>[^，,。的那这和跟与及\s]{1,8}?)(?:的)?(?:那两张|这两张|两张)(?:照片|图片|图)?(?:吧|就行|就好)?\s*$"
)


def _uses(sentences: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            m = _EN_USES.search(clause)
            zh = None if m else _ZH_USES.match(clause) or _ZH_USES_BA.match(clause)
            word = m.group(1) if m else zh.group("w") if zh else None
            if word:
                found.append(word.strip().replace("\u2024", "."))
            elif (both := _ZH_USES_BOTH.match(clause)) is not None:
                found += [both.group("a"), both.group("b")]
    return tuple(dict.fromkeys(found))


def clips_asked(
    asked: Asked, tl: Timeline, uploaded: tuple[list[str], int] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    """The clips a request asked to be used ("with the city lights photo"), judged against the video
    track: (as asked, not as asked, every one judged). A word that names one clip on the track is
    as asked; one that names none there but one of the project's uploads (``uploaded``: their names
    and how many there are, all known) is not; anything else is not judged."""
    video = [seg.name for tr in tl.tracks if tr.kind == "video" for seg in tr.segments if seg.name]
    names, total = uploaded if uploaded is not None else ([], -1)
    met_: list[str] = []
    unmet_: list[dict[str, Any]] = []
    judged = True
    for word in asked.uses:
        on = list(dict.fromkeys(n for n in video if _names_clip(word, n)))
        files = list(dict.fromkeys(n for n in names if _names_clip(word, n)))
        if len(on) == 1:
            met_.append(on[0])
        elif (
            not on
            and total == len(names)
            and len(files) == 1
            and all(tr.segments_total == len(tr.segments) for tr in tl.tracks)
        ):
            unmet_.append({"kind": "clip_unused", "name": word, "file": files[0]})
        else:
            judged = False
    return ([{"kind": "clips_used", "names": met_[:5]}] if met_ else []), unmet_, judged


# --- a part taken back, a remark ------------------------------------------------------------------
def _order(sentences: list[str]) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = (
                _EN_ORDER.match(clause)
                or _EN_ORDER_SO.match(clause)
                or _EN_WITH_ORDER.search(clause)
                or _EN_BARE_ORDER.match(clause)
            )
            zh = None if match else _ZH_ORDER.match(clause)
            if match:
                word, where = match.group(1), match.group(2).casefold()
            elif zh:
                word = zh.group("word") or zh.group("bare") or zh.group("adj") or zh.group("plain")
                where = zh.group("where")
            elif (made := _EN_MAKE_ORDER.match(clause)) is not None:
                word = made.group(1)
                place = made.group(2).casefold()
                where = "first" if place in ("first", "opening", "opener", "intro") else "last"
            elif (saved := _EN_SAVE_FOR.match(clause)) is not None and not _NOT_CLIP_WORDS.search(
                saved.group(1) or saved.group(2)
            ):
                word = saved.group(1) or saved.group(2)
                place = saved.group(3).casefold()
                where = "first" if place in ("opening", "opener", "start", "beginning", "intro") else "last"
            elif (moved := _EN_VERB_ORDER.match(clause)) is not None and not _NOT_CLIP_WORDS.search(
                moved.group(1)
            ):
                word, where = moved.group(1), moved.group(2).casefold()
            elif (goes := _EN_GOES.search(clause)) is not None and not _NOT_CLIP_WORDS.search(goes.group(1)):
                word, where = goes.group(1), goes.group(2).casefold()
            elif (start := _EN_START_WITH.match(clause)) is not None:
                verb = (start.group(1) or start.group(2)).casefold()
                word = start.group(3)
                where = "last" if verb.startswith(("end", "finish", "clos", "wrap")) else "first"
            else:
                more = next(((m, w) for p, w in _ZH_ORDER_MORE if (m := p.match(clause)) is not None), None)
                if more is None:
                    continue
                word, where = more[0].group("w"), more[1]
            last = any(w in where for w in ("last", "end", "back", "最后", "结尾", "末尾"))
            found.append((word.strip().replace("\u2024", "."), "last" if last else "first"))
    found.extend(_named_order(sentences))
    sequence, led = _sequence(sentences)
    if led:
        found.append((sequence[0], "first"))
    return tuple(dict.fromkeys(found))


# "sunrise开头", "city-lights放最后", "把sunrise.jpg放第一个", "海滩那张开头": a photo named by
# its file's word (or a Chinese word with 那张/照片) then the place, with or without a verb; a bare
# Chinese word opens only with 开头/结尾 ("海滩开头"), never "然后最后".
_ZH_PLACE = (
    r"(?:(?:放|排|挪|移|调|用|作为|当)(?:到|在|成)?)?(?:视频的?)?"
    r"(?P<where>开头|开场|打头|最前面?|最开始|第一个?|第一张|第一位|最后面?|最后一个|最后一张|结尾|末尾|收尾)"
)
_ZH_NAMED_ORDER: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^(?:请|麻烦|再|然后)?(?:帮我)?(?:我)?(?:想要|要|希望)?(?:改成|换成|调成|变成|改为)?(?:把|将|以|用)?\s*(?P<w>[A-Za-z0-9][\w\u2024\-]{0,40}?)\s*(?:的)?"
        r"(?:那张|这张|那个|这个)?(?:照片|图片|图)?\s*" + _ZH_PLACE + _ZH_END_SOFT
    ),
    re.compile(
        r"^(?:请|麻烦|再|然后)?(?:帮我)?(?:我)?(?:想要|要|希望)?(?:改成|换成|调成|变成|改为)?(?:以|用)?"
        r"(?P<w>(?!最后|最前|第|前面|后面|开头|结尾|标题|字幕|文字|音乐|视频|片子|整个|然后)"
        r"(?:(?![那这的当作做放用以把将要想我])[\u4e00-\u9fff]){1,6}?)"
        r"(?:(?:的)?(?:那张|这张|那个|这个)(?:照片|图片|图)?|照片|图片)?(?P<where>开头|开场|打头|结尾|收尾)"
        + _ZH_END_SOFT
    ),
)


# "sunrise.jpg要第一个出现", "日出那张最后出场", "beach出现在最后" (play23zh F3): the clip named, then
# when it appears.
_ZH_APPEARS = r"(?:出现|出场|登场|亮相)"
_ZH_WHEN = r"(?P<where>第一个|第一张|最先|最早|最前面?|一开始就|开头就|最后一个|最后一张|最后|结尾才|最后才)"
_ZH_NAMED_ORDER = (
    re.compile(
        r"^(?:请|麻烦|再|然后)?(?:帮我)?(?:把|将|让)?\s*(?:(?P<w>[A-Za-z0-9][\w\u2024\-]{0,40}?)"
        r"|(?P<zh>(?!最后|最前|第|开头|结尾|标题|字幕|文字|音乐|视频)(?:(?![那这的要得])[\u4e00-\u9fff]){1,6}?)"
        r"(?:的)?(?:那张|这张|那个|这个)(?:照片|图片|图)?)\s*(?:的)?(?:照片|图片|图)?\s*"
        r"(?:要|得|必须|需要|一定要|应该)?(?:在)?(?:视频的?)?"
        r"(?:" + _ZH_WHEN + _ZH_APPEARS + r"|" + _ZH_APPEARS + r"(?:在)(?:视频的?)?"
        r"(?P<where2>第一个|最前面?|开头|最后面?|最后一个|结尾))" + _ZH_END_SOFT
    ),
    *_ZH_NAMED_ORDER,  # tried after: its name may run into the Chinese ("beach.jpg出现在")
)


def _named_order(sentences: list[str]) -> list[tuple[str, str]]:
    """The clip orders said as a name then its place, one per clause (see above)."""
    found: list[tuple[str, str]] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = next((m for p in _ZH_NAMED_ORDER if (m := p.match(clause)) is not None), None)
            if match is None:
                continue
            groups = match.groupdict()
            where = groups.get("where") or groups.get("where2") or ""
            word = groups.get("w") or groups.get("zh") or ""
            last = any(w in where for w in ("最后", "结尾", "末尾", "收尾"))
            found.append((word.strip().replace("\u2024", "."), "last" if last else "first"))
    return found
