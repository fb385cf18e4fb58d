"""Whether a request's words are about another of the user's projects than the current one: its
name as shown ("make the Night run crew video 8 seconds"), "the <word of its name> video" ("the
grandpa video", "周末那个视频"), or the user saying the current one is the wrong one ("wrong
video!", "I meant the other one", "不是这个", "发错了"). Such a request is not sent (it would edit
and charge the wrong video); the service says so and names both projects.

Pure, and cautious: a word counts only when it tells that project apart. Default names ("Video 1",
"视频 2"), words every video has ("music", "title", "video", "new"), words of the current project's
own name, and a mention under a negation ("not the running one", "不是爷爷那个") never count, and
the current project named plainly wins ("make the grandpa video like the running one").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .asked import _names_clip, _zh_gaps, _zh_names, files_named, read
from .projects import default_names
from .router import _EDIT_VERB, _EDIT_WORD, QUOTED, normalise
from .store import Project

_GENERIC_EN = frozenset(
    (
        "a", "an", "and", "or", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "my",
        "our", "your", "his", "her", "their", "its", "this", "that", "these", "those", "new", "old",
        "video", "videos", "vid", "vids", "project", "projects", "movie", "movies", "film", "films",
        "clip", "clips",
        "photo", "photos", "picture", "pictures", "pic", "pics", "image", "images", "slideshow", "montage",
        "reel", "reels", "story", "stories", "highlight", "highlights", "recap", "test", "demo", "draft",
        "copy", "version", "final", "untitled", "first", "second", "third", "last", "one", "two", "three",
        "day", "days", "part", "music", "song", "songs", "title", "titles", "caption", "captions", "text",
        "intro", "outro", "ending", "edit", "edits", "cut", "vertical", "horizontal", "square", "short",
        "long", "little", "big",
    )
)  # fmt: skip
# Characters that make a Chinese pair of characters say nothing of which video ("视频", "一个").
_GENERIC_ZH = set("视频项目片照图片音乐歌曲标题字幕新的一个这那我你他们和与及第版本草稿测试不了是在有")
# "vid": phone shorthand for a video ("the clinic vid", play29en F7: sent to the current one)
_NOUN_EN = r"(?:video|vid|project|movie|film)s?"
_NOUN_ZH = "(?:的|那个|这个|那条|这条)?(?:视频|项目|片子)|那个"
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9.'-]*")
# Before a mention, words that make it no request for that project: a negation ("not the
# running one", "不是爷爷那个": the video meant is another), a model to follow ("like the Night
# run crew video"), or on-screen text ("add a caption Night run crew", "标题写着周末去哪儿").
_NOT_FOR_IT = re.compile(
    r"(?<![a-z])(?:not|n't|instead of|rather than|nor|like|as|than|match|matching|caption|title"
    r"|text|say|says|saying|called|named|reads?)\s*[:,]?\s*(?:the\s+)?$"
    r"|(?:不是|而不是|不要|别动|像|跟|和|参考|照着|写着|写上|叫|字幕|标题|改成|改为|换成|写成)\s*$"
)
# The user says the current video is the wrong one. Only unmistakable words: a bare "不是这个"
# or "the other one" speaks as often of a song or a photo ("不是这个，换一首歌").
_WRONG = re.compile(
    r"(?<![a-z])(?:wrong (?:video|project|movie|film)|(?:i )?meant (?:the )?other (?:video|project)"
    r"|not (?:this|that|the current) (?:video|project))(?![a-z])"
    # "wrong one!!" opening the message, said of the video (a song would be named: "wrong song")
    r"|^\s*(?:(?:no|nope|ugh|oops|argh)[\s,!.]+)?wrong one(?:\s*[!.]+|\s*$)"
    r"|不是(?:这个|当前的?)(?:视频|项目|片子)|(?:搞|弄|发)错(?:视频|项目|片子)了?"
    # "发错了发错了", "发错了啊": said twice or with a particle, as a flustered user types it (play28zh F27)
    r"|(?:^|[\s，,。！!？?])(?:我)?(?:发错了[啊呀吧]?)+(?=$|[\s，,。！!？?])"
)


@dataclass(frozen=True)
class Elsewhere:
    """What the words say of other projects: those they name, and whether they call the current
    video the wrong one. ``by``: how the words point there, said back in the answer so it quotes
    only what the user said ("杯子那个视频" is no "you said 秋冬新品马克杯", play-test 22 F13):
    "name" (its name), "described" (what it shows: ``words``), "text" (a quoted text only it
    has: ``words``), "file" (a file only it holds: ``words``) or "photo" (a photo called by words
    of its file's name, "the cupcake pic", that only those projects hold)."""

    named: tuple[Project, ...]
    wrong: bool
    by: str = "name"
    words: str = ""


def _text(prompt: str) -> str:
    """The prompt as the router reads it (quoted on-screen text masked), folded for matching."""
    return unicodedata.normalize("NFKC", normalise(prompt)).lower()


def _stem(word: str) -> str:
    """A word as a name would hold it: "running" → "run", "turns" → "turn", "dr." → "dr"."""
    word = word.lower().removesuffix("'s").strip("'-.")
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        if len(word) > 2 and word[-1] == word[-2]:
            word = word[:-1]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _is_default(project: Project) -> bool:
    return not project.named or len(default_names(project.name)) > 1


def _words(name: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(name.lower())}


def _pairs(name: str) -> set[str]:
    return {run[i : i + 2] for run in _CJK.findall(name) for i in range(len(run) - 1)}


def _distinct(project: Project, against: Project | None) -> tuple[set[str], set[str]]:
    """The words (stems) and Chinese character pairs of a project's name that tell it apart."""
    if _is_default(project):
        return set(), set()
    words = {
        w
        for w in _words(project.name)
        if len(w.strip(".")) >= 3
        and not w.isdigit()
        and w not in _GENERIC_EN
        and not _EDIT_WORD.fullmatch(w)
        and not _EDIT_VERB.fullmatch(w)
    }
    pairs = {p for p in _pairs(project.name) if not set(p) & _GENERIC_ZH}
    if against is not None and not _is_default(against):
        words -= _words(against.name)
        pairs -= _pairs(against.name)
    return words, pairs


def _whole_name(text: str, project: Project, words: set[str], pairs: set[str]) -> list[int]:
    """Where the name as shown stands in the words: a name of two words or more, or of three
    Chinese characters or more (a one-word name is only counted as "the <name> video")."""
    name = unicodedata.normalize("NFKC", project.name).lower().strip()
    several = len(_WORD.findall(name)) >= 2 or sum(len(r) for r in _CJK.findall(name)) >= 3
    if not name or not several or not (words or pairs):
        return []
    pattern = r"\s+".join(re.escape(part) for part in name.split())
    if _WORD.match(name[:1]) or _WORD.match(name[-1:]):
        pattern = r"(?<![a-z0-9])" + pattern + r"(?![a-z0-9])"
    return [m.start() for m in re.finditer(pattern, text)]


def _as_the_video(text: str, name: str, words: set[str], pairs: set[str], nouns: str) -> list[int]:
    """Where "the <word of the name> video" / "<名字里的词>那个视频" stands in the words."""
    found = []
    if words:
        for m in re.finditer(rf"(?<![a-z0-9])the ((?:[a-z0-9][a-z0-9.'-]* ){{1,3}}){nouns}(?![a-z])", text):
            if any(_stem(w) in words for w in m.group(1).split()):
                found.append(m.start())
    for part in _parts(name, pairs):
        # A few more words may stand between ("阳台种菜那个视频" for 阳台小菜园), not across a clause.
        found += [
            m.start() for m in re.finditer(re.escape(part) + f"[\u4e00-\u9fff]{{0,4}}?(?:{_NOUN_ZH})", text)
        ]
    return found


def _parts(name: str, pairs: set[str]) -> set[str]:
    """The runs of a Chinese name that hold a pair telling it apart ("老房子" of "告别老房子")."""
    runs = _CJK.findall(name)
    return {
        run[i:j]
        for run in runs
        for i in range(len(run))
        for j in range(i + 2, len(run) + 1)
        if any(run[k : k + 2] in pairs for k in range(i, j - 1))
    }


def _quoted(raw: str, project: Project, words: set[str], pairs: set[str]) -> list[int]:
    """Where the name stands quoted as a video's ("the “Night run crew” video", "「八十大寿」那个视频"):
    quoted words are otherwise on-screen text, masked."""
    if not (words or pairs):
        return []
    name = re.escape(unicodedata.normalize("NFKC", project.name).lower().strip())
    pattern = rf"[\"“「『']\s*{name}\s*[\"”」』']\s*(?:{_NOUN_EN}(?![a-z])|{_NOUN_ZH})"
    return [m.start() for m in re.finditer(pattern, raw)]


def _mentioned(text: str, raw: str, project: Project, against: Project | None, nouns: str) -> bool:
    """The words name the project, not under a negation."""
    words, pairs = _distinct(project, against)
    starts = _whole_name(text, project, words, pairs) + _as_the_video(text, project.name, words, pairs, nouns)
    if any(not _NOT_FOR_IT.search(text[:start]) for start in starts):
        return True
    return any(not _NOT_FOR_IT.search(raw[:start]) for start in _quoted(raw, project, words, pairs))


def elsewhere(prompt: str, current: Project, others: Sequence[Project]) -> Elsewhere | None:
    """What the prompt says of the user's other projects (``others``; the current one is
    skipped), or None when it is for the current project as far as its words tell."""
    text, raw = _text(prompt), unicodedata.normalize("NFKC", prompt).lower()
    others = [p for p in others if p.id != current.id]
    if not others or text.strip() == QUOTED.strip():
        return None
    wrong = _WRONG.search(text) is not None
    # The current project named plainly: its request, whatever else is said; unless the words also
    # call it the wrong video ("wrong video!! put the SUP one back…, and … on the paddle one").
    if not wrong and _mentioned(text, raw, current, None, rf"(?:{_NOUN_EN}|one)"):
        return None
    # "wrong video! i meant the harbor lane house one": beside "wrong video", "the <its words> one"
    # is that video (play24en F8); alone, "the beach one" may be a photo.
    nouns = rf"(?:{_NOUN_EN}|one)" if wrong else _NOUN_EN
    named = tuple(p for p in others if _mentioned(text, raw, p, current, nouns))
    return Elsewhere(named, wrong) if named or wrong else None


# "海边民宿那个视频", "国庆的那个视频", "the beach video", "the seaside one": a video described by what
# it shows, not by its name. Only before an explicit video noun ("那个视频", "the … video/one").
_ZH_DESCRIBED = re.compile(
    r"(?:^|[\s，,。！!？?]|(?<=把)|(?<=给)|(?<=在))([\u4e00-\u9fff]{2,8}?)(?:的)?(?:那个|那条|那支|那部)(?:视频|片子|项目)"
)
# Beside a free command that acts on a whole video ("把王姐那个导出来", "年终回顾那个导出吧"), "X那个" alone
# is a video: an export is never of a photo (play28zh F23: the current, other video was handed over).
_ZH_DESCRIBED_ALONE = re.compile(
    r"(?:^|[\s，,。！!？?]|(?<=把)|(?<=给)|(?<=将))([\u4e00-\u9fff]{2,8}?)(?:的)?(?:那个|那条|那支|那部)"
    r"(?:视频|片子|项目)?"
)
# In the words said in a project, "X那个(视频/里面)" points at a video, maybe another one ("刚才那个日出是要
# 加到年终回顾那个里面的"): no words the project was made with (play28zh F28: said in the recruiting
# video, 年终回顾 made "年终回顾那个视频" its own, and the edit was sent there and charged).
_ZH_POINTING = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:的)?(?:那个|那条|那支|那部)(?:视频|片子|项目|里面|里)?")
# The nouns include a photographer's words for such a video ("the wedding teaser", "the barn
# trailer", "the highlight film": play23en F2); a noun no video is called by default ("teaser") is
# part of the description, matched against each project's words as its other words are; so are a
# real-estate agent's ("the house walkthrough", "the harbor lane tour": play24en F1).
_EN_DESCRIBED = re.compile(
    r"(?<![a-z0-9])the ((?:[a-z][a-z'&-]* ){1,3})(video|vid|one|project|clip|reel|teaser|trailer|recap"
    r"|montage|slideshow|vlog|film|movie|walkthrough|walk-through|tour|listing|promo)s?(?![a-z])"
)
# Typed on a phone, without "the": "rosie vid: music 30%", "on rosie's video …" (play29en F10: sent
# to the current video, it landed there). Only opening a clause or after a preposition, and only
# "video"/"vid", whose words then must be no verb ("make vid 10 sec") nor a word any video has.
_EN_BARE_DESCRIBED = re.compile(
    r"(?:^|[.!?,;:]\s*|(?<![a-z])(?:on|for|in|of|from|to)\s+)"
    r"((?:[a-z][a-z'&-]* ){1,2})(vids?|videos?)(?![a-z])"
)
# Words of a description that say which of the user's videos by time or order, never by what it
# shows: "刚才那个视频", "the other one", "the new video".
_NOT_A_SUBJECT_ZH = re.compile(
    r"刚才|刚刚|上一个|上个|前一个|第[一二三四五六七八九十\d]|新|另一|另外|之前|原来|这|同一|当前|现在"
)
_NOT_A_SUBJECT_EN = frozenset(
    ("other", "same", "new", "current", "previous", "last", "first", "second", "third", "next", "old",
     "original", "whole", "final", "right", "wrong", "running", "latest", "earlier", "this", "that")
)  # fmt: skip


def describes_a_video(prompt: str, whole: bool = False) -> bool:
    """The words describe a video ("海边民宿那个视频", "the beach video"): worth reading which.
    ``whole``: the words are a command on a whole video, where "X那个" alone is one."""
    text = _text(prompt)
    zh = _ZH_DESCRIBED_ALONE if whole else _ZH_DESCRIBED
    return bool(zh.search(text) or _EN_DESCRIBED.search(text) or _bare(text))


def _bare(text: str) -> list[re.Match[str]]:
    """The article-less descriptions (``_EN_BARE_DESCRIBED``) whose words could name a video."""

    def an_edit(word: str) -> bool:
        return bool(_EDIT_VERB.fullmatch(word) or _EDIT_WORD.fullmatch(word))

    def a_subject(word: str) -> bool:
        return _stem(word) not in _GENERIC_EN and word not in _NOT_A_SUBJECT_EN and not an_edit(word)

    return [
        m
        for m in _EN_BARE_DESCRIBED.finditer(text)
        if not any(an_edit(w) for w in m.group(1).split()) and any(a_subject(w) for w in m.group(1).split())
    ]


# Everyday Chinese words for what a product or home video shows, and the English words its files
# are often named with, beside the clip words (``asked._ZH_CLIP_WORDS``): "杯子那个视频" for
# mug-red.jpg (play-test 22 F1).
_ZH_SUBJECT_WORDS: dict[str, frozenset[str]] = {
    "杯子": frozenset({"mug", "mugs", "cup", "cups"}),
    "马克杯": frozenset({"mug", "mugs"}),
    "水杯": frozenset({"cup", "cups", "bottle"}),
    "客厅": frozenset({"living", "livingroom", "lounge"}),
    "厨房": frozenset({"kitchen"}),
    "卧室": frozenset({"bedroom"}),
    "鞋": frozenset({"shoe", "shoes", "sneaker", "sneakers"}),
    "宝宝": frozenset({"baby"}),
    "婚礼": frozenset({"wedding"}),
    "生日": frozenset({"birthday", "bday"}),
    "毕业": frozenset({"graduation", "grad"}),
}


def _describes(words: str, project: Project, files: Sequence[str], texts: Sequence[str]) -> int:
    """How much of the description names what the project shows (0: none of it): a word or
    Chinese pair of its name or of the user's words for it ("旅行" of 「做个横屏的旅行vlog」), or
    what its photos are named after ("海边" for beach.jpg, "杯子" for mug-red.jpg, "beach")."""
    file_words = {w for name in files for w in re.findall(r"[a-z]+", name.lower().rsplit(".", 1)[0])}
    shown_texts = (project.name if not _is_default(project) else "", *texts)
    if _CJK.search(words):
        subjects = [en for zh, en in _ZH_SUBJECT_WORDS.items() if zh in words]
        photo = _zh_names(words, file_words) or any(en & file_words for en in subjects)
        described = _pairs(words) - {p for p in _pairs(words) if set(p) & _GENERIC_ZH}
        shown_texts = (shown_texts[0], *(_ZH_POINTING.sub(" ", t) for t in shown_texts[1:]))
        said = set().union(*(_pairs(t) for t in shown_texts)) if shown_texts else set()
        return int(photo) + len(described & said)
    said_en = {_stem(w) for w in _WORD.findall(words)} - {_stem(w) for w in _GENERIC_EN}
    said_en = {w for w in said_en if len(w) >= 3}
    if not said_en:
        return 0
    # What the video is (its photos, the name it was given) weighs twice what the user merely said
    # in it: "use the same song as the lake trip video", said in the bake sale video, makes "the
    # lake one" no tie between the two (play27en F10).
    own = {_stem(w) for w in file_words}
    if not _is_default(project):
        own |= {_stem(w) for w in _WORD.findall(project.name.lower())}
    said_in = {_stem(w) for t in texts for w in _WORD.findall(t.lower())}
    return 2 * len(said_en & own) + len((said_en - own) & said_in)


def described(
    prompt: str,
    current: Project,
    others: Sequence[Project],
    files: dict[str, list[str]],
    texts: dict[str, list[str]],
    offered: str = "",
    whole: bool = False,
) -> Elsewhere | None:
    """A video the words describe by what it shows ("海边民宿那个视频的音乐…", "the beach video"),
    when that describes other projects and not the current one (``files``/``texts``: each
    project's uploaded file names and the user's words for it, by id): the one it fits best, or
    those that fit equally well (play-test 22 F1: "海边旅行那个视频" fit 厦门三日 by its photo
    and its words, 秋冬新品马克杯 2 by a photo only; sent to the mug video, it was charged there).
    Cautious: an ordinary edit ("把海边那张放最后") names no video; a description the current
    project fits as well is its own. ``offered``: the last answer; a description that names a
    track it offered ("the upbeat pop one" after "Upbeat Pop, Calm Piano…") is about the music."""
    text = _text(prompt)
    # (the words of the description, the description as said: "杯子那个视频")
    found = [
        (m.group(1), m.group(0).lstrip(" ，,。！!？?").removeprefix("把").removeprefix("给"))
        for m in (_ZH_DESCRIBED_ALONE if whole else _ZH_DESCRIBED).finditer(text)
        if not _NOT_A_SUBJECT_ZH.search(m.group(1))
    ]
    found += [
        (f"{m.group(1).strip()} {m.group(2)}", m.group(0))
        for m in _EN_DESCRIBED.finditer(text)
        if not set(m.group(1).split()) & _NOT_A_SUBJECT_EN and not _NOT_FOR_IT.search(text[: m.start()])
    ]
    found += [(f"{m.group(1).strip()} {m.group(2)}", m.group(0).lstrip(" .!?,;:")) for m in _bare(text)]
    others = [p for p in others if p.id != current.id]
    for words, as_said in found:
        # "use the upbeat pop one" after an answer that offered Upbeat Pop: the track, never a video
        # the user merely said that song in (play27en S2); a video named or shown so still counts
        said = {} if _offered_track(words, offered) else texts
        if _describes(words, current, files.get(current.id, []), said.get(current.id, [])):
            return None  # the current video fits: its request
        fits = {p.id: _describes(words, p, files.get(p.id, []), said.get(p.id, [])) for p in others}
        best = max(fits.values(), default=0)
        if best:
            return Elsewhere(tuple(p for p in others if fits[p.id] == best), False, "described", as_said)
    return None


_MUSIC_SAID = re.compile(r"(?i)\b(?:music|songs?|tracks?|tunes?|soundtracks?|bgm)\b|音乐|配乐|曲")


def _offered_track(words: str, offered: str) -> bool:
    """The description's own words ("upbeat pop" of "upbeat pop one") stand together in an answer
    that speaks of music: they name a track it offered, not a video."""
    said = [w for w in _WORD.findall(words) if w not in _GENERIC_EN]
    if not said or not offered or not _MUSIC_SAID.search(offered):
        return False
    phrase = r"[\s_-]+".join(re.escape(w) for w in said)
    return re.search(rf"(?<![a-z0-9]){phrase}(?![a-z0-9])", offered.casefold()) is not None


# --- what the request edits, that only another project has ----------------------------------------
# "「洗澡前」改到第1秒出现", "把「A」删掉", "move 'Before' to 1s": a quoted text the words edit (it is
# there already); never one they add ("加上「X」", "add 'X'") or change to ("标题换成「X」", "to 'B'").
_ONE_QUOTE = re.compile('["“「『]([^"“”「」『』\n]{1,80})["”」』]' + r"|(?<!\w)'([^'\n]{1,80})'(?!\w)")
_EDITS = re.compile(
    r"(?i)改|换|删|去掉|拿掉|挪|移|调|放到|放在|提前|推迟|延后"
    r"|\b(?:move|change|replace|remove|delete|shift|drop|swap|show|put|make|start|push|bring)\b"
)
_ADDS = re.compile(r"(?i)加|添|新增|写|\b(?:add|adding|insert|new|write|type)\b")
_NEW_TEXT_BEFORE = re.compile(
    r"(?i)(?:成|为|叫|是|\bto|\bwith|\bas|\binto|\bcalled|\bsaying|\breads?)\s*(?:the\s+)?"
    r"(?:(?:new\s+)?(?:caption|title|text|words?)\s+)?$"
)
_CLAUSE_END = re.compile(r"[.!?。！？;；\n，,]")


def _clauses(text: str) -> list[str]:
    """``text`` cut into clauses at ``_CLAUSE_END``, never inside a quote: "move the "Leo is 6!" text
    to the end" and "Sept 14, 2026" are one clause each (play23en F1: the "!" cut the quote)."""
    inside = {i for m in _ONE_QUOTE.finditer(text) for i in range(m.start() + 1, m.end() - 1)}
    cuts = [m.start() for m in _CLAUSE_END.finditer(text) if m.start() not in inside]
    starts = [0, *(c + 1 for c in cuts)]
    return [text[a:b] for a, b in zip(starts, [*cuts, len(text)], strict=True)]


def edited_texts(prompt: str) -> list[str]:
    """The quoted texts the words edit as already there (see above), one quote per clause."""
    found: list[str] = []
    for clause in _clauses(_zh_gaps(prompt)):
        quotes = list(_ONE_QUOTE.finditer(clause))
        if len(quotes) != 1:
            continue
        quote = quotes[0]
        outside = clause[: quote.start()] + " " + clause[quote.end() :]
        if (
            _EDITS.search(outside)
            and not _ADDS.search(outside)
            and not _NEW_TEXT_BEFORE.search(clause[: quote.start()])
        ):
            found.append("".join(g or "" for g in quote.groups()).strip())
    return list(dict.fromkeys(t for t in found if t))


def _photo_words(prompt: str) -> list[str]:
    """The user's words for photos: the files named, and the clips an order or a use names."""
    stated = read(prompt)
    return list(
        dict.fromkeys([*files_named(prompt), *(w for w, _ in stated.order), *stated.sequence, *stated.uses])
    )


# "the cupcake pic", "the beaker and flask pics", "the cookie one": a photo called by what it shows,
# in words its file is named with (cupcakes.jpg); "one" only where no comparison or model precedes.
_PHOTO_SAID = re.compile(
    r"(?<![a-z0-9])the ((?:[a-z][a-z'-]* ){1,3}?(?:(?:and|&|or) (?:the )?(?:[a-z][a-z'-]* ){1,2})?)"
    r"(pics?|photos?|pictures?|shots?|images?|ones?)(?![a-z])"
)


def photos_said(prompt: str) -> list[tuple[str, frozenset[str]]]:
    """The photos the words call by what they show: (the words as said, the stems of each photo's
    distinct words), one item per photo ("the beaker and flask pics" is two)."""
    text = _text(prompt)
    found: list[tuple[str, frozenset[str]]] = []
    for m in _PHOTO_SAID.finditer(text):
        if m.group(2).startswith("one") and _NOT_FOR_IT.search(text[: m.start()]):
            continue  # "than the cookie one", "like the lake one": compared with, not edited
        for part in re.split(r"\s(?:and|&|or)\s(?:the\s)?", f" {m.group(1)} "):
            stems = frozenset(
                _stem(w)
                for w in re.findall(r"[a-z0-9]+", part)
                if w not in _GENERIC_EN and len(_stem(w)) >= 3
            )
            if stems and not any(w.isdigit() or w[:1].isdigit() for w in stems):
                found.append((m.group(0), stems))
    return found


def _photo_named(stems: frozenset[str], names: Sequence[str]) -> bool:
    """A file whose name's words (singular or plural: cookies.jpg for "the cookie one") hold every
    distinct word said for the photo."""
    return any(
        stems <= {_stem(w) for w in re.findall(r"[a-z0-9]+", name.lower().rsplit(".", 1)[0])}
        for name in names
    )


def edits_elsewhere(
    prompt: str,
    current: Project,
    others: Sequence[Project],
    files: dict[str, list[str]],
    texts: dict[str, list[str]],
) -> Elsewhere | None:
    """The words edit a quoted text the current project doesn't have and exactly one other project
    has (``texts``: the texts known in each, by id), or name a photo only one other project holds
    (``files``): that project, else None. Cautious: never when the current project has it too."""
    others = [p for p in others if p.id != current.id]

    def has_text(pid: str, text: str) -> bool:
        return any(text.casefold() in said.casefold() for said in texts.get(pid, []))

    def has_photo(pid: str, word: str) -> bool:
        return any(_names_clip(word, name) for name in files.get(pid, []))

    def file_of(pid: str, word: str) -> bool:
        """``word`` is written as one of the project's file names ("city-lights", "sunrise.jpg"):
        a word for what a photo shows ("海边那张") is an ordinary edit, never held for it."""
        said = word.casefold()
        names = [name.casefold() for name in files.get(pid, [])]
        return any(said in (name, name.rsplit(".", 1)[0]) for name in names)

    for text in edited_texts(prompt):
        if not has_text(current.id, text) and len(fits := [p for p in others if has_text(p.id, text)]) == 1:
            return Elsewhere((fits[0],), False, "text", text)
    for word in _photo_words(prompt):
        if has_photo(current.id, word):
            continue
        if len(fits := [p for p in others if has_photo(p.id, word)]) == 1 and file_of(fits[0].id, word):
            return Elsewhere((fits[0],), False, "file", word)
    # "make the cupcake pic show longer" where only other projects hold cupcakes.jpg: sent here it
    # would edit (and charge) a video without that photo (play27en S1). Several fit: the user says.
    for said, stems in photos_said(prompt):
        if _photo_named(stems, files.get(current.id, [])):
            return None  # the current project has that photo: its request
        if fits := [p for p in others if _photo_named(stems, files.get(p.id, []))]:
            return Elsewhere(tuple(fits), False, "photo", said)
    return None
