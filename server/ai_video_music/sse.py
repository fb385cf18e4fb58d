"""The agent's event stream, decoded into typed events.

Two formats are documented and no live sample is known, so each ``data:`` payload is
recognised on its own: the service's ``{"type": ...}`` events, or Google ADK ``Event``
objects (camelCase or snake_case). ADK's ``partial`` fragments are emitted as they
arrive, and the final event that repeats them contributes only what they missed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TextEvent:
    """Text for the user (before GUI-wording translation)."""

    text: str


@dataclass(frozen=True)
class ToolCallEvent:
    """The agent called one of its tools: internal, never shown verbatim."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolResultEvent:
    """A tool's result inside the agent: internal, never shown verbatim."""

    name: str
    result: Any = None


@dataclass(frozen=True)
class HeartbeatEvent:
    """Still working; nothing to show."""


@dataclass(frozen=True)
class ErrorEvent:
    """The agent reported an error inside a 200 stream."""

    message: str
    code: str | None = None


@dataclass(frozen=True)
class EndEvent:
    """The stream closed: the agent's turn is over."""


AgentEvent = TextEvent | ToolCallEvent | ToolResultEvent | HeartbeatEvent | ErrorEvent | EndEvent


def _get(obj: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in obj:
            return obj[name]
    return None


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            return {"value": value}
        return loaded if isinstance(loaded, dict) else {"value": loaded}
    return {} if value is None else {"value": value}


class EventDecoder:
    """Turns ``data:`` payloads into events; one decoder per stream (it tracks partial text)."""

    def __init__(self) -> None:
        self._partial = ""

    def feed(self, data: str) -> list[AgentEvent]:
        """Decode one SSE ``data`` payload (the lines of one event, joined)."""
        if not data.strip():
            return [HeartbeatEvent()]
        if data.strip() == "[DONE]":  # an end sentinel some SSE APIs send: never shown as text
            return []
        try:
            obj = json.loads(data)
        except ValueError:
            # Not JSON: the simplest reading is plain text from the agent.
            return [TextEvent(data)]
        if not isinstance(obj, dict):
            return [TextEvent(str(obj))] if obj not in (None, "") else [HeartbeatEvent()]
        # ADK events carry a ``content`` object; the service's own carry ``type`` and text.
        if "type" in obj and not isinstance(obj.get("content"), dict):
            return self._service_event(obj)
        return self._adk_event(obj)

    def _service_event(self, obj: dict[str, Any]) -> list[AgentEvent]:
        kind = str(obj.get("type", "")).lower()
        if kind == "text":
            text = _get(obj, "content", "text")
            return [TextEvent(str(text))] if text else []
        if kind in ("tool_call", "toolcall", "function_call"):
            return [ToolCallEvent(str(_get(obj, "name") or "?"), _as_dict(_get(obj, "args", "arguments")))]
        if kind in ("tool_result", "toolresult", "function_response"):
            return [ToolResultEvent(str(_get(obj, "name") or "?"), _get(obj, "result", "response"))]
        if kind in ("heartbeat", "ping"):
            return [HeartbeatEvent()]
        if kind == "error":
            return [ErrorEvent(str(_get(obj, "message", "content", "error") or "unknown error"))]
        if kind in ("done", "end", "complete"):
            return []
        return [HeartbeatEvent()]  # an unknown type: keep waiting rather than fail

    def _adk_event(self, obj: dict[str, Any]) -> list[AgentEvent]:
        events: list[AgentEvent] = []
        code = _get(obj, "errorCode", "error_code")
        err = _get(obj, "errorMessage", "error_message", "error")
        if code or err:
            if isinstance(err, dict):
                err = err.get("message")
            events.append(ErrorEvent(str(err or code), None if code is None else str(code)))
        content = obj.get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        partial = bool(obj.get("partial"))
        for part in parts if isinstance(parts, list) else []:
            if not isinstance(part, dict):
                continue
            call = _get(part, "functionCall", "function_call")
            response = _get(part, "functionResponse", "function_response")
            text = part.get("text")
            if isinstance(call, dict):
                events.append(ToolCallEvent(str(call.get("name") or "?"), _as_dict(call.get("args"))))
            elif isinstance(response, dict):
                events.append(ToolResultEvent(str(response.get("name") or "?"), response.get("response")))
            elif isinstance(text, str) and text and not part.get("thought"):
                events.extend(self._text(text, partial))
        if not events and not parts:
            events.append(HeartbeatEvent())
        return events

    def _text(self, text: str, partial: bool) -> list[AgentEvent]:
        if partial:
            self._partial += text
            return [TextEvent(text)]
        seen, self._partial = self._partial, ""
        if seen and text.startswith(seen):
            rest = text[len(seen) :]
            return [TextEvent(rest)] if rest else []
        return [TextEvent(text)]
