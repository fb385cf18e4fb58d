"""Structured tool output as the app receives it (the shapes of the core team's contract).

Each function returns a fresh object, so a test can change one without touching another.
``media`` is the origin the export URLs point at (the browser test serves them on loopback).
"""

from __future__ import annotations

from typing import Any

NEMO_MEDIA = "https://static1.nemovideo.ai"
PROJECT_URL = "https://nemovideo.com/workspace/claim?ct=clm_abc"


def timeline() -> dict[str, Any]:
    return {
        "summary": "Timeline: 12s, 1080x1920 (9:16), 3 tracks.",
        "duration_s": 12.0,
        "width": 1080,
        "height": 1920,
        "aspect_ratio": "9:16",
        "tracks": [
            {
                "kind": "video",
                "label": "Video",
                "segments_total": 3,
                "segments": [
                    {"name": "beach", "start_s": 0, "end_s": 4, "volume": None},
                    {"name": "forest", "start_s": 4, "end_s": 8, "volume": None},
                    {"name": "city", "start_s": 8, "end_s": 12, "volume": None},
                ],
            },
            {
                "kind": "audio",
                "label": "BGM",
                "segments_total": 1,
                "segments": [{"name": "Calm Piano (free music)", "start_s": 0, "end_s": 12, "volume": 35}],
            },
            {
                "kind": "text",
                "label": "Title",
                "segments_total": 2,
                "segments": [
                    {"name": "Summer 2026", "start_s": 0, "end_s": 3, "volume": None},
                    # A quarter of a second: too narrow for its name, still drawn and listed.
                    {"name": "fin", "start_s": 11.75, "end_s": 12, "volume": None},
                ],
            },
        ],
    }


def clip_names() -> list[str]:
    return [seg["name"] for track in timeline()["tracks"] for seg in track["segments"]]


def video_url(media: str = NEMO_MEDIA, sig: str = "ok", render_id: str = "render_1764270000000") -> str:
    return f"{media}/render-result/{render_id}.mp4?sig={sig}"


def status(media: str = NEMO_MEDIA, sig: str = "ok", language: str = "en") -> dict[str, Any]:
    return {
        "language": language,
        "reply": "Your project has a 12-second timeline and one export.",
        "next_steps": ["Call export to render and save the MP4 (free)."],
        "project": {
            "id": "prj_01",
            "name": "Summer trip",
            "created_at": "2026-11-27T21:00:00Z",
            "current": True,
            "project_url": PROJECT_URL,
        },
        "projects": [
            {"id": "prj_01", "name": "Summer trip", "created_at": "2026-11-27T21:00:00Z", "current": True}
        ],
        "projects_total": 1,
        "timeline": timeline(),
        "exportable": True,
        "media": [{"name": "beach.jpg", "kind": "image", "url": f"{media}/media/beach.jpg"}],
        "media_total": 3,
        "exports": [
            {
                "render_id": "render_1764270000000",
                "project_id": "prj_01",
                "project_name": "Summer trip",
                "status": "downloaded",
                "progress": 100,
                "path": "/home/me/Videos/NemoVideo/nemovideo-summer-trip.mp4",
                "url": video_url(media, sig),
                "duration_s": 12.0,
                "width": 1080,
                "height": 1920,
                "size_bytes": 2345678,
                "created_at": "2026-11-27T21:05:00Z",
                "error": None,
            }
        ],
        "exports_total": 1,
        "page": 1,
        "pages": 1,
        "replies": [],
        "working": [],
    }


def export_done(media: str = NEMO_MEDIA, sig: str = "ok", language: str = "en") -> dict[str, Any]:
    return {
        "language": language,
        "status": "done",
        "render_id": "render_1764270000000",
        "progress": 100,
        "path": "/home/me/Videos/NemoVideo/nemovideo-summer-trip.mp4",
        "url": video_url(media, sig),
        "duration_s": 12.0,
        "width": 1080,
        "height": 1920,
        "size_bytes": 2345678,
        "project_url": PROJECT_URL,
        "agent_reply": None,
        "changes": [],
        "timeline": timeline(),
        "reply": "你的视频已保存。" if language == "zh" else "Your video is saved.",
        "next_steps": [],
    }


def export_rendering(progress: int, language: str = "en") -> dict[str, Any]:
    result = export_done(language=language)
    result.update(status="rendering", progress=progress, url=None, path=None, size_bytes=None)
    result["reply"] = f"Rendering: {progress}%"
    return result


def tool_result(structured: dict[str, Any]) -> dict[str, Any]:
    """A CallToolResult on the wire, as the host forwards it to the app."""
    return {
        "content": [{"type": "text", "text": str(structured.get("reply", ""))}],
        "structuredContent": structured,
        "isError": False,
    }
