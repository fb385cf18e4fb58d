"""What the user said → which action runs. Pure and table-driven.

A prompt that only asks to export, check credits, see the status, upload or cancel runs
that action directly, with no agent turn (no credits spent, no SSE). A prompt that also asks
for an edit ("add music and export") goes to the agent, which does the edit first. "New
project / start over / 新项目" starts a new project first; what else the prompt asks for
then runs in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    CANCEL = "cancel"
    NEW_PROJECT = "new_project"
    EXPORT = "export"
    CREDITS = "credits"
    STATUS = "status"
    UPLOAD = "upload"
    AGENT = "agent"
    ASK = "ask"  # a question only the agent could answer: costs credits, so confirmed first


@dataclass(frozen=True)
class Rule:
    action: Action
    english: tuple[str, ...]  # whole words or phrases, case-insensitive
    chinese: tuple[str, ...]  # substrings


# Order matters: the first matching rule wins ("取消导出" cancels, it doesn't export).
RULES: tuple[Rule, ...] = (
    Rule(Action.CANCEL, ("cancel", "stop", "abort", "never mind", "nevermind"), ("取消", "停止", "算了")),
    Rule(Action.EXPORT, ("export", "download", "send me the video", "render", "save the video"),
         ("导出", "下载", "渲染")),
    Rule(Action.CREDITS, ("credits", "credit", "balance", "how many points"), ("积分", "余额", "点数")),
    Rule(Action.STATUS, ("status", "show tracks", "show the tracks", "show timeline", "show the timeline",
                         "what's on the timeline", "progress"), ("状态", "进度", "时间线", "轨道")),
    Rule(Action.UPLOAD, ("upload",), ("上传",)),
)  # fmt: skip

# Words that ask the agent to change something: their presence keeps the prompt with the agent.
EDIT_WORDS_EN = (
    "make", "create", "generate", "add", "edit", "change", "cut", "trim", "remove", "delete", "replace",
    "put", "insert", "set", "use", "turn", "apply", "move", "speed", "slow", "fade", "crop", "rotate",
    "mute", "louder", "quieter", "title", "caption", "subtitle", "music", "bgm", "transition", "effect",
    "then", "after",
)  # fmt: skip
EDIT_WORDS_ZH = (
    "生成", "制作", "添加", "加上", "加个", "剪", "修改", "删除", "替换", "换成", "调整", "配乐", "音乐",
    "字幕", "标题", "然后", "转场", "特效",
)  # fmt: skip

NEW_PROJECT_EN = (
    "new project", "start over", "new video", "start a new video", "start a new project", "start fresh",
    "from scratch", "a new one", "another video", "different video",
)  # fmt: skip
NEW_PROJECT_ZH = ("新项目", "新视频", "重新开始", "新建项目", "新建视频", "另一个视频", "从头开始", "重新做")
# What may remain of "start over, please!" without it asking for anything more.
_FILLER = re.compile(
    r"(?i)\b(?:please|pls|let'?s|let us|ok(?:ay)?|now|a|an|the|and|with|i want|i'd like|"
    r"can you|could you|go|do|begin|start|create|open|make)\b|[\W_]+|请|吧|一个|开始|帮我|我要|我想|好的|现在"
)

_PATH = re.compile(
    r"""(?:(?<=\s)|^)(
        https?://[^\s"'<>]+                      # a URL
      | ~?/[^\s"'<>]+\.[A-Za-z0-9]{2,5}         # a POSIX path with an extension
      | \.{1,2}/[^\s"'<>]+\.[A-Za-z0-9]{2,5}    # a relative path
      | [A-Za-z]:\\[^\s"'<>]+\.[A-Za-z0-9]{2,5} # a Windows path
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Decision:
    action: Action
    keyword: str | None = None
    files: tuple[str, ...] = field(default=())
    urls: tuple[str, ...] = field(default=())
    new_project: bool = False  # start a new project before doing the rest


def _english_hit(text: str, phrases: tuple[str, ...]) -> str | None:
    for phrase in phrases:
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text):
            return phrase
    return None


def _wants_edit(lower: str) -> bool:
    return _english_hit(lower, EDIT_WORDS_EN) is not None or any(w in lower for w in EDIT_WORDS_ZH)


def extract_media(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Local paths and http(s) URLs written in a prompt, as (files, urls)."""
    found = [m.group(1).rstrip(".,;)") for m in _PATH.finditer(text)]
    urls = tuple(f for f in found if f.startswith(("http://", "https://")))
    files = tuple(f for f in found if f not in urls)
    return files, urls


def wants_new_project(prompt: str) -> tuple[bool, str]:
    """Whether the prompt starts a new project, and what it says besides."""
    lower = prompt.lower()
    hit = _english_hit(lower, NEW_PROJECT_EN) or next((w for w in NEW_PROJECT_ZH if w in prompt), None)
    if hit is None:
        return False, prompt
    rest = re.sub(re.escape(hit), " ", prompt, count=1, flags=re.IGNORECASE)
    return True, rest


def route(prompt: str) -> Decision:
    """Decide what a ``generate`` prompt means. Anything unmatched goes to the agent."""
    new, rest = wants_new_project(prompt)
    if new and not _FILLER.sub("", rest).strip():
        return Decision(Action.NEW_PROJECT, new_project=True)
    decision = _route(prompt)
    return Decision(decision.action, decision.keyword, decision.files, decision.urls, new_project=new)


def _route(prompt: str) -> Decision:
    lower = prompt.lower()
    for rule in RULES:
        hit = _english_hit(lower, rule.english) or next((w for w in rule.chinese if w in prompt), None)
        if hit is None:
            continue
        if rule.action is Action.UPLOAD:
            files, urls = extract_media(prompt)
            # "upload these and make a video": upload first is the user's job; the agent edits.
            return (
                Decision(Action.AGENT, hit) if _wants_edit(lower) else Decision(rule.action, hit, files, urls)
            )
        if _wants_edit(lower):
            return Decision(Action.AGENT, hit)
        return Decision(rule.action, hit)
    return Decision(Action.AGENT)
