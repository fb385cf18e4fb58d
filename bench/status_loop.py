"""Another client session for bench/scale.py's stall row, in a process of its own (its own
validation of big answers must not slow the measuring client): uploads a photo over streamable
HTTP (a project of its own), says "ready", waits for "go", then calls ``status`` until killed.

    python bench/status_loop.py URL SECRET PHOTO
"""

from __future__ import annotations

import sys

import anyio
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client


async def main(url: str, secret: str, photo: str) -> None:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {secret}"})
    transport = streamable_http_client(url, http_client=http)
    async with http, Client(transport, read_timeout_seconds=120) as client:
        await client.call_tool("upload", {"files": [photo]})
        print("ready", flush=True)
        await anyio.to_thread.run_sync(sys.stdin.readline)
        while True:
            await client.call_tool("status", {})
            print("status", flush=True)


if __name__ == "__main__":
    anyio.run(main, *sys.argv[1:4])
