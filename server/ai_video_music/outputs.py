"""What each tool returns: a pydantic model (structured output) that also renders as text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class MediaItem(BaseModel):
    name: str
    kind: str | None = None
    url: str | None = None


class RenderItem(BaseModel):
    id: str
    status: str
    progress: float | None = None
    path: str | None = Field(default=None, description="The MP4 on this computer, once downloaded")
    url: str | None = None
    error: str | None = None

    def text(self) -> str:
        if self.path:
            return f"{self.id}: saved to {self.path}"
        if self.error:
            return f"{self.id}: {self.status} ({self.error})"
        pct = f" {self.progress:.0f}%" if self.progress is not None else ""
        return f"{self.id}: {self.status}{pct}"


class GenerateOutput(BaseModel):
    status: Literal["done", "working"]
    action: str = Field(description="What ran: agent, export, credits, status or upload")
    reply: str = Field(description="The answer to show the user")
    job_id: str | None = Field(default=None, description="Handle of a request still running")
    timeline: str | None = None

    def text(self) -> str:
        parts = [self.reply]
        if self.timeline and self.timeline not in self.reply:
            parts.append(self.timeline)
        if self.status == "working":
            parts.append(
                f"(Still working, handle {self.job_id}. Call status in a minute to get the result; "
                "don't send the request again.)"
            )
        return "\n\n".join(p for p in parts if p)


class UploadOutput(BaseModel):
    status: Literal["done", "working"]
    files: list[MediaItem] = Field(default_factory=list)
    job_id: str | None = None

    def text(self) -> str:
        if self.status == "working":
            return f"Upload still in progress (handle {self.job_id}). Call status to see when it finishes."
        names = ", ".join(f.name + (f" ({f.kind})" if f.kind else "") for f in self.files)
        return f"Uploaded {len(self.files)} file(s): {names}. Now describe the video you want with generate."


class CreditsOutput(BaseModel):
    available: float
    frozen: float
    total: float

    def text(self) -> str:
        return (
            f"Credits: {self.available:g} available, {self.frozen:g} reserved for running jobs, "
            f"{self.total:g} in total. Exporting is free."
        )


class StatusOutput(BaseModel):
    timeline: str
    exportable: bool
    media: list[MediaItem] = Field(default_factory=list)
    renders: list[RenderItem] = Field(default_factory=list)
    replies: list[str] = Field(default_factory=list, description="Agent answers not shown yet")
    working: list[str] = Field(default_factory=list, description="Jobs still running")

    def text(self) -> str:
        parts = list(self.replies)
        parts.append(self.timeline)
        if self.media:
            parts.append("Media: " + ", ".join(m.name for m in self.media))
        if self.renders:
            parts.append("Exports: " + "; ".join(r.text() for r in self.renders))
        if self.working:
            parts.append("Still working: " + "; ".join(self.working) + ". Call status again in a minute.")
        return "\n\n".join(parts)


class ExportOutput(BaseModel):
    status: Literal["done", "rendering", "waiting"]
    render_id: str | None = None
    progress: float | None = None
    path: str | None = Field(default=None, description="The MP4 on this computer")
    url: str | None = Field(default=None, description="Download link from the service")
    message: str = ""

    def text(self) -> str:
        if self.status == "done":
            return f"Your video is ready: {self.path}" + (f"\nLink: {self.url}" if self.url else "")
        if self.status == "rendering":
            pct = f" ({self.progress:.0f}%)" if self.progress is not None else ""
            return (
                f"Rendering{pct}, job {self.render_id}. It keeps going: call export again "
                "(or status) in a minute to download it. Don't start another export."
            )
        return self.message
