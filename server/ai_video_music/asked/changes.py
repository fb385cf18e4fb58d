"""Changes the words did not ask for: music, clips, text or length that changed when the request
never spoke of them, and a quoted text gone that was not asked to go.
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import _QUOTED, latin
from .checks import _music_names
from .lengths import _EN_SPAN, _ZH_SPAN
from .music import VOLUME_TOLERANCE
from .reading import _sentences, asks_for_a_video, read
from .remarks import withdrawal
from .words import _PART_SECONDS, _clauses, _zh_gaps

# --- a length said loosely -----------------------------------------------------------------------
# Words that ask about the video's length in any way: a request without them asked for none.
_LENGTH_WORDS = re.compile(
    r"(?i)\b(?:longer|shorter|lengthen|shorten|extend|stretch|length|duration|runtime|trim|cut|tighten"
    r"|second|seconds|secs?|minutes?|min)\b|\d\s*s\b|更长|长一点|长一些|加长|延长|短一点|短一些|缩短|时长|剪|秒|分钟"
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
_MENTIONS_MUSIC = latin(
    r"(?i)\b(?:music|musical|songs?|soundtrack|bgm|tracks?|tunes?|audio|sounds?|beats?|melody|instrumental|piano"
    r"|guitar|lo-?fi|jazz|pop|rock|hip-?hop|edm|acoustic|mute[ds]?|volume|loud(?:er)?|quiet(?:er)?|soft(?:er)?"
    r"|upbeat|calm(?:er)?|chill|energetic|lively|mood|vibes?|feel(?:ing)?|atmosphere|tone|dramatic|relaxing"
    r"|happy|sad|emotional|epic|cinematic|festive|romantic|style|energy|exciting|fun|intense|gentle|peaceful"
    r"|soothing|cheerful|uplifting|groovy|funky|sentimental|nostalgic|spooky|dreamy|cozy|hype|party"
    r"|fade[ds]?|fading)\b|\d\s*[%％]|百分之|淡"
    r"|(?<!抖)音|乐|歌|曲|声|节奏|旋律|钢琴|吉他|欢快|轻松|氛围|感觉|激昂|动感|安静|浪漫|温馨|热闹|抒情|风格|情绪|活力|热血|燃|嗨"
    r"|温柔|治愈|伤感|怀旧|可爱|大气"
)
_MENTIONS_CLIPS = latin(
    r"(?i)\b(?:photos?|pictures?|pics?|images?|clips?|shots?|footage|scenes?|slides?|b-?roll|stock|media"
    r"|uploads?|uploaded|files?|videos|ones?|order|shuffle|rearrange|swap|remove|delete|drop|cut|trim"
    r"|shorten|lengthen|longer|shorter|length|duration|extend|seconds?|secs?|minutes?|only|intro|outro"
    r"|opening|ending|transitions?|effects?|logo|more|fewer|less)\b|\.(?:jpe?g|png|gif|webp|heic|mp4|mov|m4v|webm)\b"
    r"|照片|图|相片|素材|片段|镜头|画面|场景|顺序|删|去掉|拿掉|剪|只要|只用|秒|时长|长|短|片头|片尾|开场|结尾|转场|特效|多|少"
)
_MENTIONS_FRAME = latin(
    r"(?i)\b(?:vertical|horizontal|square|portrait|landscape|widescreen|aspect|ratio|frame|crop(?:ped)?|resolution"
    r"|size|format|orientation|rotate|tiktok|instagram|reels?|shorts|youtube|story|stories|phone|mobile|1080p?"
    r"|720p?|4k|hd)\b|\d\s*[:x×]\s*\d"
    r"|竖|横|方|比例|画幅|尺寸|分辨率|裁|抖音|小红书|快手|视频号|手机|旋转|画面"
)
_MENTIONS_TEXT = latin(
    r"(?i)\b(?:text|titles?|captions?|subtitles?|words?|heading|headline|overlay|labels?|names?|lettering"
    r"|font)\b|标题|字幕|文字|文案|片名|字"
)
# Words that leave the whole video to the agent ("start over", "undo that", "make it better"):
# any change may be what was asked.
_OPEN_ENDED = latin(
    r"(?i)\b(?:redo|undo|revert|start\s+over|from\s+scratch|different|better|improve|polish|enhance|fix"
    r"|professional|whatever|surprise|remix|rework|trailer|theme|aesthetic|vlog)\b"
    r"|\b(?:look|looks|feel|feels)\s+(?:more\s+)?like\b"
    r"|重做|重新|撤销|撤回|优化|更好|专业|随便|看着办|再来|像|大片|电影感|高级|预告"
)
# Words that put something back as it was: the whole video when the clause names no part of it
# ("put it back", "改回原来的样子"), only that part when it does ("put the title 'X' back at the
# start", "make it 20 seconds again": play24en F3, F5), so the rest is still judged.
_AS_BEFORE = latin(r"(?i)\b(?:again|previous|original|back|before)\b|恢复|还原|之前|原来|放回|改回")
# A part of the video a clause names: a quoted text (marked 「」 here), a word for text, music,
# clips, a length or a frame.
_A_PART = latin(
    r"(?i)「」|\b(?:titles?|captions?|texts?|subtitles?|logo|music|songs?|tracks?|bgm|soundtrack|volume"
    r"|photos?|pics?|pictures?|images?|clips?|length|duration|vertical|horizontal|square|portrait|landscape)\b"
    r"|\d\s*(?:seconds?|secs?|s|%)\b|\.(?:jpe?g|png|mp4|mov)\b"
    r"|标题|字幕|文字|片名|音乐|歌|音量|照片|图片|片段|时长|秒|竖|横|方形"
)
# "a vertical version of this": a version of the video there is an edit of it, not a new video.
_A_VERSION = latin(r"(?i)\bversions?\b|(?:竖屏|横屏|竖|横|方|新)版")


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
    # A part taken back ("算了不要竖屏了") mentions nothing asked: its change is unasked.
    pieces = re.split(r"[，,。！!？?\s]+", words)
    if any(withdrawal(c) for c in pieces):
        words = "，".join(c for c in pieces if not withdrawal(c))
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
