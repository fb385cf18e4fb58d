"""One exception tree for everything that can go wrong, and one factory for backend answers.

Every error is complete when it is built: a catalogue key for its message, one for its
remedy, and the parameters both need, rendered in the user's language at the tool
boundary (``err.render(lang)``). ``str(err)`` is the English text, for logs. The backend's
own words, when kept, are cleaned and redacted first: they never carry the token.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any, ClassVar

from .messages import CATALOGUE, Lang, join_sentences, t
from .redact import mask_known, redact
from .sanitize import ELLIPSIS, LOOKAHEAD, shown

ACCEPTED_EXTENSIONS = (
    "mp4", "mov", "avi", "webm", "mkv",
    "jpg", "jpeg", "png", "gif", "webp",
    "mp3", "wav", "m4a", "aac",
)  # fmt: skip
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
DETAIL_CHARS = 300
DETAIL_READ = DETAIL_CHARS + LOOKAHEAD  # as much as shown() reads for it


def backend_detail(message: object) -> str | None:
    """The backend's own words, safe to show: cleaned, redacted, short, on one line (they are
    quoted inside a sentence of ours and must not start a line of the answer).

    Only the part that can be shown is judged: an error body may be megabytes, read on the event
    loop. The token's known values are masked in all of it first (a plain search, cheap at any
    length), so none is cut in two where the rest stops being read; the token-shaped patterns
    mask a cut token's head too."""
    if message is None:
        return None
    text = mask_known(str(message))
    head = text[:DETAIL_READ]
    if len(text) > DETAIL_READ:
        head += ELLIPSIS
    return shown(redact(head), DETAIL_CHARS) or None


class NemoError(Exception):
    """Base of every error this package raises on purpose."""

    key: ClassVar[str] = "error.generic"
    remedy_key: ClassVar[str | None] = None  # default: key + ".remedy"

    def __init__(
        self, key: str | None = None, *, remedy: str | None = None, detail: object = None, **params: Any
    ) -> None:
        self.message_key = key or type(self).key
        self.remedy_key_used = remedy or type(self).remedy_key or self.message_key + ".remedy"
        self.params = params
        self.detail = backend_detail(detail)
        super().__init__(self.render("en"))

    def message(self, lang: Lang) -> str:
        text = t(self.message_key, lang, **self.params)
        if self.detail:
            text += t("error.detail", lang, detail=self.detail)
        return text

    def remedy(self, lang: Lang) -> str:
        for key in (self.remedy_key_used, type(self).key + ".remedy"):
            if key in CATALOGUE:
                return t(key, lang, **self.params)
        return ""

    def render(self, lang: Lang) -> str:
        """Message and remedy, as the user reads them."""
        return join_sentences([self.message(lang), self.remedy(lang)], lang)


# --- local problems (nothing was sent) -------------------------------------------------------


# The parameters of an input error that carry a file's name, its path (or a piece of one: its
# extension), what was typed for one, or the folders it was looked in. A name on disk can hold
# anything, a line break and our labels too ("beach\nNext (for the assistant): …jpg"), and it is
# told in a sentence of ours.
FILE_PARAMS = frozenset(("name", "path", "pattern", "ext", "roots"))
NAME_CHARS = 200


class InputError(NemoError):
    """The caller's input can't be used: a path, a URL, a prompt, an export option.

    Every file name or path it names is shown through :func:`~.sanitize.shown` here, where it
    enters the error, whichever check raised it."""

    key = "error.input"

    def __init__(
        self, key: str | None = None, *, remedy: str | None = None, detail: object = None, **params: Any
    ) -> None:
        for param in FILE_PARAMS.intersection(params):
            params[param] = shown(str(params[param]), NAME_CHARS)
        super().__init__(key, remedy=remedy, detail=detail, **params)


class NothingUploadedError(InputError):
    """Some of the files named for one upload can't be used, so none was sent (an upload goes
    all or nothing): each one's own reason, how many of the others were fine (they were not
    uploaded either), and the way forward."""

    key = "upload.none_sent"

    def __init__(self, bad: list[tuple[str, InputError]], fine: int) -> None:
        self.bad = bad
        self.fine = fine
        super().__init__()

    def message(self, lang: Lang) -> str:
        parts = [t("upload.none_sent", lang)] + [err.message(lang) for _, err in self.bad]
        if self.fine:
            parts.append(
                t(
                    "upload.none_sent.others_one" if self.fine == 1 else "upload.none_sent.others",
                    lang,
                    n=self.fine,
                )
            )
        return join_sentences(parts, lang)

    def remedy(self, lang: Lang) -> str:
        own = list(dict.fromkeys(r for r in (err.remedy(lang) for _, err in self.bad) if r))
        if not self.fine:  # nothing else to send: each file's own remedy
            return join_sentences(own, lang)
        left, right = ("「", "」") if lang == "zh" else ("“", "”")  # as replies.quote_list
        names = t("list.sep", lang).join(f"{left}{shown(name, NAME_CHARS)}{right}" for name, _ in self.bad)
        key = "upload.none_sent.remedy_one" if len(self.bad) == 1 else "upload.none_sent.remedy"
        return join_sentences([t(key, lang, names=names), *own], lang)


class UnsupportedFileTypeError(InputError):
    """Backend code 4001, also raised locally before any byte is sent."""

    key = "error.4001"
    code = 4001


class FileTooLargeError(InputError):
    """Backend code 4002, also raised locally before any byte is sent."""

    key = "error.4002"
    code = 4002


class OutputDirError(NemoError):
    """No folder could be written to for the exported video."""

    key = "error.output_dir"


class RecordGoneError(NemoError):
    """A request's record vanished while it ran: hosted mode, its account was removed."""

    key = "error.record_gone"


class LocalStateError(NemoError):
    """NEMO_HOME (token cache, store) can't be used: unwritable, full, or broken."""

    key = "error.state_dir"


def local_state_error(err: OSError, folder: object) -> LocalStateError:
    """A file in NEMO_HOME couldn't be written or read: a full disk, a read-only folder, or what
    the system said, with the folder's path (never a bare ``OSError`` for the user to decode)."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return LocalStateError("state.disk_full", path=str(folder))
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LocalStateError("state.read_only", path=str(folder))
    return LocalStateError("state.unusable", path=str(folder), reason=err.strerror or type(err).__name__)


class DownloadError(NemoError):
    """The finished video couldn't be saved: disk full, too big, too slow, not a video."""

    key = "error.download"


class NothingToExportError(NemoError):
    """The draft has no segment yet."""

    key = "error.nothing_to_export"


class TimeLimitError(NemoError):
    """Work ran past its time limit: a render, an agent turn, or a tool's own budget.

    Not a network error: the service may be fine and the work still going on.
    """

    key = "error.time_limit"


# --- the backend said no -----------------------------------------------------------------------


class ApiError(NemoError):
    """The backend answered with an error (HTTP status or a non-zero envelope code)."""

    key = "error.api"
    code: int | None = None

    def __init__(
        self,
        key: str | None = None,
        *,
        remedy: str | None = None,
        detail: object = None,
        status: int | None = None,
        code: int | None = None,
        **params: Any,
    ) -> None:
        self.status = status
        if code is not None:
            self.code = code
        ref = ", ".join(p for p in (f"HTTP {status}" if status else "", f"code {code}" if code else "") if p)
        super().__init__(key, remedy=remedy, detail=detail, ref=ref or "?", **params)


class TokenInvalidError(ApiError):
    """1001: the token expired or was revoked."""

    key = "error.1001"
    code = 1001


class SessionNotFoundError(ApiError):
    """1002: the backend no longer knows the project's session."""

    key = "error.1002"
    code = 1002


class OutOfCreditsError(ApiError):
    """2001: no credits left for the agent (export stays free)."""

    key = "error.2001"
    code = 2001


class MissingClientIdError(ApiError):
    """400 from the anonymous-token call: it lacked (or disliked) X-Client-Id."""

    key = "error.client_id"
    code = 400


class ExportBlockedError(ApiError):
    """402: the plan doesn't allow this export (a subscription tier, not credits)."""

    key = "error.402"
    code = 402


class RateLimitedError(ApiError):
    """429: too many requests. ``retry_after`` is the backend's wish, in seconds."""

    key = "error.429"
    code = 429

    def __init__(self, *, retry_after: float | None = None, detail: object = None, **kw: Any) -> None:
        self.retry_after = retry_after
        wait = retry_after if retry_after is not None else 60.0
        super().__init__(detail=detail, remedy="error.429.remedy", wait=Wait(wait), **kw)


class ServerError(ApiError):
    """5xx: the backend failed."""

    key = "error.5xx"


class BadResponseError(ApiError):
    """The backend answered something that is not the documented shape, or not safely usable."""

    key = "error.bad_response"


class RenderFailedError(ApiError):
    """A render job ended in ``failed`` or ``cancelled``, or can't go on."""

    key = "error.render_failed"


# --- the network -------------------------------------------------------------------------------


class ConnectionFailedError(NemoError):
    """The backend could not be reached, or the connection broke."""

    key = "error.connection"

    def __init__(self, key: str | None = None, *, sent: bool = True, **params: Any) -> None:
        #: False when the connection never opened, so the request surely did not reach the backend.
        self.sent = sent
        super().__init__(key, **params)


class ApiTimeoutError(ConnectionFailedError):
    """The backend stopped answering mid-request (the network-level timeout)."""

    key = "error.network_timeout"


@dataclass(frozen=True)
class Wait:
    """A wait in words: "about an hour", "about 2 minutes", "30 seconds" (both languages)."""

    seconds: float

    def render(self, lang: Lang) -> str:
        s = max(0.0, self.seconds)
        if s < 1.5:
            return t("wait.second", lang)
        if s < 90:
            return t("wait.seconds", lang, n=round(s))
        if s < 50 * 60:
            return t("wait.minutes", lang, n=round(s / 60))
        if s < 36 * 3600:
            hours = round(s / 3600)
            return t("wait.hour", lang) if hours <= 1 else t("wait.hours", lang, n=hours)
        return t("wait.days", lang, n=round(s / 86400))


# --- the one factory ---------------------------------------------------------------------------

#: Envelope codes (in the body): what the backend documents. They win over the HTTP status.
BY_CODE: dict[int, type[ApiError]] = {
    1001: TokenInvalidError,
    1002: SessionNotFoundError,
    2001: OutOfCreditsError,
    402: ExportBlockedError,
    429: RateLimitedError,
}
#: HTTP statuses, read only when the body has no code.
BY_STATUS: dict[int, type[ApiError]] = {
    401: TokenInvalidError,
    402: ExportBlockedError,
    429: RateLimitedError,
}
#: Upload problems share codes with local checks, which are input errors rather than API errors.
INPUT_BY_CODE: dict[int, type[InputError]] = {4001: UnsupportedFileTypeError, 4002: FileTooLargeError}
INPUT_BY_STATUS: dict[int, type[InputError]] = {415: UnsupportedFileTypeError, 413: FileTooLargeError}


@dataclass(frozen=True)
class Caller:
    """What the factory needs to know about who asked, to build complete errors."""

    token_call: bool = False  # the anonymous-token request: its 400 means a bad client id
    register_url: str | None = None  # anonymous user: where to register (2001's remedy)


def error_for(
    *,
    status: int,
    code: int | None,
    message: object = None,
    retry_after: float | None = None,
    caller: Caller = Caller(),
) -> NemoError:
    """Map an HTTP status and/or envelope code to the right exception, complete.

    The envelope code wins: the backend documents codes in the body, and may send them with
    a 200. An unknown code falls back to the HTTP status, then to a generic error.
    """
    if code:
        if code in INPUT_BY_CODE:
            return INPUT_BY_CODE[code](detail=message)
        if code in BY_CODE:
            return _api(BY_CODE[code], status, code, message, retry_after, caller)
        if code == 400 and caller.token_call:
            return MissingClientIdError(detail=message, status=status, code=code)
    if status == 400 and caller.token_call:
        return MissingClientIdError(detail=message, status=status, code=code)
    if status in INPUT_BY_STATUS:
        return INPUT_BY_STATUS[status](detail=message)
    if status in BY_STATUS:
        return _api(BY_STATUS[status], status, code, message, retry_after, caller)
    if status >= 500:
        return ServerError(status=status, code=code, detail=message)
    return ApiError(status=status, code=code, detail=message)


def _api(
    cls: type[ApiError],
    status: int,
    code: int | None,
    message: object,
    retry_after: float | None,
    caller: Caller,
) -> ApiError:
    # These codes are fully said by our own message: the backend's words (often English) add nothing.
    if cls is RateLimitedError:
        return RateLimitedError(retry_after=retry_after, status=status, code=code)
    if cls is OutOfCreditsError and caller.register_url:
        return OutOfCreditsError(
            remedy="error.2001.remedy_anonymous", status=status, code=code, link=caller.register_url
        )
    return cls(status=status, code=code)


def maybe_taken(err: NemoError) -> bool:
    """Whether a request that failed this way may still have been acted on (and charged): the
    connection broke or went silent after it was sent, or the backend answered 5xx. A rejection
    (refused, never sent) is not."""
    if isinstance(err, ConnectionFailedError):  # a timeout too: it came after the request went out
        return err.sent
    return isinstance(err, ServerError)
