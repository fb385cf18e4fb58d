"""What the words ask of the music: none at all, a volume limit or level, quieter or louder,
another track, or the one there asked to stay: the readers behind those fields of ``Asked``.
"""

from __future__ import annotations

import re

from .base import _EN_POLITE, latin
from .words import _clauses, _plainly

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


_EN_OTHER_AUDIO = re.compile(
    r"(?i)\b(?:voice|voiceover|voice-over|narration|sound\s+effects?|sounds?\s+of|sounds|sfx|ambient|ambience)\b"
    r"|\b(?:waves?|ocean|sea|rain|wind|birds?|crowd|natural|original|live|real|the)\s+sound\b"
)
_ZH_NO_MUSIC = re.compile(
    r"(?:不要|不用|不加|别加|不需要|不配|无|去掉|拿掉|删掉|删除|关掉)(?:任何)?(?:背景)?(?:音乐|配乐|bgm|BGM)|静音"
    # the music named first: "音乐也不要", "把音乐删掉", "背景音乐去掉吧", "音乐就不要了"
    r"|(?:背景)?(?:音乐|配乐|bgm|BGM)(?:也|就|都|全)?(?:不要|不用|不需要|去掉|拿掉|删掉|删除|关掉|取消|删了|去了|拿走)"
)


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
# (the music by its instrument too: "keep the piano, just bump it up to 25%", play28en F9)
_MUSIC_WORD = latin(
    r"(?i)音乐|配乐|音量|歌|\b(?:music|volume|song|bgm|soundtrack|piano|guitar|violin|cello|ukulele|strings)\b"
)
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
    r"|increase|decrease|boost|have|bump|crank|dial|knock|pump|make)\s+)?(?:the\s+)?(?:(?:background\s+|[a-z]+\s+)?"
    + _EN_MUSIC_NOUN
    + r"(?:'s)?"
    r"(?:\s+volume)?|volume(?:\s+of\s+the\s+(?:music|song|bgm|soundtrack))?)\s+(?:(?:down|up|back)\s+)?"
    # "music volume 35%", "make the music 60% on this one": the level without "to" (play29en)
    r"(?:(?:to|at)\s+)?" + _EN_ABOUT + r"(\d{1,3})\s*%(?:\s+volume)?(?:\s+or\s+so)?"
    r"(?:\s+(?:on|for|in)\s+(?:this|that|it|the\s+[\w'&-]+)(?:\s+(?:one|video|vid))?)?"
    r"(?:\s+(?:please|pls|plz|thx|thanks|now))*\s*[.!。！]?\s*$"
)
# ("bgm 音量调到10%": a space after an English word, as typed beside Chinese; play29zh F11)
_ZH_MUSIC_AT = re.compile(
    r"^(?:再|并|然后|请|麻烦)?(?:帮我)?(?:把|将)?(?:(?:背景)?(?:音乐|配乐|bgm|BGM)\s*(?:的)?\s*(?:音量)?|音量)\s*"
    # "音乐小声点调到20%": which way, then the level it goes to
    r"(?:(?:再)?(?:小|低|轻|大|响|高)(?:声)?(?:一)?(?:点|些)\s*)?"
    r"(?:调到|调成|调至|降到|降低到|降至|调低到|调高到|提高到|升到|设为|设成|设置为|设置成|改成|改为|保持在|在|是|用)?\s*"
    r"(?:大概|大约|约)?\s*(\d{1,3})\s*[%％]\s*(?:左右|上下)?\s*(?:就好|就行|就可以|吧|即可)?\s*[。！]?\s*$"
)
# "about 20%" is met by 18-22%; an exact "20%" by a track NemoVideo set to 19 or 21 (its own
# rounding) as well: the found level is always said, so a near miss is never hidden.
VOLUME_TOLERANCE = 2.0


# --- a part taken back, a remark ------------------------------------------------------------------
# "lower the music a bit, to about 20%", "音乐小一点，20% 左右": the level is the music's.
_BARE_LEVEL = re.compile(
    # "…a bit louder, like 50%": the level said loosely, with no "to" (play22en F5)
    # "the piano music is too quiet now, bump it to 30%": "it" is the music the clause before named
    r"(?i)^\s*(?:(?:just|and|then|also|pls|please)\s+)*"
    r"(?:(?:bump|set|turn|put|bring|crank|raise|lower|drop|dial|knock|pump|make)\s+it\s+)?"
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


# "turn it down to like 20%": turning "it" down or up is the sound's, whatever "it" was called before
_EN_IT_TURNED = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:turn|crank|dial|knock|bring)\s+it\s+"
    r"(?:(?:a\s+bit|a\s+little|way)\s+)?(?:down|up)\s+(?:(?:a\s+bit|a\s+little)\s+)?(?:(?:to|at)\s+)?"
    + _EN_ABOUT + r"(\d{1,3})\s*%(?:\s+or\s+so)?(?:\s+(?:please|pls|plz))?\s*[.!]?\s*$"
)  # fmt: skip


def _music_at(sentences: list[str]) -> float | None:
    found: set[float] = set()
    for sentence in sentences:
        clauses = _clauses(sentence)
        for n, clause in enumerate(clauses):
            if _EN_MUSIC_UNDER.search(clause) and not _RAISE.search(clause):
                continue  # "music up to 30%" is a limit (read by _music_under), not a level
            match = _EN_MUSIC_AT.match(clause) or _ZH_MUSIC_AT.match(clause) or _EN_IT_TURNED.match(clause)
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
_EN_SOUND = latin(r"(?i)\b(?:music|song|bgm|soundtrack|volume|quieter|softer|louder|loud)\b")
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


# --- shape -----------------------------------------------------------------------------------
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
