"""Shared ways of reading words that more than one concern needs, no concern of its own: clauses,
asides and the gaps of Chinese text, a request told from a question, Chinese numbers and
percents, how a clip or a text is named, and the music's volumes and the title on a timeline.
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import (
    _CLAUSE,
    _EN_NOT_A_REQUEST,
    _QUOTED,
    _ZH_ASKING,
    _ZH_NOT_A_REQUEST,
    _ZH_TAG_QUESTION,
    _ZH_USE_NOUNS,
)

# --- no music --------------------------------------------------------------------------------
# What may follow it for it to mean the whole video: the clause ends, or only softeners follow.
# (Signs may follow: "no music!!", "no music —", "no music 🙂".)
_EN_END = re.compile(
    r"(?i)^\s*(?:at\s+all|whatsoever|please|thanks|thank\s+you|in\s+it|on\s+it|this\s+time)?\s*[^\w\s\ue002]*\s*$"
)
_EN_NEGATED = re.compile(r"(?i)(?:\b(?:not|don'?t|do\s+not|never|no)\s+|\bun)$")


_ZH_END = re.compile(
    r"^\s*(?:了|吧|啊|哦|哈|喔|呀|谢谢|就好|就行|就可以|的(?:视频|版本|短片|片子))*\s*[^\w\s\ue002]*\s*$"
)
_ZH_NEGATED = re.compile(r"(?:不要|别|不|不用|无需|不必)(?:把|将)?$")


# --- a clip asked to be used ----------------------------------------------------------------------
# A Chinese word for what a photo shows, and the English words a file of it is often named with:
# "日出那张" names "sunrise.jpg", "城市夜景那张" names "city-lights.jpg".
_ZH_CLIP_WORDS: dict[str, frozenset[str]] = {
    "日出": frozenset({"sunrise", "dawn"}),
    "日落": frozenset({"sunset", "dusk"}),
    "夕阳": frozenset({"sunset", "dusk"}),
    "海滩": frozenset({"beach"}),
    "沙滩": frozenset({"beach"}),
    "海边": frozenset({"beach", "sea", "seaside", "coast"}),
    "大海": frozenset({"sea", "ocean"}),
    "海": frozenset({"sea", "ocean", "beach"}),
    "城市": frozenset({"city", "urban"}),
    "夜景": frozenset({"night", "lights", "nightscape"}),
    "森林": frozenset({"forest", "woods"}),
    "树林": frozenset({"forest", "woods", "trees"}),
    "山": frozenset({"mountain", "mountains", "hill"}),
    "湖": frozenset({"lake"}),
    "河": frozenset({"river"}),
    "花": frozenset({"flower", "flowers"}),
    "雪": frozenset({"snow"}),
    "猫": frozenset({"cat"}),
    "狗": frozenset({"dog"}),
    "咖啡": frozenset({"coffee"}),
    "蛋糕": frozenset({"cake"}),
    "街道": frozenset({"street"}),
    "桥": frozenset({"bridge"}),
    # colours and things a product photo is often named by ("红色那个杯子" names "mug-red.jpg")
    "红": frozenset({"red"}),
    "蓝": frozenset({"blue"}),
    "绿": frozenset({"green"}),
    "黄": frozenset({"yellow"}),
    "白": frozenset({"white"}),
    "黑": frozenset({"black"}),
    "粉": frozenset({"pink"}),
    "紫": frozenset({"purple"}),
    "橙": frozenset({"orange"}),
    "灰": frozenset({"grey", "gray"}),
    "杯": frozenset({"mug", "cup"}),
    "盒": frozenset({"box"}),
    "包装": frozenset({"box", "package", "packaging"}),
}


# --- a part taken back, a remark ------------------------------------------------------------------
_ZH_CHANGE_VERBS = r"把|将|加|改|换|删|放|调|剪|缩|做|弄|变|挪|移|去掉|配|用"


# --- a text asked to stay, or the title asked at a place (unquoted) --------------------------------
def _texts(tl: Timeline) -> list[Any]:
    return [seg for tr in tl.tracks if tr.kind == "text" for seg in tr.segments if seg.name]


def _the_title(tl: Timeline) -> str | None:
    """The text a request calls "the title" unquoted: the one text on the timeline, else the one
    at its start; None when that is not one text (not judged)."""
    names = list(dict.fromkeys(seg.name for seg in _texts(tl)))
    if len(names) > 1:
        names = list(dict.fromkeys(seg.name for seg in _texts(tl) if seg.start_s <= 0.5))
    return names[0] if len(names) == 1 else None


# --- shape -----------------------------------------------------------------------------------
# Abbreviations whose full stop ends no sentence ("Dr. Patel", "e.g. the beach").
ABBREVIATION = re.compile(r"(?i)(?<![\w.])(?:mrs|mr|ms|dr|st|prof|jr|vs|etc|e\.g|i\.e)\.")


# "把 sunrise.jpg 那张放到第一个": a file name's dot ends no sentence.
_FILE_DOT = re.compile(
    r"(?i)(?<=[^\W_])\.(?=(?:jpe?g|png|gif|webp|heic|bmp|tiff?|mp4|mov|m4v|avi|webm|mkv)(?![A-Za-z0-9]))"
)


# Chinese users often part clauses with a space, not a comma ("改回15秒 放在第3到6秒 标题保留"):
# read as a comma, so a time range in one clause no longer hides the length said in another. A
# space before a number parts clauses only after a word that ends one ("改短点 15秒"), never after
# one that leads into the number ("前 3 秒", "改成 15 秒", "每张 2 秒"); nor a photo's name from
# the place it goes ("海滩那张 放最后": one ask).
_ZH_GAP = re.compile(
    # never after a verb whose object follows ("标题改成 萌宠日": one ask, play27zh F4)
    r"(?<=[\u4e00-\u9fff])(?<![张片图])(?<!改成|换成|改为|换为|改叫|写成|设为|设成)(?<!叫)[ \t\u3000]+"
    r"(?![左上之内钟])(?!以[上下内外前后及])(?=[\u4e00-\u9fff])"
    r"|(?<=[张片图])[ \t\u3000]+(?![左上之内钟放挪移排])(?!以[上下内外前后及])(?=[\u4e00-\u9fff])"
    # "sunrise开头 city-lights放最后": a photo's name glued to the ask it opens starts a clause
    r"|(?<=[\u4e00-\u9fff])(?<![把将用以拿和跟与及是在从到])[ \t\u3000]+"
    r"(?=[A-Za-z][\w.\-]{0,40}[\u4e00-\u9fff])"
    r"|(?<=[点些的了吧啊呀哦])[ \t\u3000]+(?=\d)"
    # "改成10秒 0-5秒显示「A」", "1:1 15秒", "音乐调到20% 把beach.jpg放最后": a length or a level said
    # whole, then the next ask (play22zh F3, F9, F11)
    r"|(?<=秒)[ \t\u3000]+(?=\d)|(?<=\d)[ \t\u3000]+(?=\d{1,3}(?:\.\d)?\s*秒)"
    # "配点喜庆欢快的音乐 30秒左右就行": a length said loosely ("左右", "就行") after a finished ask
    # (play28zh F5); a bare "2 秒" after a part is that part's time ("结尾淡出 2 秒", "每张照片 2 秒")
    r"|(?<=[\u4e00-\u9fff])(?<![前成到为回张段个共长剪至约概每近后最第是在现示留续停放出入片图])[ \t\u3000]+"
    r"(?=\d{1,3}(?:\.\d)?\s*秒(?:钟)?(?:(?:左右|上下|以内)(?:就行|就好|就可以)?|就行|就好|就可以)(?:吧)?(?:$|[，,。！!]))"
    r"|(?<=[%％])[ \t\u3000]+(?![左上之内])(?!以[上下内外前后及])(?=[\u4e00-\u9fff])"
    # "音量调到百分之二十 sunrise放第一个", "音乐调到15 sunrise放到最后": a level, then a photo's name
    # glued to the ask it opens (play29zh: both asks went unread, nothing said not as asked)
    r"|(?<=[%％\d])[ \t\u3000]+(?=[A-Za-z][\w.\-]{0,40}[\u4e00-\u9fff])"
    # "方形版 1:1", "竖屏 15秒": a frame said, then a number of its own
    r"|(?<=[版屏形])[ \t\u3000]+(?=\d)|(?<=视频|片子|短片)[ \t\u3000]+(?=\d)"
    # "「洗澡前」在1秒的时候出现 「洗澡后」在8秒的时候出现": a quote after a finished ask opens another
    r"|(?<=[现示头尾后前掉面])[ \t\u3000]+(?=[「『“])"
    # "开头标题还是「周记钟表十年」 「感谢老顾客」放最后3秒": a quote after a quote opens another ask
    # (as one clause, a project's name quoted as the title was read as the project: play29zh F8)
    r"|(?<=[」』”])[ \t\u3000]+(?=[「『“])"
    # "改短到8秒 「青岛三日」第2秒出现": a length said whole ("到/成/为/回 N秒"), never a span ("前3秒 「A」")
    r"|(?:(?<=[到成为回]\d秒)|(?<=[到成为回]\d\d秒)|(?<=[到成为回][一二两三四五六七八九十]秒)"
    r"|(?<=[到成为回][一二三四五六七八九]十秒)|(?<=[到成为回]十[一二三四五六七八九]秒))"
    r"(?<![\d秒]到\d秒)(?<![\d秒]到\d\d秒)(?<![\d秒]到[一二两三四五六七八九十]秒)[ \t\u3000]+(?=[「『“])"
    r"|(?<=秒)[ \t\u3000]+(?![左上以之内钟的长])(?=[\u4e00-\u9fff])"
    # after a quote only before a word that starts another ask ("把「A」 删掉" is one clause)
    # ("标题改成「A」 字幕「B」放到最后5秒": the caption's own ask, play28zh F24)
    r"|(?<=[」』》\"”])[ \t\u3000]+(?=然后|还有|另外|并且|同时|标题|字幕|文字|再把|再将|最后把"
    # "叫「春季新品」 竖屏 15秒左右": a frame or the music after a name is an ask of its own
    r"|竖屏|横屏|竖版|横版|方形|正方形|背景音乐|音乐|bgm|BGM|一共|总共|配(?!音)"
    # "叫「小猫洗澡」 视频要15秒": the length after a name is an ask of its own (play25zh F4)
    r"|视频(?:要|改|剪|时长|长度|总长|\d)|时长|长度|总长"
    # "标题「A」 city-lights那张放第一个": a photo's name glued to the ask it opens (play24zh F3)
    r"|[A-Za-z][\w.\-]{0,40}[\u4e00-\u9fff]"
    # "叫「小猫洗澡」 日落那张放最后": a photo named in Chinese, then its place (play25zh F3)
    r"|[\u4e00-\u9fff]{1,6}?(?:那张|这张|那个|这个)?(?:照片|图片|图)?(?:放|挪|移|排|要放|要在)"
    r"(?:到|在)?(?:最后|最前|开头|结尾|第)"
    r"|[\u4e00-\u9fff]{1,6}?(?:那张|这张)(?:照片|图片|图)?)"
)


# "日出那张(sunrise.jpg)放开头": a photo named in Chinese, then its file's name in brackets. Read as
# the file's name ("sunrise.jpg放开头"), so the bracket parts no clause (play23zh F3).
_ALIAS = re.compile(r"[（(]\s*([A-Za-z0-9][\w.\-]{0,40})\s*[)）]")
_ALIAS_WORD = re.compile(
    r"(?:(?<=[把将用以让拿和跟])|(?<![\u4e00-\u9fff]))"
    r"(?!最后|最前|第|开头|结尾|标题|字幕|文字|音乐|视频)[\u4e00-\u9fff]{1,6}?"
    r"(?:的)?(?:那张|这张|那个|这个)?(?:照片|图片|图)?\s*$"
)


def _aliases(text: str) -> str:
    """``text`` with a photo's Chinese name and the file name after it in brackets made the file's name."""
    out, end = [], 0
    for m in _ALIAS.finditer(text):
        before = _ALIAS_WORD.search(text, end, m.start())
        if before is None or before.end() != m.start():
            continue
        out += [text[end : before.start()], m.group(1)]
        end = m.end()
    return "".join(out) + text[end:] if out else text


# A latin name (a file's word) and, after a space, the next ask ("第一张换成sunrise 最后一张放city-lights").
_LATIN_GAP = re.compile(
    r"(?<=[A-Za-z])[ \t\u3000]+(?=最后|最前|第[一二三四五六七八九十\d]|然后|接着|另外|还有|音乐|配乐"
    r"|背景音乐|标题|字幕|文字|横屏|竖屏|横版|竖版|方形|正方形|时长|其他|其余"
    r"|[\u4e00-\u9fff]{1,4}(?:收尾|结尾|开头|开场|打头)[\u4e00-\u9fff]{0,4}$)"
)


# A character slipped on a pinyin keyboard (same sound, another character) in a word of the
# video's parts, where the slip means nothing else: "标提改成萌宠日" asks for a title (play27zh F4).
_ZH_SLIPS = ((re.compile("标提|标替|标体"), "标题"), (re.compile("子幕|字目|字木"), "字幕"))
# A word of the video's parts left in pinyin (the keyboard not switched): "shichang改成10miao" asks
# for 10 seconds (play29zh: "the request did not ask to change the length" was said of it). Only a
# whole latin word, never part of a file's name ("zimu.jpg").
_PINYIN_EDGE = "(?<![A-Za-z0-9._-])(?:{})(?![A-Za-z0-9._-])"
_PINYIN = (
    (re.compile(_PINYIN_EDGE.format("shichang|shi chang"), re.I), "时长"),
    (re.compile(_PINYIN_EDGE.format("yinliang|yin liang"), re.I), "音量"),
    (re.compile(_PINYIN_EDGE.format("yinyue|yin yue"), re.I), "音乐"),
    (re.compile(_PINYIN_EDGE.format("biaoti|biao ti"), re.I), "标题"),
    (re.compile(_PINYIN_EDGE.format("zimu|zi mu"), re.I), "字幕"),
    (re.compile(_PINYIN_EDGE.format("hengping"), re.I), "横屏"),
    (re.compile(_PINYIN_EDGE.format("shuping"), re.I), "竖屏"),
    (re.compile(r"(?<=\d)\s*miao(?![A-Za-z0-9._-])", re.I), "秒"),
)


def zh_slips(text: str) -> str:
    """``text`` with each slipped word of :data:`_ZH_SLIPS` written as meant."""
    for slip, meant in (*_ZH_SLIPS, *_PINYIN):
        text = slip.sub(meant, text)
    return text


def _zh_gaps(text: str) -> str:
    """``text`` with a space that parts Chinese clauses made a comma (never inside a quote)."""
    text = _aliases(zh_slips(text))
    inside = [m.span() for m in _QUOTED.finditer(text)]
    text = _ZH_GAP.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in inside) else "，", text)
    inside = [m.span() for m in _QUOTED.finditer(text)]
    return _LATIN_GAP.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in inside) else "，", text)


# "…最后加一句「订房请私信」 对了这个背景音乐能商用吗", "make it 10 seconds, by the way is the music
# free?": an aside opens a sentence of its own, so a question after an edit leaves the edit an ask.
_ASIDE_OPENS = re.compile(
    r"[，,、\s]+(?=(?:对了|顺便问一下|顺便问下|顺便问问|顺便说一下|顺便|另外问一下|还有个问题|还想问一下|想问一下)"
    r"|(?i:(?:btw|by\s+the\s+way|also\s+quick\s+q(?:uestion)?|quick\s+q(?:uestion)?|one\s+more\s+question)\b))"
)


def _asides(text: str) -> str:
    """``text`` with a sentence break before an aside (never inside a quote)."""
    inside = [m.span() for m in _QUOTED.finditer(text)]
    return _ASIDE_OPENS.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in inside) else "。", text)


# "beach (backyard) first, then sunset", "put the beach (the backyard one) photo first",
# "海滩（后院）那张放最前面": a note in brackets between a clip's word and the rest of its ask says
# which clip, and asks nothing; read without it, the order is one clause again (a bracket parts
# clauses).
_NOTE = re.compile(
    r"(?<=[\w\u2024])\s*[(（]\s*(?P<note>[^()（）\d%％\n]{1,30}?)\s*[)）]\s*(?=[\w\u4e00-\u9fff])"
)


_POLITE_ASK = re.compile(r"(?i)^\s*(?:(?:can|could|would|will)\s+you|please)\b|帮|请|麻烦")


def zh_asks_whether(text: str) -> bool:
    """``text`` asks whether, without 吗: "这音乐能商用不", "能不能商用", "可不可以商用" (play26zh F2).
    Not where it names a change ("音乐能不能调小一点", "把音乐调小点行不" ask for one; the 用 of 商用
    is none) or asks politely ("能不能帮我…")."""
    return bool(
        _ZH_TAG_QUESTION.search(text)
        and not _ZH_ASKING.search(text)
        and not re.search(_ZH_CHANGE_VERBS, _ZH_USE_NOUNS.sub("", text))
    )


def _is_request(sentence: str) -> bool:
    """A statement or a polite request ("Can you make …?"); not a question about the video or
    a condition ("is there no music?", "No music? Really?", "if it's vertical…", "有没有音乐",
    "如果没有音乐")."""
    if _EN_NOT_A_REQUEST.match(sentence):
        return False
    if sentence.rstrip().endswith(("?", "？")) and not _POLITE_ASK.search(sentence):
        return False
    if zh_asks_whether(sentence):
        return False
    zh_question = _ZH_NOT_A_REQUEST.search(sentence)
    # "能帮我做一个方形视频吗？" asks for it; "有没有音乐？" asks about it.
    return not zh_question or (zh_question.group() in "吗呢么" and _ZH_ASKING.search(sentence) is not None)


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(sentence) if c and c.strip()]


def _plainly(clause: str, en: re.Pattern[str], zh: re.Pattern[str]) -> bool:
    """``clause`` says it in so many words: a match that ends the clause and no negation before it."""
    for pattern, end, negated in ((en, _EN_END, _EN_NEGATED), (zh, _ZH_END, _ZH_NEGATED)):
        for found in pattern.finditer(clause):
            if end.match(clause[found.end() :]) and not negated.search(clause[: found.start()]):
                return True
    return False


# "音乐调到百分之二十", "音量百分之五十": a percentage in words, read as "20%".
_ZH_PERCENT_WORDS = re.compile(r"百分之\s*(\d{1,3}|[零一二两三四五六七八九十]{1,3})")


def zh_percents(text: str) -> str:
    """``text`` with each 「百分之N」 (digits or Chinese numerals up to 100) written "N%"."""

    def number(m: re.Match[str]) -> str:
        if m.group(1) == "一百":
            return "100%"
        value = _zh_number(m.group(1))
        return f"{value:g}%" if value is not None and 0 <= value <= 100 else m.group(0)

    return _ZH_PERCENT_WORDS.sub(number, text)


# --- a length said loosely -----------------------------------------------------------------------
_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _zh_number(text: str) -> float | None:
    if text == "半":
        return 0.5
    if text[0].isdigit():
        return float(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        value = (_ZH_DIGITS.get(tens, -100) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, -100) if ones else 0)
        return float(value) if value > 0 else None
    return float(_ZH_DIGITS[text]) if len(text) == 1 and text in _ZH_DIGITS else None


_SIZE_ONLY = re.compile(
    r"(?i)^\s*(?:(?:make\s+it|改成|调成|做成)\s*)?(\d{3,4})\s*[x×*]\s*(\d{3,4})\s*[.!。！]?\s*$"
)


# Words that ask for text on screen: with any of them, a name shown as a title may be wanted.
_ON_SCREEN = re.compile(
    r"(?i)\b(?:title[sd]?|headline|caption|text|subtitles?|words|heading|overlay)\b|标题|片名|字幕|文字|标语|文案"
)


# Seconds said of a part ("make the title show for 5 seconds", "each photo 2 seconds", "字幕显示3秒").
_PART_SECONDS = re.compile(
    r"(?i)\b(?:title|caption|text|logo|photo|picture|clip|intro|outro|each|every)\b[^.!?]{0,30}?"
    r"\b\d{1,3}\s*(?:seconds?|secs?|s)\b|(?:标题|字幕|文字|照片|每张|每段|片头|片尾)[^。！？]{0,12}?\d{1,3}\s*秒"
)


# --- changes the words did not ask for ---------------------------------------------------------
def _clip_words(name: str) -> tuple[str, list[str]]:
    """A clip's name as the user may say it: its file stem, and the stem's words."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", name.strip()).casefold()
    return stem, re.findall(r"[^\W_]+", stem)


def _names_clip(word: str, name: str) -> bool:
    """The user's ``word`` for a clip ("beach", "city lights", "海滩", "sunrise.jpg") names the clip
    ``name`` ("beach.jpg", "city-lights", "海滩日落.jpg"): each of its words is one of the name's
    words, or (Chinese, written without spaces) inside its stem, or a Chinese word for what the
    photo shows whose English words the name has ("日出" names "sunrise.jpg")."""
    stem, words = _clip_words(name)
    said = re.findall(r"[^\W_]+", _FILE_EXT.sub("", word.strip()).casefold())
    return bool(said) and all(
        w in words or (not w.isascii() and (w in stem or _zh_names(w, set(words)))) for w in said
    )


_FILE_EXT = re.compile(r"(?i)[.\u2024](?:jpe?g|png|gif|webp|heic|bmp|tiff?|mp4|mov|m4v|avi|webm|mkv)$")


def _zh_names(word: str, words: set[str]) -> bool:
    """Every Chinese word for a subject inside ``word`` has an English word among ``words``,
    and at least one is there ("城市夜景": 城市 → city, 夜景 → lights)."""
    hits = [en for zh, en in _ZH_CLIP_WORDS.items() if zh in word]
    return bool(hits) and all(en & words for en in hits)


def _music_volumes(tl: Timeline) -> list[float]:
    """The known volumes (percent) of the music playing; a segment without one is not judged."""
    return [
        float(seg.volume)
        for track in tl.tracks
        if track.kind == "audio"
        for seg in track.segments
        if seg.volume is not None and seg.volume > 0
    ]
