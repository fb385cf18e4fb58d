"""Pydantic models for what crosses the wire to and from the backend (untrusted input).

The contract is loose (two envelopes, snake_case or camelCase, fields under ``data`` or at
the top level, optional everything), so every model accepts both spellings, ignores
unknown fields, and :func:`unwrap` flattens both envelopes into one dict first. Bodies are
cleaned on the way in (:func:`decode_body`): lone surrogates fixed, non-finite numbers
dropped, so nothing downstream meets them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from datetime import datetime
from typing import Any, TypeVar

import anyio.to_thread
from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from .errors import BadResponseError, Caller, NemoError, error_for
from .jsonpieces import loads_in_pieces
from .sanitize import clean_json, finite, one_line, shown, whole

M = TypeVar("M", bound=BaseModel)

_ENVELOPE_KEYS = {"code", "message", "msg", "success", "data", "error"}
MAX_ID_CHARS = 256
INLINE_DIGEST_BYTES = 512 * 1024  # hashed on the event loop up to this size (~0.5 ms)


class WireModel(BaseModel):
    """Accepts snake_case and camelCase, keeps unknown fields out of the way."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, extra="ignore"
    )


def decode_body(raw: bytes) -> Any:
    """JSON from the backend, cleaned; None when it isn't JSON at all."""
    try:
        return clean_json(json.loads(raw))
    except (ValueError, RecursionError):
        return None


# An answer of tiny containers ("[[],[],…]", '{"":{}}' nested) decodes to 25-30 times its size and
# makes the collector walk millions of objects while holding the interpreter: read as unreadable
# past this many when they average fewer bytes each than any real answer's (a compact draft's
# track with one clip is ~13 bytes a container), and past a million whatever their size (a
# 200,000-track draft has 600,000).
MAX_DENSE_CONTAINERS = 50_000
MIN_BYTES_PER_CONTAINER = 6
MAX_CONTAINERS = 1_000_000


def decode_big_body(raw: bytes) -> Any:
    """:func:`decode_body`, with the GIL released between bounded pieces (``jsonpieces``)."""
    containers = raw.count(b"[") + raw.count(b"{")
    dense = containers > MAX_DENSE_CONTAINERS and len(raw) < containers * MIN_BYTES_PER_CONTAINER
    if dense or containers > MAX_CONTAINERS:
        return None  # a memory bomb, not an answer (round 14: 8 MB became 557 MB)
    try:
        return clean_json(loads_in_pieces(raw))
    except (ValueError, RecursionError):
        return None


class DecodedBodies:
    """Large answers decoded once: the same draft is read at every ``status`` and ``export``
    (a user waiting on a render polls), and parsing and cleaning a 2,000-clip draft costs tens
    of milliseconds. Keyed by a digest of the raw bytes; what is returned is shared between
    callers, who treat it as read-only (nothing here edits a backend answer in place)."""

    def __init__(self, kept: int = 4, kept_bytes: int = 16 * 1024 * 1024) -> None:
        self._kept = kept
        self._kept_bytes = kept_bytes  # memory stays bounded whatever the drafts' size
        self._bodies: OrderedDict[bytes, tuple[int, Any]] = OrderedDict()

    async def decode(self, raw: bytes) -> Any:
        """``decode_body(raw)``, in a worker thread (never on the event loop), or as decoded before."""
        # Megabytes are hashed off the event loop too; up to INLINE_DIGEST_BYTES, here: that costs
        # less than the hop to a worker thread and back (a 2,000-clip draft, 170 KB: ~0.2 ms).
        if len(raw) <= INLINE_DIGEST_BYTES:
            key = _digest(raw)
        else:
            key = await anyio.to_thread.run_sync(_digest, raw)
        found = self._bodies.get(key)
        if found is not None:
            self._bodies.move_to_end(key)
            return found[1]
        # In pieces: a one-shot parse would hold the GIL, and so the event loop, all along.
        decoded = await anyio.to_thread.run_sync(decode_big_body, raw, abandon_on_cancel=True)
        self._bodies[key] = (len(raw), decoded)
        while len(self._bodies) > self._kept or (
            len(self._bodies) > 1 and sum(size for size, _ in self._bodies.values()) > self._kept_bytes
        ):
            self._bodies.popitem(last=False)
        return decoded


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


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
    return whole(raw)


def unwrap(
    status: int,
    body: Any,
    retry_after: float | None = None,
    caller: Caller = Caller(),  # noqa: B008 - immutable
) -> dict[str, Any]:
    """Check an envelope for errors and return its payload: ``data`` merged over the top level.

    Raises the mapped :class:`NemoError` for a non-zero ``code``, ``success: false`` or an
    HTTP error status; :class:`BadResponseError` when the body isn't a JSON object.
    """
    if not isinstance(body, dict):
        if status >= 400:
            raise error_for(status=status, code=None, retry_after=retry_after, caller=caller)
        raise BadResponseError("error.bad_response")
    code = _error_code(body)
    failed = status >= 400 or (code is not None and code != 0) or body.get("success") is False
    if failed:
        raise error_for(
            status=status,
            code=code or None,
            message=_error_text(body),
            retry_after=retry_after,
            caller=caller,
        )
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
    except NemoError:
        raise
    except ValueError as err:
        raise BadResponseError("error.bad_shape", what=model.__name__) from err


def safe_id(value: Any) -> str | None:
    """An id from the backend, as text, or None when it can't be used safely in a URL path or a
    file name (empty, too long, control characters, ``.``/``..``). Callers still escape it."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    if (
        not text
        or len(text) > MAX_ID_CHARS
        or text in (".", "..")
        or not text.isprintable()  # control characters, line and paragraph separators
        or "\ufffd" in text
    ):
        return None
    return text


def _epoch(value: Any, now: float) -> float | None:
    """Seconds since the epoch from seconds, milliseconds, a relative lifetime or ISO-8601; None
    when unreadable (then the token's expiry is "unknown": renewed on 1001, never "expired now")."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    number = finite(value)
    if number is not None:
        if number <= 0:
            return None
        if number < 1e9:  # a lifetime ("expires_at": 604800), not a date in 1970
            return now + number
        return number / 1000 if number > 1e11 else number
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None  # a local time of unknown zone: better unknown than wrong
    return parsed.timestamp()


class TokenGrant(WireModel):
    """``POST /api/auth/anonymous-token``."""

    token: str = Field(validation_alias=AliasChoices("token", "access_token", "accessToken"))
    user_id: str | None = None
    expires_at: float | None = Field(
        default=None, validation_alias=AliasChoices("expires_at", "expiresAt", "expires_in", "expiresIn")
    )
    credits: float | None = None

    @field_validator("token", mode="before")
    @classmethod
    def _token(cls, value: Any) -> str:
        text = value.strip() if isinstance(value, str) else ""
        # It goes into an HTTP header on every call: printable ASCII only, or every call fails.
        if not text or len(text) > 4096 or any(not "!" <= ch <= "~" for ch in text):
            raise ValueError("no usable token")
        return text

    @field_validator("expires_at", mode="before")
    @classmethod
    def _expiry(cls, value: Any) -> float | None:
        return _epoch(value, time.time())

    @field_validator("user_id", mode="before")
    @classmethod
    def _user(cls, value: Any) -> str | None:
        return safe_id(value)

    @field_validator("credits", mode="before")
    @classmethod
    def _credits(cls, value: Any) -> float | None:
        return finite(value)


class SessionInfo(WireModel):
    """``POST /api/tasks/me/with-session/nemo_agent``."""

    session_id: str
    task_id: str | None = None
    user_id: str | None = None

    @field_validator("session_id", mode="before")
    @classmethod
    def _sid(cls, value: Any) -> str:
        sid = safe_id(value)
        if sid is None:
            raise ValueError("no usable session id")
        return sid

    @field_validator("task_id", "user_id", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> str | None:
        return safe_id(value)


class ClaimGrant(WireModel):
    """``POST /api/auth/claim-token``: opens the project in NemoVideo's web editor."""

    claim_token: str
    expires_in: float | None = None

    @field_validator("claim_token", mode="before")
    @classmethod
    def _claim(cls, value: Any) -> str:
        text = safe_id(value)
        if text is None:
            raise ValueError("no usable claim token")
        return text

    @field_validator("expires_in", mode="before")
    @classmethod
    def _lifetime(cls, value: Any) -> float | None:
        number = finite(value)
        return number if number is not None and number > 0 else None


class UploadedFile(WireModel):
    """One entry of an upload's ``files``; every field is documented as optional."""

    filename: str | None = Field(default=None, validation_alias=AliasChoices("filename", "fileName", "name"))
    file_type: str | None = None
    cdn_url: str | None = Field(default=None, validation_alias=AliasChoices("cdn_url", "cdnUrl", "url"))
    duration: float | None = None
    width: int | None = None
    height: int | None = None

    @field_validator("filename", "file_type", "cdn_url", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        if value is None or isinstance(value, dict | list):
            return None
        return one_line(str(value), 2048) or None

    @field_validator("filename", mode="after")
    @classmethod
    def _shown(cls, value: str | None) -> str | None:
        # The name is shown in our sentences ("Uploaded 1 file(s): …", "Media (1): …").
        return shown(value, 300) or None if value is not None else None

    @field_validator("duration", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> float | None:
        return finite(value)

    @field_validator("width", "height", mode="before")
    @classmethod
    def _pixels(cls, value: Any) -> int | None:
        number = finite(value)
        return int(number) if number is not None and 0 < number < 100_000 else None


class UploadResult(WireModel):
    """An accepted upload's answer. Every field is optional in the contract: ``data`` may be the
    list of files itself, or null, or carry no ``files``; the upload still happened (the caller
    names the media by what it sent)."""

    files: list[UploadedFile] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"files": value}
        return value if isinstance(value, dict) else {}

    @field_validator("files", mode="before")
    @classmethod
    def _files(cls, value: Any) -> list[Any]:
        # Every field is optional in the contract: one file as an object counts as a list of one;
        # anything else reads as "not said" (the caller still knows what it sent).
        if isinstance(value, dict):
            value = [value]
        return [v for v in value if isinstance(v, dict)][:1000] if isinstance(value, list) else []


class Credits(WireModel):
    """``GET /api/credits/balance/simple``. ``available`` is required: a missing balance must not
    read as zero credits."""

    available: float
    frozen: float = 0
    total: float | None = None

    @field_validator("available", mode="before")
    @classmethod
    def _available(cls, value: Any) -> float:
        number = finite(value)
        if number is None:
            raise ValueError("no readable balance")
        return number

    @field_validator("frozen", "total", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> float | None:
        return finite(value)

    @model_validator(mode="after")
    def _total(self) -> Credits:
        self.frozen = self.frozen or 0.0
        if self.total is None:
            self.total = self.available + self.frozen
        return self


class SessionState(WireModel):
    """``GET /api/state/nemo_agent/me/<sid>/latest``: ``state`` holds the draft and media."""

    draft: dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices(AliasPath("state", "draft"), "draft")
    )
    canvas: dict[str, Any] | None = Field(
        default=None,
        validation_alias=AliasChoices(
            AliasPath("state", "canvas_config"),
            AliasPath("state", "canvasConfig"),
            "canvas_config",
            "canvasConfig",
        ),
    )

    # "plain": the decoded answer's own dict, not a copy. A big answer is decoded once and shared
    # (``DecodedBodies``), so the same draft comes back as the same object and ``Drafts`` knows it
    # without hashing it again; a copy made here would cost every ``status`` a canonical dump of
    # the whole draft (0.4 s for 4 MB, with the GIL held: every other session waits).
    @field_validator("draft", "canvas", mode="plain")
    @classmethod
    def _object(cls, value: Any) -> dict[str, Any] | None:
        return value if isinstance(value, dict) else None


RENDER_STATES = ("pending", "processing", "completed", "failed", "cancelled")


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
        text = str(value or "pending").strip().lower()
        if text == "canceled":
            return "cancelled"
        if text in ("done", "success", "succeeded", "finished"):
            return "completed"
        if text in ("error", "errored"):
            return "failed"
        return text if text in RENDER_STATES else "processing"  # unknown: keep polling, within limits

    @field_validator("progress", mode="before")
    @classmethod
    def _progress(cls, value: Any) -> float | None:
        number = finite(value)
        return None if number is None else min(100.0, max(0.0, number))

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str | None:
        return safe_id(value)

    @field_validator("output_url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> str | None:
        return value if isinstance(value, str) and value else None

    @field_validator("error", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        if isinstance(value, dict):
            value = value.get("message")
        # Told in our sentence about the render ("failed (…)"): nothing in it may read as ours.
        return None if value is None else shown(str(value), 300) or None

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed", "cancelled")
