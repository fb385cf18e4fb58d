"""The parts of a request that no check can verify against the timeline, in the user's own words.

:mod:`asked` checks what the timeline can show (a length, a shape, no music, a volume, quoted
text); anything else a request asks ("a bit brighter", "only the two photos", "soft ambient
music" when the track is "Calm Piano") is nowhere in the timeline, so a clean diff says nothing
about it. Left unsaid, the answer reads as done and the assistant tells the user "done,
brighter". So the request is split into its asks (sentences; then commas, semicolons, a colon
that opens a list; then "and", "with", "和", "并且"), each ask is read by the router
(:func:`router.read_clause`) and by :mod:`asked`'s checks, and an ask that asks for a change but
that no check covers is listed as not checked. No word list decides that something landed:
words only say where an ask begins and what it asks; whether it is covered is always a look at
the timeline (a length, a frame, a track's name or volume, a video at all), else it is listed.
A missed split costs a longer quote, never a part read as done.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import asked
from .asked import Asked
from .naming import quoted
from .router import Kind, normalise, read_clause
from .timeline import Timeline

# Where one ask ends inside a sentence (outside brackets and quotes); a colon between digits is a
# ratio ("9:16"), a full stop between digits a decimal ("2.5 seconds").
_SENTENCE_END = frozenset(".!?。！？\n")
_ASK_END = frozenset(",，、;；:：")
_OPEN, _CLOSE = "([（【", ")]）】"
_QUOTE_PAIRS = {'"': '"', "“": "”", "「": "」", "『": "』", "《": "》", "«": "»"}
# Within an ask: the joiners between two asks said in one breath.
_JOINER = re.compile(
    r"(?i)\s*\b(?:and\s+then|and|plus|then|also|but)\b\s*|(?=\bwith(?:out)?\b)|和|并且|而且|然后|同时"
)
_LEADING = re.compile(
    r"(?i)^(?:\s|and\b|then\b|also\b|plus\b|but\b|please\b|pls\b|并且|而且|然后|同时|还有|另外)+"
)
_GREETING = re.compile(r"(?i)^(?:hi|hello|hey|good\s+(?:morning|afternoon|evening))\b|^(?:你好|您好|嗨|哈喽)")
# Words that only steer the talk ("by the way", "对了", "哦不对") or name the project the rest is
# for ("回到老房子那个视频", "back to the grandpa video"): no ask of their own.
_ASIDE = re.compile(
    r"(?i)^(?:(?:oh|ah|ok(?:ay)?|so|well|anyway|btw|by\s+the\s+way|actually|oops|one\s+more\s+thing"
    r"|(?:oh\s+)?wait|(?:oh\s+)?no\s+wait)[\s!.]*"
    r"|(?:(?:go|going|switch(?:ing)?)\s+)?back\s+to\s+(?:the\s+)?[\w' -]{1,40}?\s+(?:video|project|one)"
    r"|(?:switch|go)\s+to\s+(?:the\s+)?[\w' -]{1,40}?\s+(?:video|project)"
    # agreeing before the asks themselves ("OK fine, go ahead: …", "那行，就改吧：…")
    r"|(?:(?:ok(?:ay)?|fine|alright|sure|yes|yeah|right|then|so)[\s,]*)*"
    r"(?:ok(?:ay)?|fine|alright|sure|yes|yeah|go\s+ahead|do\s+it|let'?s\s+do\s+it|change\s+it)(?:\s+then)?)[\s!.]*$"
    r"|^(?:对了|哦不对|哦|啊|嗯|好吧|另外|还有|顺便(?:说一下|说下|提一下)?|话说|等等|等一下|不对)[！!。]*$"
    # A remark on the user's own step, a pause, "once more" beside the ask it repeats: no ask of
    # their own ("注册好了 做个15秒的视频", "等下 音乐换成钢琴曲", "再来一次 日落那张放最后": play25zh F7)
    # ("充好值了 招新那个标题改成…": the verb parted around 好, play28zh F21)
    r"|^(?:好了|好的)?[，,]?(?:我|我们)?(?:已经)?(?:(?:注册|充值|登录|登陆|上传|付款|付费|买|传|弄|搞)(?:好|完)"
    r"|充(?:好|完|上)值)了?"
    r"(?:啊|呀|哈|哦)?[！!。]*$"
    r"|^(?:等下|等一下|等等|稍等|稍等一下|等会|等会儿|等一会|先等等)[！!。]*$"
    r"|^(?:那|好|好吧|那就)?(?:再来一次|再来一遍|再试一次|再试一下|再试试|重来一次|重新来一次|重来)(?:吧)?[！!。]*$"
    r"|^(?:那|那就|就|好|好的|好吧|嗯|行|可以)*(?:行|好|可以|没问题|就这样|这么办|改吧|这样改吧|那样改吧|做吧|来吧)"
    r"(?:吧|啊|呀)?[！!。]*$"
    r"|^(?:回到|切回|切到|切换到|换到|回)[\u4e00-\u9fff\w ]{1,20}?(?:那个|这个)?(?:视频|项目|片子)$"
    # Why, for whom, where: "that's what the photographer asked for", "like it was", "on the
    # wedding video", "for the big screen at the reception".
    r"|(?i:^(?:that(?:'s|\s+is|\s+was)\s+what\s+.{1,40}?\s+(?:asked\s+for|wanted|wants|said|requested)"
    r"|(?:just\s+)?(?:like|as)\s+(?:it\s+was|before|it\s+used\s+to\s+be)(?:\s+before)?"
    r"|(?:on|in|for)\s+the\s+[\w'&. -]{1,40}?\s+(?:video|project|one|intro|outro|reel|clip|teaser|slideshow)"
    r"|for\s+(?:the|my|our)\s+(?:big\s+screen|reception|wedding|party|instagram|tiktok|phone|website|story)"
    r"(?:\s+at\s+the\s+[\w' -]{1,30})?"
    # "for the insta feed too", "for tiktok tho", "for our shop's page": where it goes (play22en F9)
    r"|for\s+(?:(?:the|my|our)\s+)?(?:insta(?:gram)?|ig|tiktok|youtube|yt|facebook|fb|reels?|stories|story|shorts"
    r"|feed|shop|store|website|site|page|channel)(?:'s)?(?:\s+(?:feed|story|stories|reels?|page|post|posts|channel"
    r"|account|profile|grid))?(?:\s+(?:too|as\s+well|also|tho|though))?)[\s!.]*$)"
)
# A clause that asks nothing: a project named by itself ("民宿那个", "横屏那个视频"), a reason or a
# complaint said beside the ask ("小红书上太长了没人看", "because nobody watches long ones").
_ZH_CHANGE_WORD = r"把|将|加|改|换|删|放|调|剪|缩|做|弄|变|挪|移|去掉|配|用|留|保|要"
_NOT_AN_ASK = re.compile(
    r"^(?:对|对对|嗯|是|就是)*[，,]?\s*(?!.*(?:" + _ZH_CHANGE_WORD + r"))[\u4e00-\u9fff\w ]{1,12}?"
    r"(?:那个|这个)(?:视频|项目|片子)?[！!。]*$"
    # "毕业旅行那个做吧": the video named, and go ahead (play23zh F7)
    r"|^[\u4e00-\u9fff\w ]{1,12}?(?:那个|这个)(?:视频|项目|片子)?(?:就)?(?:做|弄|搞|开始|来|开工)(?:一下)?"
    r"(?:吧|了|啊|呀|哈)*[！!。]*$"
    r"|^(?!.*(?:" + _ZH_CHANGE_WORD + r"))(?:.*(?:没人看|没人听|没人要|看不完|不爱看|刷不到|划走|没耐心"
    # "日出开场寓意好", "免得我搞混": why they ask, said beside it (play28zh F4)
    r"|寓意|图个吉利|免得|以免|省得)"
    r"|(?:因为|毕竟|不然|要不然|否则|反正)).*$"
    # "王姐喜欢安静点的": what a person they make it for likes, said as why (play28zh F4)
    r"|^[\u4e00-\u9fff]{0,3}(?:姐|哥|姨|叔|妈|爸|奶奶|爷爷|老师|大家|队长|老人|孩子|他|她|他们|她们|老公|老婆)"
    r"(?:都|比较|最|很|特别)?(?:喜欢|爱听|爱看)[\u4e00-\u9fff]{1,8}[！!。]*$"
    r"|(?i:^(?:because|since|cause|'cause)\b.*$|^.*\b(?:nobody|no\s+one)\s+(?:watches|will\s+watch|reads|cares|has\s+time)\b.*$)"
    # "新视频" (carried out before the request was sent), a bare yes ("对 音乐调到15"), and what the
    # video is ("这个是店里十周年的", "这个是给徒弟看的教程"): no change asked (play29zh F4, F5, F10)
    r"|^(?:新视频|新项目|新的视频|重新开始|对|对的|是的|嗯+)[！!。~]*$"
    r"|(?i:^(?:new\s+(?:video|project)|start\s+over)[\s!.]*$)"
    r"|^(?:这个|这|它)(?:视频)?(?:是|就是)(?!.*(?:"
    + _ZH_CHANGE_WORD
    + r"|不|别|没))[\u4e00-\u9fff\w ]{1,16}[！!。]*$"
)
# What the video is for ("发小红书", "发朋友圈用", "投信息流广告", "for TikTok"): a purpose, no ask
# (play22zh F10); a frame asked for it is read where it is said ("竖屏 发抖音").
_PURPOSE = re.compile(
    r"^(?:用来|拿来|要|好|准备|打算|是|主要)?(?:发|传|投|放|上|用在|用于)(?:到|在)?"
    r"(?:抖音|小红书|视频号|快手|朋友圈|B站|b站|微博|微信|信息流|tiktok|TikTok|Instagram|instagram|ins|Ins|YouTube|youtube)"
    r"(?:上|用|的|广告)*(?:吧|啊|呀|哈)?[！!。]*$"
    # "抖音招新用的": the platform and what for (play28zh F4)
    r"|^(?:抖音|小红书|视频号|快手|朋友圈|B站|b站|微博|微信)[\u4e00-\u9fff]{0,6}?(?:用的|用)[！!。]*$"
    r"|(?i:^(?:to\s+)?(?:post|share|put)\s+(?:it\s+)?(?:on|to)\s+(?:my\s+|our\s+)?"
    r"(?:instagram|insta|ig|tiktok|youtube|yt|facebook|fb|stories|reels|shorts)(?:\s+(?:feed|stories|story|reels?))?[\s!.]*$)"
)
# "whatever", "whatever you think", "up to you", "随便": the choice left to the one editing; it asks
# nothing a timeline could lack (play27en S3), and beside a noun ("whatever music you think") asks
# only for that thing, whichever it is.
_DEFER_WORDS = (
    r"(?:whatever|anything|any|up\s+to\s+you|your\s+call|your\s+choice|dealer'?s\s+choice|surprise\s+me"
    r"|you\s+(?:choose|pick|decide))"
)
_DEFER = re.compile(
    r"(?i)^(?:(?:ok(?:ay)?|so|just|honestly|idk|i\s+don'?t\s+care|don'?t\s+care)[\s,]+)*" + _DEFER_WORDS
    + r"(?:\s+(?:you\s+(?:think|want|like|prefer|feel\s+like)|works|is\s+fine|fits|is\s+best|goes"
    r"|you\s+think\s+is\s+best|you\s+think\s+fits|really))*[\s!.~]*$"
    r"|^(?:都行|随便|随意|你看着办|你决定|你来定|你定|无所谓|都可以)(?:吧|啦|了)?[！!。]*$"
)  # fmt: skip
# "ill check it first", "ive got more pics": the user's own doing, typed without an apostrophe
_FIRST_PERSON = re.compile(r"(?i)^(?:i|i'm|i've|i'd|im|ill|ive|we|we're|we've|my|our)\b|^我(?!来)")

# An ask that only asks for the video to be made ("make a video from these photos"): the timeline
# having a video answers it.
_MAKE_VIDEO = re.compile(
    r"(?i)^(?:(?:can|could|would)\s+you\s+)?(?:make|create|generate|produce|build|do|turn)\s+(?:me\s+)?"
    r"(?:(?:a|an|one|another|the|my|this|these|those|it)\s+)?(?:new\s+)?"
    r"(?:(?:video|reel|clip|slideshow|movie|short|one)\b)?"
    r"(?:\s*(?:from|of|with|using|out\s+of|into)\s+(?:(?:these|those|the|my|all|our)\s+)*"
    r"(?:(?:photos?|pictures?|images?|pics|clips|uploads|files|videos?|footage)\b)?"
    r"(?:\s+(?:into|as)\s+(?:a|an)\s+(?:video|reel|clip|slideshow))?)?\s*$"
    r"|^(?:请|帮我)?(?:再)?(?:用|把)?(?:这些|这几张|这几个|我的)?(?:照片|图片|素材|视频)?(?:做|生成|制作|剪|来)(?:成)?"
    r"(?:一个|一段|一支|一条|个|段|支|条)?(?:视频|短片|片子)?$"
    # "做个装修前后对比", "来一个旅行合集": the kind of video, met by a video (play22zh F10)
    r"|^(?:请|帮我)?(?:再)?(?:做|生成|制作|来|剪)(?:一个|一段|一支|一条|个|段|支|条)(?:(?!"
    + _ZH_CHANGE_WORD
    + r")[\u4e00-\u9fff]){0,8}?"
    r"(?:对比|对比视频|合集|短片|视频|片子|宣传片|相册|混剪|vlog|Vlog)$"
    # "before/after video of the kitchen reno": the kind of video, met by a video (play22en F3's
    # first request; as 做个装修前后对比)
    r"|(?i:^(?:a\s+)?before\s*[/&-]\s*after\s+(?:video|vid|reel|clip|slideshow|comparison)"
    r"(?:\s+(?:of|for)\s+(?:the|my|our|this)\s+[\w' -]{1,40})?$)"
)
# "那个视频太长了", "it's way too long": the length remarked on, beside a length that is checked
# (play23zh F7: listed as "can't be checked" beside 改成20秒, done as asked).
_TOO_LONG = re.compile(r"(?i)太长|太短|有点长|有点短|长了点|短了点|\btoo\s+(?:long|short)\b")
# "its too quiet", "音乐有点吵": the sound remarked on, beside a level that is checked (play26en F10)
_TOO_LOUD = re.compile(
    r"(?i)\btoo\s+(?:quiet|loud|soft|low|high)\b|\b(?:can'?t|cannot|barely)\s+hear\b"
    r"|太吵|有点吵|好吵|太小声|太大声|声音太小|声音太大|听不(?:清|见|到)"
)
# "make a birthday recap from these pics", "a little montage of our lake weekend from my photos":
# the kind of video (a word or three before its noun, never a look or a pace: "a brighter video",
# "a slower montage"), made from the user's photos; the timeline having them answers it (play23en
# F5, as "a 20 sec vertical teaser … from these pics" was).
_FROM_PHOTOS = re.compile(
    r"(?i)^(?:(?:can|could|would)\s+you\s+)?(?:(?:make|create|generate|produce|build|do|put\s+together)"
    r"\s+(?:me\s+)?)?(?:(?:a|an|one|another|my|our)\s+)?"
    r"(?:(?!\w+(?:er|est|ly)\b)(?!(?:fun|funny|cute|moody|cinematic|dramatic|emotional|sad|happy|calm|bright"
    r"|dark|warm|cool|fast|slow|upbeat|chill|epic|vintage|retro|aesthetic)\b)[\w'&-]+\s+){0,3}"
    r"(?:video|vid|reel|clip|slideshow|movie|film|recap|montage|teaser|trailer|highlights?|compilation"
    r"|collage|story|vlog)"
    r"(?:\s+of\s+(?:the|our|my|his|her|their)\s+[\w'&-]+(?:\s+[\w'&-]+){0,3}?)?"
    r"\s+(?:from|with|using|out\s+of)\s+(?:(?:these|those|the|my|all|our)\s+)+"
    r"(?:photos?|pictures?|images?|pics|uploads|files|shots)\s*$"
)
_MUSIC = re.compile(r"(?i)\b(?:music|song|songs|soundtrack|bgm|track|tune)\b|音乐|配乐|歌|曲")
_PERCENT = re.compile(r"(\d{1,3})\s*[%％]|百分之\s*(\d{1,3})")
# Words that ask for music and say nothing of which: such an ask is met by any music at all.
_MUSIC_GENERIC_EN = frozenset(
    (
        "with", "add", "put", "use", "some", "a", "an", "the", "free", "background", "music", "song",
        "songs", "soundtrack", "bgm", "track", "tune", "and", "please", "also", "in", "it", "to", "of",
        "change", "switch", "swap", "replace", "set", "make", "for", "instead", "kind", "something",
        "sth", "like",
        # "change the music back to the piano one": a track asked back by its style (play25en F9)
        "back", "one", "again", "go", "bring", "that",
        # "put the lofi music back on it": the way back, no style (play26en F19)
        "on", "before", "previous", "earlier",
        # "whatever music you think fits": the choice left open, no style (play27en S3)
        "whatever", "any", "you", "think", "want", "fits", "works", "best", "is", "pick", "choose",
        # "calm music pls": chat spellings of please, no style (play28en F11)
        "pls", "plz", "plse", "thx", "thanks", "tho",
    )
)  # fmt: skip
_MUSIC_GENERIC_ZH = re.compile(
    r"配上|加上|添加|加|配|背景|免费|音乐|配乐|的|一段|一首|一些|请|帮我|再|歌曲?|曲子"
)
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def _between_digits(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _pieces(sentence: str) -> list[tuple[str, str]]:
    """A sentence cut at ``_ASK_END`` outside brackets and quotes: (text, the mark that ended it)."""
    out: list[tuple[str, str]] = []
    depth, closing, start = 0, "", 0
    for i, ch in enumerate(sentence):
        if closing:
            if ch == closing:
                closing = ""
            continue
        if ch in _QUOTE_PAIRS:
            closing = _QUOTE_PAIRS[ch]
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _ASK_END and not _between_digits(sentence, i):
            out.append((sentence[start:i], ch))
            start = i + 1
    out.append((sentence[start:], ""))
    return [(text.strip(), mark) for text, mark in out if text.strip()]


def _sentences(prompt: str) -> list[str]:
    """Sentences; a Latin mark ends one only before a space or the end ("2.5 s", "clip.mp4"), and
    never inside quotes ("Thank you, Ms. Ortega") or after an abbreviation ("Dr. Patel", "e.g.")."""
    masked = asked.ABBREVIATION.sub(
        lambda m: "\0" * len(m.group(0)), asked._QUOTED.sub(lambda m: "\0" * len(m.group(0)), prompt)
    )
    out, start = [], 0
    for i, ch in enumerate(masked):
        inside = ch in ".!?" and i + 1 < len(masked) and not masked[i + 1].isspace()
        if ch in _SENTENCE_END and not inside:
            out.append(prompt[start : i + 1])
            start = i + 1
    out.append(prompt[start:])
    return [s.strip() for s in out if s.strip()]


def _tidy(text: str) -> str:
    return _LEADING.sub("", text).strip().rstrip(".!?。！？ ")


_OPENER = re.compile(r"[(（【\[]")
_CLOSER = re.compile(r"[)）】\]]")


def _mask_brackets(text: str) -> str:
    """``text`` with each bracket, from an opener to the first closer after it, masked out.
    Found by two searches per bracket rather than one regex: a regex retried at every opener of a
    prompt of openers and no closer rescans the rest each time (quadratic: 0.7 s at 8,000 "(")."""
    out, pos = [], 0
    while (opener := _OPENER.search(text, pos)) is not None:
        closer = _CLOSER.search(text, opener.end())
        if closer is None:
            break  # no closer after this opener, so none after any later one either
        out += [text[pos : opener.start()], "\0" * (closer.end() - opener.start())]
        pos = closer.end()
    return "".join(out) + text[pos:]


def _split(piece: str) -> list[str]:
    """One piece's asks, split at the joiners outside brackets and quotes."""
    masked = asked._QUOTED.sub(lambda m: "\0" * len(m.group(0)), _mask_brackets(piece))
    cuts = [0]
    for m in _JOINER.finditer(masked):
        cuts += [m.start(), m.end()]
    cuts.append(len(piece))
    parts = [piece[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2)]
    for i in range(len(parts) - 1, 0, -1):
        # "open with the sunrise one": the verb's own "with", never a second ask
        if _TAKES_WITH.search(parts[i - 1]) and re.match(r"(?i)\s*with\b", parts[i]):
            parts[i - 1 : i + 1] = [parts[i - 1] + parts[i]]
    return [p for p in (_tidy(x) for x in parts) if p]


_TAKES_WITH = re.compile(
    r"(?i)\b(?:(?:start|open|begin|lead|end|finish|close)(?:s|ing)?|kick(?:s|ing)?\s+off|wrap(?:s|ping)?\s+up)"
    r"(?:\s+(?:it|the\s+video|things)(?:\s+off)?)?\s*$"
)


def _wants_change(text: str) -> Kind:
    return read_clause(normalise(text)).kind


def _music_met(ask: str, tl: Timeline) -> bool:
    """Music asked for: met by any music when it names no style; by a track whose name plainly
    has one of the asked words ("upbeat" in "Upbeat Pop"); a volume by a track at it."""
    music = [seg for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments]
    names = [seg.name for seg in music if seg.name]
    volumes = [seg.volume for seg in music if seg.volume is not None]
    percent = _PERCENT.search(asked.zh_percents(ask))
    if percent:
        wanted = float(next(g for g in percent.groups() if g))
        return any(abs(v - wanted) <= 1 for v in volumes)
    style = _style(ask)
    if style is None:
        return False  # a style in Chinese words no track's (English) name can show
    if not style:
        return bool(names)
    return bool(_named(style, names))


# Chinese words for an instrument or a genre that a track's English name says in one word:
# "换成钢琴曲" is met by "Calm Piano". Moods (轻快, 舒缓) have no one word and stay unchecked.
_ZH_STYLE = {
    "钢琴": "piano", "吉他": "guitar", "小提琴": "violin", "大提琴": "cello", "爵士": "jazz", "摇滚": "rock",
    "古典": "classical", "电子": "electronic", "民谣": "folk", "嘻哈": "hip-hop", "流行": "pop",
    "弦乐": "strings", "尤克里里": "ukulele", "口琴": "harmonica", "鼓": "drums", "古筝": "guzheng",
}  # fmt: skip
_ZH_STYLE_FILLER = re.compile(
    r"换成|改成|换为|改为|换|改|用|曲子|曲|风格|风|类|那种|之类|一点|点|些|吧|了|成"
)


def _style(ask: str) -> frozenset[str] | None:
    """The style words an ask names for the music (lower case, as a track's name may have them);
    empty when it names none; None when it names one no track's name can show."""
    style = {w for w in _WORD.findall(ask.casefold()) if w not in _MUSIC_GENERIC_EN and not w.isdigit()}
    # "海边那个视频的音乐换成钢琴曲": the video named first is no style of its music
    ask = re.sub("^" + asked.ZH_VIDEO_NAMED, "", ask)
    zh = _MUSIC_GENERIC_ZH.sub("", re.sub(r"[^\u3400-\u9fff]", "", ask))
    for word, english in _ZH_STYLE.items():
        if word in zh:
            style.add(english)
            zh = zh.replace(word, "")
    if _ZH_STYLE_FILLER.sub("", zh):
        return None
    return frozenset(style)


def _named(style: frozenset[str], names: list[str]) -> list[str]:
    """The tracks whose own name has every style word ("upbeat electronic" is not "Upbeat Pop");
    not what the service adds to every name ("Calm Piano (free music)")."""

    def words(name: str) -> set[str]:
        found = set(_WORD.findall(re.sub(r"\(.*?\)", " ", name.casefold())))
        return found | {w.replace("-", "") for w in found}  # "lofi" for "Lo-fi Chill" (play24en F6)

    return [n for n in names if style <= words(n) or {w.replace("-", "") for w in style} <= words(n)]


def music_named(prompt: str, tl: Timeline) -> list[str]:
    """The tracks the request's music ask names by their style, shown by the timeline: "换成钢琴曲"
    with "Calm Piano" (a fact to say as asked, not a part left unchecked)."""
    names = [seg.name for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments if seg.name]
    found: list[str] = []
    for sentence in _sentences(asked._zh_gaps(prompt)):
        if not asked._is_request(sentence):
            continue
        for piece, _ in _pieces(sentence):
            for ask in _split(piece):
                if _MUSIC.search(ask) and not _PERCENT.search(ask) and (style := _style(ask)):
                    found += _named(style, names)
    return list(dict.fromkeys(found))


# --- music of another instrument or genre than asked ---------------------------------------------
# An instrument or a genre is one word in a track's name ("Calm Piano", "Lo-fi Chill"): a music ask
# that names one is contradicted by a track that names another of the same kind (an instrument for
# an instrument, a genre for a genre) and none asked: "calm acoustic guitar" and "Calm Piano".
# Across kinds nothing is judged ("jazz" may be played on a piano), nor a name that says neither.
_INSTRUMENTS: dict[str, tuple[str, ...]] = {
    "piano": ("piano", "pianos", "钢琴"),
    "guitar": ("guitar", "guitars", "吉他"),
    "violin": ("violin", "violins", "小提琴"),
    "cello": ("cello", "大提琴"),
    "ukulele": ("ukulele", "尤克里里"),
    "drums": ("drums", "drum", "鼓"),
    "saxophone": ("sax", "saxophone", "萨克斯"),
    "flute": ("flute", "长笛", "笛子"),
    "harp": ("harp", "竖琴"),
    "guzheng": ("guzheng", "古筝"),
}
_GENRES: dict[str, tuple[str, ...]] = {
    "lofi": ("lofi", "lo-fi", "lo fi", "低保真"),
    "jazz": ("jazz", "jazzy", "爵士"),
    "rock": ("rock", "摇滚"),
    "electronic": ("edm", "electronic", "electro", "techno", "dubstep", "电子"),
    "orchestral": ("orchestral", "orchestra", "classical", "symphonic", "cinematic", "古典", "交响", "管弦"),
    "hiphop": ("hip-hop", "hip hop", "hiphop", "rap", "嘻哈", "说唱"),
    "pop": ("pop", "流行"),
    "folk": ("folk", "民谣"),
    "country": ("country", "乡村"),
    "metal": ("metal", "金属"),
    "reggae": ("reggae", "雷鬼"),
    "light": ("light music", "easy listening", "轻音乐"),
    "acoustic": ("acoustic", "unplugged", "原声"),
}
# Light music is no other genre's opposite, only a loud one's; acoustic only electronic music's.
_LOUD = frozenset(("rock", "electronic", "hiphop", "metal"))
_ONLY_AGAINST = {"light": _LOUD, "acoustic": frozenset(("electronic",))}
# Genres that blend so often that one track's name may say either ("lo-fi jazz", "lo-fi hip hop",
# "electropop"): never each other's opposite.
_BLEND = frozenset(
    frozenset(pair)
    for pair in (
        ("jazz", "lofi"), ("lofi", "hiphop"), ("pop", "electronic"), ("rock", "metal"), ("folk", "country"),
        ("pop", "rock"), ("electronic", "hiphop"), ("pop", "hiphop"),
    )
)  # fmt: skip


def _families(text: str, table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The families ``text`` names (family -> the word as written)."""
    low = text.casefold()
    found: dict[str, str] = {}
    for family, words in table.items():
        for word in words:
            if word.isascii():
                hit = re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", low)
                start = hit.start() if hit is not None else -1
            else:
                start = low.find(word)
            if start >= 0:
                found.setdefault(family, text[start : start + len(word)])
    return found


def _other_style(ask: str, name: str) -> list[str]:
    """The instrument or genre words ``ask`` names that track ``name`` plainly is not."""
    own = re.sub(r"\(.*?\)", " ", name)
    missed: list[str] = []
    for table in (_INSTRUMENTS, _GENRES):
        wanted, found = _families(ask, table), _families(own, table)
        if not wanted or not found or set(wanted) & set(found):
            continue
        if any(frozenset((w, f)) in _BLEND for w in wanted for f in found):
            continue
        if any(f in wanted and not set(found) <= against for f, against in _ONLY_AGAINST.items()):
            continue
        if any(f in found and not set(wanted) <= against for f, against in _ONLY_AGAINST.items()):
            continue
        missed += list(wanted.values())
    return missed


def music_other(prompt: str, tl: Timeline) -> list[dict[str, Any]]:
    """The music asks (outside questions) naming an instrument or a genre that every music track on
    the timeline plainly is not: ``{"kind": "music_style_other", "asked": ["guitar"], "names":
    ["Calm Piano (free music)"]}``, a fact to say as not as asked."""
    names = [seg.name for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments if seg.name]
    found: list[dict[str, Any]] = []
    for ask in _music_asks(prompt):
        words = [_other_style(ask, n) for n in names]
        if names and all(words):
            asked_words = list(dict.fromkeys(w for ws in words for w in ws))
            found.append({"kind": "music_style_other", "asked": asked_words, "names": names[:3]})
    return found


def styles_asked(prompt: str) -> frozenset[str]:
    """The instruments and genres the request's music asks name ("calm acoustic guitar music":
    guitar), as families (``_INSTRUMENTS``, ``_GENRES``)."""
    return frozenset(
        family
        for ask in _music_asks(prompt)
        for table in (_INSTRUMENTS, _GENRES)
        for family in _families(ask, table)
    )


def _music_asks(prompt: str) -> list[str]:
    out: list[str] = []
    for sentence in _sentences(asked._zh_gaps(prompt)):
        if not asked._is_request(sentence):
            continue
        for piece, _ in _pieces(sentence):
            for ask in _split(piece):
                if (
                    (_MUSIC.search(ask) or _ZH_GENRE_MUSIC.search(ask))
                    and not _PERCENT.search(ask)
                    and not _NOT_WANTED.search(ask)
                    and not _FIRST_PERSON.match(ask)
                ):
                    out.append(ask)
    return out


# "爵士乐", "古典乐": music said by its genre alone.
_ZH_GENRE_MUSIC = re.compile(r"(?:爵士|古典|摇滚|电子|流行|民谣|乡村|交响)乐")
# "forget the guitar", "no piano", "不要钢琴": an instrument named to be left out; "the guitar music
# was nice": what was, not what is asked.
_NOT_WANTED = re.compile(
    r"(?i)\b(?:forget|no|not|without|don'?t|never|instead\s+of|rather\s+than|except|was|were|sounded|liked"
    r"|loved)\b|不要|别|不用|而不是|除了|刚才|之前"
)


# "Make it a bit longer, 15 seconds": a length said loosely beside the number that states it.
_LENGTH = re.compile(
    r"(?i)\b(?:longer|shorter|lengthen|shorten|extend|length|duration)\b|更长|长一点|长一些|加长|延长|短一点|短一些|缩短|时长"
)

# Words around a loose length that ask nothing more ("make it a bit longer", "把视频改长一点").
_GENERIC = re.compile(
    r"(?i)\b(?:make|it|a|an|the|video|clip|bit|little|lot|more|much|slightly|somewhat|please|just|also"
    r"|and|its|change|set)\b|把|视频|改|调|再|一点|一些|得|的|成|了|稍微|请|吧|就行|就好|就可以|啊|呀|也|就"
)


# "Make the music quieter, around 25%": a volume said loosely beside the number the music has.
_VOLUME = re.compile(
    # "at 10% like before": the level it had, asked again (play26en F19)
    r"(?i)\b(?:like|as)\s+(?:before|it\s+was)\b"
    r"|\b(?:quieter|louder|softer|volume|lower|higher|down|up|around|about|roughly|approximately"
    r"|at|to|the|music|song|track|most|max|maximum|tops|under|below|no more than|not above"
    r"|turn|bring|bit|little)\b|\d{1,3}\s*[%％]"
    r"|调(?:小|低|大|高|轻)(?:一)?(?:点|些)|音量|声音|小声|大声|轻一点|响一点|小一点|小点|小一些|低一点|大一点|音乐|配乐|左右|大概|大约|以下|以内|最多|至多|不超过"
    r"|低于|小于|不高于|调到|调成|降到|到|顺便|调小|调低|别太吵|不要太吵|别那么吵|不要那么吵|别太大声|不要太大声|调大|调高|提高|大点|大一些|小些|轻一些|轻点|低一些|太吵"
    r"|(?i:\b(?:a\s+lot|less\s+loud|lower|raise|reduce|boost|increase|decrease|loud|make)\b)"
    # "just bump it up to 25%" (play28en F9)
    r"|(?i:\b(?:bump|crank|pump|dial|knock)\b)"
    # "like 50%", "maybe 30%": the level said loosely (play22en F5)
    r"|(?i:\b(?:like|maybe|say|pls|plz)\b)"
    # "put it at 25%", "set it to 20%": the level of "it", judged as the music's (play27en S3)
    r"|(?i:\b(?:put|set|keep|have)\b)"
)


def _only_about(ask: str, words: re.Pattern[str], punctuation: str = " ,.!，。！") -> bool:
    """``ask`` says nothing but ``words``, generic ones ("make it a bit longer") and ``punctuation``."""
    return bool(words.search(ask)) and not _GENERIC.sub(" ", words.sub(" ", ask)).strip(punctuation)


# Words that ask for another track and say nothing of which ("use a different song", "换一首音乐").
_SWAP_WORDS = re.compile(
    r"(?i)\b(?:change|swap|switch|replace|use|pick|try|put|different|another|new|other|else|something"
    r"|track|song|tune|music|bgm|soundtrack|background|one|the|a|an|to|for|with|out|it|please|pls|some)\b"
    r"|换个|换首|换一首|换一个|换掉|换成?|改成|别的|其他|另一首|另外一首|另一个|一首|背景|音乐|配乐|歌曲?|吧|一下|新的|把|将|的"
)


def _checked(
    ask: str,
    tl: Timeline,
    length_stated: bool = False,
    volume_stated: bool = False,
    judged: frozenset[str] = frozenset(),
) -> bool:
    """Whether one of :mod:`asked`'s checks (or the quoted-text check) covers ``ask``.
    ``length_stated``/``volume_stated``: the request states a length / a music volume (limit)
    elsewhere, which a check compares with the timeline (as_asked or not_as_asked)."""
    stated = asked.read(ask)
    if asked.unsettled(stated, tl):
        return False  # "no music" on a timeline read in part: what was not read may have some
    if quoted(ask):
        # A quoted text is looked for in the whole draft; a place said for it is judged only
        # where it is the start or the end ("in the middle", "第5秒" can't be: not checked).
        outside = asked._QUOTED.sub(" ", ask)
        if stated.text_clip:  # "put 'X' when the summit shot shows up": judged where one clip is named
            return "text_clip" in judged
        placed = stated.text_at or stated.text_time or stated.text_span or stated.text_whole
        if asked.moved_quotes(ask) and not placed:
            return False  # "move 'X' a bit later": on screen says nothing of where it went (play25en F2)
        return bool(placed or stated.removed or not asked.PLACE.search(outside))
    if asked.only_files(ask) and stated == Asked():
        return bool(asked.files_on_timeline(ask, tl))  # "use sunrise.jpg and beach.jpg": the clips
    if (
        (stated.order or stated.sequence)
        and not asked.order_judged(stated, tl)
        and replace(stated, order=(), sequence=()) == Asked()
    ):
        return False  # "put the beach photo first" and no clip (or several) named "beach"
    if stated.uses and replace(stated, uses=()) == Asked():
        return "uses" in judged  # "with the city lights photo": judged against the clips and uploads
    if stated.keep_frame and replace(stated, keep_frame=False) == Asked():
        return "frame" in judged  # "keep the wide one": judged on the change, when there was a frame
    if stated.keep_title and replace(stated, keep_title=False) == Asked():
        return "title" in judged  # "开头的标题别动": judged on the change, when there was a title
    if stated.title_at and replace(stated, title_at=None) == Asked():
        return "title_at" in judged  # "put that title at the end": judged on the change (play22en F7)
    if stated.no_photos and replace(stated, no_photos=False) == Asked():
        return "no_photos" in judged  # "no photos": judged against the uploads (play27en S3)
    if stated.swap and replace(stated, swap=()) == Asked():
        return "swap" in judged  # "swap the 2nd and 3rd photo": judged on the change (play27en S3)
    if stated.drop_title and replace(stated, drop_title=False) == Asked():
        return "drop_title" in judged  # "remove the title": judged on the change (play26en F24)
    if stated.keep_text and replace(stated, keep_text=()) == Asked():
        return "keep_text" in judged  # "keep the Before one": judged on the change (play22en F9)
    if stated.keep_music and replace(stated, keep_music=False) == Asked():
        return "keep_music" in judged  # "keep the music": judged on the change (play25en F5)
    if stated.music_rel and replace(stated, music_rel=None) == Asked() and "volume" in judged:
        return True  # "a bit quieter": judged on the change
    if stated.new_music and replace(stated, new_music=False) == Asked():
        # "change the music to upbeat electronic": another track is checked, its style is not;
        # "music": the same track as before (judged on the change), not as asked
        if "music_swap" in judged and not _SWAP_WORDS.sub(" ", ask).strip(" ,.!，。！"):
            return True  # "swap the music", "换个音乐": another track is all it asks, and it is
        return "music" in judged or _music_met(ask, tl) or bool(music_other(ask, tl))
    if stated != Asked():
        return True
    if length_stated and _only_about(ask, _LENGTH):
        return True  # nothing but the length, which the stated number checks
    # "softer — 20% tops —", "调到百分之二十"
    if volume_stated and _only_about(asked.zh_percents(ask), _VOLUME, " ,.!，。！—-"):
        return True  # nothing but the music's volume, which the stated number checks
    if _MAKE_VIDEO.match(ask) or _FROM_PHOTOS.match(ask):
        return any(tr.kind == "video" and tr.segments for tr in tl.tracks)
    if _MUSIC.search(ask):
        # "calm acoustic guitar music" and "Calm Piano": not as asked (``music_other``), judged
        return _music_met(ask, tl) or bool(music_other(ask, tl))
    return False


# "a 10-second video of the beach in warm colours": a checked length may carry more asks after it.
_TAIL = re.compile(r"(?i)\s(?=(?:of|for|about|showing|using|from|in|at)\s)")


def _open_part(
    ask: str,
    tl: Timeline,
    length_stated: bool = False,
    volume_stated: bool = False,
    judged: frozenset[str] = frozenset(),
) -> str | None:
    """What of ``ask`` no check covers: all of it, the words after what a check read ("of the beach
    in warm colours" after "a 10-second video"), or None."""
    if not _checked(ask, tl, length_stated, volume_stated, judged):
        return ask
    stated = asked.read(ask)
    if quoted(ask) or stated == Asked() or replace(stated, seconds=None, shape=None) != Asked():
        return None  # covered as a whole (a quoted text, the video made, the music named, a volume)
    if asked.kept_length(ask):
        return None  # "keep it at 20 seconds": the length said whole, "at 20 seconds" no more ask
    for cut in _TAIL.finditer(ask):
        tail = ask[cut.end() :]
        if _ASIDE.match(tail) or _PURPOSE.match(tail):
            return None  # "a square version for the insta feed too": where it goes, no ask
        if _wants_change(tail) in (Kind.EDIT, Kind.DESCRIBE):
            return None if _checked(tail, tl) else tail
    return None


# A piece that is only a place for a text ("the last 3 seconds", "at the very end", "最后两秒").
_ONLY_PLACE = re.compile(
    r"(?i)^(?:(?:put|move|place|show)\s+(?:it|them|that)\s+)?(?:(?:at|in|to|for|during|over|near|towards?)\s+)?"
    r"(?:the\s+)?(?:very\s+)?(?:(?:last|final|first)\s+(?:\d{1,3}|few|couple(?:\s+of)?|two|three)\s+(?:seconds?|secs?|s)"
    r"|end|start|beginning)(?:\s+of\s+the\s+(?:video|clip))?(?:\s+instead)?\s*$"
    r"|^(?:把它|它)?(?:在|放在|放到|挪到|移到)?(?:视频的?)?(?:最后|开头|结尾|前|后)\s*(?:\d{1,3}|[一二两三四五六七八九十])?\s*秒?(?:钟)?$"
)


def _order_only(piece: str) -> bool:
    """``piece`` asks for a clip order and nothing else ("start with the beach photo", "swap the
    2nd and 3rd photo": never cut at its "and")."""
    stated = asked.read(piece)
    return (
        bool(stated.order or stated.sequence or stated.swap)
        and replace(stated, order=(), sequence=(), uses=(), swap=()) == Asked()
    )


def not_checked(prompt: str, tl: Timeline, judged: frozenset[str] = frozenset()) -> list[str]:
    """The asks of ``prompt`` (the user's words as sent) that want a change no check covers, in
    the user's words and order. Greetings, context ("I'm a yoga teacher"), questions, conditions
    and commands are not asks; a list's heading ("Make Morning Flow:") is its items'."""
    found: list[str] = []
    whole = asked.read(prompt)
    # A length or a music volume the request states is checked, met or not (as_asked or
    # not_as_asked says which): the loose words around it ("剪到", "a bit longer", "quieter") are
    # that same ask, never also "not checked".
    length_stated = whole.seconds is not None and tl.duration_s is not None
    percent = _PERCENT.search(asked.zh_percents(prompt)) if _MUSIC.search(prompt) else None
    music = [seg.volume for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments]
    # ``judged``: what was judged on the change ("volume": "a bit quieter" against the music's
    # volume before the request; "title": "keep the opening title" against the title before).
    volume_stated = "volume" in judged or (
        percent is not None
        and (
            whole.music_under is not None
            or whole.music_at is not None
            or float(next(g for g in percent.groups() if g)) in music
        )
    )
    sequenced = asked.sequence_judged(whole, tl)
    taken_back = asked.withdrawn(prompt)
    # "改回15秒 放在第3到6秒 标题保留": Chinese asks parted by a space are asks of their own
    for sentence in _sentences(asked._zh_gaps(prompt)):
        if not asked._is_request(sentence):
            continue
        pieces = _pieces(sentence)
        if len(pieces) > 1 and pieces[0][1] in ":：":
            pieces = pieces[1:]  # "Make X: a, b, c": the heading is said by its items
        # "lead with the beach shot": an order said whole, never cut before its "with"
        groups = [(text, [_tidy(text)] if _order_only(text) else _split(text)) for text, _ in pieces]
        kinds = [[_wants_change(a) for a in asks] for _, asks in groups]
        instruction = any(k in (Kind.EDIT, Kind.DESCRIBE) for ks in kinds for k in ks)
        for (text, asks), ks in zip(groups, kinds, strict=True):
            missed = [
                part
                for a, k in zip(asks, ks, strict=True)
                if not (
                    _GREETING.match(a)
                    or _FIRST_PERSON.match(a)
                    or _ASIDE.match(a)
                    or _NOT_AN_ASK.match(a)
                    or _PURPOSE.match(a)
                    or _DEFER.match(a)
                )
                # "forget the order", "sunrise looks kinda washed out": taken back, or a remark
                and asked.withdrawal(a) is None
                and not asked.remark(a)
                and not asked.zh_asks_whether(a)  # "这歌可不可以商用": a question, sent with it
                and not (length_stated and _TOO_LONG.search(a) and not asked.read(a).seconds)
                and not (volume_stated and _TOO_LOUD.search(a) and asked.read(a).music_at is None)
                and not _withdrawn_ask(a, prompt, taken_back)
                # "keep it on screen the whole vid" beside the title asked: judged with that text
                and not (whole.text_whole and asked.WHOLE_TIME.search(a))
                # "move 'X' to the end, the last 3 seconds": a place said again, judged with the text
                and not (whole.text_at and _ONLY_PLACE.match(a))
                # "加上字幕「下次见」，放在12到15秒": the quote's time, judged with it (play26zh F8)
                and not ((whole.text_time or whole.text_span) and asked.time_only(a))
                # "put that title at the end, not the start": where it is not to be, the same ask
                and not ((whole.text_at or whole.title_at) and asked.NOT_THERE.match(a))
                # "beach first, then sunrise, then forest": each clip of a sequence judged whole
                and not (sequenced and asked.sequence_item(a, whole))
                # A piece with no change word inside a sentence that asks for one is part of it
                # ("square, 10 seconds, only the two photos").
                and (k in (Kind.EDIT, Kind.DESCRIBE) or (k is Kind.OTHER and instruction))
                and (part := _open_part(a, tl, length_stated, volume_stated, judged)) is not None
            ]
            if missed and len(missed) == len(asks) > 1:
                found.append(_tidy(text))  # all of it unchecked: said whole, as the user said it
            else:
                found.extend(missed)
    return list(dict.fromkeys(found))


def _withdrawn_ask(ask: str, prompt: str, taken_back: dict[str, int]) -> bool:
    """``ask`` is of a topic the words take back after it ("open with sunrise … forget the order")."""
    if not taken_back:
        return False
    at = prompt.find(ask)
    stated = asked.read(ask)
    return any(
        at < end and any(getattr(stated, f) != getattr(Asked(), f) for f in asked.TOPIC_FIELDS.get(topic, ()))
        for topic, end in taken_back.items()
    )
