"""What a request verifiably asks of the timeline, from the user's words only, and whether the
timeline after the turn has it: no music, a length, a shape, a music volume (a limit or a level),
no text, which clip comes first or last, where a quoted text goes, a quoted text gone. Some asks
are judged on the change, the timeline before against the one after: the music quieter or louder,
the opening title kept.

An agent that ignores "no music" (and adds a track anyway) answers as if all went well; only the
timeline tells. These checks are deliberately narrow: a constraint is read only where the words
leave no doubt (a plain clause such as "no music", "6 seconds", "square", "不要音乐", "6 秒",
"方形"), never inside quoted text (a caption), a question, a condition, a negation of the
constraint itself, or a time span ("the first 3 seconds", "每张 2 秒"). Words that match nothing
ask nothing: a missed constraint costs less than a false alarm.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Any

from .naming import quoted, quoted_name, title_from
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
    # Quoted texts asked to go ("remove the 'My Video' title", "把“我的视频”删掉"): judged absent.
    removed: tuple[str, ...] = ()
    # Quoted texts asked to be replaced ("change 'A' to 'B'", "把「A」改成「B」"): not asked to be there.
    replaced: tuple[str, ...] = ()
    # "a bit quieter", "turn the music up", "音乐小一点", "调大声一点": "down" or "up", judged on
    # the change (the music's volume before and after), never on one timeline.
    music_rel: str | None = None
    # "keep the opening title", "开头的标题别动" (no quote: a quoted one is looked for as such):
    # judged on the change, the text at the start before the request against the one after.
    keep_title: bool = False
    # Quoted names of a project the words go to ("回到小满那个「视频 2」", "back to 'Holiday'"):
    # where the request is for, never text asked to be on screen.
    projects: tuple[str, ...] = ()
    # "sunrise first then beach then forest", "先日出再海滩最后森林": the user's words for clips in
    # the order asked; judged against the video track where each names one clip.
    sequence: tuple[str, ...] = ()
    # "with the city lights photo", "用上日出那张": a clip asked to be in the video, by the user's
    # word for it; judged against the video track (and the project's uploads).
    uses: tuple[str, ...] = ()
    # "keep the wide one for the website", "横版的也要留着": the video's frame as it was, asked to
    # stay; judged on the change (a project holds one video: a new frame replaces the old one).
    keep_frame: bool = False
    # A quoted text asked to appear at a time ("「洗澡前」改到第1秒出现", "show 'Before' at 1s"):
    # (text, seconds), judged against where the text starts on the text track.
    text_time: tuple[tuple[str, float], ...] = ()
    # A quoted text asked on screen over a span ("0到5秒显示「装修前」", "'Before' from 0 to 5 s"):
    # (text, from, to), judged against where it starts and ends on the text track.
    text_span: tuple[tuple[str, float, float], ...] = ()
    # "keep it on screen the whole vid", "title = 'X' for all 10 sec", "「X」全程显示": the quoted
    # text asked on screen from start to end (play26en F12)
    text_whole: tuple[str, ...] = ()
    # "put that title at the end (not the start)", "把标题放到最后": the title the timeline had
    # before the request, unquoted, asked at "start" or "end"; judged on the change (play22en F7).
    title_at: str | None = None
    # "keep the Before one", "keep the Fall Collection title": a text the timeline had before the
    # request, named unquoted, asked to stay; judged on the change (play22en F9).
    keep_text: tuple[str, ...] = ()
    # A quoted text asked on screen with a clip ("put 'Made it!' when the summit shot shows up", "show
    # 'Top' on the summit photo"): (text, the user's word for the clip, "start"|"during"); judged
    # against where that clip is on the video track (play25en F4).
    text_clip: tuple[tuple[str, str, str], ...] = ()
    # "keep the music", "actually keep the music": the music there asked to stay; judged on the
    # change (a track after the request, the one before where there was one: play25en F5).
    keep_music: bool = False
    # "just curious, dont change anything": nothing asked to change (judged on the change).
    no_change: bool = False
    # "remove the title", "把标题去掉" (unquoted): the title the timeline had before the request,
    # asked to go; judged on the change (play26en F24).
    drop_title: bool = False
    # "每张图4秒", "each photo 2 seconds": every clip's length on the video track (play26zh F7).
    clip_seconds: float | None = None


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
# A question without 吗: a clause ending in 不 ("能商用不"), or A不A ("能不能", "可不可以").
_ZH_TAG_QUESTION = re.compile(r"(?<![要别])不\s*(?=[？?，,。！!；;]|$)|([\u4e00-\u9fff])不\1")
_ZH_USE_NOUNS = re.compile(r"商用|使用|可用|能用|费用|用途")

# "Can you make …", "please make …": a polite opening before the request itself.
_EN_POLITE = (
    r"(?:(?:hey|hi|ok|okay|now|actually|oh|so|well|ugh|also|then|yeah|and)[\s,]+)?"
    r"(?:(?:ok|okay|now|actually|so|also|then)[\s,]+)?"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|please\s+|pls\s+)?"
)

# --- no music --------------------------------------------------------------------------------
_MUSIC_EN = r"(?:background\s+)?(?:music|soundtrack|bgm|song|songs)"
_EN_NO_MUSIC = re.compile(
    rf"(?i)(?<![\w'])(?:(?:no|zero)\s+(?:{_MUSIC_EN}|audio|sound)|without\s+(?:any\s+)?(?:{_MUSIC_EN}|audio|sound)"
    rf"|(?:don'?t|do\s+not|never)\s+(?:add|use|put\s+in|include|want|need)\s+(?:any\s+)?{_MUSIC_EN}"
    rf"|mute(?:d)?(?:\s+(?:it|everything|the\s+(?:music|video|audio|sound|bgm|whole\s+(?:thing|video))))?"
    # "remove the music", "get rid of all the music", "take the music out"
    rf"|(?:remove|delete|drop|kill|ditch|lose|cut|scrap|take\s+out|get\s+rid\s+of)\s+(?:all\s+)?(?:the\s+|any\s+|that\s+)?{_MUSIC_EN}"
    rf"(?:\s+(?:entirely|completely|altogether))?|take\s+(?:the\s+)?{_MUSIC_EN}\s+(?:out|off))"
)
# What may follow it for it to mean the whole video: the clause ends, or only softeners follow.
# (Signs may follow: "no music!!", "no music —", "no music 🙂".)
_EN_END = re.compile(
    r"(?i)^\s*(?:at\s+all|whatsoever|please|thanks|thank\s+you|in\s+it|on\s+it|this\s+time)?\s*[^\w\s\ue002]*\s*$"
)
_EN_NEGATED = re.compile(r"(?i)(?:\b(?:not|don'?t|do\s+not|never|no)\s+|\bun)$")
_EN_OTHER_AUDIO = re.compile(
    r"(?i)\b(?:voice|voiceover|voice-over|narration|sound\s+effects?|sounds?\s+of|sounds|sfx|ambient|ambience)\b"
    r"|\b(?:waves?|ocean|sea|rain|wind|birds?|crowd|natural|original|live|real|the)\s+sound\b"
)
_ZH_NO_MUSIC = re.compile(
    r"(?:不要|不用|不加|别加|不需要|不配|无|去掉|拿掉|删掉|删除|关掉)(?:任何)?(?:背景)?(?:音乐|配乐|bgm|BGM)|静音"
    # the music named first: "音乐也不要", "把音乐删掉", "背景音乐去掉吧", "音乐就不要了"
    r"|(?:背景)?(?:音乐|配乐|bgm|BGM)(?:也|就|都|全)?(?:不要|不用|不需要|去掉|拿掉|删掉|删除|关掉|取消|删了|去了|拿走)"
)
_ZH_END = re.compile(
    r"^\s*(?:了|吧|啊|哦|哈|喔|呀|谢谢|就好|就行|就可以|的(?:视频|版本|短片|片子))*\s*[^\w\s\ue002]*\s*$"
)
_ZH_NEGATED = re.compile(r"(?:不要|别|不|不用|无需|不必)(?:把|将)?$")
_ZH_OTHER_AUDIO = re.compile(
    r"(?:旁白|配音|人声|音效|解说|环境音|声音|原声|现场声|海浪声|水声|风声|雨声|鸟叫)"
)
# Audio the user will add themselves ("no music (I will add a voiceover)", "不要音乐（我自己配音）"):
# nothing the video itself is to have, so "no music" is still plainly asked.
# ("no music, I want the waves" wants audio in the video: not the user's own doing.)
_OWN_PART = re.compile(
    r"(?i)^\s*(?:(?:and|but|because|since|as|so)\s+)?(?:i|we)(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to"
    r"|'re\s+going\s+to|\s+are\s+going\s+to|\s+plan\s+to|\s+can|\s+shall)?\s+(?:later\s+)?"
    r"(?:add|record|do|dub|narrate|voice|put\s+in|use)\b|\b(?:myself|ourselves|my\s+own|our\s+own)\b"
    r"|^(?:因为|后期|之后|等下|回头|稍后)?(?:我|我们)(?:自己|会|来|后期|之后|回头|稍后)|我自己|自己(?:配|加|录|来)"
)
_ASIDE_CUT = re.compile(r"[,，、()（）;；:：]|\s[—–-]+\s|[—–]+")

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
_MUSIC_WORD = re.compile(r"(?i)音乐|配乐|音量|歌|\b(?:music|volume|song|bgm|soundtrack)\b")
_AT_MOST = re.compile(
    r"(?i)at\s+or\s+(?:below|under)|at\s+most|no\s+more|not\s+more|(?:no|not)\s+(?:higher|louder)"
    r"|not\s+(?:above|over)|up\s+to|不超过|不高于|不大于|最多|至多|以下|以内"
)
# "turn the music up to 30%" sets a level: it is not a limit.
_RAISE = re.compile(r"(?i)\b(?:turn|bring|raise|push|crank|pump|boost|increase|put)\b[^%]*\bup\s+to\b")

# --- music volume at N% -------------------------------------------------------------------------
# A level, not a limit: "lower the music to about 20%", "set the music volume to 20%", "turn the
# music up to 30%", "音量调到 20%", "把音乐调到 20% 左右". Met within VOLUME_TOLERANCE points.
# "at like 20%", "maybe 30%": a level said loosely (play22en F5)
_EN_ABOUT_WORD = r"(?:about|around|roughly|approximately|approx\.?|~|like|maybe|say|something\s+like)"
_EN_ABOUT = r"(?:" + _EN_ABOUT_WORD + r"\s*)?"
# The music by its instrument or kind: "soft piano at like 20%", "the guitar to 30%".
_EN_MUSIC_NOUN = r"(?:music|bgm|soundtrack|song|piano|guitar|violin|cello|ukulele|strings|beat|tune|melody)"
_EN_MUSIC_AT = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:(?:lower|set|turn|put|bring|drop|reduce|change|adjust|keep|raise"
    r"|increase|decrease|boost|have|bump|crank|dial|knock|pump)\s+)?(?:the\s+)?(?:(?:background\s+|[a-z]+\s+)?"
    + _EN_MUSIC_NOUN
    + r"(?:'s)?"
    r"(?:\s+volume)?|volume(?:\s+of\s+the\s+(?:music|song|bgm|soundtrack))?)\s+(?:(?:down|up|back)\s+)?(?:to|at)\s+"
    + _EN_ABOUT
    + r"(\d{1,3})\s*%(?:\s+volume)?(?:\s+or\s+so)?(?:\s+(?:please|pls|plz))?\s*[.!。！]?\s*$"
)
_ZH_MUSIC_AT = re.compile(
    r"^(?:再|并|然后|请|麻烦)?(?:帮我)?(?:把|将)?(?:(?:背景)?(?:音乐|配乐|bgm|BGM)(?:的)?(?:音量)?|音量)\s*"
    # "音乐小声点调到20%": which way, then the level it goes to
    r"(?:(?:再)?(?:小|低|轻|大|响|高)(?:声)?(?:一)?(?:点|些)\s*)?"
    r"(?:调到|调成|调至|降到|降低到|降至|调低到|调高到|提高到|升到|设为|设成|设置为|设置成|改成|改为|保持在|在|是|用)?\s*"
    r"(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*(?:左右|上下)?\s*(?:就好|就行|就可以|吧|即可)?\s*[。！]?\s*$"
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
    r"(?:\s*,?\s+(?:please|pls|plz|this\s+time|instead|obviously|of\s+course|definitely|for\s+sure"
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


def _uses(sentences: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            m = _EN_USES.search(clause)
            zh = None if m else _ZH_USES.match(clause)
            word = m.group(1) if m else zh.group("w") if zh else None
            if word:
                found.append(word.strip().replace("\u2024", "."))
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


def text_on_clip(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """Each quoted text asked with a clip, judged where one clip on the video track is named by
    the word and the text is on screen: "start" met when the text starts within half a second of
    the clip's start, "during" when it starts while the clip shows. ``met`` says which."""
    video = [seg for tr in tl.tracks if tr.kind == "video" for seg in tr.segments]
    out: list[dict[str, Any]] = []
    for text, word, how in asked.text_clip:
        clips = [seg for seg in video if _names_clip(word, seg.name)]
        span = _span(text, tl)
        if len({seg.name for seg in clips}) != 1 or span is None:
            continue
        clip = min(clips, key=lambda seg: seg.start_s)
        ends = clip.end_s if clip.end_s is not None else clip.start_s
        # "when it shows up": the text starts with the clip; "on it": while the clip shows
        met = abs(span[0] - clip.start_s) <= 0.5 if how == "start" else clip.start_s - 0.5 <= span[0] < ends
        found = f"{span[0]:g}-{span[1]:g}" if span[1] is not None else f"{span[0]:g}"
        clip_at = f"{clip.start_s:g}-{ends:g}"
        out.append(
            {
                "kind": "text_clip",
                "name": text,
                "clip": clip.name,
                "at": clip_at,
                "found": found,
                "how": how,
                "met": met,
            }
        )
    return out


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


def _text_timed(asked: Asked, tl: Timeline, met: bool) -> list[dict[str, Any]]:
    """Each quoted text asked at a time whose start is (``met``) or is not within the tolerance,
    and each asked over a span whose start and end are (or are not); a text nowhere on the text
    track is left to the quoted-text check."""
    out: list[dict[str, Any]] = []
    for text, at in asked.text_time:
        segs = _text_segments(text, tl)
        if not segs:
            continue
        nearest = min((seg.start_s for seg in segs), key=lambda s: abs(s - at))
        if (abs(nearest - at) <= TEXT_TIME_TOLERANCE) is met:
            out.append({"kind": "text_time", "name": text, "asked": at, "found": round(nearest, 1)})
    for text, at, until in asked.text_span:
        segs = [seg for seg in _text_segments(text, tl) if seg.end_s is not None]
        if not segs:
            continue  # nowhere, or its end unknown: not judged here
        best = min(segs, key=lambda seg: abs(seg.start_s - at) + abs((seg.end_s or 0) - until))
        ok = (
            abs(best.start_s - at) <= TEXT_TIME_TOLERANCE
            and abs((best.end_s or 0) - until) <= TEXT_TIME_TOLERANCE
        )
        if ok is met:
            span = f"{best.start_s:g}-{best.end_s:g}"
            out.append({"kind": "text_span", "name": text, "asked": [at, until], "found": span})
    length = tl.duration_s
    for text in asked.text_whole:
        segs = [seg for seg in _text_segments(text, tl) if seg.end_s is not None]
        if not segs or length is None:
            continue  # nowhere (the quoted-text check says so), or an end unknown: not judged
        best = max(segs, key=lambda seg: (seg.end_s or 0) - seg.start_s)
        ok = best.start_s <= TEXT_TIME_TOLERANCE and (best.end_s or 0) >= length - TEXT_TIME_TOLERANCE
        if ok is met:
            out.append({"kind": "text_whole", "name": text, "found": f"{best.start_s:g}-{best.end_s:g}"})
    return out


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
    return [q for q in quoted(prompt) if q not in going and q.casefold() not in names]


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
            # One that starts with the video is at its start, whatever its length: on a 3 s video
            # a caption at 0-3 s is never "at the end" (play25zh F5).
            met = any(
                seg.start_s > 0.5
                and ((seg.end_s or seg.start_s) >= length - 0.5 or seg.start_s >= length / 2)
                for seg in segs
            )
        else:
            met = any(seg.start_s <= 0.5 for seg in segs)
        seg = segs[0]
        span = f"{seg.start_s:g}-{seg.end_s:g}" if seg.end_s is not None else f"{seg.start_s:g}"
        out.append((text, where, span, met))
    return out


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
    r"|(?P<what2>[\u4e00-\u9fff]{1,8}?)(?:的事|这个|那个|这块)?(?:就|也|都)?"
    r"(?:算了|不用管了?|别管了?|不管了?|无所谓了?|不用了|不重要了?|随便吧?|不改了|不用改了?|不用调了?))(?:吧|了|啊)*\s*[。！]?\s*$"
)
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("order", re.compile(r"(?i)\b(?:order|ordering|sequence|reorder)\b|顺序|排序|先后")),
    ("music", re.compile(r"(?i)\b(?:music|song|soundtrack|bgm|track|volume)\b|音乐|配乐|歌|音量")),
    ("text", re.compile(r"(?i)\b(?:title|caption|text|subtitles?)\b|标题|字幕|文字")),
    ("seconds", re.compile(r"(?i)\b(?:length|duration)\b|时长|长度")),
    ("shape", re.compile(r"(?i)\b(?:frame|format|ratio|vertical|horizontal|square)\b|画幅|比例|竖屏|横屏")),
    # "字体算了不管了", "forget the font": the look of the letters (no check reads it)
    ("font", re.compile(r"(?i)\b(?:fonts?|typeface|font\s+size|text\s+size)\b|字体|字号|字的大小")),
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
    what = en.group("what") if en else (zh.group("what1") or zh.group("what2"))  # type: ignore[union-attr]
    if en is None and re.search(_ZH_CHANGE_VERBS, what):
        return None  # "把音乐删了就算了" is no withdrawal of the music
    return next((topic for topic, words in _TOPICS if words.search(what)), "")


_ZH_CHANGE_VERBS = r"把|将|加|改|换|删|放|调|剪|缩|做|弄|变|挪|移|去掉|配|用"


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


def remark(clause: str) -> bool:
    """``clause`` only remarks on the video ("sunrise looks kinda washed out", "lofi不太搭") or
    says what something is ("its our best seller"): no ask."""
    text = _QUOTED.sub(" ", clause)
    if (_EN_REMARK.match(text) or _EN_STATEMENT.match(text)) and not _EN_REMARK_ASKS.search(text):
        return True
    if _ZH_DISLIKE.match(text.strip()) or _EN_DISLIKE.match(text) or _ZH_LIKE.match(text.strip()):
        return True
    return bool(_ZH_REMARK.search(text)) and not _ZH_REMARK_ASKS.search(text) and not text.isascii()


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


# "lower the music a bit, to about 20%", "音乐小一点，20% 左右": the level is the music's.
_BARE_LEVEL = re.compile(
    # "…a bit louder, like 50%": the level said loosely, with no "to" (play22en F5)
    # "the piano music is too quiet now, bump it to 30%": "it" is the music the clause before named
    r"(?i)^\s*(?:(?:bump|set|turn|put|bring|crank|raise|lower|drop|dial|knock|pump|make)\s+it\s+)?"
    r"(?:(?:down|up)\s+)?(?:(?:to|at)\s+" + _EN_ABOUT + r"|" + _EN_ABOUT_WORD + r"\s*)"
    r"(\d{1,3})\s*%(?:\s+or\s+so)?(?:\s+(?:please|pls|plz))?\s*[.!]?\s*$"
    # "the music is too quiet, make it 40%": the level the music is to have, said with no "to"
    r"|(?i:^\s*(?:make|set|have|keep|put)\s+it\s+(?:" + _EN_ABOUT_WORD + r"\s*)?"
    r"(\d{1,3})\s*%(?:\s+volume)?(?:\s+or\s+so)?(?:\s+(?:please|pls|plz))?\s*[.!]?\s*$)"
    r"|^(?:调到|降到|调至|降至)?\s*(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*左右\s*[。！]?\s*$"
    # "音乐调小一点，到20%"
    # "音乐有点吵 调小点到20%吧": which way, then the level it goes to (play26zh F1)
    r"|^(?:(?:调|降|弄|放|再)?(?:小|低|轻|大|响|高)(?:声)?(?:一)?(?:点|些)?\s*)?"
    r"(?:调到|降到|调至|降至|到)\s*(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*(?:就好|就行|吧)?\s*[。！]?\s*$"
    # "at 10% like before": the level it had, asked again (play26en F19)
    r"|^\s*(?:(?:back\s+)?(?:to|at)\s+)(\d{1,3})\s*%\s+(?:like|as)\s+(?:before|it\s+was)(?:\s+please)?\s*[.!]?\s*$"
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


# --- the music quieter or louder ------------------------------------------------------------------
# "the piano music is too quiet now" asks it louder, "its way too loud" quieter (play24en F1): said of
# what is ("make sure it isnt too loud" says nothing of it).
_TOO = (
    r"(?:\bis|'s|\bits|\bare|\bwas)\s+(?:(?:way|a\s+bit|a\s+little|still|now|kinda|just|much)\s+){0,2}"
    r"too\s+WAY"
)
# Words that speak of sound by themselves ("quieter", "小声"), or beside the music ("lower the
# music", "音乐小一点"); a negation ("not louder", "别太大声") or a condition asks nothing.
_EN_DOWN = re.compile(
    r"(?i)\b(?:quieter|softer|less\s+loud|not\s+(?:so|as|too)\s+loud|turn(?:ed)?\s+(?:\w+\s+){0,3}?down"
    r"|turn\s+down|(?:lower|reduce|decrease|drop|bring\s+down)(?=\s+(?:the\s+)?(?:music|song|bgm|soundtrack|volume))"
    r"|" + _TOO.replace("WAY", "loud") + r")\b"
)
_EN_UP = re.compile(
    r"(?i)\b(?:louder|turn(?:ed)?\s+(?:\w+\s+){0,3}?up|turn\s+up|pump\s+up|crank\s+up"
    r"|(?:raise|boost|increase|bring\s+up)(?=\s+(?:the\s+)?(?:music|song|bgm|soundtrack|volume))"
    r"|" + _TOO.replace("WAY", "(?:quiet|soft|low)") + r")\b"
)
_EN_SOUND = re.compile(r"(?i)\b(?:music|song|bgm|soundtrack|volume|quieter|softer|louder|loud)\b")
_ZH_DOWN = re.compile(
    r"(?:别|不要)(?:太|那么)(?:吵|大声|响)|小一点|小一些|小点|小些|小声|调小|调低|降低|低一点|低一些|轻一点|轻一些|轻点"
    r"|弱一点|太吵"
    # "小一丢丢", "小一丁点": a tiny bit quieter (play26zh F6)
    r"|小一?(?:丢丢|丁点|咪咪|点点)"
)
_ZH_UP = re.compile(
    r"大一点|大一些|大点|大些|大声|调大|调高|提高|响一点|响一些|响点|高一点|大一?(?:丢丢|丁点|咪咪|点点)"
)
_ZH_SOUND = re.compile(r"音乐|配乐|音量|声音|bgm|BGM|小声|大声|吵")
_REL_FILLER = re.compile(
    r"(?i)再|稍微|稍|一点|一些|点|吧|了|就好|就行|调|得|的|\b(?:a|bit|little|please|more|even|just)\b|\s"
)
_REL_NEGATED = re.compile(
    r"(?i)(?:\b(?:not|don'?t|do\s+not|never|no)\s+(?:\w+\s+){0,3}$|(?:别|不要|不用|不)$)"
)


def _music_rel(sentences: list[str]) -> str | None:
    found: set[str] = set()
    for sentence in sentences:
        clauses = _clauses(sentence)
        for n, clause in enumerate(clauses):
            sound = _EN_SOUND.search(clause) or _ZH_SOUND.search(clause)
            # "音乐，小一点": the clause before names the music, this one says nothing else
            # ("音乐换成钢琴，字小一点" speaks of the text).
            bare = _REL_FILLER.sub("", _ZH_DOWN.sub("", _ZH_UP.sub("", clause)))
            near = n and _MUSIC_WORD.search(clauses[n - 1]) and not bare.strip(" .!。！")
            for way, patterns in (("down", (_EN_DOWN, _ZH_DOWN)), ("up", (_EN_UP, _ZH_UP))):
                for pattern in patterns:
                    for m in pattern.finditer(clause):
                        if (sound or near) and not _REL_NEGATED.search(clause[: m.start()]):
                            found.add(way)
    return found.pop() if len(found) == 1 else None


_EN_KEEP_TITLE = re.compile(
    r"(?i)^\s*(?:and\s+)?(?:please\s+)?(?:(?:keep|leave)\s+the\s+(?:opening\s+|original\s+|current\s+|existing\s+|first\s+)?"
    r"title(?:\s+(?:as\s+it\s+is|alone|unchanged|the\s+same|where\s+it\s+is|at\s+the\s+(?:start|beginning)|untouched))?"
    r"|(?:don'?t|do\s+not|never)\s+(?:\w+\s+)?(?:touch|change|move|remove|replace|swap|mess\s+with)\s+(?:the|my)\s+"
    r"(?:opening\s+|original\s+|first\s+)?title(?:\s+(?:again|this\s+time|either|at\s+the\s+(?:start|beginning)))?"
    r"|the\s+(?:opening\s+|original\s+|first\s+)?title\s+stays(?:\s+(?:as\s+it\s+is|the\s+same|put))?)"
    r"(?:\s+please)?\s*[.!]*\s*$"
)
_ZH_KEEP_TITLE = re.compile(
    r"^(?:再|并|然后|但|但是|不过)?(?:(?:开头|片头|原来|最前面|前面)的?)?标题(?:也|就|要|请)?"
    r"(?:别动|不要动|不动|保留(?:不动)?|留着|不变|不要改|别改|不用改|保持不变|保持原样|不要换|别换)"
    r"|^(?:再|并|然后|但|但是|不过)?(?:保留|别动|不要动|别改|不要改|不要换|别换)(?:(?:开头|片头|原来|最前面)的?)?标题"
    # "别又把开头标题给我换了", "别把标题换了", "不要再改标题了"
    r"|^(?:再|并|然后|但|但是|不过|还有)?(?:千万)?(?:别|不要|不准|不许|不能)(?:再|又)?(?:给我)?(?:把|将)?"
    r"(?:(?:开头|片头|原来|最前面|前面)的?)?标题(?:也|又|再)?(?:给我)?(?:换|改|动|删|换掉|改掉|删掉|去掉|弄没)(?:了|掉)?"
    r"|^(?:再|并|然后|但|但是|不过|还有)?(?:千万)?(?:别|不要|不准|不许|不能)(?:再|又)?(?:给我)?"
    r"(?:换|改|动|删|换掉|改掉|删掉|去掉)(?:开头|片头|原来|最前面|前面)?的?标题"
)


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
    r"(?:原来|之前|原版|现在|横屏|横版|竖屏|竖版|方形|正方形|16\s*[:：]\s*9|9\s*[:：]\s*16|[竖横](?=的))"
)
_ZH_KEEP_FRAME = re.compile(
    r"^(?:但|但是|不过|同时|并且|还有|另外)?(?:也|还)?(?:要)?(?:把)?(?:这个|那个)?" + _ZH_FRAME_WORD
    + r"(?:的)?(?:那个|这个|那版)?(?:版本|视频|版)?(?:也|还)?(?:要|得|请)?"
    r"(?:留着|保留|留下|留一份|保留一份|别删|不要删|别动|不要动|别覆盖|不要覆盖)(?:着)?(?:别动|不要动|不动)?"
    r"(?:吧|啊|哦|呀)?\s*[。！]?\s*$"
    r"|^(?:但|但是|不过|同时|并且|还有|另外)?(?:也|还)?(?:要)?(?:保留|留着|留下)" + _ZH_FRAME_WORD
    + r"(?:的)?(?:那个|这个)?(?:版本|视频|版)?(?:吧|啊)?\s*[。！]?\s*$"
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
_EN_SHAPES_FOR_KEEP: tuple[tuple[Shape, str], ...] = (
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
    + "|".join(words for _, words in _EN_SHAPES_FOR_KEEP)
    + r")\s+(?:one|version|video|vid|cut|format|edit|copy)\b"
)
_ZH_FRAME_VERSION = re.compile(
    r"(?:做|出|来|要|弄)(?:一个|一版|个|版)?(?P<shape>"
    + "|".join(words for _, words in _ZH_SHAPES_FOR_KEEP)
    + r")(?:的)?(?:版本|版|视频)"
)


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


def _frame_word_shape(word: str) -> Shape:
    for shape, words in (*_EN_SHAPES_FOR_KEEP, *_ZH_SHAPES_FOR_KEEP):
        if re.fullmatch(words, word, re.IGNORECASE):
            return shape
    return Shape.HORIZONTAL  # (unreachable: every word above is one of the shapes)


def frame_kept(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The video as it was asked to stay beside a new one ("keep the wide one"), judged on the
    change: the frame before against the one after (a project holds one video). ``met`` says
    whether the frame is still the one before; not judged without a frame before."""
    if not asked.keep_frame or before is None or not before.tracks_total:
        return None
    if not (before.width and before.height and after.width and after.height):
        return None
    was = [before.width, before.height, before.aspect_ratio]
    now = [after.width, after.height, after.aspect_ratio]
    met = shape_of(before.width, before.height) is shape_of(after.width, after.height)
    return {"kind": "version_replaced", "before": was, "found": now, "met": met}


# "不要再改标题了": this 再 means "again", not "and then" (which would split the clause).
_ZH_NOT_AGAIN = re.compile(r"(?<=不要|不准|不许|不能)再|(?<=别)再|(?<=千万别)再")


# --- a text asked to stay, or the title asked at a place (unquoted) --------------------------------
_TEXT_NOUN = r"(?:title|caption|heading|headline|label|subtitle|text)"
_EN_TITLE_AT = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:(?:put|move|place|have|show|set|shift|bring)\s+)?"
    r"(?:the|that|this|my|our)\s+(?:(?:main|opening|big|new|same|shop)\s+)?" + _TEXT_NOUN
    + r"(?:\s+(?:text|card))?\s+(?:at|to|for)\s+the\s+(?:very\s+)?"
    r"(?P<where>end|ending|back|start|beginning|front)"
    r"(?:\s+of\s+the\s+(?:video|clip|reel|slideshow))?"
    # "… not the start", "… instead of the beginning": where it is not to be, said again
    r"(?:\s*,?\s*(?:(?:and\s+)?not|instead\s+of|rather\s+than)\s+(?:at\s+)?the\s+(?:very\s+)?"
    r"(?:start|beginning|front|end))?(?:\s+instead)?(?:\s+(?:please|pls|plz))?\s*[.!。！]?\s*$"
)  # fmt: skip
_ZH_TITLE_AT = re.compile(
    r"^(?:请|麻烦|再|然后)?(?:帮我)?(?:把|将)?(?:那个|这个)?(?:标题|片名)(?:放|挪|移|调|改)(?:到|在)(?:视频的?)?"
    r"(?P<where>最后面?|结尾|末尾|开头|最前面?|最开始)(?:去)?(?:吧|就行|就好)?\s*[。！]?\s*$"
)
# Where a text asked at a place is not to be, said as a piece of its own ("…at the end, not the
# start", "放到最后，不要在开头"): the same ask, judged with it.
NOT_THERE = re.compile(
    r"(?i)^\s*(?:and\s+|but\s+)?(?:not|instead\s+of|rather\s+than)\s+(?:at\s+|in\s+)?the\s+(?:very\s+)?"
    r"(?:start|beginning|front|end)(?:\s+of\s+the\s+(?:video|clip))?\s*[.!]?\s*$"
    r"|^(?:不要|别|不是|而不是)(?:放)?(?:在)?(?:视频的?)?(?:开头|结尾|最前面|最后面?)\s*[。！]?\s*$"
)
_NOT_A_TEXT_NAME = (
    r"(?!(?:"
    + _FRAME_WORD[3:-1]
    + r"|opening|original|current|existing|first|old|same|other|last|new|previous"
    r"|whole|music|song|track|photo|picture|pic|clip|video|it|them|one|title|caption|text)\b)"
)
_EN_KEEP_TEXT = re.compile(
    r"(?i)^\s*(?:(?:and|but|also|please|pls)\s+)*(?:keep|leave|(?:don'?t|do\s+not|never)\s+"
    r"(?:remove|delete|touch|lose|drop|cut))\s+(?:the|that|this|my|our)\s+" + _NOT_A_TEXT_NAME
    + r"(?P<w>[\w'&-]+(?:\s+[\w'&-]+){0,2}?)\s+(?:one|title|caption|text|label|subtitle|heading)"
    r"(?:\s+(?:too|as\s+well|as\s+it\s+is|where\s+it\s+is|please|pls|tho|though"
    r"|(?:at|in)\s+the\s+(?:start|beginning|end|top|bottom)))*\s*[.!]*\s*$"
)  # fmt: skip
_ZH_KEEP_TEXT = re.compile(
    r"^(?:但|但是|不过|还有)?(?:把)?(?!开头|片头|原来|最前面|前面|之前|横|竖|方)(?P<w>[^\s，,。、的那这把]{1,12}?)"
    r"(?:的|那个|这个|这句|那句)?(?:字幕|文字|标题|字)(?:也|还)?(?:要)?"
    r"(?:留着|保留|别删|不要删|别动|不要动|不动)(?:吧|啊)?\s*[。！]?\s*$"
)


def _title_at(sentences: list[str]) -> str | None:
    found: set[str] = set()
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = _EN_TITLE_AT.match(clause) or _ZH_TITLE_AT.match(clause)
            if match is not None:
                where = match.group("where").casefold()
                last = where in ("end", "ending", "back") or where.startswith(("最后", "结尾", "末尾"))
                found.add("end" if last else "start")
    return found.pop() if len(found) == 1 else None


def _keep_text(sentences: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for sentence in sentences:
        for clause in _clauses(sentence):
            match = _EN_KEEP_TEXT.match(clause) or _ZH_KEEP_TEXT.match(clause)
            if match is not None:
                found.append(match.group("w").strip())
    return tuple(dict.fromkeys(found))


def _texts(tl: Timeline) -> list[Any]:
    return [seg for tr in tl.tracks if tr.kind == "text" for seg in tr.segments if seg.name]


def _the_title(tl: Timeline) -> str | None:
    """The text a request calls "the title" unquoted: the one text on the timeline, else the one
    at its start; None when that is not one text (not judged)."""
    names = list(dict.fromkeys(seg.name for seg in _texts(tl)))
    if len(names) > 1:
        names = list(dict.fromkeys(seg.name for seg in _texts(tl) if seg.start_s <= 0.5))
    return names[0] if len(names) == 1 else None


def title_placed(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The title asked at a place unquoted ("put that title at the end"), judged on the change: the
    title the timeline had before the request, where it is after it (``met`` says whether at the
    place asked); missing after it, said so. Not judged when the timeline before had no one title."""
    if asked.title_at is None or before is None or asked.text_at:
        return None
    name = _the_title(before)
    if name is None:
        return None
    if not any(seg.name.casefold() == name.casefold() for seg in _texts(after)):
        return {"kind": "quote_missing", "name": name, "met": False}
    placed = _text_placed(Asked(text_at=((name, asked.title_at),)), after)
    if not placed:
        return None
    text, where, span, ok = placed[0]
    return {"kind": "text_at", "name": text, "where": where, "found": span, "met": ok}


def texts_stay(asked: Asked, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """Texts asked to stay unquoted ("keep the Before one"), judged on the change: each word that
    names a text on the timeline before (its whole name, or whole words of it), still there after
    it or not (``met``). A word that names no text then is not judged."""
    if not asked.keep_text or before is None:
        return []
    out: list[dict[str, Any]] = []
    for word in asked.keep_text:
        wanted = word.casefold()
        pattern = re.compile(r"(?<![^\W_])" + re.escape(wanted) + r"(?![^\W_])")
        named = [
            seg.name
            for seg in _texts(before)
            if seg.name.casefold() == wanted or pattern.search(seg.name.casefold())
        ]
        if len(set(named)) != 1:
            continue
        now = {seg.name.casefold() for seg in _texts(after)}
        out.append({"kind": "text_stays", "name": named[0], "met": named[0].casefold() in now})
    return out


def removed_gone(asked: Asked, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """Quoted texts asked to go that a text track had before the request and none has after it:
    gone, said so, though a clip's name may still hold the words (a photo kitchen_before.jpg and
    the title "Before": play22en F4)."""
    if before is None or not after.read_whole:  # gone from the part read may be past it (A24-3)
        return []
    return [
        {"kind": "text_removed", "name": text}
        for text in asked.removed
        if _present(text, before) and not _present(text, after)
    ]


_EN_DROP_TITLE = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:and\s+)?(?:just\s+)?(?:remove|delete|drop|cut|get\s+rid\s+of|take\s+(?:out|off))\s+"
    r"(?:the|that|this|my)\s+(?:opening\s+|current\s+|old\s+)?(?:title|heading|headline)"
    r"(?:\s+(?:text|card))?(?:\s+(?:too|as\s+well|please|pls|then))*\s*[.!]*\s*$"
)
_ZH_DROP_TITLE = re.compile(
    r"^(?:再|并|然后|请|麻烦|帮我)*(?:把|将)?(?:开头的?|片头的?)?标题(?:给我)?(?:去掉|删掉|删了|删除|拿掉|去了|不要了)(?:吧|了)*[。！]?$"
    r"|^(?:再|并|然后|请|麻烦|帮我)*(?:去掉|删掉|删除|拿掉)(?:开头的?|片头的?)?标题(?:吧|了)*[。！]?$"
)


# "每张图4秒", "每张照片停留2秒", "each photo 2 seconds", "3 seconds per photo": each clip's length.
_CLIP_NOUN_EN = r"(?:photo|picture|pic|image|clip|shot|slide)s?"
_EN_CLIP_SECONDS = re.compile(
    r"(?i)\b(?:each|every|per)\s+"
    + _CLIP_NOUN_EN
    + r"\s+(?:(?:for|at|is|gets|lasts|shows\s+for)\s+)?(?:about\s+)?"
    r"(\d{1,2}(?:\.\d)?)\s*(?:-\s*)?(?:seconds?|secs?|s)\b"
    r"|\b(\d{1,2}(?:\.\d)?)\s*(?:-\s*)?(?:seconds?|secs?|s)\s+(?:per|for\s+each|each|a|an)\s+"
    + _CLIP_NOUN_EN
    + r"\b"
)
_ZH_CLIP_SECONDS = re.compile(
    r"每(?:一)?(?:张|个|段|幅)(?:图|照片|图片|片段|镜头|素材)?(?:都|就|各)?(?:停留|显示|放|是|为|播)?\s*"
    r"(\d{1,2}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*秒"
)


def _clip_seconds(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        for m in [*_EN_CLIP_SECONDS.finditer(sentence), *_ZH_CLIP_SECONDS.finditer(sentence)]:
            value = _zh_number(next(g for g in m.groups() if g))
            if value is not None and 0 < value <= 60:
                found.add(value)
    return found.pop() if len(found) == 1 else None


def _clip_lengths(tl: Timeline) -> list[float]:
    return [
        round(seg.end_s - seg.start_s, 1)
        for tr in tl.tracks
        if tr.kind == "video"
        for seg in tr.segments
        if seg.end_s is not None
    ]


def clip_seconds(asked: Asked, tl: Timeline) -> dict[str, Any] | None:
    """Each clip's length asked ("每张图4秒"), judged on the video track: ``met`` when every clip is
    within half a second of it; ``found`` the lengths there are."""
    lengths = _clip_lengths(tl)
    if asked.clip_seconds is None or not lengths:
        return None
    met = all(abs(n - asked.clip_seconds) <= 0.5 for n in lengths)
    found = sorted(set(lengths))[:4]
    return {"kind": "clip_seconds", "asked": asked.clip_seconds, "found": found, "met": met}


def title_dropped(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """A title asked to go ("remove the title"), judged on the change: the title before (the one
    text there was, else the one at the start) is on no text track after it (``met``), or still is."""
    if not asked.drop_title or before is None:
        return None
    texts = [seg for tr in before.tracks if tr.kind == "text" for seg in tr.segments if seg.name]
    names = {seg.name for seg in texts}
    title = next(iter(names)) if len(names) == 1 else next((s.name for s in texts if s.start_s < 0.5), None)
    if title is None:
        return None
    gone = not _present(title, after)
    return {"kind": "text_removed" if gone else "text_kept", "name": title, "met": gone}


def _keep_title(sentences: list[str]) -> bool:
    return any(
        _plainly(clause, _EN_KEEP_TITLE, _ZH_KEEP_TITLE)
        for sentence in sentences
        for clause in _clauses(_ZH_NOT_AGAIN.sub("又", sentence))
    )


def title_kept(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """A request to keep the opening title ("keep the title", "开头的标题别动"), judged on the
    change: the text at the start before the request is still at the start after it (by name);
    not judged when there was none. ``met`` says which."""
    if not asked.keep_title or before is None:
        return None

    def opening(tl: Timeline) -> list[str]:
        return [
            s.name
            for tr in tl.tracks
            if tr.kind == "text"
            for s in tr.segments
            if s.name and s.start_s <= 0.5
        ]

    was = opening(before)
    if not was:
        return None
    now = {n.casefold() for n in opening(after)}
    met = all(n.casefold() in now for n in was)
    return {"kind": "title_kept", "name": was[0], "met": met}


def volume_moved(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The music asked quieter or louder, judged on the change: the loudest music before and after
    (a known volume on both sides, else not judged). ``met`` says whether it moved that way."""
    if asked.music_rel is None or before is None:
        return None
    was, now = _music_volumes(before), _music_volumes(after)
    if not was or not now:
        return None
    old, new = max(was), max(now)
    met = new < old if asked.music_rel == "down" else new > old
    return {"kind": "volume_moved", "way": asked.music_rel, "before": old, "found": new, "met": met}


# --- the music asked to stay ---------------------------------------------------------------------
_EN_KEEP_MUSIC = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:(?:and|but|pls)\s+)*(?:just\s+)?(?:"
    r"(?:keep|leave)\s+(?:the\s+|this\s+|that\s+|my\s+)?(?:same\s+|current\s+|original\s+)?"
    + _MUSIC_EN + r"(?:\s+(?:in|on|as\s+it\s+is|as\s+is|where\s+it\s+is|then))?"
    r"|(?:don'?t|do\s+not|never)\s+(?:remove|delete|drop|cut|lose|touch)\s+(?:the\s+)?" + _MUSIC_EN
    + r"|(?:the\s+)?" + _MUSIC_EN + r"\s+(?:stays|can\s+stay|should\s+stay)"
    r")(?:\s+(?:too|as\s+well|after\s+all|please|pls|then))*\s*[.!]*\s*$"
)  # fmt: skip


def _keep_music(sentences: list[str]) -> bool:
    return any(_EN_KEEP_MUSIC.match(clause) for sentence in sentences for clause in _clauses(sentence))


def music_kept(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The music asked to stay ("keep the music"), judged on the change: a track after the request,
    one of those before where there were any. ``met`` says which."""
    if not asked.keep_music or before is None or not after.tracks_total:
        return None
    was, now = _music_names(before), _music_names(after)
    met = bool(now) and (not was or bool(was & now))
    return {"kind": "music_kept", "names": sorted(now)[:3], "met": met}


# --- another music track ------------------------------------------------------------------------
_EN_NEW_MUSIC = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:swap|change|replace|switch)\s+(?:out\s+)?(?:the\s+|this\s+|that\s+)?"
    r"(?:background\s+)?(?:music|song|soundtrack|bgm|track)(?:\s+out)?\s+(?:back\s+)?(?:for|to|with)\s+\S"
    # "go back to the piano one", "bring back the piano music", "put the piano track back": a track
    # used before, asked back (play25en F9; "音乐换回…" in 中文)
    r"|^\s*" + _EN_POLITE + r"(?:(?:go|switch|change|get)\s+back\s+to|bring\s+back|use)\s+(?:the\s+|that\s+)"
    r"(?!(?:background\s+)?(?:music|song|soundtrack|bgm|track)\b)[\w'-]+(?:\s+[\w'-]+){0,3}?\s+"
    r"(?:music|song|soundtrack|bgm|track|tune)(?:\s+again)?(?:\s+(?:please|pls))?\s*[.!]*\s*$"
    r"|^\s*" + _EN_POLITE + r"(?:put|bring)\s+(?:the\s+|that\s+)(?!(?:background\s+)?(?:music|song|bgm)\b)"
    r"[\w'-]+(?:\s+[\w'-]+){0,3}?\s+(?:music|song|soundtrack|bgm|track|tune)\s+back\b"
    # "swap the music", "use a different song", "switch to some lofi music": another track, said
    # without "for"/"to" (play-test gap 7: the swap that landed was never said as asked)
    r"|^\s*" + _EN_POLITE + r"(?:swap|change|replace|switch)\s+(?:out\s+)?(?:the\s+|this\s+|that\s+)?"
    r"(?:background\s+)?(?:music|song|soundtrack|bgm|track)(?:\s+out)?(?:\s+(?:please|pls))?\s*[.!]?\s*$"
    r"|^\s*" + _EN_POLITE + r"(?:(?:use|pick|try|put\s+on|get|find|go\s+with)\s+)?(?:a\s+|some\s+)?"
    r"(?:different|another|new|other)\s+(?:background\s+)?(?:music|song|soundtrack|bgm|track|tune)\b"
    r"|^\s*" + _EN_POLITE + r"(?:switch|change|swap)\s+(?:it\s+|over\s+)?to\s+(?:some\s+|a\s+)?"
    r"(?:[\w'-]+\s+){1,3}(?:music|song|soundtrack|bgm|track|tune)\b"
)
# "海边那个视频的音乐…", "民宿这个的配乐…": the video named before the ask, no part of it (play26zh F12)
ZH_VIDEO_NAMED = r"(?:[\u4e00-\u9fff\w ]{1,12}?(?:那个|这个)(?:视频|项目|片子)?的)"
_ZH_NEW_MUSIC = re.compile(
    r"^(?:再|并|然后|请|麻烦)?(?:把|将)?" + ZH_VIDEO_NAMED + r"?(?:背景)?(?:音乐|配乐|歌曲?|bgm|BGM)"
    r"(?:换成|改成|替换成|换为|改为)\S"
    # "换个音乐", "换首歌", "音乐换一首", "背景音乐换一下": another track, none named
    r"|^(?:再|并|然后|请|麻烦|帮我)?(?:换个|换首|换一首|换一个|换一下|换掉|换换)(?:别的|其他的?|新的)?(?:背景)?"
    r"(?:音乐|配乐|歌曲?|bgm|BGM)"
    r"|^(?:再|并|然后|请|麻烦|帮我)?(?:把|将)?(?:背景)?(?:音乐|配乐|歌曲?|bgm|BGM)"
    r"(?:换个|换首|换一首|换一个|换一下|换掉|换换|换成别的|换别的)"
    # "音乐换回刚才那个lofi的", "配乐改回之前那首": a track used before, asked back (play24zh F6)
    r"|^(?:再|并|然后|请|麻烦)?(?:把|将)?" + ZH_VIDEO_NAMED + r"?(?:背景)?(?:音乐|配乐|歌曲?|bgm|BGM)"
    r"(?:换回|改回|换回到|改回到|恢复成|用回)\S"
)
# "switch it back to the lofi song", "put the lofi music back on it": a track used before, named
# by its kind, asked back (play26en F3, F19); judged as any other track asked for.
_EN_MUSIC_BACK = re.compile(
    r"(?i)^\s*"
    + _EN_POLITE
    + r"(?:(?:switch|swap|change|turn|put|set|take)\s+(?:it|the\s+music|the\s+song|this)"
    r"\s+back\s+to\s+(?:the\s+|that\s+|my\s+)"
    r"|(?:put|bring)\s+(?:the\s+|that\s+|my\s+)(?=(?:[\w'-]+\s+){1,3}?(?:music|song|soundtrack|bgm|track|tune)\s+back\b))"
    r"(?!(?:background\s+)?(?:music|song|soundtrack|bgm|track)\b)[\w'-]+(?:\s+[\w'-]+){0,3}?\s+"
    r"(?:music|song|soundtrack|bgm|track|tune|one)\b"
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
    r"(?:\s+(?:from|of|with|without|for|about|using|showing|called|named|titled)\b.*)?(?:\s+please)?\s*[.!。！]?\s*$"
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
_EN_SHAPES: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"vertical|portrait|9\s*:\s*16"),
    (Shape.SQUARE, r"square|1\s*:\s*1"),
    (Shape.HORIZONTAL, r"horizontal|landscape|wide-?screen|wide|16\s*:\s*9"),
)
_ZH_SHAPES: tuple[tuple[Shape, str], ...] = (
    (Shape.VERTICAL, r"竖屏|竖版|竖向|9\s*[:：]\s*16"),
    (Shape.SQUARE, r"正方形|方形|1\s*[:：]\s*1"),
    (Shape.HORIZONTAL, r"横屏|横版|横向|宽屏|16\s*[:：]\s*9"),
)
_EN_SHAPE_CLAUSE = (
    r"(?i)^\s*" + _EN_POLITE + r"(?:(?:make|turn|change|switch|crop|format|put|bring|set)"
    r"\s+(?:it|the\s+video|this|everything|the\s+(?:[\w'&.-]+\s+){{1,4}}(?:video|one))\s+(?:back\s+)?(?:to\s+|into\s+)?"
    r"(?:a\s+)?"
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
    r"(?:\s+please)?\s*[.!。！]?\s*$"
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
    r"(?<=[\u4e00-\u9fff])(?<![张片图])[ \t\u3000]+(?![左上之内钟])(?!以[上下内外前后及])(?=[\u4e00-\u9fff])"
    r"|(?<=[张片图])[ \t\u3000]+(?![左上之内钟放挪移排])(?!以[上下内外前后及])(?=[\u4e00-\u9fff])"
    # "sunrise开头 city-lights放最后": a photo's name glued to the ask it opens starts a clause
    r"|(?<=[\u4e00-\u9fff])(?<![把将用以拿和跟与及是在从到])[ \t\u3000]+"
    r"(?=[A-Za-z][\w.\-]{0,40}[\u4e00-\u9fff])"
    r"|(?<=[点些的了吧啊呀哦])[ \t\u3000]+(?=\d)"
    # "改成10秒 0-5秒显示「A」", "1:1 15秒", "音乐调到20% 把beach.jpg放最后": a length or a level said
    # whole, then the next ask (play22zh F3, F9, F11)
    r"|(?<=秒)[ \t\u3000]+(?=\d)|(?<=\d)[ \t\u3000]+(?=\d{1,3}(?:\.\d)?\s*秒)"
    r"|(?<=[%％])[ \t\u3000]+(?![左上之内])(?!以[上下内外前后及])(?=[\u4e00-\u9fff])"
    # "方形版 1:1", "竖屏 15秒": a frame said, then a number of its own
    r"|(?<=[版屏形])[ \t\u3000]+(?=\d)|(?<=视频|片子|短片)[ \t\u3000]+(?=\d)"
    # "「洗澡前」在1秒的时候出现 「洗澡后」在8秒的时候出现": a quote after a finished ask opens another
    r"|(?<=[现示头尾后前掉面])[ \t\u3000]+(?=[「『“])"
    # "改短到8秒 「青岛三日」第2秒出现": a length said whole ("到/成/为/回 N秒"), never a span ("前3秒 「A」")
    r"|(?:(?<=[到成为回]\d秒)|(?<=[到成为回]\d\d秒)|(?<=[到成为回][一二两三四五六七八九十]秒)"
    r"|(?<=[到成为回][一二三四五六七八九]十秒)|(?<=[到成为回]十[一二三四五六七八九]秒))"
    r"(?<![\d秒]到\d秒)(?<![\d秒]到\d\d秒)(?<![\d秒]到[一二两三四五六七八九十]秒)[ \t\u3000]+(?=[「『“])"
    r"|(?<=秒)[ \t\u3000]+(?![左上以之内钟的长])(?=[\u4e00-\u9fff])"
    # after a quote only before a word that starts another ask ("把「A」 删掉" is one clause)
    r"|(?<=[」』》\"”])[ \t\u3000]+(?=然后|还有|另外|并且|同时|标题|再把|再将|最后把"
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


def _zh_gaps(text: str) -> str:
    """``text`` with a space that parts Chinese clauses made a comma (never inside a quote)."""
    text = _aliases(text)
    inside = [m.span() for m in _QUOTED.finditer(text)]
    text = _ZH_GAP.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in inside) else "，", text)
    inside = [m.span() for m in _QUOTED.finditer(text)]
    return _LATIN_GAP.sub(lambda m: m.group(0) if any(a < m.start() < b for a, b in inside) else "，", text)


# "…最后加一句「订房请私信」 对了这个背景音乐能商用吗", "make it 10 seconds, by the way is the music
# free?": an aside opens a sentence of its own, so a question after an edit leaves the edit an ask.
_ASIDE_OPENS = re.compile(
    r"[，,、\s]+(?=(?:对了|顺便问一下|顺便问下|顺便问问|顺便说一下|顺便|另外问一下|还有个问题|还想问一下|想问一下)"
    r"|(?i:(?:btw|by\s+the\s+way|also\s+quick\s+question|quick\s+question|one\s+more\s+question)\b))"
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
    return [s.strip() for s in _SENTENCE.findall(plain) if s.strip()]


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


def _no_music(sentences: list[str]) -> bool:
    return any(
        _plainly(clause, _EN_NO_MUSIC, _ZH_NO_MUSIC)
        for sentence in sentences
        # "no music, just the waves' sound": some audio is wanted, not checkable
        if not _other_audio(sentence)
        for clause in _clauses(sentence)
    )


def _other_audio(sentence: str) -> bool:
    """Some audio besides music is wanted in the video; not what the user will add themselves."""
    theirs = (part for part in _ASIDE_CUT.split(sentence) if not _OWN_PART.match(part.strip()))
    return any(_EN_OTHER_AUDIO.search(part) or _ZH_OTHER_AUDIO.search(part) for part in theirs)


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
        _EN_NEW_MUSIC.search(clause) or _ZH_NEW_MUSIC.search(clause) or _EN_MUSIC_BACK.search(clause)
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


def _seconds(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        for clause in _clauses(sentence):
            if (kept := _kept_seconds(clause)) is not None:
                found.add(kept)  # "keep it at 20 seconds": a length, though "at 20" reads as a point
                continue
            if made := _EN_MADE_INTRO.match(clause) or _ZH_MADE_INTRO.match(clause):
                found.add(float(made.group(1)))
                continue
            if _EN_SPAN.search(clause) or _ZH_SPAN.search(clause):
                continue  # a time point or a part: "the title for the first 3 seconds", "每张 2 秒"
            match = _EN_SECONDS.match(clause) or _ZH_SECONDS.match(clause)
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
    )
)  # fmt: skip
_EN_BY_AMOUNT = re.compile(r"(?i)\b(?:cut|trim|shorten|lengthen|extend|stretch)\b")
_EN_TO_NUMBER = re.compile(
    r"(?i)\b(?:to|at)\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|like\s+|~\s*)?\0"
)
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
        # "做一个 海边的视频": one ask, whatever space stands in it
        for sentence in _sentences(prompt, gaps=False)
        if _is_request(sentence)
    )


@lru_cache(maxsize=512)
def read(prompt: str) -> Asked:
    """The constraints ``prompt`` states (the user's words as sent, never the agent's). Cached: one
    answer reads the same words (and their pieces) many times; an ``Asked`` is immutable."""
    stated = _read(prompt)
    # "open with sunrise … ugh ok forget the order": what a part withdrew is not read at all; only
    # what the words ask of it after the withdrawal is.
    for topic, end in withdrawn(prompt).items():
        after = _read(prompt[end:])
        stated = dataclasses.replace(stated, **{f: getattr(after, f) for f in TOPIC_FIELDS.get(topic, ())})
    return stated


TOPIC_FIELDS: dict[str, tuple[str, ...]] = {
    "order": ("order", "sequence"),
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


def _read(prompt: str) -> Asked:
    sentences = [s.rstrip("?？ ") for s in _sentences(zh_percents(prompt)) if _is_request(s)]
    name: str | None = title_from(prompt)
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
    stated = read(prompt)
    if stated.seconds is not None or stated.clip_seconds is not None:
        return None  # "每张图4秒" asks the length too: each photo's seconds make it (play26zh F7)
    # "最后两秒" names seconds for a part, not the whole: a part's seconds ask for no length. Judged
    # clause by clause: "move the title to the last few seconds, and make it about 16 seconds long"
    # speaks of the length in its second clause, whatever the first says.
    for sentence in _sentences(prompt):
        for clause in _clauses(sentence):
            spans = _EN_SPAN.search(clause) or _ZH_SPAN.search(clause) or _PART_SECONDS.search(clause)
            if _LENGTH_WORDS.search(clause) and not spans:
                return None
    return {
        "kind": "length_unasked",
        "before": round(before.duration_s, 1),
        "found": round(after.duration_s, 1),
    }


# --- changes the words did not ask for ---------------------------------------------------------
# What an ask may reach, by kind: a request with any of these words may have asked for a change of
# that kind (loosely: "make it calmer" may mean other music), so only a request with none of them
# is said to have asked nothing of it. A missed unasked change costs less than a false alarm.
_MENTIONS_MUSIC = re.compile(
    r"(?i)\b(?:music|musical|songs?|soundtrack|bgm|tracks?|tunes?|audio|sounds?|beats?|melody|instrumental|piano"
    r"|guitar|lo-?fi|jazz|pop|rock|hip-?hop|edm|acoustic|mute[ds]?|volume|loud(?:er)?|quiet(?:er)?|soft(?:er)?"
    r"|upbeat|calm(?:er)?|chill|energetic|lively|mood|vibes?|feel(?:ing)?|atmosphere|tone|dramatic|relaxing"
    r"|happy|sad|emotional|epic|cinematic|festive|romantic|style|energy|exciting|fun|intense|gentle|peaceful"
    r"|soothing|cheerful|uplifting|groovy|funky|sentimental|nostalgic|spooky|dreamy|cozy|hype|party"
    r"|fade[ds]?|fading)\b|\d\s*[%％]|百分之|淡"
    r"|(?<!抖)音|乐|歌|曲|声|节奏|旋律|钢琴|吉他|欢快|轻松|氛围|感觉|激昂|动感|安静|浪漫|温馨|热闹|抒情|风格|情绪|活力|热血|燃|嗨"
    r"|温柔|治愈|伤感|怀旧|可爱|大气"
)
_MENTIONS_CLIPS = re.compile(
    r"(?i)\b(?:photos?|pictures?|pics?|images?|clips?|shots?|footage|scenes?|slides?|b-?roll|stock|media"
    r"|uploads?|uploaded|files?|videos|ones?|order|shuffle|rearrange|swap|remove|delete|drop|cut|trim"
    r"|shorten|lengthen|longer|shorter|length|duration|extend|seconds?|secs?|minutes?|only|intro|outro"
    r"|opening|ending|transitions?|effects?|logo|more|fewer|less)\b|\.(?:jpe?g|png|gif|webp|heic|mp4|mov|m4v|webm)\b"
    r"|照片|图|相片|素材|片段|镜头|画面|场景|顺序|删|去掉|拿掉|剪|只要|只用|秒|时长|长|短|片头|片尾|开场|结尾|转场|特效|多|少"
)
_MENTIONS_FRAME = re.compile(
    r"(?i)\b(?:vertical|horizontal|square|portrait|landscape|widescreen|aspect|ratio|frame|crop(?:ped)?|resolution"
    r"|size|format|orientation|rotate|tiktok|instagram|reels?|shorts|youtube|story|stories|phone|mobile|1080p?"
    r"|720p?|4k|hd)\b|\d\s*[:x×]\s*\d"
    r"|竖|横|方|比例|画幅|尺寸|分辨率|裁|抖音|小红书|快手|视频号|手机|旋转|画面"
)
_MENTIONS_TEXT = re.compile(
    r"(?i)\b(?:text|titles?|captions?|subtitles?|words?|heading|headline|overlay|labels?|names?|lettering"
    r"|font)\b|标题|字幕|文字|文案|片名|字"
)
# Words that leave the whole video to the agent ("start over", "undo that", "make it better"):
# any change may be what was asked.
_OPEN_ENDED = re.compile(
    r"(?i)\b(?:redo|undo|revert|start\s+over|from\s+scratch|different|better|improve|polish|enhance|fix"
    r"|professional|whatever|surprise|remix|rework|trailer|theme|aesthetic|vlog)\b"
    r"|\b(?:look|looks|feel|feels)\s+(?:more\s+)?like\b"
    r"|重做|重新|撤销|撤回|优化|更好|专业|随便|看着办|再来|像|大片|电影感|高级|预告"
)
# Words that put something back as it was: the whole video when the clause names no part of it
# ("put it back", "改回原来的样子"), only that part when it does ("put the title 'X' back at the
# start", "make it 20 seconds again": play24en F3, F5), so the rest is still judged.
_AS_BEFORE = re.compile(r"(?i)\b(?:again|previous|original|back|before)\b|恢复|还原|之前|原来|放回|改回")
# A part of the video a clause names: a quoted text (marked 「」 here), a word for text, music,
# clips, a length or a frame.
_A_PART = re.compile(
    r"(?i)「」|\b(?:titles?|captions?|texts?|subtitles?|logo|music|songs?|tracks?|bgm|soundtrack|volume"
    r"|photos?|pics?|pictures?|images?|clips?|length|duration|vertical|horizontal|square|portrait|landscape)\b"
    r"|\d\s*(?:seconds?|secs?|s|%)\b|\.(?:jpe?g|png|mp4|mov)\b"
    r"|标题|字幕|文字|片名|音乐|歌|音量|照片|图片|片段|时长|秒|竖|横|方形"
)
# "a vertical version of this": a version of the video there is an edit of it, not a new video.
_A_VERSION = re.compile(r"(?i)\bversions?\b|(?:竖屏|横屏|竖|横|方|新)版")


def _open_ended(prompt: str) -> bool:
    """Whether the words leave the whole video to the agent: an open word, or one that puts
    something back as it was in a clause that names no part of the video."""
    marked = _QUOTED.sub(" 「」 ", prompt)
    if _OPEN_ENDED.search(_QUOTED.sub(" ", prompt)):
        return True
    return any(
        _AS_BEFORE.search(clause) and not _A_PART.search(clause)
        for sentence in _sentences(marked)
        for clause in _clauses(sentence)
    )


def unasked(prompt: str, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """Changes the verified diff shows of a kind the words plainly did not mention: the music
    replaced, removed or added, its volume changed, clips dropped or added, the frame's shape
    changed, text on screen removed or changed, the length changed (:func:`length_unasked`).
    Each as a fact to be said ("the request said nothing of the music, but it was replaced")."""
    found: list[dict[str, Any]] = []
    if before is None or not before.tracks_total or not after.tracks_total:
        return found  # a video made from nothing: every track is the request's
    words = _QUOTED.sub(" ", prompt)
    if _open_ended(prompt) or (asks_for_a_video(prompt) and not _A_VERSION.search(words)):
        return found
    if not _MENTIONS_MUSIC.search(words):
        found += _music_unasked(before, after)
    if not _MENTIONS_CLIPS.search(words):
        found += _clips_unasked(before, after)
    if (
        not _MENTIONS_FRAME.search(words)
        and before.width and before.height and after.width and after.height
        and before.aspect_ratio != after.aspect_ratio
        and any(tr.segments_total for tr in before.tracks)
    ):  # fmt: skip
        found.append(
            {
                "kind": "frame_unasked",
                "before": [before.width, before.height, before.aspect_ratio],
                "found": [after.width, after.height, after.aspect_ratio],
            }
        )
    if not _MENTIONS_TEXT.search(words) and words == prompt:  # a quoted text is text asked for
        found += _text_unasked(before, after)
    else:
        found += text_gone(prompt, before, after)
    if (length := length_unasked(prompt, before, after)) is not None:
        found.append(length)
    return found


def _music_unasked(before: Timeline, after: Timeline) -> list[dict[str, Any]]:
    old, new = _music_names(before), _music_names(after)
    if old and not new and not _audio(after):
        return [{"kind": "music_unasked", "change": "removed", "names": sorted(old)[:3]}]
    if new and not old and not _audio(before):
        return [{"kind": "music_unasked", "change": "added", "names": sorted(new)[:3]}]
    if old and new and old != new:
        return [
            {
                "kind": "music_unasked",
                "change": "replaced",
                "before": sorted(old)[:3],
                "names": sorted(new)[:3],
            }
        ]
    if old != new:
        return []
    levels_before, levels_after = _levels(before), _levels(after)
    moved = [
        (levels_before[name], level)
        for name, level in levels_after.items()
        if name in levels_before and abs(levels_before[name] - level) > VOLUME_TOLERANCE
    ]
    if moved:
        old_level, new_level = max(moved, key=lambda pair: abs(pair[0] - pair[1]))
        return [{"kind": "volume_unasked", "before": old_level, "found": new_level}]
    return []


def _audio(tl: Timeline) -> bool:
    return any(tr.kind == "audio" and tr.segments_total for tr in tl.tracks)


def _levels(tl: Timeline) -> dict[str, float]:
    """Each named music segment's volume (percent; an unset volume is the default, 100)."""
    return {
        seg.name: 100.0 if seg.volume is None else float(seg.volume)
        for tr in tl.tracks
        if tr.kind == "audio"
        for seg in tr.segments
        if seg.name
    }


def _all_segments(tl: Timeline, kind: str) -> list[Any] | None:
    """Every segment of the ``kind`` tracks, or None when some were not kept (a huge draft)."""
    tracks = [tr for tr in tl.tracks if tr.kind == kind]
    if tl.tracks_total != len(tl.tracks) or any(tr.segments_total != len(tr.segments) for tr in tracks):
        return None
    return [seg for tr in tracks for seg in tr.segments]


def _only_in(first: list[Any], second: list[Any]) -> list[Any]:
    """Segments of ``first`` whose name ``second`` lacks (as many times as it lacks it)."""
    spare: dict[str, int] = {}
    for seg in second:
        spare[seg.name] = spare.get(seg.name, 0) + 1
    out = []
    for seg in first:
        if spare.get(seg.name, 0) > 0:
            spare[seg.name] -= 1
        else:
            out.append(seg)
    return out


def _clips_unasked(before: Timeline, after: Timeline) -> list[dict[str, Any]]:
    old, new = _all_segments(before, "video"), _all_segments(after, "video")
    if old is None or new is None:
        return []
    found: list[dict[str, Any]] = []
    for change, gone in (("removed", _only_in(old, new)), ("added", _only_in(new, old))):
        if gone:
            names = list(dict.fromkeys(seg.name for seg in gone if seg.name))[:3]
            found.append({"kind": "clips_unasked", "change": change, "n": len(gone), "names": names})
    return found


# Words that may ask for a text to go or to change ("删掉", "换成", "replace", "instead"): with
# any of them outside quotes, a text gone may be what was asked.
_TEXT_CHANGE_WORDS = re.compile(
    r"(?i)\b(?:remove|delete|drop|erase|replace|change|swap|switch|rename|retitle|edit|update|fix|correct"
    r"|instead|clear|hide|ditch|lose|kill|scrap|cut|get\s+rid|take\s+(?:out|off|away|down)|turn|only|just"
    r"|rewrite|new)\b|删|去掉|去除|拿掉|拿走|移除|撤|换|改|替|取消|不要|别要|变成|变为|更新|修|只|重写|新"
)


# What a clause says text is about: a quoted text or a word for one.
_TEXT_WORDS = re.compile(
    r"(?i)\b(?:titles?|captions?|texts?|subtitles?|headings?|headlines?|words?|taglines?|slogans?"
    r"|lettering)\b|标题|字幕|文字|文案|片名|标语|口号|字"
)


def _asks_text_change(prompt: str) -> bool:
    """Whether a clause about text (one with a quote or a word for text) asks for one to go or
    change: "改成每张3秒 最后加上「欢迎报名」" changes a length and only adds a text (play21zh: the
    title it replaced went unsaid because 改 stood elsewhere in the request)."""
    # "add a caption 'X' and turn the music down": a change word in a part joined by "and" is
    # that part's (play24en F4), never the caption's.
    for clause in re.split(r"[，,；;。！!？?\n]|\b(?:and|then|also|plus)\b|然后|并且|同时", _zh_gaps(prompt)):
        masked = _QUOTED.sub(" ", clause)
        if _TEXT_CHANGE_WORDS.search(masked) and (_QUOTED.search(clause) or _TEXT_WORDS.search(masked)):
            return True
    return False


# A quoted text asked as the title ("标题写「X」", "title: 'X'", "「X」做标题", "'X' as the title"):
# the title before may be what it replaces.
_AS_TITLE = re.compile(
    r"(?i)(?:标题|片名|\btitle\b|\bheading\b|\bheadline\b)[^「“\"'『\n]{0,4}[「“\"'『]"
    # "title should be 'X'", "the title needs to say 'X'" (play26en F20: said "not as asked")
    r"|\b(?:title|heading|headline)\s+(?:(?:should|must|shall|will|has\s+to|have\s+to|needs?\s+to|ought\s+to"
    r"|is\s+going\s+to|to)\s+(?:now\s+)?(?:be|say|read)|(?:is|reads|says)(?:\s+now)?)\s*:?\s*[「“\"'『]"
    r"|[」”\"'』]\s*(?:做|当|作|作为|当作)(?:为)?(?:大)?标题|[”\"'』]\s+as\s+(?:the\s+|a\s+)?(?:new\s+)?title"
)


def text_gone(prompt: str, before: Timeline | None, after: Timeline) -> list[dict[str, Any]]:
    """A text on screen gone, though the words only added or placed text ("把价格「X」加上 放在标题
    下面"): nothing in them asks for a text to go or change, and it was not quoted to go. Said as
    the fact it is, with what took its place ("「国庆住三送一」 was replaced by 「X」")."""
    if before is None or _asks_text_change(prompt) or _AS_TITLE.search(prompt):
        return []
    old, new = _all_segments(before, "text"), _all_segments(after, "text")
    if not old or new is None:
        return []
    stated = read(prompt)
    going = {t.casefold() for t in (*stated.removed, *stated.replaced)}
    gone = [seg for seg in _only_in(old, new) if seg.name and seg.name.casefold() not in going]
    if not gone:
        return []
    names = list(dict.fromkeys(seg.name for seg in gone))[:3]
    came = list(dict.fromkeys(seg.name for seg in _only_in(new, old) if seg.name))[:3]
    return [{"kind": "text_gone", "names": names, "by": came}]


def _text_unasked(before: Timeline, after: Timeline) -> list[dict[str, Any]]:
    old, new = _all_segments(before, "text"), _all_segments(after, "text")
    if not old or new is None:
        return []
    gone = _only_in(old, new)
    if not gone:
        return []
    came = _only_in(new, old)
    names = list(dict.fromkeys(seg.name for seg in gone if seg.name))[:3]
    if came:
        new_names = list(dict.fromkeys(seg.name for seg in came if seg.name))[:3]
        return [{"kind": "text_unasked", "change": "replaced", "before": names, "names": new_names}]
    return [{"kind": "text_unasked", "change": "removed", "names": names}]


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
    sequence = _sequenced(asked, tl)
    for word, where, clip in _placed(asked, tl):
        if clip is not None and clip[0] != clip[1]:
            if sequence is not None and not sequence[0] and (word, where) == (asked.sequence[0], "first"):
                continue  # said with the whole order below
            found.append({"kind": "order", "name": word, "where": where, "found": clip[1]})
    if sequence is not None and not sequence[0]:
        found.append({"kind": "sequence", "names": list(asked.sequence), "found": sequence[1][:8]})
    for text, where, span, ok in _text_placed(asked, tl):
        if not ok:
            found.append({"kind": "text_at", "name": text, "where": where, "found": span})
    found.extend(_text_timed(asked, tl, met=False))
    for text in asked.removed:
        if _present(text, tl):
            found.append({"kind": "text_kept", "name": text})
    if (each := clip_seconds(asked, tl)) is not None and not each.pop("met"):
        found.append(each)
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
    return all(clip is not None for _, _, clip in _placed(asked, tl)) and (
        not asked.sequence or _sequenced(asked, tl) is not None
    )


def sequence_judged(asked: Asked, tl: Timeline) -> bool:
    """The sequence ``asked`` states can be judged on ``tl``."""
    return _sequenced(asked, tl) is not None


_ITEM_LEAD = re.compile(
    r"(?i)^(?:(?:and|then|first|next|finally|after\s+that|followed\s+by)\s+)+|^(?:然后|再|接着|之后|最后|其次)"
)


def sequence_item(ask: str, asked: Asked) -> bool:
    """``ask`` (one piece of a request cut at commas and "then") only names a clip of the sequence
    ``asked`` states ("then sunrise", "forest last", "最后森林"): said with the sequence."""
    word = _ITEM_LEAD.sub("", ask.strip().rstrip(".!。！")).strip()
    for strip in (_EN_SEQ_STRIP, _ZH_SEQ_STRIP):
        for _ in range(3):
            word = strip.sub("", word).strip()
    return bool(word) and word.replace("\u2024", ".").casefold() in {w.casefold() for w in asked.sequence}


def _sequenced(asked: Asked, tl: Timeline) -> tuple[bool, list[str]] | None:
    """A sequence asked ("sunrise first then beach then forest"): whether the clips it names come
    in that order on the video track, with the track's clips in order (each name once); None where
    it can't be judged (a word names no clip or several, or two words the same clip)."""
    video = next((tr for tr in tl.tracks if tr.kind == "video" and tr.segments), None)
    if not asked.sequence or video is None or video.segments_total != len(video.segments):
        return None
    ordered = list(dict.fromkeys(seg.name for seg in sorted(video.segments, key=lambda seg: seg.start_s)))
    places: list[int] = []
    for word in asked.sequence:
        named = [i for i, name in enumerate(ordered) if _names_clip(word, name)]
        if len(named) != 1 or named[0] in places:
            return None
        places.append(named[0])
    return places == sorted(places), ordered


def _music_volumes(tl: Timeline) -> list[float]:
    """The known volumes (percent) of the music playing; a segment without one is not judged."""
    return [
        float(seg.volume)
        for track in tl.tracks
        if track.kind == "audio"
        for seg in track.segments
        if seg.volume is not None and seg.volume > 0
    ]


def unsettled(asked: Asked, tl: Timeline) -> list[str]:
    """The asks of ``asked`` that claim something is nowhere on the timeline (no music, no text,
    no music louder than a level, a quoted text gone), none found in what was read, on a timeline
    read only in part (a draft past ``MAX_TRACKS`` tracks or ``MAX_SEGMENTS`` segments a track,
    round 24 A24-3): what was not read may hold it, so these are "not checked", never "as asked".
    Each as its kind in :func:`met`; an ask found unmet in the part read stays that fact."""
    if tl.read_whole:
        return []
    missing = {str(item["kind"]) for item in unmet(asked, tl)}
    absent = (
        ("music", asked.no_music),
        ("text", asked.no_text),
        ("volume", asked.music_under is not None),
        ("volume_at", asked.music_at is not None),
        ("text_removed", any(not _present(text, tl) for text in asked.removed)),
    )
    return [kind for kind, said in absent if said and kind not in missing]


def met(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """The constraints the timeline already has, as facts (``{"kind": "seconds", "found": 25}``):
    a request that changed nothing may have found them done already. What only a whole read
    could show (:func:`unsettled`) is never among them."""
    if not tl.tracks_total:
        return []
    missing = {str(item["kind"]) for item in unmet(asked, tl)} | set(unsettled(asked, tl))
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
    sequence = _sequenced(asked, tl)
    for word, where, clip in _placed(asked, tl):
        if clip is not None and clip[0] == clip[1]:
            if sequence is not None and sequence[0] and (word, where) == (asked.sequence[0], "first"):
                continue  # said with the whole order below
            out.append({"kind": "order", "name": word, "where": where, "found": clip[1]})
    if sequence is not None and sequence[0] and "order" not in missing:
        out.append({"kind": "sequence", "found": sequence[1][:8]})
    for text, where, span, ok in _text_placed(asked, tl):
        if ok:
            out.append({"kind": "text_at", "name": text, "where": where, "found": span})
    out.extend(_text_timed(asked, tl, met=True))
    if asked.title is not None:
        wanted = asked.title.casefold()
        shown = (seg.name for tr in tl.tracks if tr.kind == "text" for seg in tr.segments if seg.name)
        if any(wanted in name.casefold() for name in shown):
            out.append({"kind": "title", "name": asked.title})
    for text in asked.removed if tl.read_whole else ():
        # a name still on a clip ("删掉「beach」" with beach.jpg on the track) is not said gone
        if not _present(text, tl) and not in_clip_names(text, tl):
            out.append({"kind": "text_removed", "name": text})
    if (each := clip_seconds(asked, tl)) is not None and each.pop("met"):
        out.append(each)
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


def music_swapped(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """Another track was asked for and the music after the turn is another one than before (by
    name): the swap landed, a fact to say as asked (its style, if one was asked, is not judged here)."""
    if not asked.new_music or before is None:
        return None
    names_before, names_after = _music_names(before), _music_names(after)
    if names_before and names_after and names_after != names_before:
        return {"kind": "music_swapped", "names": sorted(names_after)[:3], "was": sorted(names_before)[:3]}
    return None


def _music_names(tl: Timeline) -> frozenset[str]:
    return frozenset(seg.name for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments if seg.name)


# The user's own photos or clips, named in a request ("use the first photo only", "these pictures",
# "用我上传的照片"): outside quotes, not negated ("no photos", "without my clips", "不用照片").
# A request that says so, sent to a project holding none, would be made from nothing.
_EN_MEDIA = re.compile(
    r"(?i)(?<![\w-])(?:photos?|photographs?|pictures?|pics?|images?|clips?|footage|snaps(?:hots?)?|uploads?|"
    r"uploaded|attached|attachments?|selfies?|screenshots?)(?![\w-])"
)
# "the after shot", "her before snap", "Jess's group shot": a shot or snap someone's, or the one
# named, is a picture the user has (play-test 20); "a drone shot" or "the opening shot" is a shot
# of the video to make (see _EN_SHOT_MADE).
_EN_SHOT = re.compile(
    r"(?i)\b(?:the|my|her|his|their|our|your|these|those|this|that|\w+'s)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:shots?|snap)(?![\w-])"
)
# A shot of the video itself, not a picture the user has: "the opening shot", "a wide shot".
_EN_SHOT_MADE = re.compile(
    r"(?i)\b(?:opening|closing|final|first|last|end|ending|wide|drone|establishing|close-?up|tracking|"
    r"aerial|long|medium|title|slow-?motion|film|camera|cinematic|intro|outro)\s+(?:shots?|snap)$"
)
_EN_MEDIA_NEGATED = re.compile(
    r"(?i)\b(?:no|without|not|don'?t\s+(?:use|need|want)|no\s+need\s+for|skip|stock|ai|generated?)"
    r"\s+(?:[\w']+\s+){0,3}$"
)
# "a 5-second intro clip", "one short clip of waves": the thing to make, not the user's media.
# Not "a reel of the photos I sent": a word that points at them ("of", "the", "my") between.
_EN_MEDIA_MADE = re.compile(
    r"(?i)(?:\b(?:a|an|one|new)\s+"
    # "start over: 5 sec clip of ocean waves" (play26en F22: held and judged as if it spoke of
    # photos): a length before the word says the clip to make, as "a" does
    r"|(?:^|(?<!\bthe)(?<!\bmy)(?<!\bour)(?<!\bher)(?<!\bhis)(?<!\btheir)(?<!\bthat)(?<!\bthis)[\s:,;(—-])"
    r"\d{1,3}(?:\.\d)?\s*-?\s*(?:s|sec|secs|second|seconds)\s+)"
    r"(?:(?!(?:of|from|with|using|the|my|her|his|their|our|these|those)\s)[\w'-]+\s+){0,3}$"
)
# After the word: "no photos needed", "photos not needed".
_EN_MEDIA_NEGATED_AFTER = re.compile(
    r"(?i)^\s*(?:are\s+|is\s+)?(?:not\s+needed|not\s+required|needed:?\s*no)\b"
)
# "那张海边的", "这几张", "前后对比图", "我拍的", "我发的那几张图": pictures the user has (play-test 20).
_ZH_MEDIA = re.compile(
    r"照片|图片|相片|素材|截图|自拍|上传|附件|原片|[这那哪][一两三四五六七八九十几]?张|这些图|那些图|对比图"
    r"|(?:我|她|他|客户|你)(?:们)?(?:拍|录|发|传)的"
)
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
        (_EN_SHOT, _EN_MEDIA_NEGATED, _EN_MEDIA_NEGATED_AFTER, _EN_MEDIA_MADE),
        (_ZH_MEDIA, _ZH_MEDIA_NEGATED, _ZH_MEDIA_NEGATED_AFTER, None),
    ):
        for m in pattern.finditer(text):
            if pattern is _EN_SHOT and _EN_SHOT_MADE.search(m.group(0)):
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            if negated.search(before) or after.match(text[m.end() : m.end() + 20]):
                return False  # the user said not to use their media
            if made is None or not made.search(before):
                asked = True
    return asked


# A file named in the words ("use sunset.jpg for the opening", "用 海边.png 做结尾"): a name and one
# of the extensions people upload. Quoted or not: a caption rarely ends in ".jpg".
_EXTENSION = r"\.(?:jpe?g|png|gif|webp|heic|heif|bmp|tiff?|mp4|mov|m4v|avi|mkv|webm|mp3|wav|m4a|aac|flac|ogg)"
_FILE_NAME = re.compile(
    r"(?i)(?<![\w.\-])([^\s\"'“”‘’「」『』《》<>,，。；;:：()（）\[\]\0]{1,80}?"
    + _EXTENSION
    + r")(?![A-Za-z0-9_]|\.[A-Za-z0-9])"
)
_QUOTED_FILE = re.compile(r"(?i)^[^\n]{1,80}" + _EXTENSION + r"$")
# A Chinese verb written against a Latin file name ("用sunset.jpg"): not part of the name.
_CJK_LEAD = re.compile(r"^[\u3400-\u9fff]+(?=[A-Za-z0-9_])")
# "把forest.jpg换成sunrise.jpg": a Chinese word written against a Latin name parts the two.
_CJK_THEN_LATIN = re.compile(r"(?<=[\u3400-\u9fff])(?=[A-Za-z0-9_][^\s\u3400-\u9fff]*" + _EXTENSION + r")")


def files_named(prompt: str) -> list[str]:
    """The file names the words name, in order, each once."""
    quoted = [m.group(0)[1:-1].strip() for m in _QUOTED.finditer(prompt)]
    names = [q for q in quoted if _QUOTED_FILE.match(q)]  # "My Trip 1.mov": spaces and all
    masked = _QUOTED.sub(
        lambda m: "\0" * len(m.group(0)) if _QUOTED_FILE.match(m.group(0)[1:-1].strip()) else m.group(0),
        prompt,
    )
    masked = _CJK_THEN_LATIN.sub(" ", masked)
    names += [_CJK_LEAD.sub("", m.group(1)) for m in _FILE_NAME.finditer(masked)]
    bare = (re.split(r"[\\/]", n)[-1] for n in names)
    return list(dict.fromkeys(n for n in bare if n and not n.startswith(".")))


def files_on_timeline(prompt: str, tl: Timeline) -> list[str]:
    """The files a plain ask to use them names ("use sunrise.jpg and beach.jpg", never "don't use
    x.jpg"), when every one of them is a clip on the timeline's video track; else [] (one missing
    is told by :func:`no_such_file`, or not at all)."""
    pieces = re.split(r"[!?。！？;；:：\n，,]|\.(?![A-Za-z0-9])", prompt)
    named = list(dict.fromkeys(n for piece in pieces if only_files(piece) for n in files_named(piece)))
    clips = [seg.name for tr in tl.tracks if tr.kind == "video" for seg in tr.segments if seg.name]
    on = [n for n in named if any(_base(n) == _base(c) or _names_clip(n, c) for c in clips)]
    return on if named and len(on) == len(named) else []


# "用我上传的花束照片", "use the photos I uploaded": the uploads asked for as a whole; a part of them
# ("只用第一张", "just one of my photos", "两张") is never read as all of them.
_SOME_OF_THEM = re.compile(
    r"(?i)\d|只|仅|第|那张|这张|一张|两张|几张|哪|除了|别|不|\b(?:only|just|first|last|one|two|some|few|except|without"
    r"|no|not|don'?t|which|any)\b"
)


# What else a piece asks beside the uploads ("a 10 s video from my photos with piano music",
# "用我的照片做一个10秒的视频"): a length, a frame or a level, and what follows "with"/"配", is
# no word on how many of them (play25 gap 2: the "10" read as "some of them").
_MEASURE = re.compile(
    r"(?i)\d+(?:\.\d+)?\s*-?\s*(?:seconds?|secs?|s|minutes?|mins?|%|％|秒钟?|分钟|p)(?![A-Za-z])"
    r"|\d{1,2}\s*[:：]\s*\d{1,2}|\d{3,4}\s*[x×*]\s*\d{3,4}|\b\d?k\b"
)
_MEDIA_JOINER = re.compile(r"(?i)\b(?:with|and|plus|then|set\s+to)\b|配上?|加上|然后|再加")


def uploads_on_timeline(prompt: str, tl: Timeline, uploaded: tuple[list[str], int]) -> list[str]:
    """The video track's clips, when the words ask for the user's uploads as a whole and every
    upload (all names known) is a clip there; else [] (play24zh F7)."""
    names, total = uploaded
    if not names or total != len(names) or not speaks_of_own_media(prompt):
        return []
    pieces = re.split(r"[!?。！？;；\n，,]+|\.(?![A-Za-z0-9])", _QUOTED.sub(" ", _zh_gaps(prompt)))
    asks = [a for p in pieces for a in _MEDIA_JOINER.split(p) if speaks_of_own_media(a)]
    if not asks or any(_SOME_OF_THEM.search(_MEASURE.sub(" ", a)) for a in asks):
        return []
    clips = [seg.name for tr in tl.tracks if tr.kind == "video" for seg in tr.segments if seg.name]
    on = [c for n in names for c in clips if _base(n) == _base(c) or _names_clip(n, c)]
    if not all(any(_base(n) == _base(c) or _names_clip(n, c) for c in clips) for n in names):
        return []
    return list(dict.fromkeys(on))


# An ask that only names the files to use: "use sunrise.jpg and beach.jpg", "just city-lights.jpg",
# "用 sunrise.jpg 和 beach.jpg": met when they are the clips on the timeline.
_USE_FILES = re.compile(
    r"(?i)^\s*(?:(?:please\s+)?(?:use|with|just|only|include|add|put\s+in)\s+(?:(?:the|my|only|just)\s+)*"
    r"|(?:再|并|然后|请)?(?:只|就)?(?:用|使用|加上|加入|放上|放进)\s*)?"
    r"(?:[^\s,，、和]+" + _EXTENSION + r"(?:\s*(?:,|，|、|和|及|以及|and|&|\+)\s*)?)+"
    r"(?:\s+(?:only|too|as\s+well|please))?(?:(?:就行|就好|吧|即可|这两张|这几张|这张|两张|照片))*\s*[.!。！]?\s*$"
)


def only_files(ask: str) -> bool:
    """``ask`` says nothing but which files to use."""
    return bool(_USE_FILES.match(ask))


def _base(name: str) -> str:
    return re.split(r"[\\/]", name.strip())[-1].casefold()


def no_such_file(prompt: str, uploaded: list[str], total: int, tl: Timeline) -> dict[str, Any] | None:
    """The words name a file this project was never sent (``uploaded``: the names of all
    ``total`` of its uploads) and the timeline has no clip of that name either: the fact, with
    what was uploaded. Not judged when some uploads' names are unknown here."""
    if total > len(uploaded):
        return None
    have = {_base(n) for n in uploaded}
    have |= {_base(seg.name) for tr in tl.tracks for seg in tr.segments if seg.name}
    missing = [n for n in files_named(prompt) if _base(n) not in have]
    if not missing:
        return None
    return {"kind": "no_such_file", "names": missing[:5], "uploaded": uploaded[:10], "total": total}


# --- files and clips a request wants on, or off, the video track ---------------------------------
# "replace the AI scene with forest.jpg then sunrise.jpg", "swap the AI clip for forest.jpg", "use
# a.jpg and b.jpg", "把AI那段换成forest.jpg": the files named are wanted on the timeline, the clip
# replaced is wanted off it. A file named as the one to go ("replace forest.jpg with …", "remove
# a.jpg", "don't use b.jpg", "without c.jpg") is not wanted; a question or a condition asks nothing.
_EN_GOES = re.compile(
    r"(?i)\b(?:replace|substitute|swap(?:\s+out)?|switch\s+out|remove|delete|take\s+out|get\s+rid\s+of|ditch"
    r"|lose|drop|without|instead\s+of|rather\s+than|except|no|not|don'?t\s+(?:use|want|need|include|add))"
    r"\s+(?:the\s+|that\s+|this\s+|my\s+)?(?P<what>[^,;:!?]*?)"
    r"(?=\s+(?:with|for|by|out|and\s+(?:put|use|add))\b|[,;:!?]|\.(?![A-Za-z0-9])|$)"
)
_ZH_GOES = re.compile(
    r"(?:把|将)(?P<what>[^，,。；;！？]{1,40}?)(?:换成|替换成|替换为|换为|改成|删掉|删除|删了|去掉|拿掉|移除)"
    r"|(?:删掉|删除|去掉|拿掉|移除|不要|别用|不用|替换掉|替换(?![成为])|换掉|代替|取代)(?P<what2>[^，,。；;！？]{1,40})"
)
# Words for the clip NemoVideo made itself (no upload of the user's): "the AI scene", "生成的那段".
_MADE_CLIP = re.compile(
    r"(?i)\b(?:ai|a\.i\.|generated|ai-generated|stock|placeholder|default)\b|(?<![A-Za-z])AI(?![A-Za-z])|生成的?|自动"
)
_CLIP_WORD = re.compile(
    r"(?i)\b(?:scenes?|clips?|shots?|footage|videos?|photos?|pictures?|pics?|images?|ones?|slides?)\b"
    r"|那段|这段|片段|镜头|场景|画面|那张|这张"
)


def _requests(prompt: str) -> list[str]:
    """The request sentences of ``prompt`` (not a question or a condition), quotes blanked."""
    text = _QUOTED.sub(
        lambda m: m.group(0) if _QUOTED_FILE.match(m.group(0)[1:-1]) else " " * len(m.group(0)), prompt
    )
    pieces = re.split(r"[!?。！？;；\n]|\.(?![A-Za-z0-9])", text)
    return [p for p in pieces if p.strip() and _is_request(p.strip())]


def files_wanted(prompt: str) -> tuple[list[str], list[str]]:
    """The files the request wants on the timeline, and those it wants off it (each by name)."""
    wanted: list[str] = []
    going: list[str] = []
    for piece in _requests(prompt):
        for m in list(_EN_GOES.finditer(piece)) + list(_ZH_GOES.finditer(piece)):
            going += files_named(
                m.group("what") if "what" in m.groupdict() and m.group("what") else m.group(0)
            )
        for clause in re.split(r"[,，、](?!\s*[^\s,，、]+" + _EXTENSION + r")", piece):
            # Only a clause that asks for files to be placed ("use", "with", "换成"): "forest.jpg looks
            # blurry" or "I uploaded forest.jpg by mistake" asks for nothing.
            if _WANTS_ON.search(clause) is None or _GONE_AFTER.search(clause) or remark(clause):
                continue  # ("I want forest.jpg removed": the file named to go, after it)
            wanted += [n for n in files_named(clause) if n not in going]
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(going))


# A file stem that is a common word ("photo.jpg", "end.png") is no name the user says for it.
_GENERIC_STEMS = frozenset(
    {
        "photo",
        "photos",
        "pic",
        "pics",
        "picture",
        "image",
        "img",
        "video",
        "clip",
        "title",
        "music",
        "song",
        "end",
        "start",
        "first",
        "last",
        "one",
        "new",
        "final",
        "intro",
        "outro",
        "test",
        "a",
        "an",
        "the",
        "it",
    }
)
# "all three photos", "all 3 pics", "三张图都要用上", "三张照片全用上": every upload asked for by count.
_EN_NUMS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2}
_ZH_NUMS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_EN_ALL_OF = re.compile(
    r"(?i)(?:use|using|with|include|add|put\s+in)\s+(?:all\s+)?(?:the\s+|my\s+)?"
    r"(?P<n>both|two|three|four|five|six|[2-6])\s+(?:of\s+(?:the|my)\s+)?(?:photos|pics|pictures|images)\b"
    r"|\ball\s+(?:the\s+|my\s+)?(?P<n2>two|three|four|five|six|[2-6])\s+(?:photos|pics|pictures|images)\b"
)
_ZH_ALL_OF = re.compile(
    r"(?P<n>[两二三四五六2-6])张(?:图|照片|图片)?(?:都|全|全都|全部)(?:要)?(?:用上|用|放进去|放上)"
)


def _stem_said(stem: str, clause: str) -> bool:
    """``clause`` says the file stem as a name of its own: "forest" in "put forest at the end",
    "night-street" in "把night-street那张放最后" (never "forest" inside "forests")."""
    words = re.findall(r"[^\W_]+", stem)
    if not words:
        return False
    if not stem.isascii():
        return stem in clause.casefold()
    if len(stem) < 3 or stem in _GENERIC_STEMS:
        return False
    said = r"(?<![A-Za-z0-9])" + r"[\s_\-.․]*".join(map(re.escape, words)) + r"(?![A-Za-z0-9])"
    return re.search(said, clause, re.IGNORECASE) is not None


def uploads_left_out(
    prompt: str, tl: Timeline, uploaded: tuple[list[str], int] | None, before: Timeline | None = None
) -> list[str]:
    """The project's uploads the request asks for by their bare name ("put forest at the end",
    "把beach放最后当彩蛋", "add the forest photo after the sunrise one") or by count ("三张图都要用上")
    that are on no clip of the video track: plainly not in the video (play26 EN F4, ZH F5/F14/F16).
    Judged only where every upload's name is known, every clip of the track is listed, and no clip
    on it could be an upload under another name (one new since ``before``; with no ``before``, any
    clip that names no upload)."""
    video = next((tr for tr in tl.tracks if tr.kind == "video"), None)
    if video is None or video.segments_total != len(video.segments) or uploaded is None:
        return []
    names, total = uploaded
    if not names or total != len(names):
        return []
    clips = [seg.name for seg in video.segments if seg.name]
    have = {_base(n) for n in names}
    strangers = [
        c for c in clips if not any(_base(c) == b or _names_clip(_FILE_EXT.sub("", b), c) for b in have)
    ]
    earlier = {
        seg.name for tr in (before.tracks if before else ()) if tr.kind == "video" for seg in tr.segments
    }
    if any(c not in earlier for c in strangers):
        return []
    off = [
        n
        for n in names
        if not any(_base(n) == _base(c) or _names_clip(_FILE_EXT.sub("", n), c) for c in clips)
    ]
    if not off:
        return []
    stems = {n: _FILE_EXT.sub("", _base(n)) for n in names}
    named: list[str] = []
    text = _QUOTED.sub(lambda m: " " * len(m.group(0)), prompt)
    # cut after each sentence's mark, kept: "would forest look ok at the end?" asks nothing
    sentences = re.findall(r"[^!?。！？;；\n]+[!?。！？;；]?", text)
    for piece in (p for p in sentences if p.strip() and _is_request(p.strip())):
        for m in list(_EN_GOES.finditer(piece)) + list(_ZH_GOES.finditer(piece)):
            piece = piece.replace(m.group(0), " " * len(m.group(0)))  # "without forest": kept out
        for clause in re.split(r"[,，、]", piece):
            if _WANTS_ON.search(clause) is None or _GONE_AFTER.search(clause) or remark(clause):
                continue
            hits = [n for n in names if _stem_said(stems[n], clause)]
            # "beach-2" said: "beach" is a part of that name, not a name of its own
            hits = [n for n in hits if not any(o != n and stems[n] in stems[o] for o in hits)]
            named += [n for n in hits if n in off]
            count = _EN_ALL_OF.search(clause) or _ZH_ALL_OF.search(clause)
            if count is not None:
                said = count.group("n") or count.groupdict().get("n2") or ""
                n = int(said) if said.isdigit() else _EN_NUMS.get(said.casefold()) or _ZH_NUMS.get(said, 0)
                if n == total:  # "all three" of three uploads: each one left out is missing
                    named += off
    return list(dict.fromkeys(named))


_WANTS_ON = re.compile(
    r"(?i)\b(?:use|using|add|put|place|include|insert|with|swap|replace|switch|bring|show|start|open|begin"
    r"|end|close|first|last|then|only|just|want|need)\b|用|加|放|换成|替换成|替换为|改成|插|接|开头|结尾|最后|先"
)
_GONE_AFTER = re.compile(
    r"(?i)\b(?:removed|deleted|dropped|gone|taken\s+out|cut\s+out|no\s+longer|anymore|any\s+more)\b"
    r"|(?:删掉|去掉|拿掉|不要|不用|删除)(?:了|吧)?\s*[。！]?\s*$"
)


def clips_to_go(prompt: str) -> list[str]:
    """The clips the request asks to be replaced or removed, in its words ("AI scene", "AI那段"),
    when it names them as a clip (a file name is judged by :func:`files_wanted`)."""
    found: list[str] = []
    for piece in _requests(prompt):
        for m in list(_EN_GOES.finditer(piece)) + list(_ZH_GOES.finditer(piece)):
            what = (m.groupdict().get("what") or m.groupdict().get("what2") or "").strip()
            if not what or files_named(what) or not _CLIP_WORD.search(what):
                continue
            if re.match(r"(?i)(?:no|not|without|instead\s+of|rather\s+than|except|don'?t)\b", m.group(0)):
                continue  # "without the beach photo" keeps it out; "not the AI one" asks nothing gone
            found.append(what)
    return list(dict.fromkeys(found))


def files_asked(
    prompt: str, tl: Timeline, uploaded: tuple[list[str], int] | None, before: Timeline | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    """Files the request wants on the video track and clips it wants off it, judged on ``tl``:
    (as asked, not as asked, all judged). A file is judged only among the project's uploads (all
    of their names known: one never uploaded is :func:`no_such_file`'s), a clip to go where its
    words name clips on the track ("the AI scene": a clip that is none of the uploads). A file is
    said to be missing, or a clip kept, only where every clip that names no upload was on the
    track ``before`` the request too: a clip new under another name may be the upload itself."""
    video = next((tr for tr in tl.tracks if tr.kind == "video"), None)
    if video is None or video.segments_total != len(video.segments) or uploaded is None:
        return [], [], False
    names, total = uploaded
    if total != len(names):
        return [], [], False
    clips = [seg.name for seg in video.segments if seg.name]
    have = {_base(n) for n in names}
    earlier = {
        seg.name for tr in (before.tracks if before else ()) if tr.kind == "video" for seg in tr.segments
    }
    strangers = [
        c for c in clips if not any(_base(c) == b or _names_clip(_FILE_EXT.sub("", b), c) for b in have)
    ]
    known = before is not None and all(c in earlier for c in strangers)
    wanted = files_wanted(prompt)[0]
    on_track = [f for f in wanted if any(_base(f) == _base(c) or _names_clip(f, c) for c in clips)]
    off = [f for f in wanted if _base(f) in have and f not in on_track] if known else []
    met_: list[dict[str, Any]] = []
    unmet_: list[dict[str, Any]] = []
    judged = True
    if off:
        unmet_.append({"kind": "files_unused", "names": off[:5]})
    elif on_track and len(on_track) == len(wanted):
        met_.append({"kind": "clips_used", "names": on_track[:5]})
    else:
        judged = not wanted
    for words in clips_to_go(prompt):
        if _MADE_CLIP.search(words):
            # "the AI scene": the clips on the track that are none of the user's uploads
            if not known:
                judged = False
                continue
            kept = strangers
            was = [
                c
                for c in earlier
                if not any(_base(c) == b or _names_clip(_FILE_EXT.sub("", b), c) for b in have)
            ]
        else:
            word = _CLIP_WORD.sub(" ", words).strip()
            kept = [c for c in clips if word and _names_clip(word, c)]
            was = [c for c in earlier if word and _names_clip(word, c)]
            if len(set(kept)) > 1 or (not kept and len(set(was)) != 1):
                judged = False
                continue
        if kept:
            unmet_.append({"kind": "clip_kept", "names": list(dict.fromkeys(kept))[:5]})
        elif was:  # asked to go, and gone
            met_.append({"kind": "clip_gone", "names": sorted(set(was))[:5]})
    return met_, unmet_, judged
