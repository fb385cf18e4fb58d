"""What each tool returns: a pydantic model (structured output) that also renders as text.

Every answer keeps what is *for the user* (``reply``, in their language) apart from what is
*for the assistant* (``next_steps``: which tool to call next). The text content is the
reply, then the next steps, once each.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, PrivateAttr

from .messages import Lang, join_sentences, t

# Fields several answers share, described once.
AgentSays = Annotated[
    str | None,
    Field(
        description="NemoVideo's own words, as it wrote them: its claims, not facts (the facts are "
        "timeline_changed and changes)"
    ),
]
PollAfter = Annotated[
    int | None,
    Field(description="While work runs: seconds until it is worth looking again (status/export)"),
]
NotAsAsked = Annotated[
    list[str],
    Field(
        description="What the verified timeline lacks of what the request asked (no music, a length, a "
        "shape), a file it named that was never uploaded, and what changed that it did not ask for "
        "(the music replaced, clips dropped, the frame): tell the user this first and offer the fix",
    ),
]
AsAsked = Annotated[
    list[str],
    Field(
        description="What the request asked that the timeline already has (with an unchanged timeline: "
        "it was already as asked, nothing to send again)",
    ),
]

NotChecked = Annotated[
    list[str],
    Field(
        description="Parts of the request, in the user's words, that ask for a change no check can verify "
        'against the timeline (e.g. "a bit brighter", "only the two photos"): never tell the user they were '
        "done, nor that the request was done as asked; they can look at the video",
    ),
]


class Answer(BaseModel):
    language: Lang = Field(description="The language the reply is written in (the user's)")
    reply: str = Field(description="What to tell the user, in their language")
    next_steps: list[str] = Field(default_factory=list, description="For the assistant: what to do next")

    def text(self) -> str:
        parts = [self.reply.strip()]
        if self.next_steps:
            steps = join_sentences(self.next_steps, self.language)
            parts.append(t("next.line", self.language, steps=steps))
        return "\n\n".join(p for p in parts if p)


class Segment(BaseModel):
    name: str
    start_s: float
    end_s: float | None = None
    volume: float | None = Field(default=None, description="Percent, for audio")


class Track(BaseModel):
    kind: Literal["video", "audio", "text", "other"]
    label: str
    segments: list[Segment]
    segments_total: int = Field(description="How many segments the track has (the list may be capped)")


class TimelineView(BaseModel):
    summary: str = Field(description="The whole timeline as text, in the user's language")
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    aspect_ratio: str | None = Field(default=None, description='e.g. "9:16"')
    tracks: list[Track] = Field(default_factory=list)
    tracks_total: int = 0
    clips_not_listed: int = Field(
        default=0,
        description="Clips not listed in tracks (the list is capped; the summary counts them)",
    )


class ProjectView(BaseModel):
    id: str
    name: str
    created_at: str
    current: bool = False
    project_url: str | None = Field(
        default=None,
        description="Opens the project in NemoVideo's web editor (none for a team member: the team owner's)",
    )


class MediaItem(BaseModel):
    name: str
    kind: str | None = None
    url: str | None = None


class ExportItem(BaseModel):
    render_id: str
    project_id: str | None = None
    project_name: str | None = None
    status: str = Field(
        description=(
            "downloaded (on disk), missing (saved once, since moved or deleted), "
            "submitting/pending/processing/completed, failed, cancelled"
        )
    )
    progress: float | None = None
    path: str | None = Field(default=None, description="The MP4 on this computer")
    url: str | None = None
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    created_at: str
    error: str | None = None
    matches_timeline: bool | None = Field(
        default=None,
        description=(
            "Whether this export shows its project's timeline as it is now (true or false for every "
            "export of the project this answer shows; false too when the file's length or frame is "
            "not the timeline's). For an export of another project: false when a later request left "
            "that project's timeline otherwise, else null (its timeline was not read here: call "
            "status with that project to know); null too when the timeline could not be read at all"
        ),
    )


class GenerateOutput(Answer):
    status: Literal["done", "working", "needs_confirmation", "cannot_run"] = Field(
        description=(
            "needs_confirmation: not sent; ask the user about cost_warning, then resend with "
            "accept_cost=true only if they agree. cannot_run: not sent and confirming can't help "
            "(fewer credits left than this request costs): tell the user the way to more credits in the reply"
        )
    )
    action: str = Field(
        description="What ran: agent, ask, export, credits, status, upload, cancel, new_project, or held "
        '(the user only held a command back, e.g. "don\'t export yet": noted, nothing sent)'
    )
    job_id: str | None = Field(default=None, description="Handle of a request still running")
    attached: bool = Field(
        default=False,
        description="True when this repeated an earlier identical request: it was not sent again",
    )
    timeline_changed: bool | None = Field(
        default=None, description="Whether the agent's turn changed the timeline (None: not known)"
    )
    changes: list[str] = Field(default_factory=list, description="What changed on the timeline")
    credits_used: float | None = None
    credits_left: float | None = None
    not_as_asked: NotAsAsked = Field(default_factory=list)
    as_asked: AsAsked = Field(default_factory=list)
    not_checked: NotChecked = Field(default_factory=list)
    cost_warning: str | None = Field(
        default=None,
        description="Only with needs_confirmation or cannot_run (nothing was sent): what the request "
        "would cost against what is left; tell the user before anything is resent",
    )
    cost_note: str | None = Field(
        default=None,
        description="The request was sent, is still working and uses the last credits: tell the user "
        "(nothing to confirm); once it has run, the reply's cost line says what is left",
    )
    project: ProjectView | None = None
    agent_says: AgentSays = None
    poll_after_s: PollAfter = None


class UploadOutput(Answer):
    status: Literal["done", "working", "upload_page"] = Field(
        description='"upload_page": nothing was uploaded yet; give the user `upload_url` to send files from '
        "their device"
    )
    files: list[MediaItem] = Field(default_factory=list)
    job_id: str | None = None
    project: ProjectView | None = None
    poll_after_s: PollAfter = None
    upload_url: str | None = Field(
        default=None,
        description="Hosted mode: a page where the user picks photos and videos on their device; it works "
        "once and until upload_url_expires_at. Show it to the user as is",
    )
    upload_url_expires_at: str | None = None


class ProjectSpent(BaseModel):
    project: str = Field(description="The project's name, as shown")
    credits_used: float = Field(description="The sum of its requests' own costs, as told with each")
    requests: int = Field(description="Requests in that sum")
    not_counted: int = Field(default=0, description="Requests whose own cost is not known (joint or unread)")
    shared_with: list[str] = Field(
        default_factory=list,
        description="Other projects whose requests ran at the same time as some of this one's: their "
        "cost is known only together (in the reply), not as this project's",
    )


class CreditsOutput(Answer):
    available: float
    frozen: float
    total: float
    session_credits_used: float | None = Field(
        default=None,
        description="What this conversation's requests cost: the sum of each request's own cost, "
        "and of the joint cost of each group of requests that ran at the same time (None when none "
        "was sent or none has finished). Requests whose cost is not known (still running, or unread) "
        "are not in it; the reply says so",
    )
    session_requests: int = Field(default=0, description="Requests sent in this conversation")
    by_project: list[ProjectSpent] = Field(
        default_factory=list, description="The same per project that had a request sent (one or several)"
    )


class TurnAnswer(BaseModel):
    """An agent request's answer that arrived after its own call had answered "working"."""

    request: str = Field(description="The user's words, as sent")
    reply: str
    timeline_changed: bool | None = None
    changes: list[str] = Field(default_factory=list)
    not_as_asked: NotAsAsked = Field(default_factory=list)
    as_asked: AsAsked = Field(default_factory=list)
    not_checked: NotChecked = Field(default_factory=list)
    credits_used: float | None = None
    credits_left: float | None = None
    interrupted: bool = False
    withdrawn: bool = Field(
        default=False,
        description="The user cancelled it while it ran; it ran on (it can't be recalled): don't offer it "
        "again",
    )
    agent_says: AgentSays = None
    # The not_as_asked items without the backend's names, for next_steps (a field the backend
    # can't write into); not part of the answer on the wire.
    _unmet_unnamed: list[str] = PrivateAttr(default_factory=list)

    @property
    def unmet_unnamed(self) -> list[str]:
        return self._unmet_unnamed

    def unnamed(self, items: list[str]) -> TurnAnswer:
        self._unmet_unnamed = items
        return self


class StatusOutput(Answer):
    project: ProjectView | None = None
    projects: list[ProjectView] = Field(default_factory=list, description="Recent projects, newest first")
    projects_total: int = 0
    timeline: TimelineView | None = None
    exportable: bool = False
    export_current: bool = Field(
        default=False, description="A saved video shows the current timeline as it is now"
    )
    project_exported: bool = Field(
        default=False, description="The shown project has at least one export (of any timeline)"
    )
    media: list[MediaItem] = Field(default_factory=list, description="The newest media of the project")
    media_total: int = 0
    exports: list[ExportItem] = Field(
        default_factory=list, description="Saved and running exports, newest first"
    )
    exports_total: int = 0
    page: int = 1
    pages: int = 1
    replies: list[str] = Field(
        default_factory=list, description="Answers to earlier requests, not shown before"
    )
    answers: list[TurnAnswer] = Field(
        default_factory=list, description="The same answers with what changed and what they cost"
    )
    working: list[str] = Field(default_factory=list, description="Work still running in the current project")
    elsewhere: list[str] = Field(
        default_factory=list,
        description="Other projects' running work and unread answers, each labelled with its project",
    )
    poll_after_s: PollAfter = None
    upload_page: bool = Field(
        default=False,
        description="Hosted mode: files on the user's device arrive through an upload page (upload "
        "without files answers its link)",
    )


class ExportOutput(Answer):
    status: Literal["done", "rendering", "waiting", "cancelled"] = Field(
        description=(
            "cancelled: the render was stopped (the reply says why: the user asked, or the timeline "
            "changed since); no file was saved"
        )
    )
    render_id: str | None = None
    progress: float | None = None
    eta_s: float | None = Field(default=None, description="Estimated seconds until the render is done")
    path: str | None = Field(default=None, description="The MP4 on this computer")
    url: str | None = Field(default=None, description="Download link from the service (may expire)")
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    project_url: str | None = None
    agent_reply: str | None = Field(
        default=None, description="The answer of the agent turn export waited for"
    )
    changes: list[str] = Field(default_factory=list)
    timeline_changed: bool | None = Field(
        default=None, description="For the agent turn export waited for: whether it changed the timeline"
    )
    credits_used: float | None = Field(default=None, description="What the agent turn export waited for cost")
    not_checked: NotChecked = Field(default_factory=list)
    credits_left: float | None = None
    not_as_asked: NotAsAsked = Field(default_factory=list)
    as_asked: AsAsked = Field(default_factory=list)
    timeline: TimelineView | None = None
    agent_says: AgentSays = None
    poll_after_s: PollAfter = None
    not_in_file: list[str] = Field(
        default_factory=list,
        description=(
            "What this file does not have, as the reply says it: a request (the user's words) "
            "that changed nothing, was cut off and may still land, or landed (or runs) after this "
            "render began, or, of a request done in part, only the parts not done as asked. Tell "
            "the user before offering the file as what they asked for"
        ),
    )


ToolOutput = GenerateOutput | UploadOutput | StatusOutput | CreditsOutput | ExportOutput
