"""``/_sim/*``: fault injection and knobs for people driving the simulator by hand (curl).

Not part of the backend contract; the client never calls them. Tests use the same operations
directly on the ``Simulator`` object.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..config import SimConfig
from ..envelope import json_body
from ..state import SimState


async def add_fault(state: SimState, request: Request) -> Response:
    body = await json_body(request)
    retry = body.get("retry_after")
    try:
        fault = state.faults.add(
            str(body.get("route", "*")),
            str(body.get("kind")),
            int(body.get("times", 1)),
            float(retry) if isinstance(retry, int | float) else None,
        )
    except (TypeError, ValueError) as err:
        return JSONResponse({"error": str(err)}, 400)
    return JSONResponse(dataclasses.asdict(fault))


async def configure(state: SimState, request: Request) -> Response:
    try:
        return JSONResponse(state.configure(**await json_body(request)))
    except ValueError as err:
        return JSONResponse({"error": str(err)}, 400)


async def log(state: SimState, request: Request) -> Response:
    with state.lock:
        renders = {k: v.view() for k, v in state.renders.items()}
    return JSONResponse({"requests": state.log(request.query_params.get("route")), "renders": renders})


async def action(state: SimState, request: Request) -> Response:
    name = request.path_params["action"]
    body = await json_body(request)
    result: dict[str, Any] = {"ok": True}
    if name == "expire-tokens":
        state.expire_tokens()
    elif name == "drop-sessions":
        state.drop_sessions()
    elif name == "set-credits":
        state.set_credits(float(body.get("available", 0)))
    elif name == "register-user":
        token, user_id = state.register_user(float(body.get("credits", 1000)))
        result = {"token": token, "user_id": user_id}
    elif name == "reset-log":
        with state.lock:
            state.requests.clear()
    elif name == "reset":
        fields = {k: v for k, v in body.items() if k in SimConfig.__dataclass_fields__}
        try:
            base = state.config if body.get("keep_config") else SimConfig()
            config = dataclasses.replace(base, **fields)
        except ValueError as err:
            return JSONResponse({"error": str(err)}, 400)
        state.reset(config)
    else:
        return JSONResponse({"error": "unknown action"}, 404)
    return JSONResponse(result)
