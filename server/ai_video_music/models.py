"""Pydantic models for what crosses the wire to and from the backend.

The contract is loose (two envelopes, snake_case or camelCase, fields under ``data`` or at
the top level, optional everything), so every model accepts both spellings, ignores
unknown fields, and :func:`unwrap` flattens both envelopes into one dict first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from .errors import BadResponseError, error_for

M = TypeVar("M", bound=BaseModel)

_ENVELOPE_KEYS = {"code", "message", "msg", "success", "data", "error"}


class WireModel(BaseModel):
    """Accepts snake_case and camelCase, keeps unknown fields out of the way."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, extra="ignore"
    )


def _error_text(body: dict[str, Any]) -> str | None:
    err = body.get("error")
    if isinstance(err, dict):
        err = err.get("message") or err.get("msg")
    text = err or body.get("message") or body.get("msg")
    return str(text) if text else None


def _error_code(body: dict[str, Any]) -> int | None:
    raw = body.get("code")
    if raw is None and isinstance(body.get("error"), dict):
        raw = body["error"].get("code")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def unwrap(status: int, body: Any, retry_after: float | None = None) -> dict[str, Any]:
    """Check an envelope for errors and return its payload: ``data`` merged over the top level.

    Raises the mapped :class:`NemoError` for a non-zero ``code``, ``success: false`` or an
    HTTP error status; :class:`BadResponseError` when the body isn't a JSON object.
    """
    if not isinstance(body, dict):
        if status >= 400:
            raise error_for(status=status, code=None, message=None, retry_after=retry_after)
        raise BadResponseError()
    code = _error_code(body)
    failed = status >= 400 or (code is not None and code != 0) or body.get("success") is False
    if failed:
        raise error_for(status=status, code=code or None, message=_error_text(body), retry_after=retry_after)
    merged = {k: v for k, v in body.items() if k not in _ENVELOPE_KEYS}
    data = body.get("data")
    if isinstance(data, dict):
        merged.update(data)
    elif data is not None:
        merged["data"] = data
    return merged


def parse(model: type[M], payload: dict[str, Any]) -> M:
    """Validate a payload, turning a shape mismatch into a readable :class:`BadResponseError`."""
    try:
        return model.model_validate(payload)
    except ValueError as err:
        raise BadResponseError(
            f"The video service sent an unexpected {model.__name__} response.",
        ) from err


def _epoch(value: Any) -> float | None:
    """Seconds since the epoch from seconds, milliseconds or an ISO-8601 string."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value) / 1000 if value > 1e11 else float(value)
    text = str(value).strip()
    try:
        return _epoch(float(text))
    except ValueError:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class TokenGrant(WireModel):
    """``POST /api/auth/anonymous-token``."""

    token: str = Field(validation_alias=AliasChoices("token", "access_token", "accessToken"))
    user_id: str | None = None
    expires_at: float | None = None
    credits: float | None = None

    @field_validator("expires_at", mode="before")
    @classmethod
    def _expiry(cls, value: Any) -> float | None:
        return _epoch(value)

    @field_validator("user_id", mode="before")
    @classmethod
    def _user(cls, value: Any) -> str | None:
        return None if value is None else str(value)


class SessionInfo(WireModel):
    """``POST /api/tasks/me/with-session/nemo_agent``."""

    session_id: str
    task_id: str | None = None

    @field_validator("session_id", "task_id", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> str | None:
        return None if value is None else str(value)


class UploadedFile(WireModel):
    """One entry of an upload's ``files``; every field is documented as optional."""

    filename: str | None = Field(default=None, validation_alias=AliasChoices("filename", "fileName", "name"))
    file_type: str | None = None
    cdn_url: str | None = Field(default=None, validation_alias=AliasChoices("cdn_url", "cdnUrl", "url"))
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    hash: str | None = None


class UploadResult(WireModel):
    files: list[UploadedFile] = Field(default_factory=list)


class Credits(WireModel):
    """``GET /api/credits/balance/simple``. ``available`` is required: a missing balance must not
    read as zero credits."""

    available: float
    frozen: float = 0
    total: float | None = None

    @model_validator(mode="after")
    def _total(self) -> Credits:
        if self.total is None:
            self.total = self.available + self.frozen
        return self


class SessionState(WireModel):
    """``GET /api/state/nemo_agent/me/<sid>/latest``: ``state`` holds the draft and media."""

    draft: dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices(AliasPath("state", "draft"), "draft")
    )
    video_infos: list[Any] = Field(
        default_factory=list,
        validation_alias=AliasChoices(
            AliasPath("state", "video_infos"), AliasPath("state", "videoInfos"), "video_infos", "videoInfos"
        ),
    )
    generated_media: list[Any] = Field(
        default_factory=list,
        validation_alias=AliasChoices(
            AliasPath("state", "generated_media"),
            AliasPath("state", "generatedMedia"),
            "generated_media",
            "generatedMedia",
        ),
    )

    @field_validator("video_infos", "generated_media", mode="before")
    @classmethod
    def _listish(cls, value: Any) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, dict):
            return list(value.values())
        return list(value)


class RenderStatus(WireModel):
    """Render submit and poll answers; the URL is documented in two places."""

    id: str | None = Field(default=None, validation_alias=AliasChoices("id", "render_id", "renderId"))
    status: str = "pending"
    progress: float | None = None
    output_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "outputUrl", "output_url", AliasPath("output", "url"), "downloadUrl", "download_url", "url"
        ),
    )
    error: str | None = Field(default=None, validation_alias=AliasChoices("error", "errorMessage", "reason"))

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str:
        return str(value or "pending").lower()

    @field_validator("id", "error", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        if isinstance(value, dict):
            value = value.get("message")
        return None if value is None else str(value)

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed", "cancelled", "canceled")


__all__ = [
    "Credits",
    "RenderStatus",
    "SessionInfo",
    "SessionState",
    "TokenGrant",
    "UploadResult",
    "UploadedFile",
    "parse",
    "unwrap",
]
