"""The ``Asked`` record and the ``Shape`` of a frame, with the regexes every reader shares: what
quoted text, a sentence, a clause, a question and a polite opening look like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Python's \b is a word boundary in every script: none stands between "bgm" and "换成", or "个"
# and "jazz", so an English word said inside Chinese went unread (play29zh F6: "bgm换成…" was
# said to have asked nothing of the music). An edge of an English word or a number instead.
_LATIN_EDGE = r"(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?![A-Za-z0-9]))"


def latin(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with each ``\\b`` an edge of an English word, whatever script is beside it."""
    return re.compile(pattern.replace(r"\b", _LATIN_EDGE))


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
    # "swap the 2nd and 3rd photo", "swap the beaker and flask pics": the user's words for two clips
    # asked to trade places; judged on the change (play27en S3).
    swap: tuple[str, ...] = ()
    # "…, no photos", "不用我的照片": no upload of the user's on the video track (play27en S3).
    no_photos: bool = False


# Quoted text is what the video shows, never an instruction: masked before reading.
_QUOTED = re.compile("[\"“「『《‘][^\"“”「」『』《》‘’\n]{0,200}[\"”」』》’]|(?<!\\w)'[^'\n]{1,200}'(?!\\w)")
_SENTENCE = re.compile(r"[^.!?。！？;；\n]+[.!?。！？;；]*")
_CLAUSE = re.compile(
    r"[,，、()（）]|(?<!\d)\s*[—–]\s*(?!\d)|(?<!\d)\s-\s(?!\d)|(?<!\d)[:：](?!\d)|\band\b|\bbut\b|\bplus\b|(?:并且|而且|然后|再)"
    # "还有把日出那张放第一个": a joiner opening the ask (play28zh F1: the order went unread, unchecked)
    r"|(?:^|(?<=[，,\s]))(?:还有|另外)"
)
# A sentence that asks about the video or sets a condition states nothing to check.
_EN_NOT_A_REQUEST = re.compile(
    r"(?i)^\s*(?:is|are|was|were|does|did|do(?!\s+(?:not|a|an|one|me|another)\b)|has|have|had|why|what|how|which|where|when|whether|if"
    r"|unless|once|in\s+case|should|shall)\b"
)
_ZH_NOT_A_REQUEST = re.compile(
    r"(?:如果|要是|假如|万一|若是|是否|有没有|是不是|为什么|怎么|咋|吗|呢|么|是啥|叫啥|是什么|叫什么)"
)
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
