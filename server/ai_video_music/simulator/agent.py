"""The agent's editing behaviour: a prompt (English or 中文) → changes to the draft and a reply.

Enough understanding to test a real conversation, not a language model:

- a **generation** turn (the project has no video yet, or the prompt asks to make a video) has
  two stages, like the service: the raw video first (``generate_video_with_seedance`` for a
  prompt without uploads, else the uploaded photos and clips in order), then, by itself, free
  background music and a title (``edit_multitrack``);
- an **editing** turn understands length ("20 seconds", "20秒"), frame ("vertical", "9:16",
  "竖屏", "square", "1:1", "16:9", "横屏", "720p", "1080p", "4k", "1080x1920"), music volume ("lower
  the music to 20%", "quieter", "louder", "音量调到20%", "小一点"), removal ("remove the title",
  "删除音乐"), the title ('the title "X"', "标题「X」") and the music's style ("calm piano", "钢琴");
- the reply is in the language of the prompt, not of the session, and keeps the service's habit
  of talking about a visual editor ("click the Export button").

Planning happens on copies of the draft; the stream commits each stage's draft when that stage's
tool call returns, so a state read mid-turn sees the raw video before the music.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

DEFAULT_VOLUME = 35
DEFAULT_SECONDS = 10
TITLE_MS = 3000
VOLUME_STEP = 15

# (name in the draft, words that ask for it); an instrument named wins over a mood ("轻松的钢琴音乐").
MUSIC_STYLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Calm Piano", ("piano", "calm", "gentle", "peaceful", "soft music", "钢琴", "舒缓", "安静", "平静")),
    ("Acoustic Folk", ("acoustic", "guitar", "folk", "吉他", "民谣")),
    ("Epic Cinematic", ("epic", "cinematic", "dramatic", "orchestral", "史诗", "电影感", "大气")),
    ("Upbeat Pop", ("upbeat", "energetic", "happy", "pop", "dance", "欢快", "动感", "活力", "流行")),
    ("Lo-fi Chill", ("lo-fi", "lofi", "chill", "relax", "轻松", "放松", "慵懒")),
)
FREE = " (free music)"

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_SECONDS = re.compile(r"(\d{1,4}(?:\.\d+)?)\s*(?:-\s*)?(?:seconds?|secs?|s\b|秒)", re.IGNORECASE)
_MINUTES = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*(?:-\s*)?(?:minutes?|mins?|分钟)", re.IGNORECASE)
_CN_SECONDS = re.compile(r"([零一二两三四五六七八九十百]{1,4})\s*秒")
_PERCENT = re.compile(r"(\d{1,3})\s*%|百分之\s*(\d{1,3})")
_SIZE = re.compile(r"\b(\d{3,4})\s*[x×*]\s*(\d{3,4})\b")
_QUOTED = re.compile(r"[\"“「『']([^\"”」』']{1,80})[\"”」』']")
_MAKE = re.compile(
    r"\b(?:make|create|generate|produce|build|render)\b\s+(?:me\s+)?(?:a|an|one|another|new|some)\b"
    r"[^.!?]{0,60}?\b(?:video|clip|movie|film|reel|slideshow)s?\b"
    r"|(?:生成|制作|做|来|创建|剪)(?:一个|一段|个|一支|一条|支|条|段)?.{0,12}?视频",
    re.IGNORECASE,
)
_ORIENTATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "9:16",
        ("vertical", "portrait", "9:16", "9x16", "竖屏", "竖版", "竖向", "竖的", "tiktok", "reels", "shorts"),
    ),
    ("1:1", ("square", "1:1", "正方形", "方形")),
    ("16:9", ("16:9", "16x9", "horizontal", "landscape", "widescreen", "横屏", "横版", "横向", "宽屏")),
)
_RESOLUTIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2160, ("4k", "2160p", "uhd")),
    (1080, ("1080p", "full hd", "fhd")),
    (720, ("720p",)),
)
_MUSIC_WORDS = ("music", "bgm", "soundtrack", "song", "音乐", "配乐", "背景音乐", "歌")
_TITLE_WORDS = ("title", "caption", "headline", "标题", "字幕", "文字")
_REMOVE = re.compile(
    r"\b(?:remove|delete|drop|get rid of|take (?:out|off)|without|no more)\b|删除|删掉|去掉|移除|不要", re.I
)
_QUIETER = re.compile(
    r"\b(?:quieter|softer|lower|turn (?:it |the music )?down|reduce|decrease|less loud)\b"
    r"|小一点|小一些|小声|调小|降低|调低|轻一点|轻一些",
    re.IGNORECASE,
)
_LOUDER = re.compile(
    r"\b(?:louder|turn (?:it |the music )?up|raise|increase|boost|more volume)\b"
    r"|大一点|大一些|大声|调大|提高|调高|响一点",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"\b(?:change|another|different|swap|switch|replace)\b|换|改成|更换", re.IGNORECASE)
_CN_DIGITS = {ch: n for n, ch in enumerate("零一二三四五六七八九")} | {"两": 2}


def language_of(prompt: str, fallback: str = "en") -> str:
    """``zh`` when the prompt has Chinese characters, ``en`` when it has Latin letters."""
    if _CJK.search(prompt):
        return "zh"
    if _LATIN.search(prompt):
        return "en"
    return "zh" if fallback.lower().startswith("zh") else "en"


def _cn_number(text: str) -> int | None:
    """一 … 九十九 (enough for video lengths)."""
    if "百" in text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def requested_ms(prompt: str) -> int | None:
    """The length the prompt asks for, in ms (1 s to 15 min), or None."""
    seconds: float | None = None
    if match := _SECONDS.search(prompt):
        seconds = float(match.group(1))
    elif match := _MINUTES.search(prompt):
        seconds = float(match.group(1)) * 60
    elif (match := _CN_SECONDS.search(prompt)) and (n := _cn_number(match.group(1))) is not None:
        seconds = float(n)
    if seconds is None or not 1 <= seconds <= 900:
        return None
    return round(seconds * 1000)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def requested_frame(prompt: str, width: int, height: int) -> tuple[int, int] | None:
    """The frame size the prompt asks for, keeping what it doesn't mention, or None."""
    lower = prompt.lower()
    if match := _SIZE.search(lower):
        w, h = int(match.group(1)), int(match.group(2))
        if 16 <= w <= 4096 and 16 <= h <= 4096:
            return _even(w), _even(h)
    orientation = next((o for o, words in _ORIENTATIONS if any(w in lower for w in words)), None)
    short = next((s for s, words in _RESOLUTIONS if any(w in lower for w in words)), None)
    if orientation is None and short is None:
        return None
    short = short or min(width, height)
    if orientation is None:
        orientation = "9:16" if height > width else "1:1" if height == width else "16:9"
    long = _even(short * 16 / 9)
    if orientation == "1:1":
        return short, short
    return (short, long) if orientation == "9:16" else (long, short)


def aspect_label(width: int, height: int) -> str:
    for label, (w, h) in (("16:9", (16, 9)), ("9:16", (9, 16)), ("1:1", (1, 1)), ("4:3", (4, 3))):
        if abs(width * h - height * w) <= max(width, height) * 0.02 * max(w, h):
            return label
    return f"{width}x{height}"


def _has(lower: str, words: tuple[str, ...]) -> bool:
    return any(w in lower for w in words)


def _style(lower: str) -> str | None:
    return next((name for name, words in MUSIC_STYLES if _has(lower, words)), None)


def _track(draft: dict[str, Any], kind: int) -> dict[str, Any] | None:
    return next((t for t in draft.get("t") or [] if isinstance(t, dict) and t.get("tt") == kind), None)


def _put_track(draft: dict[str, Any], kind: int, segments: list[dict[str, Any]], name: str) -> None:
    """Replace the track of ``kind``, or add it; tracks stay ordered video, audio, text."""
    tracks: list[dict[str, Any]] = [t for t in draft.get("t") or [] if t.get("tt") != kind]
    tracks.append({"tt": kind, "sg": segments, "m": {"name": name}})
    order = {0: 0, 1: 1, 7: 2}
    tracks.sort(key=lambda t: order.get(int(t.get("tt") or 0), 3))
    draft["t"] = tracks


def overreach(plan: Plan) -> Plan:
    """The plan, and also the music swapped for another style: an agent that changes what it was
    not asked to (play-test 15: the music replaced when only a caption was asked for)."""
    if plan.kind != "edit" or not plan.stages:
        return plan
    last = plan.stages[-1]
    draft = copy.deepcopy(last.draft)
    segments = (_track(draft, 1) or {}).get("sg") or []
    if not segments:
        return plan
    names = [name for name, _ in MUSIC_STYLES]
    base = str(segments[0].get("n") or "").removesuffix(FREE)
    other = names[(names.index(base) + 1) % len(names)] if base in names else names[0]
    for seg in segments:
        seg["n"] = other + FREE
    stages = [*plan.stages[:-1], Stage(last.tool, last.args, draft)]
    return Plan(plan.kind, plan.cost, stages, plan.reply, plan.generated)


def _drop_track(draft: dict[str, Any], kind: int) -> bool:
    before = len(draft.get("t") or [])
    draft["t"] = [t for t in draft.get("t") or [] if t.get("tt") != kind]
    return len(draft["t"]) != before


def _retime(draft: dict[str, Any], total: int) -> None:
    """Stretch the video clips evenly over ``total`` ms; music spans it; the title fits in it."""
    video = _track(draft, 0)
    if video and video.get("sg"):
        segments = video["sg"]
        each = total // len(segments)
        for i, seg in enumerate(segments):
            seg["s"] = i * each
            seg["d"] = each if i < len(segments) - 1 else total - i * each
    music = _track(draft, 1)
    if music:
        for seg in music.get("sg") or []:
            seg["s"], seg["d"] = 0, total
    title = _track(draft, 7)
    if title:
        for seg in title.get("sg") or []:
            seg["s"] = min(int(seg.get("s") or 0), max(0, total - 1000))
            seg["d"] = min(int(seg.get("d") or TITLE_MS), total - seg["s"])
    draft["d"] = total


def _set_frame(draft: dict[str, Any], width: int, height: int) -> None:
    meta = draft.setdefault("m", {})
    meta["w"], meta["h"] = width, height


@dataclass
class Stage:
    """One agent tool call and the draft as it stands once the call has returned."""

    tool: str
    args: dict[str, Any]
    draft: dict[str, Any]


@dataclass
class Plan:
    kind: str  # "generation" | "edit" | "chat"
    cost: float
    stages: list[Stage] = field(default_factory=list)
    reply: str = ""
    generated: list[dict[str, Any]] = field(default_factory=list)  # for state.generated_media


@dataclass
class _Words:
    """The reply, collected sentence by sentence in the prompt's language."""

    zh: bool
    parts: list[str] = field(default_factory=list)

    def say(self, en: str, zh: str) -> None:
        self.parts.append(zh if self.zh else en)

    def text(self) -> str:
        return ("" if self.zh else " ").join(self.parts)


def plan_turn(
    prompt: str,
    draft: dict[str, Any],
    uploads: list[dict[str, Any]],
    *,
    session_language: str,
    generation_cost: float,
    edit_cost: float,
    generated_url: str,
) -> Plan:
    """What the agent will do with ``prompt``; ``draft`` is not modified."""
    lower = prompt.lower()
    words = _Words(language_of(prompt, session_language) == "zh")
    has_video = bool((_track(draft, 0) or {}).get("sg"))
    if not has_video or _MAKE.search(prompt):
        return _generation(prompt, lower, draft, uploads, words, generation_cost, edit_cost, generated_url)
    return _edit(prompt, lower, draft, words, edit_cost)


def _generation(
    prompt: str,
    lower: str,
    draft: dict[str, Any],
    uploads: list[dict[str, Any]],
    words: _Words,
    generation_cost: float,
    edit_cost: float,
    generated_url: str,
) -> Plan:
    raw = copy.deepcopy(draft)
    meta = raw.setdefault("m", {})
    width, height = requested_frame(prompt, int(meta.get("w") or 1920), int(meta.get("h") or 1080)) or (
        int(meta.get("w") or 1920),
        int(meta.get("h") or 1080),
    )
    _set_frame(raw, width, height)
    total = requested_ms(prompt) or DEFAULT_SECONDS * 1000
    media = [u for u in uploads if u.get("file_type") in ("video", "image")]
    generated: list[dict[str, Any]] = []
    if media:
        tool = "edit_multitrack"
        args: dict[str, Any] = {"action": "add_media", "clips": [m.get("filename") for m in media]}
        cost = edit_cost
    else:
        media = [{"filename": "AI scene", "cdn_url": generated_url}]
        generated.append({"name": "AI scene", "url": generated_url, "prompt": prompt[:500]})
        tool = "generate_video_with_seedance"
        args = {
            "prompt": prompt[:500],
            "duration": total // 1000,
            "aspect_ratio": aspect_label(width, height),
        }
        cost = generation_cost * len(generated)
    each = max(1, total // len(media))
    segments = [
        {
            "n": PurePosixPath(str(m.get("filename") or "clip")).stem or "clip",
            "s": i * each,
            "d": each if i < len(media) - 1 else total - i * each,
            "src": m.get("cdn_url"),
        }
        for i, m in enumerate(media)
    ]
    _put_track(raw, 0, segments, "Video")
    raw["d"] = total
    # Stage two: the agent finishes the video by itself.
    with_music = copy.deepcopy(raw)
    music = (_style(lower) or "Lo-fi Chill") + FREE
    volume = DEFAULT_VOLUME
    percent = _PERCENT.search(prompt)
    if percent and _has(lower, _MUSIC_WORDS):
        volume = max(0, min(100, int(percent.group(1) or percent.group(2))))
    _put_track(with_music, 1, [{"n": music, "s": 0, "d": total, "v": volume}], "BGM")
    finished = copy.deepcopy(with_music)
    quoted = _QUOTED.search(prompt)
    title = quoted.group(1).strip() if quoted else ("我的视频" if words.zh else "My Video")
    _put_track(finished, 7, [{"n": title, "s": 0, "d": min(TITLE_MS, total)}], "Title")
    stages = [
        Stage(tool, args, raw),
        Stage("edit_multitrack", {"action": "add_bgm", "music": music, "volume": volume}, with_music),
        Stage("edit_multitrack", {"action": "add_text", "text": title}, finished),
    ]
    seconds = f"{total / 1000:g}"
    words.say(
        f"Your {seconds}-second video is ready: {len(segments)} clip(s) in {width}x{height} "
        f'({aspect_label(width, height)}), with free background music "{music}" at {volume}% '
        f'and the title "{title}". Open the timeline panel to review it.',
        f"视频已生成：{seconds} 秒，{len(segments)} 个片段，"
        f"{width}x{height}（{aspect_label(width, height)}），"
        f"配上免费背景音乐「{music}」（音量 {volume}%）和标题「{title}」。",
    )
    words.say("Then click the Export button to download your video.", "点击导出按钮即可下载视频。")
    return Plan("generation", cost, stages, words.text(), generated)


def _edit(prompt: str, lower: str, draft: dict[str, Any], words: _Words, cost: float) -> Plan:
    new = copy.deepcopy(draft)
    actions: list[dict[str, Any]] = []
    meta = new.setdefault("m", {})
    frame = requested_frame(prompt, int(meta.get("w") or 1920), int(meta.get("h") or 1080))
    if frame is not None:
        _set_frame(new, *frame)
        actions.append({"action": "set_canvas", "width": frame[0], "height": frame[1]})
        label = aspect_label(*frame)
        words.say(
            f"Changed the frame to {label} ({frame[0]}x{frame[1]}).",
            f"画面已改为 {label}（{frame[0]}x{frame[1]}）。",
        )
    total = requested_ms(prompt)
    if total is not None:
        _retime(new, total)
        actions.append({"action": "set_duration", "ms": total})
        words.say(f"The video is now {total / 1000:g} seconds long.", f"视频时长已改为 {total / 1000:g} 秒。")
    about_music = _has(lower, _MUSIC_WORDS)
    about_title = _has(lower, _TITLE_WORDS) or "「" in prompt
    percent = _PERCENT.search(prompt)
    wants_volume = bool(
        _QUIETER.search(prompt)
        or _LOUDER.search(prompt)
        or (percent and (about_music or "volume" in lower or "音量" in prompt))
    )
    if _REMOVE.search(prompt) and (about_music or about_title):
        for kind, asked, en, zh in (
            (1, about_music, "background music", "背景音乐"),
            (7, about_title, "title", "标题"),
        ):
            if not asked:
                continue
            if _drop_track(new, kind):
                actions.append({"action": "remove_track", "track": kind})
                words.say(f"Removed the {en}.", f"已删除{zh}。")
            else:
                words.say(f"There's no {en} to remove.", f"没有可删除的{zh}。")
    else:
        if wants_volume:
            _volume(new, prompt, percent, actions, words)
        elif about_music:
            _music(new, lower, actions, words)
        if about_title:
            _title(new, prompt, actions, words)
    if not actions and not words.parts:
        words.say(
            "I can change the length, the frame (vertical 9:16, square, 16:9, 720p/1080p/4k), the music "
            "and its volume, and the title. What would you like to change?",
            "我可以修改时长、画面比例（竖屏 9:16、方形、横屏 16:9、720p/1080p/4k）、"
            "音乐和音量，以及标题。想改哪里？",
        )
        return Plan("chat", cost, [], words.text())
    if actions:
        words.say("Then click the Export button to download your video.", "点击导出按钮即可下载视频。")
    stages = [Stage("edit_multitrack", {"actions": actions}, new)] if actions else []
    return Plan("edit", cost, stages, words.text())


def _volume(
    draft: dict[str, Any],
    prompt: str,
    percent: re.Match[str] | None,
    actions: list[dict[str, Any]],
    words: _Words,
) -> None:
    music = _track(draft, 1)
    if not music or not music.get("sg"):
        words.say("There's no music to change the volume of yet.", "还没有音乐，无法调整音量。")
        return
    old = int(music["sg"][0].get("v", DEFAULT_VOLUME))
    if percent:
        volume = int(percent.group(1) or percent.group(2))
    elif _LOUDER.search(prompt):
        volume = old + VOLUME_STEP
    else:
        volume = old - VOLUME_STEP
    volume = max(0, min(100, volume))
    for seg in music["sg"]:
        seg["v"] = volume
    actions.append({"action": "set_volume", "track": 1, "volume": volume})
    if volume < old:
        words.say(f"I've lowered the music to {volume}%.", f"音乐音量已调低到 {volume}%。")
    elif volume > old:
        words.say(f"I've raised the music to {volume}%.", f"音乐音量已调高到 {volume}%。")
    else:
        words.say(f"The music is at {volume}%.", f"音乐音量已是 {volume}%。")


def _music(draft: dict[str, Any], lower: str, actions: list[dict[str, Any]], words: _Words) -> None:
    current = _track(draft, 1)
    style = _style(lower)
    segments = (current or {}).get("sg") or []
    old_name = str(segments[0].get("n")) if segments else None
    if style is None:
        if old_name is None:
            style = "Lo-fi Chill"
        elif _CHANGE.search(lower):
            names = [name for name, _ in MUSIC_STYLES]
            base = old_name.removesuffix(FREE)
            style = names[(names.index(base) + 1) % len(names)] if base in names else names[0]
        else:
            words.say(f'The video already has music: "{old_name}".', f"视频已有音乐「{old_name}」。")
            return
    name = style + FREE
    volume = int(segments[0].get("v", DEFAULT_VOLUME)) if segments else DEFAULT_VOLUME
    total = int(draft.get("d") or DEFAULT_SECONDS * 1000)
    _put_track(draft, 1, [{"n": name, "s": 0, "d": total, "v": volume}], "BGM")
    actions.append({"action": "set_bgm", "music": name})
    if old_name is None:
        words.say(
            f"I've added a free {style} background track at {volume}% volume. Preview it in the timeline.",
            f"已添加免费背景音乐「{name}」（音量 {volume}%）。",
        )
    else:
        words.say(f'Changed the music to "{name}".', f"已将音乐换成「{name}」。")


def _title(draft: dict[str, Any], prompt: str, actions: list[dict[str, Any]], words: _Words) -> None:
    quoted = _QUOTED.search(prompt)
    if not quoted:
        words.say(
            'Which title would you like? Put it in quotes, e.g. "Summer 2026".',
            "想用什么标题？请用「」括起来。",
        )
        return
    title = quoted.group(1).strip()
    existed = bool((_track(draft, 7) or {}).get("sg"))
    total = int(draft.get("d") or DEFAULT_SECONDS * 1000)
    _put_track(draft, 7, [{"n": title, "s": 0, "d": min(TITLE_MS, total)}], "Title")
    actions.append({"action": "set_text", "text": title})
    if existed:
        words.say(
            f'Changed the title to "{title}". Drag it on the timeline to move it.', f"标题已改为「{title}」。"
        )
    else:
        words.say(
            f'Added the title "{title}". Drag it on the timeline to move it.', f"已添加标题「{title}」。"
        )
