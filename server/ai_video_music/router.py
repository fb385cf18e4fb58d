"""What the user said → which action runs. Pure, table-driven, and precise: it routes only
what it is sure of.

A prompt that plainly asks to export, check credits, see the status, upload, cancel or start
a new video runs that action directly, with no agent turn (no credits spent, no SSE). A
command word is *not* that command when it sits in an editing instruction ("add a 'Download
now' caption", "render it in watercolor style", "stop the music at 10 seconds"), under a
negation ("don't export yet", "先别导出") or a condition or time ("before you export",
"导出之前"), or in a question ("what happens if I export now?"). An edit goes to the agent, and
never becomes an export, a cancel or a new project. A question is never sent to the agent
(which charges for every turn) unless it is plainly a polite edit request ("can you make the
music quieter?"): questions about credits or progress are answered from our own records, and
any other question is ``ASK``, which the service confirms before spending anything.

When unsure, nothing is spent or done unasked: a statement with neither an edit nor a command
we know ("send a copy to my email", "我自己待会导出") is ``ASK`` too, while consent to what the
agent proposed ("yes, go ahead") stays with the agent.

How: the prompt is normalised (paths, quoted text and on-screen phrases such as "end credits"
masked, full-width forms folded, emoji read as punctuation), split into sentences and clauses,
and each clause read from the pattern tables below: idle, held (a command word under a
negation or condition), a command, an edit instruction, a description of what is wrong,
consent, or unknown. English matches whole words (letters and digits bound a word, so
"帮我export一下" still matches); Chinese matches substrings. Tests score the tables against a
labelled corpus (tests/router_corpus.tsv) and a held-out one never tuned on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import lru_cache

from . import asked


class Action(StrEnum):
    CANCEL = "cancel"
    NEW_PROJECT = "new_project"
    EXPORT = "export"
    CREDITS = "credits"
    STATUS = "status"
    UPLOAD = "upload"
    AGENT = "agent"
    ASK = "ask"  # a question the agent would charge for: confirm before spending
    # Only "try again" / "再试一次": a repeat of the project's last request, confirmed before
    # anything is sent (it costs again, and that request may already have landed).
    REPEAT = "repeat"


@dataclass(frozen=True)
class Decision:
    action: Action
    keyword: str | None = None
    files: tuple[str, ...] = field(default=())
    urls: tuple[str, ...] = field(default=())
    new_project: bool = False  # start a new project before doing the rest
    # Commands the user held back in this prompt ("add a caption, don't export yet", "我自己待会导出"):
    # no answer may then suggest them (an assistant told "call export" after "先别导出" exports).
    held_back: frozenset[Action] = frozenset()
    # Nothing but held-back commands and idle words ("先别导出", "thanks, don't export yet"): an
    # instruction to us, answered for free, never a question for the (paid) agent.
    only_held: bool = False
    # Beside a held command, words that ask for no edit we know ("先别导出，等我看看文案"): most
    # likely why it is held. Not sent to the agent; the answer quotes them, so an edit among them
    # is not lost unsaid.
    aside: tuple[str, ...] = ()
    # "Go ahead" / "继续吧": agreeing, to the agent's proposal or (after a request refused for its
    # cost) to that request: the caller knows which.
    consent: bool = False
    # "Try the reorder again", "顺序再弄一次": words that redo an earlier request they name. Which
    # one, only the project's requests tell (see consent.repeat_named): that one again, confirmed
    # like "try again"; none such ("redo the intro" with no intro asked before): the action above.
    redo: str = ""
    # Only a protest at what was done ("不对不对", "错了错了", "不是这样"): no question for the (paid)
    # agent and no change named. Answered for free with what the project's video is now, and a
    # question back: what is wrong (play25zh F6).
    protest: bool = False
    # Only "undo that" / "撤销刚才那个": NemoVideo has no undo, so sent it would be charged for a turn
    # that can't do it. Held for free with what the last request changed, and how to ask for it
    # back as an edit (play27zh F1: priced as "a question" and, confirmed, charged 50 credits).
    undo: bool = False


def _words(*alternatives: str) -> str:
    """English alternatives as whole words: no ASCII letter or digit may touch either end. The
    longest are tried first, so "i want to" is taken whole before "i"."""
    ordered = sorted(alternatives, key=len, reverse=True)
    return r"(?<![a-z0-9])(?:" + "|".join(ordered) + r")(?![a-z0-9'])"


def _verbs(*stems: str) -> tuple[str, ...]:
    """Each verb with its -s and -ing forms ("remove" → removes, removing). Not -ed: "I used all
    my credits" reports, it doesn't ask for an edit."""
    return tuple(
        f"{v[:-1]}(?:e|es|ing)" if v.endswith("e") else f"{v}(?:s|es|ing|{v[-1]}ing)?" for v in stems
    )


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --- normalising -------------------------------------------------------------------------------

_PATH = re.compile(
    r"""(?:(?<=\s)|^)(
        https?://[^\s"'<>]+                      # a URL
      | ~?/[^\s"'<>]+\.[A-Za-z0-9]{2,5}         # a POSIX path with an extension
      | \.{1,2}/[^\s"'<>]+\.[A-Za-z0-9]{2,5}    # a relative path
      | [A-Za-z]:\\[^\s"'<>]+\.[A-Za-z0-9]{2,5} # a Windows path
    )""",
    re.VERBOSE,
)
MEDIA, QUOTED, ON_SCREEN = " mediafile ", " quotedtext ", " onscreenthing "

# Quoted words are text to show in the video, never a command ("add a 'Download now' caption").
_QUOTES = _rx(r"\"[^\"]*\"|“[^”]*”|「[^」]*」|『[^』]*』|«[^»]*»|(?<![a-z0-9])'[^'\n]+'(?![a-z0-9])")
# Phrases that look like commands but name something in the video: masked as an edit.
_ON_SCREEN = _rx(
    _words(
        "(?:end|opening|closing|final|movie|film) credits", "roll(?:ing)? the credits",
        "credits (?:scene|roll)", "credits:", "white balance", "balance (?:the|between|out|it)",
        "(?:progress|status|loading) bar", "stop[- ]motion",
    )
    + r"|进度条|余额宝|演职员表|上传时间"
)  # fmt: skip
_EMOJI = _rx("[\U0001f000-\U0001faff\u2600-\u27bf]+")
_RENAME = (
    (_rx(_words("final cut")), " final version "),
    (_rx(_words("(?:i )?changed my mind", "(?:copyright|royalty)[- ]free") + "|我?改(?:变)?主意了?"), " "),
    (_rx(_words("(?:more|extra|additional) (?:credits?|points)")), " credits "),
    # "keep rendering" is no edit; "keep the music" is
    (_rx(_words("keep (?:going|rendering|exporting|running|working|it running)")), " "),
    (_rx(r"上传的"), "传来的"),  # "the photos I uploaded" is not an upload
    # "sunrise 1st!!": a phone's ordinals are the words (play29en F4: read as no edit, dropped)
    (_rx(r"(?<![\w.:/-])1st(?![\w])"), "first"),
    (_rx(r"(?<![\w.:/-])2nd(?![\w])"), "second"),
    (_rx(r"(?<![\w.:/-])3rd(?![\w])"), "third"),
)


def extract_media(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Local paths and http(s) URLs written in a prompt, as (files, urls)."""
    found = [m.group(1).rstrip(".,;)?!") for m in _PATH.finditer(text)]
    urls = tuple(f for f in found if f.startswith(("http://", "https://")))
    files = tuple(f for f in found if f not in urls)
    return files, urls


# "…挪到最后3秒 对了这音乐能商用吗", "make it 10 s btw can I use the music commercially?": an aside
# opens a sentence of its own, so the question beside an edit leaves the edit one (play23zh F4:
# the whole was read as the licence question, and the edits went unmentioned).
_ASIDE_BREAK = _rx(
    r"[\s,，、]+(?=(?:对了|顺便问一下|顺便问下|顺便问问|顺便说一下|另外问一下|还有个问题|还想问一下|想问一下)"
    r"|(?:btw|by the way|quick q(?:uestion)?|one more question)(?![a-z]))"
)


def normalise(prompt: str) -> str:
    """Lower case, full-width forms folded, curly apostrophes straightened; paths, quotes and
    on-screen phrases masked so their words are never read as commands."""
    text = _PATH.sub(MEDIA, prompt)
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    text = _QUOTES.sub(QUOTED, text)
    text = _ON_SCREEN.sub(ON_SCREEN, text)
    text = _EMOJI.sub(",", text)  # "太好了😍导出吧": an emoji ends a clause
    for pattern, replacement in _RENAME:
        text = pattern.sub(replacement, text)
    text = _ASIDE_BREAK.sub("。", text)
    text = _ZH_EXPORT_TYPO.sub("导出", text)  # "导处来": a slip of the pinyin keyboard (play27zh F8)
    text = asked.zh_slips(text)  # "标提" for 标题, as the readers of what was asked take it
    return _ZH_EXPORT_SHORT.sub("导出", text)  # "先别导了": 导 for 导出


# --- clauses -------------------------------------------------------------------------------

# A colon between digits is a ratio or a time ("16:9", "0:05"), never the end of a clause.
_CLAUSE = _rx(r"((?:[^.!?;,\n。！？；，、:]|(?<=\d):(?=\d))+)([.!?;,\n。！？；，、:]*)")
# "cancel the export i forgot the logo": a first-person reason opens a new clause.
_JOINERS = _rx(
    _words("and then", "then", "and", "but", "also", "so")
    + r"|(?<=[a-z]) (?=i (?:forgot|need|want|have|just|still|think|meant|realized|realised)\b)"
    + "|然后|接着|并且|同时|(?=我(?:忘了|要先|想先|还要|发现))"
)
# A space between Chinese words ends a clause, as a comma would ("停止 先别导出了 音乐还没去掉").
_ZH_SPACE = _rx(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")


# A clause's leading interjections ("ah never mind", "oh, export it", "啊算了", "好吧，导出"): they
# never change what it asks, so they are dropped before it is read. Only words that are nothing
# else where they stand: "well done" and "right after the intro" keep theirs.
_LEADING_INTERJECTION = _rx(
    r"^(?:(?:a+h+|o+h+|ooh+|h+m+|u+m+|u+h+|erm?|eh|well(?! (?:done|made|lit|timed|played|edited))"
    r"|ok|okay|alright|so|actually|oops|whoops|ugh+|argh+|meh|welp|right(?=\s*$)"
    # "no"/"wait" are holds or edits elsewhere ("no music", "wait before exporting")
    # A drawn-out "nooo", or "no wait", before a stop is a cry, never a negation of it ("wait nooo
    # stop", "no wait cancel that"; play28en F7, F1), where "no cancel" keeps its meaning.
    r"|(?:no|nah|nope)(?= (?:never ?mind|forget (?:it|that|about it)|scrap|wait (?:cancel|stop)))"
    r"|noo+(?= (?:wait )?(?:cancel|stop))"
    r"|wait(?= (?:noo+ )?(?:never ?mind|forget (?:it|that|about it)|scrap|cancel|stop)))(?:\s+|$))+"
    "|^(?:啊+|哎呀|哎哟|哎+|唉+|嗯+|呃+|哦+|噢+|喔+|诶+|欸+|好吧)+"
)


@dataclass(frozen=True)
class Clause:
    text: str
    question: bool  # its sentence is a question
    sentence: int


def clauses(text: str) -> list[Clause]:
    """Sentences split at punctuation, then at joiners ("and then", "然后"); a clause is a
    question when its whole sentence is ("can you add a fade and export?")."""
    out: list[Clause] = []
    for n, m in enumerate(_CLAUSE.finditer(text)):
        marked = "?" in m.group(2)
        question = _is_question(m.group(1).strip(), marked)
        chunks = _ZH_SPACE.split(m.group(1))
        for i, chunk in enumerate(chunks):
            # The question mark belongs to the last of the words a space parts, as a comma would
            # part them: "做个15秒的视频 配乐能商用吗？" asks for a video, then asks (play27zh F2).
            # Without a mark, only words that ask themselves: "怎么变成5秒了 改回20秒" asks why,
            # then asks for 20 seconds (play28zh F10: held as a question, priced). Words a space
            # parts ask on their own, as after a comma: "等下 这个bgm能商用吗 我要挂小黄车的" asks,
            # whatever the remark after it (play29zh F7: sent as an edit, charged).
            last = i == len(chunks) - 1 and (marked or len(chunks) == 1)
            asks = (question and last) or (len(chunks) > 1 and _is_question(chunk.strip(), False))
            parts = (_LEADING_INTERJECTION.sub("", p.strip()).strip() for p in _JOINERS.split(chunk))
            out.extend(Clause(p, asks, n) for p in parts if p)
    return out


# --- the tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    action: Action
    pattern: re.Pattern[str]
    # A strict verb is common in other senses ("render it in watercolor", "save the song for
    # the end"): it is the command only when nothing but filler is left around it.
    strict: bool = False


# Order is priority when a prompt names several: "cancel the export" / "停止导出" cancel, and what is
# free comes before what acts ("导出进度", "export progress", asks for the status).
COMMANDS: tuple[Command, ...] = (
    Command(Action.CANCEL, _rx(_words("cancel", "cancle", "abort") + "|取消|停止|算了")),
    Command(
        Action.CANCEL,
        # ("停停停 取消": the stop said thrice, never words beside it quoted back: play28zh F25)
        _rx(_words("stop", "kill", "never ?mind", "forget it") + "|停下来?|停一下|停掉|停停+"),
        strict=True,
    ),
    Command(
        Action.CREDITS, _rx(_words("credits?", "crdits", "creds", "balance", "points") + "|积分|余额|点数")
    ),
    Command(Action.STATUS, _rx(_words("status", "staus", "progress") + "|状态|进度")),
    Command(
        Action.EXPORT,
        _rx(
            _words("export(?:ing)?", "exprot", "expot", "exort", "download", "downlaod", "dowload")
            + "|导出|下载"
        ),
    ),
    Command(
        Action.EXPORT,
        _rx(
            _words(
                "render",
                "save",
                r"send (?:it|this|that|the \w+|my \w+)? ?(?:to me|over|back)",
                r"send me (?:the |my )?(?:\w+ )?(?:video|file|mp4|movie|result|it)",
                r"(?:give|get) me the (?:\w+ )?(?:video|file|mp4|movie)",
                r"(?:i )?(?:want|need) (?:the|my) (?:\w+ )?(?:video|file|mp4|movie)",
            )
            + "|渲染|保存|发给我|发我|发过来|给我发|传给我"
        ),
        strict=True,
    ),
    Command(
        Action.STATUS,
        _rx(
            _words(
                r"(?:show|see|check|view)(?: me)? (?:the |my )?(?:tracks|timeline)",
                "tracks",
                "timeline",
                r"what(?:'s| is) (?:\w+ )?(?:in|on) (?:the |my )?(?:video|project)",
            )
            + "|时间线|时间轴|轨道"
        ),
        strict=True,
    ),
    Command(Action.UPLOAD, _rx(_words("upload", "uplaod") + "|上传")),
)

# What may surround a command without asking for anything more ("ok, please export it now").
_FILLER = _rx(
    _words(
        "please", "pls", "plz", "let's", "lets", "let us", "ok", "okay", "alright", "now", "just",
        "right now", "a", "an", "the", "it", "this", "that", "these", "my", "me", "for me", "to me", "i",
        "i'd like to", "i want to", "i wanna", "go ahead and", "can you", "could you", "you", "time to",
        "video", "file", "files", "mp4", "version", "final", "finished", "current", "whole", "thing",
        "result", "to my (?:computer|laptop|phone|desktop|device|disk)", "locally", "everything", "all",
        "rendering", "exporting", "uploading", "for", "show", "see", "check", "view", "tell",
        "i changed my mind", "photos?", "pictures?", "start", "begin", "again", "here", "is", "are",
        "what's", "what is", "on", "in", "currently", "the user", "user", "user's", "for the user",
        "wants to", "would like to", "one", "that one", "this one", "last", "request", "job", "after all",
    )
    + "|请|帮我|给我|一下|吧|了|开始|现在|把|视频|成品|文件|到本地|下来|看看|看一下|查看|显示"
    "|我要|我想|可以|好的|好|的|这个|最终版|我|吗|做好|剪好|弄好|完成|最后|帮用户|给用户|用户|想"
)  # fmt: skip
# A clause that asks for nothing: thanks, a greeting, a pause, a laugh.
_IDLE = _rx(
    "^(?:"
    + _words(
        "thanks?(?: you)?(?: so much| a lot)?", "thx", "ty", "great(?: job)?", "nice", "cool", "awesome",
        "wow", "hmm+", "haha+", "lol", "lol ok", "ok", "okay", "perfect", "wait", "hi", "hello", "hey",
        "hold on(?: a (?:sec|second|moment|minute))?", "not now", "later", "one (?:sec|second|moment)",
        "ugh", "oh", "ah", "argh", "meh", "oops",
        # said beside a question: why they ask, no request (play26en F18)
        "(?:just |only )?(?:curious|asking|wondering)(?: (?:tho|though|really|that's all))?",
    )
    + "|谢谢你?|谢了|多谢|哈哈+|嗯+|好的?|你好|您好|等一下|等等|等下|等会儿?|稍等|辛苦了|不错|很好|太好了|棒"
    + r")[\s!~]*$"
)  # fmt: skip
# Agreeing to what the agent proposed: its own session knows what "do it" refers to.
_CONSENT = _rx(
    r"^(?:(?:ok|okay|yes|yeah|yep|yup|sure|sounds good|great|perfect|alright|please|pls|then|now|fine|so)"
    r"[\s,]*)*"
    + _words(
        "yes", "yeah", "yep", "yup", "sure", "go ahead", "do it", "do that", "please do(?: that| it)?",
        "sounds good", "let's do it", "that works", "yes please(?: do(?: that| it)?)?", "do the thing",
        "go for it", "proceed", "continue", "carry on",
        r"(?:go ahead|proceed|carry on|continue|go on) with"
        r" (?:that|it|this|the (?:\w+ )?(?:request|change|edit|one))",
        r"(?:do|send|run) it(?: now)?", r"do that(?: now)?",
    )
    + r"[\s!.~]*(?:please|pls)?[\s!.~]*$"
    # "就这样做吧" agrees; "就这样(吧)" alone leaves the video as it is (play27zh F6: "音乐不换了 就这样
    # 先别导出" was sent as consent and charged 50 credits)
    + "|^(?:好的?|行|可以)?(?:就这样|就这么)(?:做|办|改)吧?$|^(?:照这个|按这个)(?:做|改)吧?$"
    + "|^(?:好的?|那|那就|现在)?(?:继续|开始)(?:吧|做吧|弄吧)?$"
)  # fmt: skip
# "Stop making it", "别做了": ends the work under way, though "making" is an edit verb elsewhere.
_STOP_DOING = _rx(
    r"^(?:please |just |ok |okay )*(?:stop|quit|cease)\s+(?:making|generating|creating|rendering|exporting"
    r"|editing|working on|doing)(?:\s+(?:it|this|that|that one|this one|(?:the|my) (?:video|render|export"
    r"|job|request|project)))?(?:\s+(?:now|please))*$"
    + "|^(?:那|那就|先)?(?:别|不要|不用)(?:再)?(?:做|弄|生成|制作)(?:这个|那个|它)?了(?:吧)?$"
    + "|^(?:先|那就|那)?(?:停止(?:制作|生成)|停下来?|停一下|停掉)(?:吧|吧。)?$"
)
# A clause that only drops what was asked ("scrap that one", "这个不要了"): said alone, a cancel.
_DROP = _rx(
    r"^(?:(?:ugh|oh|ah|hmm|actually|ok|okay)[\s,]+)*(?:scrap|ditch|drop|trash|forget|skip|never ?mind)"
    r" (?:this|that|it)(?: one)?(?: after all)?$" + "|^(?:这个|那个)?不要了$|^不做了$"
)
# "Actually, scrap the spa one", "会员日那个先不要了": a whole video named and dropped, said alone.
_DROP_NAMED = _rx(
    r"^(?:(?:actually|ok|okay|so|hmm|just|please|nah|no)[\s,]+)*"
    r"(?:scrap|ditch|trash|bin|abandon|forget(?: about)?)"
    r"\s+(?:this|that|it|the (?:[\w'-]+ ){1,3}(?:one|video|project)|the (?:video|project))"
    r"(?: after all| then| instead| please)?$"
    + "|^(?P<named>[^，,]{0,16}?)(?:这个|那个)?(?:视频|项目)?(?:就|也|先|暂时)*(?:不要了|不做了|算了)$"
)
# Said beside "try again": why it can run now ("I've registered now", "我已经注册好了").
_CONTEXT = _rx(
    r"^(?:ok |okay |so |alright |done |fine )?(?:(?:i|we)(?:'ve| have)?(?: just| now| already| finally)*\s+)?"
    r"(?:signed up|registered|topped up|bought (?:more |some )?credits|added (?:more |some )?credits"
    r"|got (?:more |some )?credits|made an account|created an account)"
    r"(?: (?:on|at|with|for) nemovideo)?(?: now| just now| already)?$"
    + "|^(?:好了|好的)?我(?:已经|刚刚?|现在)?(?:注册|充值|充好值|买了积分|充了值)(?:好|完)?了?$"
    + "|^(?:好了|好的)?(?:已经|刚刚?|现在)?(?:注册|充值|充好值|充了值)(?:好|完)?了$"  # "注册好了"
)
# Said beside "try again" and asking nothing of it: that something is done ("OK done", "搞定了").
# The retry is still a retry; alone, it asks nothing we know.
_DONE = _rx(
    r"^(?:(?:ok|okay|alright|so|right|all) )?(?:(?:i'm|i am|we're|it's|that's|i've|we've|i have) )?"
    r"(?:(?:all|just|now) )?(?:done|finished|sorted|did it|fixed it)(?: now| already| it)?$"
    + "|^(?:我|我都|都|已经)*(?:弄好了|搞定了?|好了|完成了|做好了|办好了)$"
)
# How the user feels, naming no part of the video ("这也太坑了吧", "what a rip-off", "搞什么"):
# asks for nothing, so never an edit for the (paid) agent; beside "try again", still a retry.
_COMPLAINT = _rx(
    r"^(?:(?:man|seriously|come on|geez|jeez|god)[\s,]+)*"
    r"(?:what an? (?:rip-?off|scam|joke|waste(?: of \w+)?|pain|mess)"
    r"|(?:this|that|it)(?:'s| is| was)? (?:(?:so|really|such|a|an|totally|just|kind of) )*"
    r"(?:annoying|ridiculous|frustrating|rip-?off|scam|joke|pain|silly|stupid|terrible|useless|a mess)"
    r"|(?:this|that|it) sucks|seriously|come on|wtf|what the (?:hell|heck)|ridiculous|so annoying"
    r"|rip-?off|for real|are you kidding(?: me)?|you're kidding)[\s!.~]*$"
    + "|^(?:这|那|真|真是|也|太|简直|实在|好|有点|是|也太|就是)*"
    "(?:坑|坑人|坑爹|离谱|烦人?|无语|气人|过分|扯|烦死了?|气死了?|气死我了|郁闷|崩溃)(?:了|吧|啊|呀|嘛|呢|哦)*$"
    + "|^(?:搞什么(?:鬼|啊|呢|嘛)?|什么鬼|我?服了|无语了?|晕|靠|天哪|我去)$"
)
# Beside why it can run now: "carry on with the logo", "logo 那个继续" ask for the refused request.
_GO_ON = _rx(
    r"^(?:please |ok |okay |so |now )*(?:carry on|go on|continue|go ahead|proceed|do it)"
    r"(?: with [\w' -]{1,40})?(?: now| please)*$"
    + "|^[^，,。]{0,16}?(?:那个|这个)?(?:继续|接着做|接着来|继续做)(?:吧|做吧)?$"
)
# "The music is perfect, export it": praise names parts of the video but asks for no change.
_PRAISE = _rx(
    r"^(?:(?:the|this|that|it|everything|all)\s+)?(?:[a-z]+\s+)?(?:looks?|sounds?|is|are|'s|seems?)"
    r"(?:\s+(?:really|so|very|pretty|all|just))?\s+(?:great|good|perfect|fine|nice|amazing|awesome|beautiful"
    r"|lovely|ok|okay|right|good now|fine now)$"
    r"|^(?:i\s+)?(?:really\s+)?(?:love|like)\s+(?:it|this|that|(?:the|this|that|my|your)\s+[a-z]+)$"
    r"|^(?:(?:the|this|that|it|everything)\s+)?(?:[a-z]+\s+)?(?:works?|worked|fits?)"
    r"(?:\s+(?:now|well|perfectly|great))*$"
    "|^(?:这个|这|整个|整体)?(?:音乐|字幕|标题|画面|视频|片头|片尾|颜色|节奏|转场|效果|配乐)?"
    "(?:都|也|已经)?"
    "(?:很|挺|非常|真|太)?(?:好|棒|好看|好听|不错|完美|没问题|可以)(?:了|的|啊|呀)?$"
)
_FIRST_PERSON = _rx(r"^(?:i|i'm|i've|i'd|we|we're|we've)(?![a-z])|^我(?!来)")
# A wish said in the first person: what follows it is what they ask for.
_WISH = _rx(
    r"^(?:i|we) (?:(?:really |just |only )?(?:want|wanted|need|needed)|'d (?:like|prefer)"
    r"|would (?:like|prefer))(?![a-z])|^i'd (?:like|prefer)(?![a-z])|^我(?:是)?(?:要|想要|希望|想让|需要)"
)
# ... a clip's place at the clause's end: "the beach photo last", "it at the very end", "它放最后"
_PLACE_TAIL = _rx(
    r"(?<![a-z])(?:first|last|at the (?:very )?(?:start|end|beginning)|to the (?:start|end))[.!]*$"
    r"|(?:放|排|挪|移|在|到)(?:到|在)?(?:最后(?:一个|一张)?|第一(?:个|张)?|最前面?|开头|结尾)[。！!]*$"
)
_NO_CHANGE = "|" + asked.NO_CHANGE_WORDS  # "dont change anything": no edit asked
_NO_CHANGE_ONLY = _rx(asked.NO_CHANGE_WORDS)
# "Never mind the music, just export": what was asked before is dropped, nothing new is asked.
_RETRACT = _rx(
    r"^(?:never ?mind|forget(?: about)?) (?:the|that|about|my)(?![a-z])"
    r"|^(?:scrap|ditch|drop|trash|forget) (?:this|that|it)(?: one)?$"
    r"|^(?:just )?(?:leave|keep) (?:the |my |it|this|that)[\w ]*?(?:as it is|as is|alone|unchanged)$"
    # "just curious, dont change anything" (play26en F18: beside a question it was sent as an
    # edit, and the music was swapped): no change asked, never "anything else" (a limit on an edit)
    + _NO_CHANGE
    + "|保持原样|就算了|不用改了?|别改了|不改了|^(?:这个|那个)?不要了$"
    + "|^(?:好的?|行|那|那就|暂时|先)?就这样(?:吧|了|就好|就行|挺好)?$"
)
# 别 as "don't", not inside a word ("告别老房子" is a farewell, "别的" other, "特别" special).
_ZH_DONT = "(?<![告分特区性级类识辨离送道惜判鉴个差派])别(?![人的处墅致名扭针])"
_NEGATED = _rx(
    _words(
        "don't", "dont", "do not", "never", "no need to", "not yet", "not now", "hold off", "no",
        "without", "wait (?:to|before|until|with|on)", "not", "hang on(?: with)?", "hold on(?: with)?",
        "hold (?:the|back on|back)", "pause (?:the|on)", "hang fire on",
    )
    + "|" + _ZH_DONT + "|不要|先不|不用|暂时不|不需要|不必|没必要|还不|不想|不(?=导出|下载|渲染|上传|取消|发)"
)  # fmt: skip
_CONDITIONAL = _rx(
    _words(
        "before", "after", "when", "once", "if", "until", "unless", "as soon as", "later", "tomorrow",
        "tonight", "next (?:week|time)", "in a (?:bit|while|minute)", "i'll", "i will", "myself",
    )
    # "满意了再导出", "确认没问题后再导出": once something has happened (never "然后再导出", then)
    + "|之前|以前|以后|之后|如果|的话|要是|假如|等.{0,12}再|完了?(?:再|就|后|记得|告诉)|了再|(?<!然)后再"
    "|明天|稍后|待会|等会|回头|晚点|一会儿?|过会|改天|下次|我自己|我来"
)  # fmt: skip
# Asks the agent to change the video: an instruction ("trim", "加") or the words that say what
# and how ("the intro is too long", "音乐太吵"). Comparatives and "too" count.
_EDIT_VERB = _rx(
    _words(
        *_verbs(
            "add", "make", "create", "generate", "change", "cut", "trim", "remove", "delete", "replace",
            "put", "insert", "set", "use", "turn", "apply", "move", "speed", "slow", "fade", "crop", "rotate",
            "mute", "swap", "translate", "fix", "redo", "lower", "raise", "increase", "decrease", "shorten",
            "extend", "brighten", "darken", "zoom", "blur", "loop", "reverse", "flip", "split", "merge",
            "combine", "overlay", "animate", "flash", "describe", "keep", "shove",
        ),
        "ad", "making", "edit", "fade[- ]?(?:in|out)",  # "I'm done editing" is no edit
        # removals said as phrasal verbs (play28en F8: "get rid of the title" was priced as a question)
        "get(?:s|ting)? rid of", "take(?:s)? (?:out|off)(?= [a-z])", "taking (?:out|off)(?= [a-z])",
        # "stick the forest pic on the end" (play29en F11), never "stick with this one"
        r"stick(?!\s+(?:with|to|around)\b)",
    )
    + "|加|添加|剪|删|去掉|换|替换|改|调|放大|缩小|缩短|延长|加快|放慢|淡入|淡出|静音|插入|切到|裁"
    "|做一个|做个|制作|生成|保留"
)  # fmt: skip
# An edit said not done yet ("音乐还没去掉", "标题没改"): a description of what is wrong, as "the
# music is still there" is; beside a stop it is why they stop (play25zh S1), never an edit of its own.
_ZH_NOT_DONE = _rx(
    "(?:还|仍然?|依然|都|并)?没有?(?:被|给我|帮我)?(?:去掉|去除|删掉?|删除|加上?|添加|改|换|替换|调|剪|缩短|延长|静音)"
)
_EDIT_WORD = _rx(
    _words(
        "music", "songs?", "audio", "sound", "voice", "voiceover", "volume", "bass", "vocals", "bgm",
        "titles?", "captions?", "subtitles?", "text", "font", "logo", "watermark", "intro", "outro",
        "ending", "clips?", "scenes?", "shot", "footage", "frame", "transitions?", "effects?", "filter",
        "colou?rs?", "style", "background", "banner", "sticker", "emoji", "icon", "animation", "graphic",
        "button", "sky", "tones?", "brightness", "contrast", "saturation", "slideshow", "promo", "names?",
        "theme", "themed", "mood", "vibe", "quotedtext", "onscreenthing",
        "too", "more", "less", "louder", "quieter", "softer", "shorter", "longer", "brighter", "darker",
        "bigger", "smaller", "faster", "slower", "warmer", "cooler", "smoother", "bolder", "vertical",
        "horizontal", "square", "cinematic", "energetic", "piano", "jazzy", "upbeat", "red", "pink", "gold",
        "golden", "yellow", "blue", "green", "black", "white", "purple", "orange", "grey", "gray",
        "blurry", "shaky", "grainy", "dark", "loud", "quiet", "boring", "dull", "choppy", "laggy",
        "pixelated", "washed out", r"\d+ ?(?:s|sec|secs|seconds?|%)",
    )
    + "|配乐|音乐|歌|字幕|标题|片头|片尾|转场|特效|效果|配音|画面|色调|风格|滤镜|镜头|背景|logo|字体"
    "|横屏|竖屏|正方形|秒|太|慢动作|倍速|速度|节奏|动画|一点|更|暗|亮|吵|喜欢|声音|音量|停顿|黑场"
    "|第.(?:段|个|张|首|幕)|位置|宣传|广告|主题|氛围|[红粉黄蓝绿黑白金紫橙灰彩]色|颜色|色彩"
    "|模糊|清晰|有点|不够|卡顿|抖"
)  # fmt: skip

# --- questions -------------------------------------------------------------------------------

# "When"/"where" without a question mark usually opens a condition: "when the chorus starts, cut".
_WH = _rx(r"^(?:what|what's|whats|how|how's|why|which|who|whose|tell me|explain)(?![a-z])")
# "is it done", "do I have…"; not "do it", which is an instruction.
_AUX = _rx(
    r"^(?:(?:is|are|am|was|were|does|did|can|could|would|will|should|shall|may|have|has|any)\s+"
    r"(?:i|you|u|we|it|this|that|the|my|there|they|these|those|your|progress|news|updates?)"
    r"|do\s+(?:i|you|u|we|they|these|those|my))(?![a-z])(?!\s*$)"
)
_INTERJECTION = _rx(r"^(?:(?:hmm+|ok|okay|so|and|well|oh|um+|uh+|hey|hi)\s+)+")
# An assistant passing the question on: "The user asks whether the video is finished".
_REPORTED = _rx(
    _words(r"(?:asks?|asking|wants to know|wondering|wonders) (?:whether|if|how|what|why|when|where)")
)
_ZH_QUESTION = _rx(
    # (啥, 咋: 什么 and 怎么 as typed in chats, "这个音乐是啥风格的": play28zh R2; not "随便加点啥")
    r"(?:吗|呢|么|没|没有)[\s?]*$|什么|(?<![点些])啥(?![都也])|怎么|咋|为什么|如何|多少|多久|多长|哪|是否|能不能|可不可以"
    "|会不会|有没有|要不要|是不是|行不行|好不好|会怎样|怎样[\\s?？]*$"
    # "标题现在是啥来着" (啥 is 什么, not "随便加点啥"), "现在bgm多大声", "现在是横屏的吧", "是竖屏对吧":
    # what, how much, and a guess asked to be confirmed
    # (not "换成横屏吧", a suggestion: only 是…吧 with no verb of change) (play29zh F15, F17)
    "|多大|多响|(?:对|是|没错)吧[\\s?？]*$|(?<!不)对不对|^(?:现在|目前|这个|这|它|视频)*(?:还|也)?是[^把将改换调加删剪]{1,12}吧[\\s?？]*$"
    # "这音乐能商用不": a clause that ends in 不 asks, as 吗 does (play26zh F2)
    "|(?<![要别])不[\\s?？]*$"
)
# "make it shorter?" is an instruction with a question mark.
_IMPERATIVE = _rx(
    "^(?:please |pls |just |now |ok |okay )*"
    + _words(
        *_verbs(
            "add", "make", "cut", "trim", "remove", "put", "use", "change", "replace", "lower", "raise",
            "fade", "crop", "mute", "swap", "speed", "slow", "insert",
        ),
    )
)  # fmt: skip
# A polite request: the rest of the clause is routed as if it were said plainly.
_POLITE_EN = _rx(
    r"^(?:(?:hey|hi|so|and|also|please|pls|ok|okay|i love it|great)\s+)*"
    r"(?:(?:can|could|would|will|won't)\s+(?:you|u|ya|we)"
    r"(?:\s+please|\s+pls|\s+kindly|\s+just|\s+maybe|\s+also)?"
    r"|would you mind|how about|what about|why don't (?:you|we)|(?:can|could) i (?:get|have)"
    r"|any chance (?:you|u) (?:could|can)(?: please)?"
    r"|do you think (?:you|u) (?:could|can))(?![a-z])"
)
# "Can I download it?" asks for the command; "can I use my own music?" asks what is possible.
_POLITE_EN_SELF = _rx(r"^(?:can|could|may)\s+i(?![a-z])")
# "能帮我加个字幕吗" asks for an edit; "能做4K视频吗" asks what is possible: a request names a thing.
# Anywhere for the unmistakable forms ("文字能不能更醒目一点"); "我可以…吗" asks what I may do.
_POLITE_ZH = _rx(
    "^(?:请问)?(?:你)?(?:能不能|可不可以|可以|能否|能|麻烦你?|帮我)|(?<!我)(?:能不能|可不可以|能否)"
)
_ZH_SPECIFIC = _rx(
    "帮|把|给我|一下|一点|个|首|段|张|些|加|换|改|调|删|剪|去掉"
    "|发给我|发我|导出|下载|上传|积分|余额|取消|停止|渲染|重新开始"
    "|新项目|新视频|时间线|状态|进度|更"
)

_ABOUT_CREDITS = _rx(
    _words(
        "credits?", "crdits", "balance", "points", "cost", "costs", "price", "charge", "charged", "pay",
        "free", "how much(?! longer| more time| time)", "spent", "spend", "account",
        r"(?:how much|what's|what is)(?! time)(?: \w+)* left",
    )
    + "|积分|余额|点数|多少钱|扣|收费|费用|花了多少|价格|免费|账户|还剩多少|剩多少"
)  # fmt: skip
# Whether the music may be used ("is it free to use on Instagram?", "可以免费商用吗"): a question about
# rights, which neither the balance ("free" is no credit here) nor an edit answers.
_RIGHTS = _rx(
    _words(
        "free to use", "royalty[- ]free", "copyright(?:ed)?", "licen[cs]e[ds]?", "licensing",
        "commercial(?:ly)? use", "use (?:it|this|the music) commercially", "allowed to (?:use|post)",
    )
    + "|免费商用|可以商用|能商用|商用吗|版权|授权|侵权"
)  # fmt: skip
# "What do I do after the download finishes?" asks for advice, not for progress.
_HOW_TO = _rx(
    _words(
        "how do i", "how can i", "how should i", "what should i", "what do i do", "usually", "generally",
        "typically", "normally",
    )
    + "|怎么办|怎么做|怎么用|怎么弄|如何(?=做|用|才|让|把|添加|导出|上传|取消)|怎样才能|一般|通常|平时"
)  # fmt: skip
_ABOUT_PROGRESS = _rx(
    "^did(?![a-z])|"
    + _words(
        "where did", "did you", "what did", "(?:is|are) in (?:the|my) video", "in the video now",
        "(?:in|on) (?:the|my) (?:project|timeline)", "status", "progress", "done", "finished", "ready",
        "complete", "completed", "still", "go through", "gone through", "how far", "how's it going",
        "how is it going", "where(?:'s| is| are)",
        "how long is", "what's (?:in|on)", "what is (?:in|on)", "in there", "timeline", "tracks",
        "project am i in", "fail(?:ed)?", "failing", "stuck", "what's happening", "what is happening",
        "any updates?", "any news", "how much longer", "how long (?:will|does|until)",
        r"how (?:are|is) (?:we|it|things|the \w+) (?:doing|going|coming along)",
        r"where can i (?:find|get|see)",
        r"(?:is|are) (?:it|you|the \w+|my \w+) (?:still )?(?:exporting|rendering|uploading|processing"
        r"|working)",
    )
    + "|好了|完了|完成|成功|进度|状态|多久|在哪|哪里|时间线|轨道|现在多长|有多长|多长了|加上了|上了吗"
    "|生成好|做完|(?:文件|视频)呢|得怎么样|去哪|改了什么|做了什么|改了哪些|变了什么|视频里有|里面有|失败"
    "|(?:还|正|是不是)在(?:导出|渲染|上传|处理)|在(?:导出|渲染|上传|处理)(?:吗|中|呢)"
    "|有没有(?:改|加|换|调|删)|(?:改|加|换|调)了吗|什么时候(?:能)?(?:好|完成|结束)"
)  # fmt: skip


# "把周末去哪儿改成 10 秒": a 把 sentence with a verb of change instructs, whatever "哪" a name
# holds; only a question mark or a final particle makes it a question.
_ZH_DISPOSAL = _rx(
    "^(?:请|麻烦|帮我|你)*(?:把|将)[^，,。？?]{1,24}?(?:改|换|调|剪|加|删|去掉|变|缩短|延长|做)"
)
# A 把 clause that ends asking what it would do ("把音乐换掉会不会好一点", "把标题放大会怎样").
_ZH_ASKS_AT_END = _rx(r"(?:吗|呢|么|没有?)\s*$|会不会[^，,。；;]{0,8}$|会(?:怎样|怎么样|如何)\s*$")


def _is_question(text: str, asked: bool) -> bool:
    text = _INTERJECTION.sub("", text)  # "hmm how much do I have left"
    if not asked and (thinking := _ZH_THINKING_AFTER.search(text)) is not None:
        text = text[: thinking.start()]  # "先别导出 我想一下结尾放哪张": the thought asks nothing
    if _IMPERATIVE.match(text) or (not asked and _ZH_THINKING.match(text)):  # "我再想想标题用什么"
        return False
    if not asked and _ZH_DISPOSAL.match(text) and not _ZH_ASKS_AT_END.search(text):
        return False
    return asked or any(p.search(text) for p in (_WH, _AUX, _ZH_QUESTION, _REPORTED))


# --- new project -----------------------------------------------------------------------------

_NEW_ANYWHERE = _rx(
    _words(
        "new project",
        "new video",
        "another video",
        "(?:a )?new one",
        "different video",
        "fresh project",
        "something (?:completely |totally |entirely )?different",
    )
    + "|新项目|新视频|新建(?:一个)?(?:项目|视频)|另一个视频|重新做一个视频"
    + "|再(?:做|来|生成)一个(?=[^,。]*视频|吧?$)|换个(?:题材|主题)"
)
# "start over" only opens a clause: "make the song start over when it loops" is an edit.
_ZH_LEAD = "(?:我想|我要|请|我们|咱们|那就|那|好的?)?"
_NEW_LEADING = _rx(
    f"^{_ZH_LEAD}\\s*"
    r"(?:(?:ok|okay|please|let's|lets|i want to|i'd like to|i wanna|can we|just)\s+)*"
    r"(?:start(?:ing)? (?:over|fresh|again|from scratch)|begin again)(?![a-z])"
    f"|^{_ZH_LEAD}(?:重新开始|从头开始)"
)
_NEW_FILLER = _rx(
    _FILLER.pattern
    + "|"
    + _words(
        "make", "create", "open", "new", "with", "and", "want", "wanna", "like", "can we", "do", "have",
        "get", "try",
    )
    + "|做个|做一个|开个|开|建|新建|来个|重新|一个|再来|再做|再"
)  # fmt: skip


def _take_new_project(parts: list[Clause]) -> tuple[bool, list[Clause]]:
    """Whether a clause asks for a new project (not negated), and the clauses without it."""
    for i, part in enumerate(parts):
        rest, found = _NEW_ANYWHERE.subn(" ", _NEW_LEADING.sub(" ", part.text))
        if (found or rest != part.text) and not _NEGATED.search(part.text):
            clause = Clause(rest.strip(), part.question, part.sentence)
            return True, [*parts[:i], clause, *parts[i + 1 :]]
    return False, parts


def _only(pattern: re.Pattern[str], text: str) -> bool:
    return not pattern.sub(" ", text).strip(" !~-—_.'\"")


# --- everyday words: shorthand, openers, withdrawals, asides, placing, options ---------------

# "先别导了", "不导了", "等会再导": 导 alone is short for 导出 after a negation or "再", where no
# other word (导入, 导演, 导航…) goes on from it.
# 导出 as a pinyin keyboard slips it (dao chu: 导处, 导粗); not 指导处/辅导处 (an office).
_ZH_EXPORT_TYPO = _rx(r"(?<![指辅督训倡])导(?:处|粗)(?=来|吧|了|一下|[^\u4e00-\u9fff]|$)")
_ZH_EXPORT_SHORT = _rx("(?:(?<=别)|(?<=不)|(?<=再)|(?<=不要))导(?=了|吧|啦|呀|啊|哈|呢|[^\u4e00-\u9fff]|$)")
# "不" right before a command word ("不导出了", "不下载了"), not "要不" ("要不导出吧": how about it).
# (_NEGATED's "不(?=导出…)" never sees the command word: it is searched without it.)
_ZH_NOT_JUST_BEFORE = _rx(r"(?<!要)不\s*$")
# Openers that ask for nothing ("哎等一下", "对了", "哦不对"): the words after them say what is asked.
_ZH_OPENER = _rx(
    "^(?:哎呀|哎哟|哎|唉|诶|欸|啊|呃|额|嗯+|哦|噢|喔|对了|对哦|不对|等一下|等下|等等|稍等|等一等|等会儿?)+"
    r"[\s!~]*$"
)
# A change withdrawn, said with its verb ("字幕先别加了", "不改了", "不用加了", "别弄了", "先不加"; "don't
# add it after all"): asks for nothing new. Beside a cancel it is what is cancelled; alone, the request
# under way is withdrawn. The verb ends the clause, after "了" or "先": not "别加太多特效" (how to add),
# "不加水印" (an instruction) nor "片头不剪" (what to leave as it is).
_WITHDRAWN = _rx(
    "^(?P<named>[^，,。]{0,16}?)(?:就|也|暂时|还是|那就|那)*(?:先)?(?:别|不要|不用|不必|甭|不)(?:再)?"
    "(?:加|添加|改|修改|弄|换|调|剪|删|搞|动)(?:(?:了|啦)+吧?|(?<=先..)吧?|(?<=先不要.)吧?)$"
    r"|^(?:(?:then|so|ok|okay|actually|just)\s+)*(?:don't|dont|do not|no need to|you don't need to"
    r"|don't bother(?: to)?) (?:add|change|edit|put|make) (?:it|that|this|the [\w' -]{1,30}?)"
    r" (?:after all|anymore|any more)$"
)
# "我还想再改改", "I still want to make some changes": an intention with no change named. Beside a held
# export it says why it is held (an aside, quoted back); alone it is no edit we could send.
_VAGUE_EDIT = _rx(
    "^(?:我|我们)?(?:还|再|先|可能|也|又|其实)*(?:想|要|得|需要|打算)(?:再|先)?"
    "(?:改改|改一改|改一下|改一点|修改一下|修改修改|调调|调一调|调整一下|调整调整|弄弄|动动|动一动)(?:看|吧|呢)?$"
    "|^(?:我|我们)(?:还|再|先)+(?:改改|改一改|调调|调一调|弄弄)(?:看|吧|呢)?$"
    r"|^(?:i|we)(?: still| just| really)*(?: want| need|'d like| would like| wanna)(?: to)? "
    r"(?:make (?:a few|some|a couple of)(?: more)? (?:changes|edits|tweaks)"
    r"|change (?:a few|some|a couple of)(?: more)? things|edit (?:it |some )?more"
    r"|tweak (?:it|things|a few things)(?: more)?)(?: first)?$"
)
# "标题字太小了我要改", "音乐不好听 我想换": what is wrong, then only that they want it changed, no
# change named. Beside a cancel it is why they stop (play28zh F8: "取消取消 标题字太小了我要改" while an
# export rendered was sent as an edit, charged 50 credits, and the render went on); alone it still
# says what is wrong, an edit as "音乐太吵" is.
_WANT_CHANGED_TAIL = _rx(
    "(?:我|我们)(?:还|再|也|先|可能)*(?:要|想|得|需要|打算)(?:再)?"
    "(?:改|换|调|修改|弄|动)(?:改|一改|一下|一换|掉|了)?(?:吧|呢|啊|哈)?$"
)
# "就先这样", "先这样吧": said after what is still wrong, the user takes the video as it is; no change
# asked (play28zh F20: "那先把王姐那个导出来吧 字幕位置不对就先这样" was priced as a 50-credit edit).
_AS_IT_IS_TAIL = _rx("(?:就|那就)?(?:先|暂时)(?:这样|这么着)(?:吧|了|就好|就行|算了)?$|就这样(?:吧|了|算了)$")
# "没积分了啊", "积分用完了": a remark on the balance; beside another command, that command is asked.
_OUT_OF_CREDITS = _rx(
    "^(?:我|我的)?(?:已经|都)?(?:没(?:有)?积分了|积分(?:都|已经)?(?:用完|没)了)(?:啊|呀|吧|哦|哈)?$"
)
# "看看效果", "看一下效果": the result looked at, never a video effect asked for (play28zh F12:
# "先导出来我看看效果" was sent to the agent and charged 50 credits, and nothing was exported).
_LOOK_AT_RESULT = _rx("(?:看看|看一下|看下|瞧瞧|试试)(?:整体)?(?:的)?效果(?:怎么样|如何|咋样)?")
# The user's own plan for later, hedged or put off ("i might change the title later", "I'll redo the
# music tomorrow", "标题我回头可能还要改"): a change they may ask for some day, none asked now.
# Beside a held export it is why it is held (play22en F1: sent as a paid edit, it cost 50 credits).
_OWN_PLAN = _rx(
    r"^(?:(?:and|but|so|ok|okay|because|cause|cuz|coz|since|as|maybe|perhaps)\s+)*(?:i|we)"
    r"(?:(?:\s+(?:still|probably|also|just|maybe|perhaps))*\s+(?:might|may|could)(?![a-z])"
    r"|(?:'ll|\s+will|'m going to|\s+am going to|'m gonna|'re going to|\s+are going to|\s+plan to"
    r"|'m planning to"
    # "i still wanna fix the title on it later" (play26en F9: beside a hold it was sent, 50 credits)
    r"|(?:\s+(?:still|also|just|really|probably))*\s+(?:want to|wanna|need to|have to|gotta|got to"
    r"|would like to)|'d like to)(?![a-z])(?=.*(?<![a-z])(?:later|afterwards|after that|tomorrow|tonight"
    r"|at some point|another time|next week|myself)[\s!.~]*$))"
    r"|^(?:[^，,。你]{0,8}?)(?:我|我们)(?:[^，,。你]{0,6}?)(?:可能|也许|或许|说不定|大概|(?:回头|之后|以后|晚点"
    r"|待会儿?|等会儿?|过两天|明天|改天|到时候?)[^，,。你]{0,3}?(?:再|还))(?![^，,。]*(?:你|帮|请|麻烦))"
)
# "改完", "弄好了", "after the changes": the edit under way (or just done) pointed at, no change named.
# Before a held command ("改完先别导出哈") the clause is only a hold.
_EDIT_DONE = _rx(
    "^(?:等|等你|你|我|都)?(?:改|弄|剪|调|编辑|修改|做|搞|处理)(?:完|好)(?:了|之后|以后|后|的话)*(?:再说)?[\\s,，]*"
    r"|^(?:(?:ok|okay|so|and|i'm|i am|we're|you're|when you're|once you're|after you're)\s+)*"
    r"(?:done|finished) (?:editing|with (?:the |my |your )?(?:edits?|changes?|editing))[\s,]*"
    r"|^(?:after|once|when) (?:the |my |your |you make the |you've made the |you finish the )?"
    r"(?:changes?|edits?|editing)(?: (?:are|is) (?:done|made|finished))?[\s,]*"
    r"|^(?:after|once|when) (?:you're|you are|i'm|i am) done(?: editing)?[\s,]*"
)
# Putting a photo or clip somewhere in the video ("把海滩那张照片放到最前面", "挪到最后",
# "place the beach photo first"). Not "我把照片放在桌面上了" (said of the user's own files).
_PLACE = _rx(
    "^(?:请|麻烦|帮我|你|再|那|那就|然后)*(?:把|将)[^，,。？?]{1,24}?(?:放|移|挪|搬|拖|排|插)"
    "(?:到|在|至|去|(?=第一|最前|最后|开头|结尾|末尾))"  # "把海滩放最后": the place said without 到/在
    "|(?:放|移|挪|排|拖|插)(?:到|在|至)(?:最?前面?|最?后面?|最开始|开头|结尾|末尾|片头|片尾|中间|前头|后头"
    "|第.(?:张|个|段|位|秒))|挪(?:一下|一挪|前|后)|往(?:前|后)(?:挪|移|放|排)|前移|后移|调换|对调|互换"
    "|交换(?:一下)?(?:位置|顺序)"
    + "|"
    + _words(
        *_verbs("reorder", "rearrange"),
        r"plac(?:e|ing) (?:it|that|this|them|the|my) (?:[\w'-]+ ){0,4}?"
        r"(?:first|last|at the|before|after|in front|to the)",
        r"bring (?:[\w'-]+ ){1,5}to the (?:front|start|beginning|end)",
    )
)
# Asking what may be chosen ("都有哪些可以选的？", "what options are there?"): beside it, "能不能换成别的？"
# asks what is possible too, and no change is sent unless another sentence plainly asks for one
# ("…有哪些可以选？换成钢琴的吧").
_OPTIONS = _rx(
    "(?:有|还有)(?:哪些|什么|哪几种|几种|多少种)(?:别的|其他的?|其它的?)?[\u4e00-\u9fff]{0,4}?(?:可以|可|能)"
    "(?:选|用|挑|换)|(?:可以|可|能)(?:选|挑|用|换)的?(?:有)?(?:哪些|什么|哪几|几种)"
    "|都有(?:哪些|什么)(?:可以|可|能)?(?:选|用|挑)?的?(?:呢|啊|吗)?$|有(?:哪些|什么)(?:选项|选择|推荐|建议)"
    "|(?:选项|选择)有(?:哪些|什么)|有(?:什么|哪些)(?:别的|其他|其它)|(?:别的|其他|其它)(?:还有)?(?:什么|哪些)"
    "|还有(?:别的|其他|其它)的?[\u4e00-\u9fff]{0,4}?(?:吗|么|呢|可以选|可选)"
    + "|"
    + _words(
        r"what (?:are )?(?:the |my |some |other |your )*(?:options|choices|alternatives)",
        r"(?:any|other) (?:options|choices|alternatives)",
        r"(?:options|choices|alternatives) (?:are there|do i have|are available|do you have)",
        r"what (?:else )?(?:is|'s) (?:there|available)",
        r"what else (?:do you have|can i (?:use|choose|pick))",
        r"(?:which|what) (?:[\w'-]+ ){0,2}(?:can|could) i (?:choose|pick|select)(?: from)?",
        r"what (?:kinds?|sorts?|types?) of (?:[\w'-]+ ){0,2}(?:are there|do you have|can i)",
        r"what (?:would|do) you (?:suggest|recommend)",
    )
)


# "不用改了", "no need to change it": as often a "no" to what the agent offered as a change withdrawn;
# alone it cancels nothing (a cancel stops a running export too).
_DECLINED = _rx("不用|不必|甭|" + _words("no need to", "you don't need to", "don't bother"))


def _withdrawn(text: str) -> bool:
    found = _WITHDRAWN.match(text)
    return found is not None and not _EDIT_VERB.search(found.group("named") or "")


def _options_question(parts: list[Clause]) -> Decision:
    """A question about what may be chosen: a polite form beside it asks what is possible, so only a
    plain instruction in another sentence is sent."""
    if any(not p.question and read_clause(p.text).kind is Kind.EDIT for p in parts):
        return Decision(Action.AGENT)
    asked = " ".join(p.text for p in parts)
    return Decision(Action.CREDITS if _ABOUT_CREDITS.search(asked) else Action.ASK)


# --- classifying -----------------------------------------------------------------------------


class Kind(Enum):
    IDLE = "idle"  # asks for nothing (thanks, wait)
    HELD = "held"  # a command word under a negation or condition: not that command
    COMMAND = "command"
    EDIT = "edit"  # an instruction to change the video
    DESCRIBE = "describe"  # says what is wrong ("the intro is too long"): an edit, unless cancelling
    CONSENT = "consent"  # "yes, go ahead": to what the agent proposed
    OTHER = "other"  # no edit or command we know: unsure, so nothing is spent unasked


@dataclass(frozen=True)
class Reading:
    kind: Kind
    action: Action | None = None
    keyword: str | None = None


def _orders_or_frames(text: str) -> bool:
    """The clause asks for a clip order, a frame or a clip the reader of asks (:mod:`asked`) checks
    against the timeline: an edit in so many words, whatever verb said it."""
    if not _ORDER_OR_FRAME_HINT.search(text):
        return False  # most clauses: no word any of those reads starts from
    stated = asked.read(text)
    # (a wish to keep the frame as it was, alone, asks no edit: "横版的也要留着")
    return bool(stated.order or stated.sequence or stated.shape or stated.uses)


def _keeps_frame_only(text: str) -> bool:
    """The clause only asks to keep the video as it was beside a new one ("keep the wide one",
    "横版的也要留着"): the project holds one video, so no edit keeps it (play24en F8)."""
    if not _ORDER_OR_FRAME_HINT.search(text):
        return False
    stated = asked.read(text)
    return stated.keep_frame and replace(stated, keep_frame=False) == asked.Asked()


_ORDER_OR_FRAME_HINT = _rx(
    r"first|last|start|open|begin|lead|end|finish|clos|wrap|then|→|->|wide|\d\s*:\s*\d|portrait|landscape"
    r"|vertical|square|horizontal|photo|picture|pic|image|shot|keep|both|closer|opener|\d{3,4}\s*[x×*]\s*\d{3,4}"
    r"|先|开头|开场|结尾|最后|最前|第一|横|竖|方形|用上|那张|这张|照片|图片|留着|保留|都要|当|作为"
)


def read_clause(text: str, strict: bool = False) -> Reading:
    """What one clause asks for. ``strict``: a command only if nothing but filler is left."""
    if not text.strip() or _IDLE.match(text) or _RETRACT.search(text) or _PRAISE.match(text):
        return Reading(Kind.IDLE)
    if _COMPLAINT.match(text):
        return Reading(Kind.IDLE)  # "这也太坑了吧": a feeling, no edit
    if _CONSENT.match(text):
        return Reading(Kind.CONSENT)
    if _STOP_DOING.match(text):
        return Reading(Kind.COMMAND, Action.CANCEL, text)
    if (drop := _DROP_NAMED.match(text)) is not None and not _EDIT_WORD.search(drop.group("named") or ""):
        return Reading(Kind.COMMAND, Action.CANCEL, text)  # the name beside it is no part of a video
    if (gap := _ZH_THINKING_AFTER.search(text)) is not None:
        head = read_clause(text[: gap.start()], strict)
        if head.kind in (Kind.HELD, Kind.IDLE):
            return head  # "先别导出 我再想想字幕咋写": the hold, and why (play23zh F1)
    if _ZH_OPENER.match(text) or _withdrawn(text):
        return Reading(Kind.IDLE)
    if _VAGUE_EDIT.match(text):
        return Reading(Kind.OTHER)  # "我还想再改改": no change named
    if (done := _EDIT_DONE.match(text)) is not None:
        if not text[done.end() :].strip():
            return Reading(Kind.IDLE)  # "改完了", "after the changes": points at an edit, asks none
        rest = read_clause(text[done.end() :].strip(), strict)
        if rest.kind is Kind.HELD:
            return rest  # "改完先别导出", "done editing, don't export yet": a hold, no edit named
    if (wish := _WISH.match(text)) is not None and text[wish.end() :].strip():
        # "I want the beach photo last", "我要它放最后": a wish for a place is an edit, where "I
        # put the photo last" only describes (first person)
        # (Not "I need to add the logo first": what they will do, a reason beside a cancel.)
        wanted = text[wish.end() :].strip()
        if not re.match(r"to |先", wanted) and _PLACE_TAIL.search(wanted):
            return Reading(Kind.EDIT)
    if _keeps_frame_only(text):
        return Reading(Kind.OTHER)  # "keep the wide one" alone: a wish to keep, no edit (as "横版的也要留着")
    if _PLACE.search(text) and not _FIRST_PERSON.match(text):
        return Reading(Kind.EDIT)
    if not _FIRST_PERSON.match(text) and _orders_or_frames(text):
        return Reading(Kind.EDIT)  # "start with the beach photo", "先海滩再日出", "a wide 16:9 video"
    if _REDO_NAMED.match(text) and not _back_retry(text) and not _FIRST_PERSON.match(text):
        return Reading(Kind.EDIT)  # "try the $20/hr thing again on the SUP one": a thing named, redone
    if _OWN_PLAN.match(text) and (_EDIT_VERB.search(text) or _EDIT_WORD.search(text)):
        return Reading(Kind.OTHER)  # "i might change the title later": no change asked now
    if _ZH_THINKING.match(text):
        return Reading(Kind.OTHER)  # "我再想想字幕咋写": their own thinking, no change asked
    if _ZH_NOT_DONE.search(text):
        return Reading(Kind.DESCRIBE)  # "音乐还没去掉": what is still wrong, a reason beside a stop
    if (tail := _WANT_CHANGED_TAIL.search(text)) is not None and tail.start() > 0:
        wrong = text[: tail.start()].strip(" ，,")
        if wrong and not _EDIT_VERB.search(wrong):
            return Reading(Kind.DESCRIBE)  # "标题字太小了我要改": what is wrong, no change named
    if (tail := _AS_IT_IS_TAIL.search(text)) is not None and not _EDIT_VERB.search(text[: tail.start()]):
        return Reading(Kind.IDLE)  # "字幕位置不对就先这样": taken as it is
    if _LOOK_AT_RESULT.search(text):
        text = _LOOK_AT_RESULT.sub(" ", text)  # "先导出来我看看效果": the result, no effect
    if _EDIT_VERB.search(text):
        # "I forgot to add the logo" explains; "add the logo" instructs.
        return Reading(Kind.DESCRIBE if _FIRST_PERSON.match(text) else Kind.EDIT)
    if _EDIT_WORD.search(text):
        return Reading(Kind.DESCRIBE)
    hits = [(c, m) for c in COMMANDS if (m := c.pattern.search(text))]
    if not hits:
        return Reading(Kind.IDLE if _only(_FILLER, text) else Kind.OTHER)
    residue = text
    for command, _ in hits:
        residue = command.pattern.sub(" ", residue)
    negated = [(c, m) for c, m in hits if _ZH_NOT_JUST_BEFORE.search(text[: m.start()])]
    if negated and len(negated) == len(hits):
        return Reading(Kind.HELD, negated[0][0].action, negated[0][1].group(0))  # "不导出了"
    hits = [h for h in hits if h not in negated]  # "算了不导出了": the cancel stands
    if _NEGATED.search(residue) or _CONDITIONAL.search(residue):
        return Reading(Kind.HELD, hits[0][0].action, hits[0][1].group(0))
    command, match = hits[0]
    plain = _only(_FILLER, residue) or not (command.strict or strict)
    return Reading(Kind.COMMAND, command.action, match.group(0)) if plain else Reading(Kind.OTHER)


# Beside a cancel, a clause that keeps or leaves the video as it was ("keep it 15", "leave it
# square", "keep the old title", "保持15秒") says what the cancel should keep: it names no new change
# (play28en F1: "actually cancel that, keep it 15" was sent as a second paid edit).
_KEEP_AS_WAS = _rx(
    r"^(?:(?:just|please|pls|plz|and|but)\s+)*(?:keep|leave|stay|stick with)(?![a-z])"
    r"|^(?:就|还是|请)?(?:保持|保留|维持|不变)"
)


def _statement(parts: list[Clause], strict: bool = False) -> Reading:
    """Clauses said plainly. An instruction to edit wins (the agent does it first); a cancel
    beats a mere description of what is wrong; then a command; then consent to what the agent
    proposed. Anything else is ASK: we are not sure it asks for an edit, so nothing is spent
    without confirmation."""
    readings = [read_clause(p.text, strict) for p in parts]
    commands = [r for r in readings if r.kind is Kind.COMMAND]
    # "It's rendering in the wrong style, cancel": the description is why they cancel.
    cancel = next((r for r in commands if r.action is Action.CANCEL), None)
    edits = [p.text for p, r in zip(parts, readings, strict=True) if r.kind is Kind.EDIT]
    if cancel is not None and edits and all(_KEEP_AS_WAS.match(e) for e in edits):
        return cancel  # "cancel that, keep it 15": what the cancel should keep, no new edit (play28en F1)
    if edits:
        return Reading(Kind.EDIT, Action.AGENT)
    if cancel is not None:
        return cancel
    # "don't change the video, just tell me the song name": beside "change nothing", words about a
    # part of the video describe what they ask about, never an edit to send (play26en F18)
    if any(r.kind is Kind.DESCRIBE for r in readings) and not any(
        _NO_CHANGE_ONLY.match(p.text) for p in parts
    ):
        return Reading(Kind.EDIT, Action.AGENT)
    if len(commands) > 1 and any(_OUT_OF_CREDITS.match(p.text) for p in parts):
        # "没积分了啊 那先把王姐那个导出来吧": the balance remarked on, the export asked (play28zh F20)
        kept = [r for r, p in zip(readings, parts, strict=True) if not _OUT_OF_CREDITS.match(p.text)]
        commands = [r for r in kept if r.kind is Kind.COMMAND] or commands
    if commands:
        order = [c.action for c in COMMANDS]
        return min(commands, key=lambda r: order.index(r.action) if r.action else len(order))
    if any(r.kind is Kind.CONSENT for r in readings):
        return Reading(Kind.CONSENT, Action.AGENT)
    if any(r.kind is Kind.OTHER for r in readings):
        return Reading(Kind.OTHER, Action.ASK)
    return Reading(Kind.IDLE, Action.ASK)  # only thanks, or commands held back


# Whether it can be done at all ("is that something you can do?", "is that possible?", "能做到吗"):
# beside "can you reorder the photos in a video?" the polite form asks about the tool, not for an
# edit (play27en F4: sent and charged 50 credits).
_CAPABILITY = _rx(
    r"^(?:is|would|will)\s+(?:that|this|it)\s+(?:be\s+)?(?:something\s+(?:you|u)\s+(?:can|could)\s+do"
    r"|possible|doable|a thing you can do)(?:\s+(?:at all|for you))?[\s?!.]*$"
    r"|^(?:can|could)\s+(?:you|u)\s+(?:even|actually)\s+do\s+that[\s?!.]*$"
    r"|^(?:do|does)\s+(?:you|u|it|nemovideo)\s+(?:support|do|handle)\s+(?:that|this)[\s?!.]*$"
    + r"|^(?:这个|这|那)?(?:能|可以|可不可以|能不能)(?:做到|实现|支持|办到)(?:吗|么|嘛|不)?[\s?？!！。]*$"
)


def _question(parts: list[Clause]) -> Decision:
    if any(p.question and _CAPABILITY.match(p.text) for p in parts) and not any(
        not p.question and read_clause(p.text).kind is Kind.EDIT for p in parts
    ):
        return Decision(Action.ASK)  # "can you X? is that something you can do?": about the tool
    # A plain instruction in its own sentence beside the question is the request ("帮我做个视频，
    # 能商用不？", "啥玩意？？给我改回去"): it goes to the agent, the question with it.
    if any(not p.question and read_clause(p.text).kind is Kind.EDIT for p in parts):
        return Decision(Action.AGENT)
    if any(p.question and _RIGHTS.search(p.text) for p in parts):
        return Decision(Action.ASK)  # "can you make sure the music is free to use?": never an edit or credits
    # The topic may sit beside the question: "The export failed, why?"
    if any(p.question and _OPTIONS.search(p.text) for p in parts):
        return _options_question(parts)
    asked = " ".join(p.text for p in parts)
    for i, part in enumerate(parts):
        if not part.question or (i > 0 and parts[i - 1].sentence == part.sentence):
            continue  # a polite request opens its sentence
        polite, strict = _POLITE_EN.match(part.text), False
        if polite is None and (polite := _POLITE_EN_SELF.match(part.text)) is not None:
            strict = True
        named = _ZH_SPECIFIC.search(part.text) or any(c.pattern.search(part.text) for c in COMMANDS)
        if polite is None and named:
            polite = _POLITE_ZH.search(part.text)
        if polite is None:
            continue
        rest = Clause(
            (part.text[: polite.start()] + " " + part.text[polite.end() :]).strip(), False, part.sentence
        )
        plain = [
            *parts[:i],
            rest,
            *(replace(p, question=False) for p in parts[i + 1 :] if p.sentence == part.sentence),
        ]
        plain += [p for p in parts[i + 1 :] if p.sentence != part.sentence]
        new, plain = _take_new_project(plain)
        if new and not strict and all(_only(_NEW_FILLER, p.text) for p in plain):
            return Decision(Action.NEW_PROJECT, new_project=True)
        reading = _statement([p for p in plain if not p.question], strict)
        if reading.kind is Kind.COMMAND and reading.action is not None:
            return Decision(reading.action, reading.keyword)
        if reading.kind is Kind.EDIT and not strict:
            return Decision(Action.AGENT, new_project=new)
    if _ABOUT_CREDITS.search(asked):
        return Decision(Action.CREDITS)
    if _HOW_TO.search(asked):
        return Decision(Action.ASK)
    if _ABOUT_PROGRESS.search(asked) or any(p.question and _about_state(p.text) for p in parts):
        return Decision(Action.STATUS)
    return Decision(Action.ASK)


# What the video is now, asked of one of its parts ("现在视频多长？", "用的什么音乐？", "what song is
# it using?"): the timeline answers it, for free (play27zh F3: priced as a 50-credit question).
_STATE_PART = _rx(
    _words(
        "music", "song", "track", "bgm", "title", "caption", "volume", "length", "ratio", "resolution",
        "size", "duration",
    )
    + "|视频|片子|时长|长度|音乐|配乐|歌|曲子|bgm|标题|字幕|比例|分辨率|尺寸|画幅|音量|片段|照片|图片"
    "|横屏|竖屏|方形|横的|竖的|方的|多长"  # "是竖屏吗", "这个多长来着": the frame, the length (play29zh F13)
)  # fmt: skip
_STATE_ASKED = _rx(
    r"^(?:what|which)(?:'s|\s+is|\s+are|\s+was)?\s+(?:the\s+|my\s+|this\s+)?(?:\w+\s+)?"
    r"|^how\s+(?:long|loud|big)(?![a-z])"
    + "|什么|啥|哪(?:首|个|些|一)|多(?:长|少|大|久|响)|几(?:秒|张|段|个|分)"
    # "是竖屏吗", "现在是横屏的吧": whether it is so now (a verb of change is no state: _STATE_NOT)
    + "|^(?:现在|目前|这个|这|它|视频)*(?:还|也)?是[^吗吧么嘛]{1,12}(?:吗|吧|么|嘛)[\\s?？]*$"
)
# Asking what would be good, or why, or what may be done, is for the agent (it charges): not the state.
_STATE_NOT = _rx(
    _words(
        "should", "could", "would", "can", "best", "better", "good", "recommend", "suggest", "why",
        "instead", "change", "use for", "fit", "fits", "match", "style", "genre", "mood", "vibe", "kind",
    )
    + "|好|合适|适合|推荐|建议|比较|应该|可以|能|要不要|会不会|怎么|为什么|为啥"
    "|换|改|调|加|删|去掉|配什么|用什么|风格|类型|感觉|节奏|好听"
)  # fmt: skip


def _about_state(text: str) -> bool:
    """A question about what the video has now (:data:`_STATE_PART`, :data:`_STATE_ASKED`),
    never one asking for advice, a reason, or a change (:data:`_STATE_NOT`)."""
    return bool(_STATE_PART.search(text) and _STATE_ASKED.search(text) and not _STATE_NOT.search(text))


# Put off to later or to the user themself. Not "before/after/when/once", which order an edit
# before an export the user still wants ("add the logo, then export once it's done").
_DEFERRED = _rx(
    _words(
        "later", "tomorrow", "tonight", "next (?:week|time)", "in a (?:bit|while|minute)", "i'll", "i will",
        "myself", "not yet", "for now",
    )
    + "|明天|稍后|待会|等会|回头|晚点|一会儿?|过会|改天|下次|我自己|我来|暂时|等一下再|等一等再|先等"
)  # fmt: skip
# A negation just before the command word ("don't export", "先别导出", "no need to render it yet");
# a negation elsewhere in the clause ("export it without music") is about something else.
_NEGATION_NEAR = 24


def _held_back(parts: list[Clause]) -> frozenset[Action]:
    """The commands a prompt names under a negation or put off for later, in any clause (also
    beside an edit: "add a caption at the end, don't export yet")."""
    held: set[Action] = set()
    for part in parts:
        # Searched once per clause, not once per command word: a long prompt repeating a command
        # word would otherwise rescan the whole clause per word (quadratic in its length).
        deferred = _DEFERRED.search(part.text) is not None
        for command in COMMANDS:
            for match in command.pattern.finditer(part.text):
                before = part.text[max(0, match.start() - _NEGATION_NEAR) : match.start()]
                if deferred or _NEGATED.search(before) or _ZH_NOT_JUST_BEFORE.search(before):
                    held.add(command.action)
    return frozenset(held)


# A clause that only says to do the last request again ("try again with the 25 seconds change",
# "再试一次"); "try again with piano music" asks for something new: an edit.
_RETRY = _rx(
    r"^(?:(?:please|pls|ok|okay|so|then|just|can you|could you|let's|lets|now)\s+)*"
    r"(?:try(?: it| that| this)? again|retry(?: it| that| this)?|redo(?: it| that| this)?"
    r"|do(?: it| that| this)?(?: over)? again|one more time|once more|again"
    r"|give it another (?:try|go|shot)|have another go|try once more|one more try"
    r"|do the same(?: thing)? again|(?:the )?same(?: thing)? again"
    r"|try(?: it| that| this)?(?: again)? now|go again"
    # "send it again", "resend" (play23zh F5: "再发一次" was priced as a question)
    r"|resend(?: it| that| this)?|send(?: it| that| this)? again|resubmit(?: it| that| this)?)"
    r"(?:\s+(?:with|on|for)\s+(?:the|that|my|this|your)\s+[\w %-]{0,40}?"
    r"(?:change|changes|edit|edits|request|one|thing|version))?"
    r"(?:\s+(?:please|pls|now))*[\s!.?~]*$"
    r"|^(?:请|麻烦|你|那|那就|好的?|帮我)*(?:再试一?(?:次|下|遍)|再试试|再来一(?:次|遍)|重来一?(?:次|下|遍)?|重试一?(?:次|下|遍)?"
    r"|重新(?:做|来|试)一?(?:次|下|遍)?|重做一?(?:次|下|遍)?|再做一(?:次|遍)|现在(?:再)?试(?:试|一?(?:次|下))"
    r"|再试试看|照(?:刚才|之前)(?:那样)?再(?:做|来)一(?:次|遍)"
    r"|(?:再|重新)(?:发|发送|提交|跑|执行)一?(?:次|下|遍)?|重发一?(?:次|下|遍)?)"
    r"(?:吧|一下|看看|好吗|可以吗)*[\s!.?~吧]*$"
)


# Why a command is held back: the user will look first ("…, I want to check a couple of things
# first", "…，我再看看"). Beside a held command it asks nothing of the (paid) agent.
_REASON = _rx(
    r"^(?:i|we)(?:'d| would| want to| need to| wanna|'ll| will| have to| gotta| still)*"
    r"(?: like to| want to| need to| first| just)*\s+"
    r"(?:check|look|review|think|see|watch|double[- ]check|go over|look over|decide|ask|show it"
    r"|sleep on)(?![a-z])"
    r"(?! (?:the|at the|if the|whether the) (?:music|title|text|colou?r|song|intro|ending)\b)[\w ,'-]*$"
    r"|^(?:i|we)(?:'ll| will| can)\s+(?:tell|let) you(?: know)?(?: (?:when|once|if)(?: [\w ,'-]*)?)?[\s!.~]*$"
    r"|^(?:until|till) (?:i|we) (?:say so|say|tell you|let you know|am ready|'m ready|are ready)[\w ,'-]*$"
    r"|^我(?:要|想|得|需要|先|再|还要|自己|还得)*(?:看看|看一下|检查|想想|想一想|考虑|确认|核对|研究|琢磨)"
    r"(?:一下|一遍|几处|几个地方|些东西|细节)*$"
    r"|^(?:等)?我(?:会|再|到时|到时候)*(?:通知|告诉|跟你说|说)(?:你)?(?:一声)?(?:再说|再导出?)?$"
    r"|^等我(?:说|通知|确认|准备好)(?:你)?(?:了)?(?:再说|再导出?)?$"
)
# The user still thinking something over, with what they think about ("我再想想字幕咋写", "我还得考虑
# 一下标题用什么"): their own step, no change asked of anyone (play23zh F1: beside "先别导出" it was
# sent to the agent and charged 50 credits).
_ZH_THINKING_BODY = (
    r"(?:那|嗯|好|好的|先|等)?(?:我|我们)(?:要|想|得|需要|先|再|还要|还|自己|还得|回头|好好)*"
    r"(?:想想|想一想|想一下|考虑|考虑考虑|琢磨|琢磨琢磨|斟酌|研究研究|合计合计)(?:一下|下)?"
    r"(?![^，,。]*(?:你|帮|请|麻烦|给我))[^，,。]{0,16}$"
)
_ZH_THINKING = _rx("^" + _ZH_THINKING_BODY)
# The same said after a space, in the clause of the command it holds back ("先别导出 我再想想字幕咋写").
_ZH_THINKING_AFTER = _rx(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=" + _ZH_THINKING_BODY + ")")


# "Redo the last change", "再来一遍刚才的修改": a retry marker, and otherwise only words that point
# back at an earlier request ("the last", "刚才的") or name a request in general ("change", "修改").
# Any word of what to change ("redo the intro", "再改一次标题") makes it a new edit instead.
_RETRY_MARK = _rx(
    _words("again", "redo", "repeat", "retry", "one more time", "once more", "resend", "resubmit")
    + "|再来|再做|再试|重做|重新|重试|再弄|再改|再执行|再发|重发|再提交"
)
_BACK_REFERENCE = _rx(
    _words(
        "the", "last", "that", "this", "same", "previous", "earlier", "my", "your", "it", "one", "thing",
        "change", "changes", "edit", "edits", "request", "step", "attempt", "try", "do", "apply", "make",
        "run", "send", "please", "pls", "just", "now", "ok", "okay", "again", "redo", "repeat", "retry",
        "one more time", "once more", "you", "can you", "could you", "i asked for", "i asked", "from before",
    )
    + "|刚才|刚刚|上次|上一次|之前|前面|那个|这个|那次|那步|的|修改|改动|操作|请求|编辑|调整|把|做|弄|来|试"
    "|执行|一遍|一次|一下|吧|请|帮我|你|再|重新|重做|重试|改|嗯|好|那|发送|发|提交"
)  # fmt: skip


# "Try the $20/hr thing again", "redo the caption part again": a retry that names what to redo.
_REDO_NAMED = _rx(r"^(?:(?:please|pls|just|now|ok|okay)\s+)*(?:try|redo|do)\s+\S.*\s+again(?![a-z])")


def _back_retry(text: str) -> bool:
    return bool(_RETRY_MARK.search(text)) and _only(_BACK_REFERENCE, text)


# A complaint said as a question before "try again" ("怎么又没改？？再试一次", "咋还没好，再来一次？",
# "why didn't it change?? try again"): why they retry, not a question for the (paid) agent.
_GRUMBLE = _rx(
    "^(?:咋|怎么|为啥|为什么|啥|什么|搞什么|又|还)"
    + "|"
    + _words("what", "why", "how come", "huh", "wtf", "seriously", "really", "what the (?:hell|heck)")
)


def _grumble(part: Clause) -> bool:
    text = part.text.strip()
    if _POLITE_EN.match(text) or _POLITE_ZH.search(text) or "quotedtext" in text or "onscreenthing" in text:
        return False  # "how about piano music? try again", "能不能换成钢琴？再试一次": a new request
    if any(p.search(text) for p in (_ABOUT_CREDITS, _RIGHTS, _OPTIONS, _HOW_TO)):
        return False
    return part.question or _GRUMBLE.match(text) is not None


def _only_retry(parts: list[Clause]) -> bool:
    """Every clause is a bare retry or idle ("ok, try again", "再试一次吧"), and one is a retry; or
    "go ahead" beside why it can run now ("I've registered now, please go ahead"): the request
    refused for its cost, again."""
    context = [p for p in parts if _CONTEXT.match(p.text.strip())]
    retry = [
        p
        for p in parts
        if _RETRY.match(p.text.strip())
        or _back_retry(p.text)
        or (context and (_CONSENT.match(p.text) or _GO_ON.match(p.text)))
    ]
    if not retry:
        return False
    idle = [
        p
        for p in parts
        if p not in retry
        and (
            read_clause(p.text).kind is Kind.IDLE
            or _DONE.match(p.text.strip())
            or (parts.index(p) < parts.index(retry[0]) and _grumble(p))
        )
    ]
    return bool(retry) and all(p in retry or p in context or p in idle for p in parts)


# A retry that names what to redo (play-test 20: "ok signed up. try the reorder again pls" was sent
# and charged again without the confirmation "try again" gets): "try/do the X again", "redo the
# X", "give the X another go", "顺序再弄一次", "再试一次那个排序". The rest of the clause is X.
_NAMED_RETRY = _rx(
    r"^(?:(?:please|pls|just|now|ok|okay|so|then|can you|could you|can u|let's|lets|and)\s+)*"
    r"(?:(?:try|do|run|apply)\s+(?P<a>(?:the|that|my|your|this)\s+[^\s!?.,]+(?:\s+[^\s!?.,]+){0,4}?)"
    r"\s+(?:again|one more time|once more)"
    r"|redo\s+(?P<b>(?:the|that|my|your|this)\s+[^\s!?.,]+(?:\s+[^\s!?.,]+){0,4}?)(?:\s+again)?"
    r"|give\s+(?P<c>(?:the|that|my|your|this)\s+[^\s!?.,]+(?:\s+[^\s!?.,]+){0,4}?)"
    r"\s+another\s+(?:go|try|shot))"
    r"(?:\s+(?:please|pls|now))*[\s!.?~]*$"
    r"|^(?:把|那个|刚才的?|刚才那个|之前的?)?(?P<d>[\u4e00-\u9fff]{1,8}?)(?:那个|那步|的)?"
    r"(?:再(?:试|弄|来|做|排)一?(?:次|遍|下)|重新(?:弄|做|来|排)一?(?:次|遍|下)?|重做一?(?:次|遍|下)?)"
    r"(?:吧|一下|好吗)*[\s!.?~！。？]*$"
    r"|^(?:请|麻烦|你|那|那就|好的?|帮我)*(?:再(?:试|弄|来|做)一?(?:次|遍|下)|重新(?:弄|做|来)一?(?:次|遍|下)"
    r"|重做一?(?:次|遍|下))(?:那个|刚才的?|刚才那个|之前的?)?(?P<e>[\u4e00-\u9fff]{1,8}?)(?:吧)?[\s!.?~！。？]*$"
)
# What an earlier request was about, by the words naming it and the words it would have used.
_REQUEST_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        _rx(_words("reorder", "reordering", "order", "ordering", "sort", "sorting", "sequence", "swap")
            + "|排序|顺序|次序|调换"),
        _rx(_words("order", "first", "last", "end", "start", "open with", "before",
                   "after", "swap", "move", "reorder", "sequence")
            + "|顺序|排序|最后|最前|第一|第二|开头|结尾|放到"),
    ),
    (
        _rx(_words("music", "song", "track", "audio", "volume", "soundtrack") + "|音乐|配乐|歌|音量"),
        _rx(_words("music", "song", "track", "audio", "volume", "louder", "quieter", "soundtrack")
            + "|音乐|配乐|歌|音量|大声|小声"),
    ),
    (
        _rx(_words("title", "caption", "captions", "text", "subtitle", "subtitles") + "|标题|字幕|文字"),
        _rx(_words("title", "caption", "captions", "text", "subtitle", "subtitles") + "|标题|字幕|文字"),
    ),
    (
        _rx(_words("length", "duration", "trim", "shorten", "lengthen") + "|时长|长度"),
        _rx(_words("seconds?", "secs?", "length", "duration", "shorter", "longer", "trim")
            + r"|\d+\s*s\b|秒|时长"),
    ),
    (
        _rx(_words("vertical", "crop", "format", "aspect", "ratio", "resize", "square", "frame")
            + "|竖屏|横屏|比例|尺寸"),
        _rx(_words("vertical", "square", "crop", "portrait", "landscape", "aspect", "ratio", "wide")
            + r"|9:16|16:9|1:1|竖|横|方形|比例"),
    ),
)  # fmt: skip
# Words in X that name no particular request: "the last change", "that thing", "刚才那个修改".
_ANY_REQUEST = _rx(
    _words("the", "that", "this", "my", "your", "last", "previous", "earlier", "same", "change", "changes",
           "edit", "edits", "thing", "one", "request", "step", "part", "bit", "it", "whole", "fix", "attempt")
    + "|刚才|刚刚|之前|上次|那个|这个|修改|改动|操作|请求|编辑|的|那步"
)  # fmt: skip


def _named_retry(parts: list[Clause]) -> str:
    """X when one clause redoes a request it names ("try the reorder again") and the others only
    say why or how the user feels ("ok signed up.", "ugh,"); else ""."""
    named = [(p, m) for p in parts if (m := _NAMED_RETRY.match(p.text.strip()))]
    if len(named) != 1:
        return ""
    part, match = named[0]
    redo = next((g for g in match.groups() if g), "").strip()
    if not redo or (_only(_ANY_REQUEST, redo) and not _RETRY_MARK.search(part.text)):
        return ""
    others = [p for p in parts if p is not part]
    for p in others:
        fine = (
            _CONTEXT.match(p.text.strip())
            or read_clause(p.text).kind is Kind.IDLE
            or _DONE.match(p.text.strip())
            or (parts.index(p) < parts.index(part) and (_grumble(p) or _COMPLAINT.match(p.text.strip())))
        )
        if not fine:
            return ""
    return redo


def redo_names(redo: str, prompt: str) -> bool | None:
    """Whether an earlier request's ``prompt`` is the one "try the ``redo`` again" names: True or
    False when ``redo`` names a kind of request or a word to find; None when it names none
    ("the last change": any request, the newest)."""
    kinds = [said for named, said in _REQUEST_KINDS if named.search(redo)]
    rest = _ANY_REQUEST.sub(" ", redo)
    for named, _ in _REQUEST_KINDS:
        rest = named.sub(" ", rest)
    words = [w for w in re.findall(r"[a-z0-9$%/'-]{3,}|[\u4e00-\u9fff]{2,}", rest.casefold())]
    if not kinds and not words:
        return None
    text = normalise(prompt)
    return all(said.search(text) for said in kinds) and all(w in text for w in words)


def redo_kind_only(redo: str) -> bool:
    """``redo`` says only what kind of request it was ("the reorder", "排序"): with none of that
    kind before, it means the last request (said by name before anything is sent)."""
    rest = _ANY_REQUEST.sub(" ", redo)
    for named, _ in _REQUEST_KINDS:
        rest = named.sub(" ", rest)
    return not re.findall(r"[a-z0-9$%/'-]{3,}|[\u4e00-\u9fff]{2,}", rest.casefold())


def asks_export_now(prompt: str) -> bool:
    """Beside an edit, the words ask for the file too, now ("…, then export it", "…然后导出"): an
    export clause that is no question, hold, condition or time ("满意了再导出", "how do i export?")."""
    if Action.EXPORT in route(prompt).held_back:
        return False
    return any(
        not part.question and (reading := read_clause(part.text)).kind is Kind.COMMAND
        and reading.action is Action.EXPORT
        for part in clauses(normalise(prompt))
    )  # fmt: skip


def names_export(prompt: str) -> bool:
    """The prompt speaks of exporting at all ("…, then export"): a hold from before is over."""
    text = normalise(prompt)
    return any(c.action is Action.EXPORT and c.pattern.search(text) for c in COMMANDS)


# "不对不对", "不是这样的", "错了错了", "这不对吧": that what was done is wrong, and nothing more.
_PROTEST = _rx(
    r"^(?:啊|哎|唉|哎呀|哎呀呀|天哪|我去|靠|嗯|呃|诶|欸)?[,，\s]*"
    r"(?:不对+|不是不是|错了*|错+|这不对|这样不对|这不是我要的|不是我要的|这不是我想要的|不是我想要的"
    r"|不是这样的?|不是这个意思|搞错了|弄错了|做错了|改错了|全错了|完全不对|根本不对|都不对|还是不对)"
    r"(?:[,，\s]*(?:不对+|不是不是|错了*|不是这样的?|这不对|啊|呀|吧|哦|嘛|啦|呢))*[!！。.~～…\s]*$"
)


def _only_protest(parts: list[Clause]) -> bool:
    """Every clause is a protest (:data:`_PROTEST`), and no question is asked."""
    return bool(parts) and all(not p.question and _PROTEST.match(p.text) for p in parts)


# "undo that", "revert the last change", "撤销刚才那个", "撤回上一步": the last change taken back,
# with no word of what it should be instead.
_UNDO = _rx(
    r"^(?:(?:please|pls|just|can you|could you)\s+)*(?:undo|revert|roll\s?back)"
    r"(?:\s+(?:that|it|this|the last(?: \w+)?|my last(?: \w+)?|what you (?:just )?did|the last thing))?"
    r"(?:\s+(?:please|pls|for me))?$"
    r"|^(?:请|帮我|给我|麻烦|那就|那)?(?:撤销|撤回|回退|还原|恢复原样)(?:一下)?"
    r"(?:刚才|刚刚|上一步|上一次|上次|之前)?(?:的|那一?步)?(?:那个|这个|操作|修改|改动|那次|一步)?(?:吧|了|一下)*$"
)


def _only_undo(parts: list[Clause]) -> bool:
    """An undo (:data:`_UNDO`), with nothing beside it but idle words."""
    undo = [p for p in parts if _UNDO.match(p.text.rstrip("?!. "))]
    return bool(undo) and all(p in undo or read_clause(p.text).kind is Kind.IDLE for p in parts)


@lru_cache(maxsize=512)
def route(prompt: str) -> Decision:
    """Decide what a ``generate`` prompt means; see the module docstring."""
    parts = clauses(normalise(prompt))
    if _only_protest(parts):
        return Decision(Action.STATUS, protest=True)
    if _only_undo(parts):
        return Decision(Action.ASK, undo=True)
    if _only_retry(parts):
        return Decision(Action.REPEAT)
    redo = _named_retry(parts)
    decision = _route_held(prompt, parts)
    if decision.action is Action.CANCEL:
        decision = replace(decision, aside=_beside_cancel(parts))
    return replace(decision, redo=redo) if redo else decision


def _beside_cancel(parts: list[Clause]) -> tuple[str, ...]:
    """What a cancel's clauses say besides stopping and holding: what is still wrong ("音乐还没去掉",
    "the music is still there"). Nothing of it is sent; it is quoted back, so it is not lost."""
    return tuple(
        p.text
        for p in parts
        if (
            read_clause(p.text).kind in (Kind.DESCRIBE, Kind.OTHER)
            and _quoted_back(p.text)
            and not _STOP_WORD.match(p.text)
        )
        or (read_clause(p.text).kind is Kind.EDIT and _KEEP_AS_WAS.match(p.text))
    )


# "停" beside "停止": one more word for the stop itself, never a change to send on its own
# (play29zh F12: "停 先别导了 停止" was answered "'停' was not sent; send it if it is an edit").
_STOP_WORD = _rx(r"^(?:停|停下|停下来|停一下|stop|halt)[\s!！。.~]*$")


def _quoted_back(text: str) -> bool:
    """Words beside a hold or a cancel said back as not sent: not the user's own reason, plan or
    thinking ("I want to check first", "i might change it later", "我再想想"), which ask nothing."""
    return not (_REASON.match(text) or _OWN_PLAN.match(text) or _ZH_THINKING.match(text))


def asks_no_change(prompt: str) -> bool:
    """Every clause holds a command back, is filler, or is the user's own plan, reason or
    thinking ("dont export the night brew one yet, i still wanna fix the title on it later"):
    words that ask the video to change in no way now, however they were sent."""
    parts = clauses(normalise(prompt))
    if not parts or any(p.question for p in parts):
        return False
    for part in parts:
        kind = read_clause(part.text).kind
        if kind in (Kind.IDLE, Kind.HELD):
            continue
        if kind is Kind.OTHER and (
            _REASON.match(part.text) or _OWN_PLAN.match(part.text) or _ZH_THINKING.match(part.text)
        ):
            continue
        return False
    return True


def _route_held(prompt: str, parts: list[Clause]) -> Decision:
    decision = _route(prompt)
    held = _held_back(parts) - {decision.action}
    if not held:
        return decision
    if decision.action is not Action.ASK or any(p.question for p in parts):
        return replace(decision, held_back=held)  # an edit, a command, or a question for the agent
    # No edit, command or question beside the held command: a hold, whatever the other words are
    # (a reason in words no list has: "等我看看文案"). Those words are quoted back, not sent.
    kinds = [(p.text, read_clause(p.text).kind) for p in parts]
    if not all(kind in (Kind.IDLE, Kind.HELD, Kind.OTHER) for _, kind in kinds):
        return replace(decision, held_back=held)
    aside = tuple(text for text, kind in kinds if kind is Kind.OTHER and _quoted_back(text))
    return replace(decision, held_back=held, only_held=True, aside=aside)


def _route(prompt: str) -> Decision:
    files, urls = extract_media(prompt)
    parts = clauses(normalise(prompt))
    if any(p.question for p in parts):
        decision = _question(parts)
    else:
        new, parts = _take_new_project(parts)
        reading = _statement(parts)
        if reading.kind is Kind.OTHER and asked.read(prompt).sequence:
            # "first beach, then sunrise, then forest": each clause alone names a clip, the
            # sentence an order (an edit)
            reading = Reading(Kind.EDIT, Action.AGENT)
        if new and (reading.kind is Kind.IDLE or all(_only(_NEW_FILLER, p.text) for p in parts)):
            decision = Decision(Action.NEW_PROJECT, new_project=True)
        elif reading.kind is Kind.IDLE and any(_DROP.match(p.text) for p in parts):
            decision = Decision(Action.CANCEL)  # "scrap that one" alone: whatever is under way
        elif reading.kind is Kind.IDLE and any(
            _withdrawn(p.text) and not _DECLINED.search(p.text) for p in parts
        ):
            decision = Decision(Action.CANCEL)  # "字幕先别加了" alone: the request under way withdrawn
        else:
            # Words beside "new video" we don't know describe it: "another video about puppies".
            action = Action.AGENT if new and reading.kind is Kind.OTHER else reading.action or Action.AGENT
            consent = reading.kind is Kind.CONSENT
            decision = Decision(action, reading.keyword, new_project=new, consent=consent)
    if decision.action is Action.UPLOAD or decision.action is Action.AGENT:
        return replace(decision, files=files, urls=urls)
    return decision
