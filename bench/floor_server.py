"""The tool-call floor: a bare MCPServer whose one tool makes one raw httpx GET, over stdio
(or streamable HTTP with ``--http PORT``).

``bench/run.py`` starts it as its own process (never inside the simulator's), pointed at the
same simulator endpoint our ``credits`` tool calls, with the same token; what our server takes
beyond this is our code's share of a call.
"""

import logging
import os
from typing import Any

import httpx
from mcp.server.mcpserver import MCPServer

server = MCPServer(name="floor")
logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request on stderr
_http: list[httpx.AsyncClient] = []  # one kept connection, as our client keeps one


@server.tool()
async def credits() -> dict[str, Any]:
    if not _http:
        _http.append(
            httpx.AsyncClient(
                base_url=os.environ["NEMO_API_BASE"],
                headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"},
            )
        )
    response = await _http[0].get("/api/credits/balance/simple")
    payload: dict[str, Any] = response.json()
    return payload


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 2 and sys.argv[1] == "--http":  # bench/scale.py: the same tool over streamable HTTP
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run()
