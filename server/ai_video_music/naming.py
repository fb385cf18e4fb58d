"""A project's name from the user's own words: the title they asked for, else the subject.

Only two things name a project. A title the user asks for ("titled “Spring Sale”", "called
Harbour Days", "标题是「春季促销」", "名为…"), and the subject of the video ("a video about our
new pumpkin latte" → "Pumpkin latte", "介绍我们的新款帐篷" → "新款帐篷", "主题是周末露营" →
"周末露营"). Text to show in the video (a caption, a subtitle, 字幕「下次见」) is never a name,
nor is the platform it is for ("for Instagram"), its length or its shape. When the words name
nothing, "" (the project keeps its default name).
"""

from __future__ import annotations

import re

from .sanitize import clean_text

NAME_CHARS = 32
_OPEN, _CLOSE = "\"“「『《‘'", "\"”」』》’'"
_QUOTE = f"[{_OPEN}]([^{_OPEN}{_CLOSE}\\n]{{1,60}})[{_CLOSE}]"

# Quoted text in a request: any quote pair, but an ASCII apostrophe only as a quote mark around
# words (never the one inside "don't ... it's").
_QUOTED_TEXT = re.compile(
    "[\"“「『《‘]([^\"“”「」『』《》‘’\n]{1,60})[\"”」』》’]|(?<!\\w)'([^'\n]{1,60})'(?!\\w)"
)


def quoted(text: str) -> list[str]:
    """The texts a request quotes ("the title 'Summer Trip'", 「花语小店」), in order, each once."""
    found: list[str] = []
    for match in _QUOTED_TEXT.finditer(text):
        inner = (match.group(1) or match.group(2) or "").strip()
        if inner and inner not in found:
            found.append(inner)
    return found


# A title the user asks for, quoted: "titled “Spring Sale”", "with the title 'Go'", "标题「春季促销」".
_TITLE_QUOTED = re.compile(
    r"(?i)(?:\b(?:titled|title|headline|called|named|name\s+it|call\s+it|name)\b"
    r"(?:\s+(?:it|is|as|of|to|should\s+be|will\s+be))?\s*[:：]?\s*"
    r"|(?:标题|片名|名字|名称|题目|叫做|名为|命名为|叫)(?:是|为|叫|用|就叫)?\s*[:：]?\s*)" + _QUOTE
)
# Unquoted: "titled Harbour Days", "called Spring Sale", "标题是春季促销".
_TITLE_PLAIN = re.compile(
    r"(?i)\b(?:titled|called|named|name\s+it|call\s+it|title\s+it)\s+[:：]?\s*"
    r"([A-Za-z0-9][^\n,.;!?，。；！？]{0,60})"
)
_ZH_TITLE_PLAIN = re.compile(
    r"(?:标题|片名|名字|题目)(?:是|为|叫|就叫|改成|换成|改为|换为|改叫)\s*[:：]?\s*(?![「『“\"'])"
    r"([^\n,.;!?，。；！？\s]{1,20})"
)
# "title Anvil & Hoof", "text Barefoot Trim Clinic - Sat 14th on it", "caption: Call Dale": a text
# asked on screen, typed without quotes on a phone (play29en F1: never checked, though absent).
# Only a capital or a digit opens it ("title bigger", "text at the end" are edits of a text).
_TITLE_SAID_EN = re.compile(
    r"(?i)(?:^|[,;:!?]\s*|\.\s+|\b(?:and|with|plus|add|put|use|show)\s+)(?:(?:a|the|my)\s+)?(?:title|text|caption)"
    r"(?:\s+(?:should\s+(?:be|say|read)|says?|reads?|is))?\s*[:=-]?\s+"
    r"(?-i:([A-Z0-9][^\n,.;!?\"“”「」]{0,60}))"
)
_ZH_NAMED_PLAIN = re.compile(r"(?:名为|叫做|命名为)\s*[:：]?\s*([^\n,.;!?，。；！？\s]{1,20})")
# English subjects: "about …" first (it names the subject even beside "for Instagram"), then
# "featuring/showing/promoting …", then "for/of …".
_SUBJECT_EN = (
    re.compile(r"(?i)\b(?:about|on\s+the\s+(?:theme|topic)\s+of|themed\s+around)\s+(?=(.+))"),
    # A name in capitals the request opens with, before the kind of video: "Saturday Sunrise
    # Paddle event video, …" (two words or more: "Another video" names nothing).
    re.compile(
        r"^\s*(?=([A-Z][\w'’&-]*(?:\s+[A-Z0-9][\w'’&:-]*){1,4}?)\s+(?:(?i:event|promo|teaser)\s+)?"
        r"(?i:video|reel|clip|slideshow|promo|teaser)\b)"
    ),
    re.compile(
        r"(?i)\b(?:featuring|showing|showcasing|promoting|advertising|introducing|celebrating)\s+(?=(.+))"
    ),
    re.compile(r"(?i)\b(?:for|of)\s+(?=(.+))"),
)
_RUN = re.compile(r"\S+")  # a word as str.split() finds it
_STOP_EN = {
    "with", "and", "using", "from", "in", "at", "to", "set", "for", "that", "which", "who", "where", "on",
    "about", "featuring", "showing", "so", "but", "then", "please", "as", "by", "into", "over", "under",
    "while", "when", "like", "it", "music", "add", "use", "make", "including", "plus", "or", "of",
}  # fmt: skip
# Words that say nothing of the subject: what it is made from, its shape, its audience's platform.
_SKIP_EN = {
    "a", "an", "the", "my", "our", "your", "his", "her", "their", "this", "these", "that", "those", "some",
    "new", "latest", "upcoming", "brand-new", "short", "quick", "little", "nice", "cool", "fun", "simple",
    "square", "vertical", "horizontal", "portrait", "landscape", "social", "media",
}  # fmt: skip
_WEAK_EN = {
    "photo", "photos", "picture", "pictures", "image", "images", "clip", "clips", "video", "videos",
    "it", "them", "me", "us", "file", "files", "seconds", "second", "footage", "slideshow", "reel", "reels",
    "instagram", "tiktok", "youtube", "shorts", "facebook", "twitter", "x", "linkedin", "snapchat",
    "pinterest", "wechat", "douyin", "bilibili", "xiaohongshu", "story", "stories", "post", "feed",
    "insta", "ig", "ins", "yt", "fb", "tt", "tik", "tok", "whatsapp", "telegram", "threads", "weibo",
    "kuaishou", "redbook", "rednote", "vimeo", "twitch", "socials", "insta's", "tiktoks", "grams",
    "ad", "promo", "everyone", "people", "friends", "followers", "customers", "today", "now",
}  # fmt: skip
# Where in the video, never what it is about: "for the very end", "at the start", "最后", "开头".
_PLACE_EN = {
    "very", "end", "ending", "start", "beginning", "last", "first", "opening", "middle", "intro", "outro",
    "finish", "close", "top", "bottom", "front", "back", "finale", "half", "part", "bit", "second", "third",
}  # fmt: skip
# What the music is like, never what the video is about: "chill music pls", "happy song" (play26en
# F2: a project named “Chill”).
_MUSIC_EN = {
    "music", "song", "songs", "track", "tracks", "tune", "tunes", "beat", "beats", "bgm", "soundtrack",
}  # fmt: skip
# A frame's ratio: "16:9" is never a heading's colon ("new video: wide 16:9 yt intro" was named
# “wide 16”, play26en F15).
_RATIO = re.compile(r"\d\s*[:：]\s*\d")
_PLACE_ZH = re.compile(r"最后|最前|开头|结尾|末尾|中间|开始|片头|片尾|前面|后面")
_ZH_OWNER = "(?:(?:我们家|我们店|我们|咱们|我家|自家|我)的?|(?:本店|公司|店里)的)?"
_SUBJECT_ZH = (
    re.compile(r"(?:主题|题材|内容)(?:是|为|：|:)\s*([^\n,.;!?，。；！？、\s]{2,16})"),
    re.compile(
        f"(?:关于|介绍|展示|宣传|推广|记录|讲述|庆祝)(?:一下)?{_ZH_OWNER}([^\\n,.;!?，。；！？、\\s]{{2,16}})"
    ),
    # The whole run of Chinese before the noun, cut only where a word begins (play25zh F9: a window
    # of 12 characters cut "个小猫洗澡前后对比" from "…做一个小猫洗澡前后对比的视频").
    re.compile(
        r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,40}?)的?(?:视频|短片|短视频|宣传片|vlog|Vlog|片子|广告|相册)"
    ),
)
_ZH_WEAK = ("这些照片", "这张照片", "照片", "图片", "素材", "视频", "这些", "一个", "一段", "这个", "那个")
_ZH_TAIL = re.compile(
    r"(?:的(?:视频|短片|短视频|宣传片|片子|广告|特点|故事|过程|vlog|Vlog|相册).*|的$|吧$|视频$|短片$|vlog$)"
)
# Words that describe the video, not its subject: its length ("20秒的"), shape, size, look or
# platform. What is left once they are gone must still be a subject ("竖屏短视频" names nothing).
_ZH_DESCRIBING = re.compile(
    r"\d*(?:秒钟?|分钟|分)的?|竖屏|横屏|竖版|横版|正方形|方形|高清|超清|简短|简单|短$|好看|精美|漂亮|酷炫"
    r"|小红书|抖音|快手|视频号|朋友圈|微博|[Bb]站|哔哩哔哩|微信|的$"
)
# What opens a request, before its subject: "帮我做一个…", "制作一支…", "用这些照片做个…".
# "弄/整/搞/来/出" open a request only before a measure word, or first after who asks ("帮我弄…"):
# never inside a subject ("日出延时").
_ZH_MEASURE = r"(?:一个|一段|一支|一条|一版|个|段|支|条)"
_ZH_LEAD = re.compile(
    r"^.*?(?:(?:做|剪|生成|制作|拍)(?:成|出)?" + _ZH_MEASURE + "?"
    r"|(?:弄|整|搞|来|出)(?:成|出)?"
    + _ZH_MEASURE
    + r"|^(?:请|麻烦|你|那|那就|就|再|先|现在)*(?:帮我|给我|帮忙|我想|我要|想要|要|请|麻烦)"
    + r"(?:(?:弄|整|搞)(?:成|出)?"
    + _ZH_MEASURE
    + r"?|(?:来|出)"
    + _ZH_MEASURE
    + r"))"
)


def tidy(text: str) -> str:
    """One line, trimmed of punctuation and quotes, at most ``NAME_CHARS`` characters."""
    line = re.sub(r"\s+", " ", clean_text(text)).strip(" .,;:!?。，；：！？-—\"'“”「」『』《》")
    return line if len(line) <= NAME_CHARS else line[: NAME_CHARS - 1].rstrip() + "…"


def _until_stop(title: str) -> str:
    """An unquoted English title ends where the request goes on: "called Morning Routine with …"."""
    words = title.split()
    for i, word in enumerate(words[1:], 1):
        if word.casefold() in _STOP_EN:
            return " ".join(words[:i])
    return title


def _english_subject(text: str) -> str:
    for pattern in _SUBJECT_EN:
        for found in pattern.finditer(text):
            words: list[str] = []
            # Words read one at a time up to where the subject ends: each match's group runs to
            # the end of the line, and splitting all of it per match was quadratic ("of " x 2,700).
            for run in _RUN.finditer(text, found.start(1), found.end(1)):
                raw = run.group(0)
                word = raw.strip(",.;:!?\"'“”()")
                low = word.casefold()
                if low in _MUSIC_EN and words:
                    words = []  # "chill music": the words before it were the music's
                    break
                if low in _STOP_EN or not word or raw[-1:] in ",.;:!?":
                    if word and low not in _STOP_EN and low not in _SKIP_EN and low not in _WEAK_EN:
                        words.append(word)  # "…our pumpkin latte." ends the subject with it
                    if words or low in _STOP_EN:
                        break
                    continue
                if not words and (low in _SKIP_EN or re.match(r"\d", word) or "-second" in low):
                    continue  # leading filler: "our new 10-second …"
                words.append(word)
                if len(words) == 4:
                    break
            while words and words[-1].casefold() in _SKIP_EN:
                words.pop()
            if words and all(w.casefold() in _PLACE_EN for w in words):
                continue  # "save the after shot for the very end": a place in the video, not its subject
            words = [w for w in words if w.casefold() not in _WEAK_EN] if words else words
            if words and not words[0][0].isdigit():
                name = tidy(" ".join(words))
                return name[:1].upper() + name[1:]
    return ""


def _chinese_subject(text: str) -> str:
    for pattern in _SUBJECT_ZH:
        for found in pattern.finditer(text):
            name = _ZH_TAIL.sub("", found.group(1))
            name = _ZH_LEAD.sub("", name) if _ZH_LEAD.match(name) else name
            name = re.sub(r"^(?:我们?|你)(?:想要|要|想)", "", name)  # "我要出游的视频": who wants it
            name = re.sub(f"^{_ZH_OWNER}", "", name)
            name = _ZH_DESCRIBING.sub("", name).strip("的")  # "20秒的竖屏短视频" names nothing
            if _PLACE_ZH.search(name):
                continue  # "放最后", "开头那张": a place in the video, not its subject
            if len(name) >= 2 and not any(name.startswith(w) for w in _ZH_WEAK) and not re.match(r"\d", name):
                return tidy(name)
    return ""


# A name the request opens with, as a heading: "Holiday teaser: just this photo, 5 seconds".
_HEADING_EN = re.compile(r"^\s*([A-Z][\w'’&-]*(?:\s+[\w'’&-]+){0,3})\s*[:：]\s*\S")
_HEADING_ZH = re.compile(r"^\s*([\u4e00-\u9fff]{2,12})\s*[:：]\s*\S")
# A heading that labels a part of the request, not the video: "Music: lo-fi", "注意：…".
_LABELS = {
    "note", "notes", "music", "title", "text", "caption", "captions", "subtitle", "subtitles", "idea",
    "update", "edit", "edits", "request", "ps", "p.s", "also", "style", "length", "duration", "format",
    "photos", "photo", "video", "videos", "task", "todo", "instructions", "change", "changes", "next",
    "then", "first", "second", "finally", "important", "reminder", "hi", "hey", "ok", "okay", "question",
    "audio", "voice", "ratio", "size", "mood", "vibe", "theme", "goal", "context", "background", "feedback",
    "标题", "音乐", "字幕", "文字", "注意", "要求", "备注", "说明", "时长", "比例", "画面", "风格", "主题",
    "配乐", "问题", "补充", "另外", "然后", "首先", "最后", "背景", "素材", "照片", "视频", "格式",
}  # fmt: skip
# A heading that is an instruction ("Add the title: Summer", "Please note: …") names nothing.
_INSTRUCTION_WORDS = {
    "add", "make", "put", "change", "remove", "set", "use", "create", "please", "can", "could", "would",
    "lower", "raise", "cut", "trim", "export", "start", "do", "keep", "try", "turn", "give", "send", "show",
    "switch", "replace", "delete", "i", "we", "let's", "lets", "the", "a", "an", "it", "this", "to", "my",
    "our", "your", "me", "is", "are", "for", "with", "and", "of",
}  # fmt: skip


# "新视频：…", "另一个项目：…": the command that starts a new video, not its name (play-test 17).
_ZH_NEW_HEADING = re.compile(r"(?:新的?|另一个|另外一个|再来一个|再做一个|下一个)(?:视频|项目|短片|片子)")


def _heading_names(words: str) -> bool:
    lowered = words.casefold()
    if _ZH_NEW_HEADING.fullmatch(lowered):
        return False
    if not _names_something(words):
        return False
    return lowered not in _LABELS and not set(lowered.split()) & (_LABELS | _INSTRUCTION_WORDS)


def _names_something(name: str) -> bool:
    """Words that say more than the video's shape, ratio, length, platform or place in it: "wide
    16:9 yt intro" names nothing."""
    for word in re.split(r"[\s,]+", name.casefold()):
        word = word.strip(".;:!?\"'“”()")
        if not word or word[:1].isdigit() or word in _SKIP_EN or word in _WEAK_EN or word in _PLACE_EN:
            continue
        if word in {"wide", "widescreen", "tall", "hd", "4k", "sec", "secs", "s"}:
            continue
        return True
    return False


# A quoted name the video is called by: "a 'Holiday teaser' video", "做一个「开业倒计时」视频".
_NAMED_VIDEO = re.compile(
    r"(?i)(?:\b(?:a|an|the|our|my|new)\s+)" + _QUOTE + r"\s+(?:video|reel|clip|teaser|promo|short|film)\b"
    r"|" + _QUOTE.replace("(", "(?P<zh>", 1) + r"\s*的?(?:视频|短片|短视频|宣传片|片子|vlog)"
)


# A quoted name a new video is given: after words that begin one ("New video: 'Croissant Day' —
# vertical", "make a new video “Spring Sale”, 10 s", "新视频：「母亲节特惠」，竖屏", "另一个视频《开业
# 倒计时》"), or opening the request on its own ("“Spring Sale”: 10 seconds, square"). Text to
# show is introduced by its own words ("caption 'Hi'"), never in either place.
_NEW_VIDEO_QUOTE = re.compile(
    r"(?i)(?:\b(?:new|another|next)\s+(?:video|project|clip|reel|film|one)"
    r"|(?:新|另一个|另外一个|再来一个|再做一个|下一个)(?:视频|项目|短片|片子)?)\s*[:：,，—–-]*\s*"
    + _QUOTE
    + r"\s*(?:[:：,，;；.。!！—–-]|$)"
)
_OPENING_QUOTE = re.compile(r"^\s*" + _QUOTE + r"\s*(?:[:：,，;；.。!！—–-]|$)")


# An unquoted name after the words that begin a new video, to the sentence's end: "new video: Jess
# 10 week transformation. start with …", "New project - Harbour Days", "新视频：小王的减肥历程。"
# (play-test 20: the project was named "Very end", from a later "for the very end").
_NEW_VIDEO_HEADING_EN = re.compile(
    r"(?i)^\s*(?:(?:a\s+)?(?:new|another|next)\s+(?:video|project|clip|reel|film|one))\s*[:：—–-]+\s*"
    r"((?:[^\n.!?;,:：]|(?<=\d)[:：](?=\d)){1,60}?)\s*(?:[.!?;,:：]|$)"
)
_NEW_VIDEO_HEADING_ZH = re.compile(
    r"^\s*(?:新的?|另一个|另外一个|再来一个|再做一个|下一个)(?:视频|项目|短片|片子)\s*[:：—–-]+\s*"
    r"([^\n,.;!?，。；！？、:：\s]{2,20})"
)
# What opens a request rather than a name: "new video: make a 10 second clip", "新视频：帮我生成…".
_ZH_ASKING = re.compile(r"^(?:帮我|帮忙|请|给我|我要|我想|用|把|做|生成|制作|来|剪|拍|要|只用|直接)")


def _new_video_heading(text: str) -> str:
    """The name after "new video:" (unquoted), when it reads as one: not an instruction, not a
    length or a shape ("new video: 10 seconds, square" names nothing)."""
    found = _NEW_VIDEO_HEADING_EN.match(text)
    if found:
        words = found.group(1).split()
        first = words[0].casefold() if words else ""
        if first in _INSTRUCTION_WORDS or first in _SKIP_EN or first[:1].isdigit():
            return ""
        name = tidy(_until_stop(found.group(1)))
        return name if _names_something(name) else ""
    found = _NEW_VIDEO_HEADING_ZH.match(text)
    if found and not _ZH_ASKING.match(found.group(1)):
        name = _ZH_DESCRIBING.sub("", found.group(1)).strip("的")
        return tidy(name) if len(name) >= 2 and not re.match(r"\d", name) else ""
    return ""


def quoted_name(text: str) -> str:
    """A quoted name given to a new video ("New video: 'Croissant Day' — …", 新视频：「X」), or one
    the request opens with; else "". Whether it is also to be shown on screen, the words don't say."""
    found = _NEW_VIDEO_QUOTE.search(text) or _OPENING_QUOTE.match(text)
    return tidy(found.group(1)) if found else ""


def title_said_plainly(text: str) -> str:
    """A title asked in so many words without quotes ("标题改成 萌宠日", "标题是春季促销", "title Anvil &
    Hoof"), else ""."""
    found = _ZH_TITLE_PLAIN.search(text)
    if found:
        return tidy(found.group(1))
    found = _TITLE_SAID_EN.search(text)
    return tidy(_until_stop(found.group(1))) if found else ""


def title_from(text: str) -> str:
    """The name the request gives the video in so many words ("called 'Holiday teaser'",
    "Holiday teaser: …", 叫「开业倒计时」, 名为…, 「X」视频), else "": never a guess from its subject."""
    if not text.strip():
        return ""
    for pattern in (_TITLE_QUOTED, _ZH_TITLE_PLAIN, _ZH_NAMED_PLAIN, _TITLE_PLAIN):
        found = pattern.search(text)
        if found and tidy(found.group(1)):
            # Quoted, the title is the user's own words, "Salt and Sun" whole; unquoted it ends
            # where the request goes on.
            title = found.group(1) if pattern is _TITLE_QUOTED else _until_stop(found.group(1))
            return tidy(title)
    opening = quoted_name(text) or _new_video_heading(text)
    if opening:
        return opening
    named = _NAMED_VIDEO.search(text)
    if named and tidy(named.group(1) or named.group("zh") or ""):
        return tidy(named.group(1) or named.group("zh"))
    for pattern in (_HEADING_EN, _HEADING_ZH):
        heading = pattern.match(text)
        if heading and _RATIO.match(text, heading.end(1) - 1):
            continue  # "Wide 16:9 …": a ratio, not a heading
        if heading and _heading_names(heading.group(1)) and tidy(heading.group(1)):
            return tidy(heading.group(1))
    return ""


def name_from(text: str) -> str:
    """A project name from a request's words: the title asked for, else the subject; else ""."""
    if not text.strip():
        return ""
    title = title_from(text)
    if title:
        return title
    # Quoted text is what the video shows (a caption, 字幕「下次见」), never the subject: masked.
    plain = re.sub(_QUOTE, " ", text)
    name = _english_subject(plain) or _chinese_subject(plain)
    # A platform is where the video goes, never its name ("for insta stories" names nothing; nor
    # does "a forest clip for my newsletter", play28en F13).
    return "" if _PLATFORM_ONLY.match(name) else name


_PLATFORM_ONLY = re.compile(
    r"(?i)^(?:\s|[-&/,]|newsletters?|blog|website|site|channel|e-?mails?|podcast"
    r"|insta(?:gram)?|ig|ins|tik\s*tok|tiktok|youtube(?:\s+shorts)?|yt|shorts|reels?|stories|story"
    r"|facebook|fb|snapchat|pinterest|twitter|x|linkedin|whatsapp|wechat|douyin|bilibili|xiaohongshu|threads"
    r"|抖音|小红书|快手|视频号|朋友圈|微博|[Bb]站|哔哩哔哩|微信)+$"
)
