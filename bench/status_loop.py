"""Another client session for bench/scale.py's stall row, in a process of its own (its own
validation of big answers must not slow the measuring client): uploads a photo over streamable
HTTP (a project of its own), says "ready", then follows its stdin until it closes:

- ``go``: call ``status`` in a loop; "going" once the first one is answered;
- ``stop``: stop looping; "calls N" (answered since "going"), then "stopped" once no call is
  in flight;
- ``once`` (not looping): call ``status`` once; "done" once it is answered.

So the bench can alternate phases with and without the loop in one run.

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
    send, commands = anyio.create_memory_object_stream[str](16)

    async def read_stdin() -> None:
        async with send:
            while line := await anyio.to_thread.run_sync(sys.stdin.readline):
                await send.send(line.strip())

    async with http, Client(transport, read_timeout_seconds=120) as client, anyio.create_task_group() as tg:
        await client.call_tool("upload", {"files": [photo]})
        print("ready", flush=True)
        tg.start_soon(read_stdin)
        looping, calls = False, 0
        while True:
            try:
                command = commands.receive_nowait() if looping else await commands.receive()
            except anyio.WouldBlock:
                command = ""
            except anyio.EndOfStream:
                break
            if command == "once" and not looping:
                await client.call_tool("status", {})
                print("done", flush=True)
            elif command == "stop":
                looping = False
                print(f"calls {calls}", flush=True)  # answered while looping (the bench's rate)
                print("stopped", flush=True)  # the call before this line has been answered
            elif command == "go" or looping:
                await client.call_tool("status", {})
                calls += 1
                if not looping:
                    looping, calls = True, 0
                    print("going", flush=True)


if __name__ == "__main__":
    anyio.run(main, *sys.argv[1:4])
