"""The ``ai-video-music`` command: with no arguments, the MCP server on stdio."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .redact import RedactingFilter


def _logging(verbose: bool, secrets: tuple[str, ...] = ()) -> None:
    level = (
        logging.DEBUG
        if verbose
        else getattr(logging, os.environ.get("NEMO_LOG_LEVEL", "INFO").upper(), logging.INFO)
    )
    # stdout is the MCP channel: every log line goes to stderr, redacted.
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ai-video-music",
        description="Make music videos from your photos and clips, from any MCP client. "
        "With no command, runs the MCP server on stdio.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the MCP server (default: stdio)")
    serve.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)

    sim = sub.add_parser("simulate", help="run the offline NemoVideo backend simulator on loopback")
    sim.add_argument("--port", type=int, default=8787)
    sim.add_argument("--storage-port", type=int, default=0, help="port of the simulated storage host")
    sim.add_argument("--envelope", choices=["code", "success"], default="code")
    sim.add_argument("--sse-format", choices=["native", "adk"], default="native")
    sim.add_argument("--render-seconds", type=float, default=5.0)
    sim.add_argument("--agent-seconds", type=float, default=3.0)
    sim.add_argument("--no-text-rate", type=float, default=0.3)
    inst = sub.add_parser("install", help="add this server to an MCP client's configuration")
    inst.add_argument(
        "--client", required=True, choices=["claude-desktop", "claude-code", "cursor", "openclaw"]
    )
    inst.add_argument("--dry-run", action="store_true", help="print the change as a diff, write nothing")

    demo = sub.add_parser("demo", help="offline end-to-end run: photos in, MP4 out, no account needed")
    demo.add_argument(
        "--output", type=Path, default=None, help="folder for the MP4 (default: NEMO_OUTPUT_DIR)"
    )
    return parser


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo
    from .errors import NemoError

    try:
        path = run_demo(args.output)
    except (NemoError, RuntimeError, ValueError) as err:
        print(f"Demo failed: {err}", file=sys.stderr)
        return 1
    print(path)
    return 0


def _install(args: argparse.Namespace) -> int:
    from .installer import InstallError, install

    try:
        lines = install(args.client, dry_run=args.dry_run)
    except (InstallError, OSError) as err:
        print(f"Install failed: {err}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    import anyio

    from .simulator import SimConfig, Simulator

    sim = Simulator(
        SimConfig(
            envelope=args.envelope,
            sse_format=args.sse_format,
            render_seconds=args.render_seconds,
            agent_seconds=args.agent_seconds,
            no_text_rate=args.no_text_rate,
        ),
        port=args.port,
        storage_port=args.storage_port,
    )
    print(f"NemoVideo simulator on {sim.base_url} (storage {sim.state.storage_origin})", file=sys.stderr)
    print(f"Point the server at it: NEMO_API_BASE={sim.base_url}", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(sim.serve)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    token = os.environ.get("NEMO_TOKEN")  # the variable Settings reads: masked in every log line
    _logging(args.verbose, (token,) if token else ())
    if args.command == "simulate":
        return _simulate(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "install":
        return _install(args)
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    from .config import Settings
    from .tools import create_server

    try:
        settings = Settings.from_env()
    except ValueError as err:
        print(f"ai-video-music: configuration error: {err}", file=sys.stderr)
        return 2
    server = create_server(settings)
    if getattr(args, "http", False):
        server.run("streamable-http", host=args.host, port=args.port)
    else:
        server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
