"""Play the assistant: one real MCP client session over stdio, kept open between shell commands.

    python bench/playtest.py start DIR [--agent-seconds 50 --render-seconds 45 --lie-rate 0.3]
    python bench/playtest.py tools DIR                 # what a host shows the model (tools/list)
    python bench/playtest.py call DIR TOOL '{"prompt": "..."}'
    python bench/playtest.py truth DIR                 # the simulator's own state (for the auditor)
    python bench/playtest.py set-credits DIR 30        # the account's balance at the service
    python bench/playtest.py register DIR              # the user registers (their balance is topped up)
    python bench/playtest.py stop DIR

`start` forks a daemon that runs the simulator (realistic timings by default) and the real
server over stdio, and listens on DIR/sock. `call` behaves as a host does: it gives up after
60 s (the call's work goes on at the server). DIR/photos holds a few generated photos.
Everything stays on loopback and under DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HOST_TIMEOUT_S = 60.0


def _send(folder: Path, request: dict[str, Any], timeout: float = HOST_TIMEOUT_S + 5) -> dict[str, Any]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(folder / "sock"))
        sock.sendall(json.dumps(request).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            data += chunk
    answer: dict[str, Any] = json.loads(data or b"{}")
    return answer


async def _daemon(folder: Path, args: argparse.Namespace) -> None:
    import anyio
    from mcp import Client, StdioServerParameters

    from ai_video_music.demo import generated_photos
    from ai_video_music.simulator import SimConfig, Simulator

    config = SimConfig(
        agent_seconds=args.agent_seconds,
        generation_seconds=args.generation_seconds,
        render_seconds=args.render_seconds,
        lie_rate=args.lie_rate,
        no_text_rate=args.no_text_rate,
        render_fps=4,
        heartbeat_every=2.0,
        seed=args.seed,
    )
    (folder / "photos").mkdir(exist_ok=True)
    if not any((folder / "photos").iterdir()):
        generated_photos(folder / "photos")
    with Simulator(config) as sim:
        params = StdioServerParameters(
            command=str(Path(sys.executable).with_name("ai-video-music")),
            env={
                "NEMO_API_BASE": sim.base_url,
                "NEMO_HOME": str(folder / "home"),
                "NEMO_OUTPUT_DIR": str(folder / "videos"),
                "NEMO_LOG_LEVEL": "INFO",
                "PATH": os.environ.get("PATH", ""),
            },
            cwd=str(folder),
        )
        if True:  # the server's log goes to the daemon's stderr: DIR/daemon.log
            async with Client(params, read_timeout_seconds=HOST_TIMEOUT_S) as client:
                tools = await client.list_tools()
                (folder / ".tools-list.json").write_text(
                    json.dumps([t.model_dump(mode="json", exclude_none=True) for t in tools.tools], indent=1),
                    encoding="utf-8",
                )
                stop = anyio.Event()

                async def handle(stream: anyio.abc.SocketStream) -> None:
                    async with stream:
                        raw = b""
                        while not raw.endswith(b"\n"):
                            raw += await stream.receive()
                        req = json.loads(raw)
                        answer: dict[str, Any]
                        try:
                            answer = await _act(req, client, sim, stop)
                        except Exception as err:
                            answer = {"error": f"{type(err).__name__}: {err}"}
                        await stream.send(json.dumps(answer, ensure_ascii=False).encode() + b"\n")

                listener = await anyio.create_unix_listener(folder / "sock")
                (folder / "ready").write_text(str(os.getpid()), encoding="utf-8")
                async with anyio.create_task_group() as tg:
                    tg.start_soon(listener.serve, handle)
                    await stop.wait()
                    tg.cancel_scope.cancel()


async def _act(req: dict[str, Any], client: Any, sim: Any, stop: Any) -> dict[str, Any]:
    import anyio

    op = req["op"]
    if op == "call":
        start = time.monotonic()
        try:
            with anyio.fail_after(HOST_TIMEOUT_S):
                result = await client.call_tool(req["tool"], req.get("args") or {})
        except TimeoutError:
            return {"host": "the host gave up after 60 s (the call still runs at the server)"}
        return {
            "seconds": round(time.monotonic() - start, 1),
            "is_error": result.is_error,
            "content": [
                c.text if getattr(c, "type", "") == "text" else f"<{c.type} content>" for c in result.content
            ],
            "structured": result.structured_content,
        }
    if op == "truth":
        st = sim.state
        with st.lock:
            users = {u: {"credits": v.credits, "registered": v.registered} for u, v in st.users.items()}
            sessions = {sid: {"draft": s.draft} for sid, s in st.sessions.items()}
            renders = {k: v.view() for k, v in st.renders.items()}
        return {"users": users, "sessions": sessions, "renders": renders,
                "requests": [r.get("route") for r in st.log()]}  # fmt: skip
    if op == "set-credits":
        sim.state.set_credits(float(req["credits"]))
        return {"ok": True}
    if op == "register":
        with sim.state.lock:
            for user in sim.state.users.values():
                user.registered = True
                user.credits += 1000
        return {"ok": True}
    if op == "stop":
        stop.set()
        return {"ok": True}
    return {"error": f"unknown op {op}"}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    start = sub.add_parser("start")
    start.add_argument("dir", type=Path)
    start.add_argument("--agent-seconds", type=float, default=50)
    start.add_argument("--generation-seconds", type=float, default=None)
    start.add_argument("--render-seconds", type=float, default=45)
    start.add_argument("--lie-rate", type=float, default=0.3)
    start.add_argument("--no-text-rate", type=float, default=0.3)
    start.add_argument("--seed", type=int, default=None)
    start.add_argument("--foreground", action="store_true", help=argparse.SUPPRESS)
    for name in ("tools", "truth", "stop", "register"):
        sub.add_parser(name).add_argument("dir", type=Path)
    credits = sub.add_parser("set-credits")
    credits.add_argument("dir", type=Path)
    credits.add_argument("credits", type=float)
    call = sub.add_parser("call")
    call.add_argument("dir", type=Path)
    call.add_argument("tool")
    call.add_argument("args", nargs="?", default="{}")
    args = parser.parse_args()
    folder = args.dir.resolve()
    if args.cmd == "start":
        if args.foreground:
            import anyio

            anyio.run(_daemon, folder, args)
            return 0
        folder.mkdir(parents=True, exist_ok=True)
        for stale in ("sock", "ready"):
            (folder / stale).unlink(missing_ok=True)
        with (folder / "daemon.log").open("a", encoding="utf-8") as log:
            subprocess.Popen(
                [sys.executable, __file__, *sys.argv[1:], "--foreground"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        for _ in range(600):
            if (folder / "ready").exists():
                print(f"ready: photos in {folder / 'photos'}")
                return 0
            time.sleep(0.1)
        print("the daemon did not start: see daemon.log", file=sys.stderr)
        return 1
    if args.cmd == "tools":
        print((folder / ".tools-list.json").read_text(encoding="utf-8"))
        return 0
    request: dict[str, Any] = {"op": args.cmd}
    if args.cmd == "call":
        request.update(tool=args.tool, args=json.loads(args.args))
    if args.cmd == "set-credits":
        request["credits"] = args.credits
    print(json.dumps(_send(folder, request), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
