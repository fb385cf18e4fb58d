"""One exception tree for everything that can go wrong, mirroring the backend's error table.

Every error carries a user-facing ``message`` and a ``remedy``: the MCP layer shows
``str(err)`` (both joined) and nothing else, so the texts here are what a person reads.
No error ever includes the API token.
"""

from __future__ import annotations

from .redact import redact

ACCEPTED_EXTENSIONS = (
    "mp4", "mov", "avi", "webm", "mkv",
    "jpg", "jpeg", "png", "gif", "webp",
    "mp3", "wav", "m4a", "aac",
)  # fmt: skip
MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class NemoError(Exception):
    """Base of every error this package raises on purpose."""

    default_message = "Something went wrong with the video service."
    default_remedy = "Try again in a moment."

    def __init__(self, message: str | None = None, *, remedy: str | None = None) -> None:
        self.message = message or self.default_message
        self.remedy = self.default_remedy if remedy is None else remedy
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} {self.remedy}".strip()


# --- local problems (nothing was sent) -------------------------------------------------------


class InputError(NemoError):
    """The caller's input is wrong: a path, a URL, a prompt, an export option."""

    default_message = "That input can't be used."
    default_remedy = "Check it and try again."


class UnsupportedFileTypeError(InputError):
    """Backend code 4001, also raised locally before any byte is sent."""

    code = 4001
    default_message = "That file type isn't supported."
    default_remedy = (
        "Accepted formats: " + ", ".join(ACCEPTED_EXTENSIONS) + ". MP4, MOV, JPG and PNG work best."
    )


class FileTooLargeError(InputError):
    """Backend code 4002, also raised locally before any byte is sent."""

    code = 4002
    default_message = "That file is larger than the 500 MB limit."
    default_remedy = "Compress it or trim it to the part you need, then upload again."


class OutputDirError(NemoError):
    """No folder could be written to for the exported video."""

    default_message = "The output folder can't be written to."
    default_remedy = "Set NEMO_OUTPUT_DIR to a folder you can write to."


# --- the backend said no -----------------------------------------------------------------------


class ApiError(NemoError):
    """The backend answered with an error (HTTP status or a non-zero envelope code)."""

    code: int | None = None

    def __init__(
        self,
        message: str | None = None,
        *,
        remedy: str | None = None,
        status: int | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.status = status
        if code is not None:
            self.code = code


class TokenInvalidError(ApiError):
    """1001: the token expired or was revoked."""

    code = 1001
    default_message = "Your NemoVideo sign-in has expired."
    default_remedy = "A new free token is fetched automatically; if you set NEMO_TOKEN, renew it."


class SessionNotFoundError(ApiError):
    """1002: the backend no longer knows our session."""

    code = 1002
    default_message = "The editing session was not found on the server."
    default_remedy = "A new session is started automatically; re-upload your media if it is missing."


class OutOfCreditsError(ApiError):
    """2001: no credits left for generation (export stays free)."""

    code = 2001
    default_message = "You're out of NemoVideo credits."
    default_remedy = "Top up your credits in your NemoVideo account. Exporting finished videos stays free."


class MissingClientIdError(ApiError):
    """400: the anonymous-token call lacked X-Client-Id."""

    code = 400
    default_message = "The service rejected the request for a free token."
    default_remedy = "Try again; if it persists, set NEMO_TOKEN."


class ExportBlockedError(ApiError):
    """402: the plan doesn't allow this export (a subscription tier, not credits)."""

    code = 402
    default_message = "Your current NemoVideo plan doesn't allow this export."
    default_remedy = (
        "This is a subscription-tier limit, not a credit problem: upgrade the plan, "
        "or export at a lower quality."
    )


class RateLimitedError(ApiError):
    """429: too many requests."""

    code = 429
    default_message = "The video service is rate limiting us."
    default_remedy = "Wait a minute and try again."

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the backend failed."""

    default_message = "The video service had an internal error."
    default_remedy = "Try again in a minute."


class BadResponseError(ApiError):
    """The backend answered something that is not the documented shape (HTML page, bad JSON...)."""

    default_message = "The video service sent a response that couldn't be read."
    default_remedy = "Try again in a minute; if it keeps happening the service may be down."


class RenderFailedError(ApiError):
    """A render job ended in ``failed``."""

    default_message = "The video render failed on the server."
    default_remedy = "Run export again; if it fails twice, ask the agent to simplify the timeline."


class NothingToExportError(NemoError):
    """The draft has no segment yet."""

    default_message = "There's nothing to export yet: the timeline is empty."
    default_remedy = "Upload media and ask for a video with generate first."


# --- the network -------------------------------------------------------------------------------


class ConnectionFailedError(NemoError):
    """The backend could not be reached."""

    default_message = "Couldn't reach the NemoVideo service."
    default_remedy = "Check your internet connection (and NEMO_API_BASE if you set it), then try again."
    #: False when the connection never opened, so the request surely did not reach the backend.
    sent = True


class ApiTimeoutError(ConnectionFailedError):
    """The backend did not answer in time."""

    default_message = "The NemoVideo service didn't answer in time."
    default_remedy = "Try again; long jobs keep running and can be picked up with status."


_BY_CODE: dict[int, type[ApiError]] = {
    cls.code: cls
    for cls in (
        TokenInvalidError,
        SessionNotFoundError,
        OutOfCreditsError,
        MissingClientIdError,
        ExportBlockedError,
        RateLimitedError,
    )
}


def error_for(
    *,
    status: int,
    code: int | None,
    message: str | None,
    retry_after: float | None = None,
) -> NemoError:
    """Map an HTTP status and/or envelope code to the right exception.

    The envelope code wins over the HTTP status: the backend documents codes in the body,
    and may send them with a 200. The backend's own message is kept only as detail after
    ours, since it may be terse or in another language.
    """
    # The backend's words are shown to the user: mask anything token-shaped they might echo.
    detail = f" (server said: {redact(message)[:300]})" if message else ""
    if status == 401 and code is None:
        code = 1001  # a bare 401 means the same as the documented code: the token was refused
    for key in (code, status):
        if key is None:
            continue
        if key in (4001, 4002):
            cls: type[NemoError] = UnsupportedFileTypeError if key == 4001 else FileTooLargeError
            return cls(cls.default_message + detail)
        if key == 429:
            return RateLimitedError(retry_after=retry_after, status=status, code=code)
        if key in _BY_CODE:
            api_cls = _BY_CODE[key]
            return api_cls(api_cls.default_message + detail, status=status, code=code)
    if status >= 500:
        return ServerError(
            f"The video service had an internal error (HTTP {status}).", status=status, code=code
        )
    return ApiError(
        f"The video service refused the request (HTTP {status}{f', code {code}' if code else ''}){detail}.",
        remedy="Try again; if it persists, report it with the message above.",
        status=status,
        code=code,
    )
