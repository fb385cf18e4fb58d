"""Prompts: the slash commands a host offers (the MCP ``prompts`` capability).

Each renders one user message that starts a whole flow with the tools, in the user's
language: English or 简体中文, from the ``language`` argument, else the language the user
last used. Every sentence comes from the catalogue (messages.py).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.prompts import Prompt
from pydantic import Field

from .messages import Lang, parse_language, t

LanguageArg = Annotated[
    str,
    Field(description="en or zh (简体中文). Default: the language the user last used, else English."),
]
FilesArg = Annotated[
    str,
    Field(description="The photos or clips: absolute paths, a folder or a wildcard such as ~/trip/*.jpg."),
]
DetailsArg = Annotated[
    str,
    Field(description="Optional: length, frame (vertical 9:16, 1080p...), style or music mood."),
]
MoodArg = Annotated[str, Field(description="Optional: the music's mood or genre (calm, upbeat, piano...).")]
QualityArg = Annotated[str, Field(description="Optional: high (default), medium or low.")]
PromptFn = Callable[..., Awaitable[str]]


def _lang(language: str, ctx: Context) -> Lang:
    """The asked language, else the one the service follows (the user's latest request)."""
    asked = parse_language(language)
    if asked is not None:
        return asked
    state = ctx.request_context.lifespan_context
    lang: Any = getattr(state, "lang", None)
    return lang() if callable(lang) else "en"


def _extra(text: str, lang: Lang) -> str:
    return t("prompt.details", lang, details=text.strip()[:500]) if text.strip() else ""


_SPECS: list[tuple[PromptFn, str, str, str]] = []


def _prompt(name: str, title: str, description: str) -> Callable[[PromptFn], PromptFn]:
    """Declare a prompt (registered on each server by :func:`add_prompts`)."""

    def register(fn: PromptFn) -> PromptFn:
        _SPECS.append((fn, name, title, description))
        return fn

    return register


@_prompt(
    "video_from_photos",
    "Make a video from my photos",
    "Upload the user's photos or clips and make a video of them with free background music, "
    "then save the MP4. 用我的照片做一个视频。",
)
async def video_from_photos(
    files: FilesArg, ctx: Context, details: DetailsArg = "", language: LanguageArg = ""
) -> str:
    lang = _lang(language, ctx)
    return t("prompt.video_from_photos", lang, files=files.strip()[:2000]) + _extra(details, lang)


@_prompt(
    "add_free_music",
    "Add free background music",
    "Add or change the free background music of the current video. 为视频添加免费背景音乐。",
)
async def add_free_music(ctx: Context, mood: MoodArg = "", language: LanguageArg = "") -> str:
    lang = _lang(language, ctx)
    key = "prompt.add_music_mood" if mood.strip() else "prompt.add_music"
    return t(key, lang, mood=mood.strip()[:200])


@_prompt(
    "export_video",
    "Export my video",
    "Render the current video and save the MP4 on this computer (free). 导出我的视频。",
)
async def export_video(ctx: Context, quality: QualityArg = "", language: LanguageArg = "") -> str:
    lang = _lang(language, ctx)
    chosen = quality.strip().lower()
    if chosen in ("medium", "low"):
        return t("prompt.export_quality", lang, quality=chosen)
    return t("prompt.export", lang)


@_prompt(
    "new_video",
    "Start a new video",
    "Start a new, unrelated video in a project of its own; earlier ones stay listed. 开始一个新视频。",
)
async def new_video(ctx: Context, details: DetailsArg = "", language: LanguageArg = "") -> str:
    lang = _lang(language, ctx)
    return t("prompt.new_video", lang) + _extra(details, lang)


@functools.cache
def _built() -> tuple[Prompt, ...]:
    """The prompts, built once per process (their argument models are pydantic schemas, ~1 ms each;
    hosted mode builds a server per user)."""
    return tuple(
        Prompt.from_function(fn, name=name, title=title, description=description)
        for fn, name, title, description in _SPECS
    )


def add_prompts(server: MCPServer[Any]) -> None:
    """Register the prompts on ``server``."""
    for built in _built():
        server.add_prompt(built)
