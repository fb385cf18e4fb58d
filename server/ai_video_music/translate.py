"""The agent talks as if the user sat in front of a visual editor. This rewrites its
wording into what the user can do here, and says which action the text asks for.

Read-only actions (show the timeline, check credits) are taken by the caller; the
export (a render) is offered, never started on the agent's say-so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from .router import Action


@dataclass(frozen=True)
class Mapping:
    pattern: re.Pattern[str]
    replacement: str
    action: Action | None


def _m(pattern: str, replacement: str, action: Action | None) -> Mapping:
    return Mapping(re.compile(pattern, re.IGNORECASE), replacement, action)


_CLICK = r"\b(?:click|press|tap|hit)\s+(?:on\s+)?(?:the\s+)?[\"'*]*"  # "click on the **
_BUTTON = r"[\"'*]*(?:\s+button)?"  # **" button
_ZH_CLICK, _ZH_BUTTON = r"点击\s*[「“\"]?", r"[」”\"]?(?:按钮)?"
_DRAG = r"\b(?:drag(?:\s+and\s+drop)?|drop)"

# Most specific first: "click the Export button" before a bare "click".
MAPPINGS: tuple[Mapping, ...] = (
    _m(_CLICK + "export" + _BUTTON, "ask me to export", Action.EXPORT),
    _m(_ZH_CLICK + "导出" + _ZH_BUTTON, "告诉我导出", Action.EXPORT),
    _m(_CLICK + "(?:upload|import)" + _BUTTON, "send me the files to upload", Action.UPLOAD),
    _m(_ZH_CLICK + "上传" + _ZH_BUTTON, "把文件发给我上传", Action.UPLOAD),
    _m(_CLICK + "(?:credits?|balance)" + _BUTTON, "ask me for your credits", Action.CREDITS),
    _m(r"\bpreview\s+(?:it\s+)?(?:in|on)\s+the\s+timeline\b",
       "check the timeline", Action.STATUS),
    _m(r"\bopen\s+(?:the\s+)?(?:timeline|editor|project)(?:\s+(?:panel|view|tab))?\b",
       "check the timeline", Action.STATUS),
    _m(r"打开\s*(?:时间线|时间轴|编辑器|项目)(?:面板)?", "查看时间线", Action.STATUS),
    _m(_DRAG + r"\s+(it|them|the\s+\w+)\s+(?:on|onto|along|to)\s+(?:the\s+)?timeline(?:\s+to\s+\w+\s+it)?",
       'tell me where to move \\1 (for example "move it to 5s")', Action.AGENT),
    _m(_DRAG + r"\b", "tell me how to rearrange", Action.AGENT),
    _m(r"拖拽|拖动|拖放", "告诉我如何调整", Action.AGENT),
    _m(r"\bclick\s+(?:on\s+)?", "ask me to use ", None),
    _m(r"点击", "让我", None),
    _m(r"\b(?:the\s+)?export\s+button\b", "export", Action.EXPORT),
    _m(r"导出按钮", "导出", Action.EXPORT),
)  # fmt: skip


@dataclass(frozen=True)
class Translation:
    text: str
    actions: tuple[Action, ...] = field(default=())


def translate(text: str) -> Translation:
    """Rewrite GUI instructions; ``actions`` lists what the text asked for, in order, once each."""
    actions: list[Action] = []
    for mapping in MAPPINGS:
        text, count = mapping.pattern.subn(partial(_keep_case, replacement=mapping.replacement), text)
        if count and mapping.action is not None and mapping.action not in actions:
            actions.append(mapping.action)
    # Any other mention of exporting ("then Export") still points at the export flow.
    if Action.EXPORT not in actions and _EXPORT_MENTION.search(text):
        actions.append(Action.EXPORT)
    return Translation(text, tuple(actions))


def _keep_case(match: re.Match[str], replacement: str) -> str:
    out = match.expand(replacement)
    # "Open the timeline..." at a sentence start stays capitalised after rewriting.
    return out[:1].upper() + out[1:] if match.group(0)[:1].isupper() else out


_EXPORT_MENTION = re.compile(r"\bexport|导出", re.IGNORECASE)
