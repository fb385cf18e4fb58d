"""Files and clips a request wants on, or off, the video track: files named in the words, the
user's own media spoken of, uploads left out, and files asked for that do not exist.
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import _QUOTED
from .remarks import remark
from .words import _FILE_EXT, _is_request, _names_clip, _zh_gaps

# --- changes the words did not ask for ---------------------------------------------------------
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
    r"(?i)\b(?:no|without|not|don'?t\s+(?:use|need|want|have)|haven'?t\s+got|no\s+need\s+for|skip|stock|ai"
    r"|generated?)"
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
# "我没猫的照片", "手上没有店里的图": they have none, of whatever it is (play27zh F1); never "没上传".
_ZH_NONE_OF = re.compile(r"(?:没有?|无)[^，,。！？!?\s用拍上传]{0,6}?$")
_ZH_MEDIA_NOUN = re.compile(r"照片|图片|相片|素材|截图|自拍|原片")
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
            none = pattern is _ZH_MEDIA and _ZH_MEDIA_NOUN.match(m.group(0)) and _ZH_NONE_OF.search(before)
            if negated.search(before) or after.match(text[m.end() : m.end() + 20]) or none:
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
# "把促销价目表.jpg放最后": 把 before a Chinese name is the verb's, never the name's (play27zh F15).
_ZH_BA_LEAD = re.compile(r"^把(?=[\u3400-\u9fff])")
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
    names += [_ZH_BA_LEAD.sub("", _CJK_LEAD.sub("", m.group(1))) for m in _FILE_NAME.finditer(masked)]
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
    if not all(any(_is_upload(c, n) for c in clips) for n in names):
        return []
    return upload_clips(tl, names)


def _is_upload(clip: str, name: str) -> bool:
    """The clip is the upload ``name`` (its file, or a clip named after it)."""
    return _base(name) == _base(clip) or _names_clip(name, clip)


def upload_clips(tl: Timeline, names: list[str]) -> list[str]:
    """The video track's clips that are one of the uploads ``names``, each once, in track order."""
    clips = [seg.name for tr in tl.tracks if tr.kind == "video" for seg in tr.segments if seg.name]
    return list(dict.fromkeys(c for c in clips if any(_is_upload(c, n) for n in names)))


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
    # "take the beach pic out", "cut the forge shot out" (play29en F8: the photo stayed, unchecked)
    r"|\b(?:take|cut|leave|pull)\s+(?:the\s+|that\s+|this\s+|my\s+)?(?P<what3>[^,;:!?]{1,40}?)\s+out\b"
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
            said = m.groupdict().get("what") or m.groupdict().get("what3")
            going += files_named(said or m.group(0))
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
            what = (
                m.groupdict().get("what") or m.groupdict().get("what2") or m.groupdict().get("what3") or ""
            ).strip()
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
