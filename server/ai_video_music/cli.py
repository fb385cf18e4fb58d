"""The ``ai-video-music`` command: with no arguments, the MCP server on stdio.

This file is also the MCPB bundle's entry point (``uv run server/ai_video_music/cli.py``),
run as a plain script: so it imports the package by its absolute name, and only inside
functions (nothing but the standard library at import time).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # only names for annotations: at run time the standard library alone is imported
    from mcp.server.mcpserver import MCPServer

    from ai_video_music.config import Settings
    from ai_video_music.messages import Lang

SIM_EXTRA = "pip install 'ai-video-generator-free-music[sim]'"
CLIENTS = ("claude-desktop", "claude-code", "cursor", "openclaw")
# The demo's generated photos (demo.GENERATED, which needs Pillow to import): named for its help.
DEMO_SAMPLES = ("sunrise", "beach", "forest", "city lights")
ENV_HELP = """\
environment (all optional; set them in the client's "env" block):
  NEMO_TOKEN           your NemoVideo token (default: a free anonymous token, cached)
  NEMO_API_BASE        backend address (default: https://mega-api-prod.nemovideo.ai)
  NEMO_HOME            state folder: token cache, session store, serve --http's secret
  NEMO_OUTPUT_DIR      where exported MP4s go (default: ~/Videos/NemoVideo, ~/Movies on macOS)
  NEMO_POLL_INTERVAL   shortest time between two render checks, in seconds (default: 2)
  NEMO_TOOL_BUDGET     seconds a tool waits before answering "still working" (default: 40)
  NEMO_RETRY_BACKOFF   seconds before the first re-send after a server error (default: 0.5)
  NEMO_RENDER_TIMEOUT  seconds before a render is stopped as stuck (default: 1800)
  NEMO_SKILL_PLATFORM  attribution header: clawhub, cursor, claude_code, unknown (default: detected)
  NEMO_LANGUAGE        en or zh: the language of what the server writes (default: the user's)
  NEMO_WEB_URL         NemoVideo's web app, for project links (default: https://nemovideo.com)
  NEMO_MEDIA_ORIGINS   extra origins the in-chat player may load videos from (comma-separated)
  NEMO_MAX_DOWNLOAD_MB largest video a download may write (default: 4096)
  NEMO_DOWNLOAD_TIMEOUT seconds a download may take in all (default: 1800)
  NEMO_LOG_LEVEL       log level on stderr (default: INFO; -v means DEBUG)
"""


# The simulator's contract variants (simulator.config): named here so --help works without the
# 'sim' extra; a test keeps the two lists equal.
UPLOAD_SHAPES = ("full", "partial", "bare", "camel", "no_files", "top_level")
PROGRESS_STYLES = (
    "smooth", "linear", "queued", "queued_zero", "steps",
    "reset", "fraction", "none", "backwards", "over_100",
)  # fmt: skip


class CliError(Exception):
    """An expected failure: printed as one line, exit status 1."""


def _logging(verbose: bool, secrets: tuple[str, ...] = ()) -> None:
    import logging

    from ai_video_music.redact import RedactingFilter

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


def _version() -> str:
    from ai_video_music.config import skill_version

    return skill_version()


def _parser() -> argparse.ArgumentParser:
    # -v is accepted before or after the subcommand; SUPPRESS keeps a later default from
    # overwriting an earlier -v.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logs on stderr"
    )
    fmt = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(
        prog="ai-video-music",
        description="Make music videos from your photos and clips, from any MCP client "
        "(Claude Desktop, Claude Code, Cursor, OpenClaw). With no command, runs the MCP server "
        "on stdio, the way a client starts it. Try it offline: ai-video-music demo",
        epilog=ENV_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="{serve,simulate,install,demo,http-secret}")

    serve = sub.add_parser(
        "serve",
        help="run the MCP server (the default command)",
        description="Run the MCP server: on stdio for a client (default), or over streamable "
        "HTTP with --http, at http://127.0.0.1:PORT/mcp. The HTTP server is this machine's user's "
        "only: it listens on loopback, checks the Host and Origin headers, and requires "
        "'Authorization: Bearer <secret>' (the secret is created on the first run, kept in NEMO_HOME, "
        "printed by `ai-video-music http-secret`). Configured by the NEMO_* variables (see "
        "ai-video-music --help).",
        formatter_class=fmt,
        parents=[common],
    )
    serve.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address: a loopback one for --http (127.0.0.1, ::1 or localhost); any for --hosted",
    )
    serve.add_argument("--port", type=int, default=8765, help="port for --http or --hosted")
    serve.add_argument(
        "--hosted",
        action="store_true",
        help="hosted mode: many users signed in with OAuth, state in PostgreSQL (needs the 'hosted' "
        "extra; configured by NEMO_DATABASE_URL, NEMO_PUBLIC_URL, NEMO_SECRET_KEY)",
    )

    sub.add_parser(
        "http-secret",
        help="print the secret HTTP clients must send to serve --http",
        description="Print the bearer secret of `serve --http` (and nothing else), for a client's "
        "'Authorization: Bearer <secret>' header. It is a secret: anyone who has it can use your "
        "videos and credits through the server; don't paste it into chats or shared files. "
        "`install --http` writes it into the client's config for you.",
        formatter_class=fmt,
        parents=[common],
    )

    sim = sub.add_parser(
        "simulate",
        help="run the offline NemoVideo backend simulator on 127.0.0.1",
        description="Run the offline NemoVideo backend simulator on 127.0.0.1; point the server "
        f"at it with NEMO_API_BASE=http://127.0.0.1:PORT. Needs the 'sim' extra: {SIM_EXTRA}",
        formatter_class=fmt,
        parents=[common],
    )
    sim.add_argument("--port", type=int, default=8787, help="API port (0: any free port)")
    sim.add_argument(
        "--storage-port", type=int, default=0, help="port of the simulated storage host (0: any)"
    )
    sim.add_argument("--envelope", choices=["code", "success"], default="code", help="response envelope")
    sim.add_argument("--sse-format", choices=["native", "adk"], default="native", help="agent stream format")
    sim.add_argument(
        "--upload-shape", choices=UPLOAD_SHAPES, default="full", help="shape of the upload answer"
    )
    sim.add_argument(
        "--progress-style", choices=PROGRESS_STYLES, default="smooth", help="how renders report progress"
    )
    sim.add_argument("--render-seconds", type=float, default=5.0, help="how long a render takes")
    sim.add_argument("--agent-seconds", type=float, default=3.0, help="how long an agent turn takes")
    sim.add_argument(
        "--no-text-rate", type=float, default=0.3, help="share of agent turns that end without text"
    )

    inst = sub.add_parser(
        "install",
        help="add this server to an MCP client's configuration",
        description="Register this command with a client. Uses the client's own CLI when it is on "
        "PATH (claude, openclaw), else edits its config file: other entries, comments and layout "
        "are kept, a backup is written first, and running it twice changes nothing. Honours "
        "CLAUDE_CONFIG_DIR, OPENCLAW_STATE_DIR, OPENCLAW_CONFIG_PATH and OPENCLAW_PROFILE.",
        formatter_class=fmt,
        parents=[common],
    )
    inst.add_argument("--client", required=True, choices=CLIENTS, help="the client to set up")
    inst.add_argument("--dry-run", action="store_true", help="print the change as a diff, write nothing")
    inst.add_argument(
        "--profile", default=None, help="OpenClaw profile (~/.openclaw-<profile>; default: OPENCLAW_PROFILE)"
    )
    inst.add_argument(
        "--http",
        action="store_true",
        help="Cursor or Claude Code: connect to a running `serve --http` (its URL and secret) instead "
        "of starting the server",
    )
    inst.add_argument("--port", type=int, default=8765, help="port of `serve --http`, with --http")

    demo = sub.add_parser(
        "demo",
        help="offline end-to-end run: photos in, MP4 out, no account needed",
        description="Start the simulator, launch the real MCP server over stdio, upload photos, "
        "ask for a video with music and a title, export, and print the MP4's path. The video goes "
        "to a folder of its own (named when the demo starts), never among your videos. Needs the "
        f"'sim' extra: {SIM_EXTRA}",
        # Defaults are written into each help text: the automatic "(default: None)" says nothing.
        formatter_class=argparse.HelpFormatter,
        parents=[common],
    )
    demo.add_argument(
        "--output",
        type=Path,
        default=None,
        help="folder for the MP4, relative to the current folder (default: 'demo' in the state "
        "folder, NEMO_HOME)",
    )
    demo.add_argument(
        "--photos",
        type=Path,
        default=None,
        help=f"folder of your own photos to use (default: {len(DEMO_SAMPLES)} generated samples)",
    )
    demo.add_argument(
        "--fps",
        type=int,
        default=12,
        choices=range(1, 61),
        metavar="N",
        help="frames per second of the simulated render: fewer render faster on a slow machine, the "
        "length and frame stay as asked (default: 12)",
    )
    return parser


# --- Ctrl-C -------------------------------------------------------------------------------------


def _exit_now(_signum: int, _frame: FrameType | None) -> None:
    """Leave at once: stdin is read by a worker thread that no shutdown can interrupt."""
    sys.stderr.write("\n")
    sys.stderr.flush()
    os._exit(130)


def _second_interrupt_exits() -> None:
    """First Ctrl-C: KeyboardInterrupt, for a tidy stop; a second one leaves at once."""

    def handler(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGINT, _exit_now)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)


# --- commands -----------------------------------------------------------------------------------


def _missing_extra(err: ModuleNotFoundError, what: str) -> CliError:
    return CliError(f"{what} needs the 'sim' extra ({err.name} is missing); install it with: {SIM_EXTRA}")


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from ai_video_music.config import Settings, resolve_output_dir
    from ai_video_music.errors import NemoError

    try:
        from ai_video_music.demo import run_demo
    except ModuleNotFoundError as err:
        raise _missing_extra(err, "demo") from None
    options: dict[str, Any] = {}
    if args.output is not None:
        # Relative to where the user typed it, not the home folder NEMO_OUTPUT_DIR is read against.
        folder = Path(os.path.abspath(args.output.expanduser()))
        try:
            options["output"] = resolve_output_dir(Settings(output_dir=folder))
        except NemoError as err:
            raise CliError(f"demo: {err}") from None
    if args.photos is not None:
        photos = Path(os.path.abspath(args.photos.expanduser()))
        if not photos.is_dir():
            raise CliError(f"demo: --photos {photos} is not a folder")
        options["photos"] = photos
    options["fps"] = args.fps
    # Ctrl-C: asyncio's own handler cancels the run, so the server and simulator stop in order.
    try:
        path = run_demo(**options)
    except BaseException as err:
        leaves = _leaves(err)
        if any(isinstance(e, KeyboardInterrupt) for e in leaves):
            print("\nDemo stopped.", file=sys.stderr)
            return 130
        expected = [e for e in leaves if isinstance(e, NemoError | RuntimeError | ValueError | OSError)]
        if expected and len(expected) == len(leaves):
            raise CliError(f"Demo failed: {expected[0]}") from None
        raise
    print(path, file=out)
    return 0


def _leaves(err: BaseException) -> list[BaseException]:
    """The exceptions inside (nested) exception groups: task groups wrap what a task raised."""
    if isinstance(err, BaseExceptionGroup):
        return [leaf for inner in err.exceptions for leaf in _leaves(inner)]
    return [err]


def _install(args: argparse.Namespace, out: TextIO) -> int:
    from ai_video_music.installer import SERVER_KEY, CantKeepConfig, InstallError, install
    from ai_video_music.installhttp import install_http
    from ai_video_music.messages import t

    try:
        if args.http:
            lines = install_http(args.client, port=args.port, dry_run=args.dry_run)
        else:
            lines = install(args.client, dry_run=args.dry_run, profile=args.profile)
    except CantKeepConfig as err:
        raise CliError(t("cli.install.cant_keep", _lang(), path=str(err.path), name=SERVER_KEY)) from None
    except (InstallError, OSError) as err:
        raise CliError(f"Install failed: {err}") from None
    print("\n".join(lines), file=out)
    return 0


def _busy(port: int, host: str, flag: str) -> CliError:
    return CliError(f"port {port} on {host} is already in use; choose another with {flag} PORT")


def _simulate(args: argparse.Namespace) -> int:
    import anyio

    try:
        from ai_video_music.simulator import SimConfig, Simulator
    except ModuleNotFoundError as err:
        raise _missing_extra(err, "simulate") from None
    for port in (args.port, args.storage_port):
        if port:  # check first: a clean message, and no half-bound socket left behind
            _check_port("127.0.0.1", port)
    try:
        sim = Simulator(
            SimConfig(
                envelope=args.envelope,
                sse_format=args.sse_format,
                upload_shape=args.upload_shape,
                progress_style=args.progress_style,
                render_seconds=args.render_seconds,
                agent_seconds=args.agent_seconds,
                no_text_rate=args.no_text_rate,
            ),
            port=args.port,
            storage_port=args.storage_port,
        )
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise _busy(args.port, "127.0.0.1", "--port") from None
        raise CliError(f"simulate: {err}") from None
    print(f"NemoVideo simulator on {sim.base_url} (storage {sim.state.storage_origin})", file=sys.stderr)
    print(f"Point the server at it: NEMO_API_BASE={sim.base_url}  (Ctrl-C stops it)", file=sys.stderr)
    _second_interrupt_exits()
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(sim.serve)
    return 0


def _check_port(host: str, port: int) -> None:
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            # As uvicorn binds: a port whose last connections linger in TIME_WAIT after a restart
            # is free (on Linux a port someone still listens on stays refused).
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise _busy(port, host, "--port") from None
        raise CliError(f"serve: can't listen on {host}:{port}: {err.strerror}") from None


def _lang() -> Lang:
    from ai_video_music.messages import locale_language, parse_language

    return parse_language(os.environ.get("NEMO_LANGUAGE")) or locale_language(os.environ)


def _refresh_hosts(old: str | None, new: str) -> list[Path]:
    """The host configs that `install --http` wrote with a secret just replaced get the new one."""
    from ai_video_music.installhttp import refresh_hosts

    return refresh_hosts(old, new)


def _http_secret(out: TextIO) -> int:
    from ai_video_music.config import Settings
    from ai_video_music.httpsecret import SecretFileError, read_secret
    from ai_video_music.messages import t

    try:
        secret = read_secret(Settings.from_env().home, _refresh_hosts)
    except (SecretFileError, ValueError, OSError) as err:
        raise CliError(t("cli.http.secret_unusable", _lang(), reason=str(err))) from None
    if secret is None:
        raise CliError(t("cli.http.no_secret_yet", _lang()))
    print(secret, file=out)
    return 0


@dataclass(frozen=True)
class _HttpSetup:
    """What `serve --http` checked before the MCP SDK is imported: where to listen, and the secret."""

    address: str
    port: int
    secret: str


def _http_setup(settings: Settings, host: str, port: int) -> _HttpSetup:
    """Refuse a bad address, a busy port or an unusable secret in milliseconds: checked before
    the MCP SDK and the app are imported (a second of CPU), and before anything is served."""
    from ai_video_music.httpguard import bind_address
    from ai_video_music.httpsecret import SecretFileError, ensure_secret
    from ai_video_music.links import is_loopback
    from ai_video_music.messages import t

    lang = settings.language or settings.locale_language
    if not is_loopback(host):
        raise CliError(t("cli.http.not_loopback", lang, host=host))
    address = bind_address(host)
    _check_port(address, port)
    try:
        secret = ensure_secret(settings.home, _refresh_hosts)
    except (SecretFileError, OSError) as err:
        raise CliError(t("cli.http.secret_unusable", lang, reason=str(err))) from None
    return _HttpSetup(address, port, secret)


def _serve_http(server: MCPServer[Any], settings: Settings, setup: _HttpSetup) -> int:
    """Streamable HTTP at /mcp, for this machine's user only (see httpguard)."""
    import logging

    import anyio
    import uvicorn

    from ai_video_music.heap import freeze_startup_objects
    from ai_video_music.httpguard import MCP_PATH, LocalOnly, allowed_hosts, owner_check
    from ai_video_music.messages import t
    from ai_video_music.redact import remember_secret
    from ai_video_music.slowclients import slow_client_options

    lang = settings.language or settings.locale_language
    address, port = setup.address, setup.port
    remember_secret(setup.secret)  # masked in every log line, like the token
    owner = owner_check(address)
    if owner is None:
        logging.getLogger("ai_video_music.httpguard").warning(
            "this system doesn't tell which account opened a connection (no /proc/net/tcp): "
            "the secret alone keeps other local accounts out"
        )
    twin = _loopback_twin(address, port)
    hosts = allowed_hosts(address, port)
    if twin is not None:
        hosts |= allowed_hosts(twin.getsockname()[0], port)
    app = LocalOnly(
        server.streamable_http_app(streamable_http_path=MCP_PATH, host=address),
        secret=setup.secret,
        hosts=hosts,
        lang=lang,
        owner=owner,
    )
    # A line per request only with -v (as set up in _logging; uvicorn's own logging config would
    # turn it back on): a web page's refused fetches would fill the log with them.
    access_log = logging.getLogger("uvicorn.access").isEnabledFor(logging.INFO)
    # No proxy headers: uvicorn trusts X-Forwarded-For from any loopback peer by default, and the
    # owner check must look up the connection's real other end, never one a header names.
    config = uvicorn.Config(
        app,
        host=address,
        port=port,
        log_level=server.settings.log_level.lower(),
        access_log=access_log,
        proxy_headers=False,
        forwarded_allow_ips="",
        # Any local process, secret or not, could hold connections open until the descriptors
        # ran out (attack24 A24-2): the same deadline and cap as hosted mode.
        **slow_client_options(settings.header_timeout),
    )
    freeze_startup_objects()
    hostport = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    print(t("cli.http.listening", lang, url=f"http://{hostport}{MCP_PATH}"), file=sys.stderr)
    _second_interrupt_exits()
    sockets = [config.bind_socket()] + ([twin] if twin is not None else [])
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(uvicorn.Server(config).serve, sockets)
    return 0


LOOPBACK_TWINS = {"127.0.0.1": "::1", "::1": "127.0.0.1"}


def _loopback_twin(address: str, port: int) -> socket.socket | None:
    """The other loopback address (::1 beside 127.0.0.1), bound on our port too, so nobody else
    can listen there while we run: a client that connects to ``localhost`` may try ::1 first
    (macOS, Node 17+) and would hand its secret to whoever listens there. None where that
    address doesn't exist (IPv6 off) or is taken already (said in a warning)."""
    import logging

    other = LOOPBACK_TWINS.get(address)
    if other is None:
        return None
    family = socket.AF_INET6 if ":" in other else socket.AF_INET
    try:
        sock = socket.socket(family)
    except OSError:
        return None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((other, port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:

            def shown(host: str) -> str:
                return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

            logging.getLogger("ai_video_music.httpguard").warning(
                "another program listens on %s: a client configured with http://localhost:%d may "
                "reach it instead of this server; point clients at http://%s/mcp (install --http does)",
                shown(other),
                port,
                shown(address),
            )
        return None
    return sock


# The state files that hold the user's token, secret or projects. A store journal left by a
# crash keeps the mode it was made with (sqlite copies the database's, maybe from an old 0644).
# The HTTP secret is not one of them: one others could read is replaced, not tightened (httpsecret).
STATE_FILES = ("store.db", "store.db-wal", "store.db-shm", "token.json")


def _private_state(home: Path) -> None:
    """State files are the user's only, whatever an older version, a copy or a umask made."""
    import logging

    from ai_video_music.fsutil import make_private
    from ai_video_music.httpsecret import SecretFileError, read_secret

    for path in make_private(home / name for name in STATE_FILES):
        logging.getLogger(__name__).warning("%s was readable by other users; it is now private (0600)", path)
    try:
        read_secret(home, _refresh_hosts)  # an exposed one is replaced even by a stdio server
    except (SecretFileError, OSError) as err:
        logging.getLogger(__name__).warning("the HTTP secret can't be used: %s", err)


def _serve_hosted(args: argparse.Namespace) -> int:
    # The settings first, from modules that need no extra: a misconfiguration is refused in
    # milliseconds, before uvicorn, the MCP SDK and the app are imported (a second of CPU).
    from ai_video_music.hosted.config import HOSTED_EXTRA, load

    try:
        config, settings = load(os.environ)
    except ValueError as err:  # one line naming the variable; the messages never hold a secret
        print(f"ai-video-music: configuration error: {err}", file=sys.stderr)
        return 2
    _check_port(args.host, args.port)
    try:
        from ai_video_music.hosted import serve
    except ModuleNotFoundError as err:
        raise CliError(
            f"serve --hosted needs the 'hosted' extra ({err.name} is missing); "
            f"install it with: {HOSTED_EXTRA}"
        ) from None
    _second_interrupt_exits()
    with contextlib.suppress(KeyboardInterrupt):
        serve.run(config, settings, args.host, args.port)
    return 0


def _serve(args: argparse.Namespace) -> int:
    if getattr(args, "hosted", False):
        return _serve_hosted(args)
    from ai_video_music.config import Settings

    try:
        settings = Settings.from_env()
    except ValueError as err:
        print(f"ai-video-music: configuration error: {err}", file=sys.stderr)
        return 2
    http = _http_setup(settings, args.host, args.port) if getattr(args, "http", False) else None
    # Imported once the settings are good: a configuration error is said at once, without the
    # MCP SDK's second of imports first.
    from ai_video_music.tools import create_server

    _private_state(settings.home)
    server = create_server(settings)
    if http is not None:
        return _serve_http(server, settings, http)
    # The SDK reads stdin in a worker thread that Ctrl-C can't stop: leave at once instead.
    # (Installed before the hint, so a Ctrl-C right after reading it is already handled.)
    signal.signal(signal.SIGINT, _exit_now)
    if sys.stdin.isatty():
        print(
            "ai-video-music: this is an MCP server, waiting for an MCP client on stdin/stdout; "
            "register it with `ai-video-music install --client ...`, or try it now: "
            "ai-video-music demo  (Ctrl-C quits)",
            file=sys.stderr,
        )
    from ai_video_music.heap import freeze_startup_objects

    freeze_startup_objects()
    server.run()
    return 0


def _print_safely(run: Callable[[TextIO], int]) -> int:
    """Run a command whose output may go to a pipe that closes early (``| head -1``)."""
    try:
        status = run(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit: point it at devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    token = os.environ.get("NEMO_TOKEN")  # the variable Settings reads: masked in every log line
    _logging(getattr(args, "verbose", False), (token,) if token else ())
    try:
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "demo":
            return _print_safely(lambda out: _demo(args, out))
        if args.command == "install":
            return _print_safely(lambda out: _install(args, out))
        if args.command == "http-secret":
            return _print_safely(_http_secret)
        return _serve(args)
    except CliError as err:
        print(f"ai-video-music: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # Run as a file (an MCPB host's `uv run server/ai_video_music/cli.py`): import the installed
    # package, not this folder's modules as top-level names.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.exit(main())
