"""A pre-forked video checker: one long-lived child that has imported the checker once and forks
a fresh, capped grandchild per check.

Starting ``python -m ai_video_music.videocheck`` costs ~0.25-0.3 s of CPU per check, nearly all
interpreter start and imports (PyAV, hachoir, Pillow). The zygote pays that once per server
process. It never reads a video itself: per check it forks a grandchild that runs exactly the
fresh child's code (:func:`videocheck.main`: the same ``RLIMIT_AS``/CPU caps set first, the same
JSON-line answers), so whatever a hostile file does, it does to a throwaway process.

The parent talks to the zygote over a ``SOCK_SEQPACKET`` socket pair (one message per request).
A check request carries one end of a fresh socket pair (``SCM_RIGHTS``); the grandchild writes
its answers there as its stdout, and the parent reads the other end with the same limits as a
fresh child's pipe. The parent ends every check with an ``end`` message: the zygote kills the
grandchild (a no-op once it has exited) and reaps it. Until reaped its pid can't be reused, so
the kill never reaches another process. The grandchild dies with the zygote (``PR_SET_PDEATHSIG``),
and the zygote ends when the server does (its end of the socket pair closes).

Linux only (fork after imports, ``prctl``); elsewhere, and whenever the zygote can't be started
or is gone, the caller runs the fresh child as before.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

MAX_REQUEST_BYTES = 64 * 1024  # one request message (its arguments are two paths)
_PR_SET_PDEATHSIG = 1


# --- the parent side --------------------------------------------------------------------------


@dataclass
class Zygote:
    """The parent's handle on its running zygote."""

    process: subprocess.Popen[bytes]
    control: socket.socket
    owner: int  # the pid that started it: a forked copy of the parent must not share it
    next_id: int = 0

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def begin(self, args: list[str]) -> tuple[int, socket.socket] | None:
        """Ask for a check; the socket its grandchild answers on, or None when the zygote can't
        take it (then it is stopped, and the next check starts a new one)."""
        self.next_id += 1
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        request = {"op": "check", "id": self.next_id, "args": args, "cwd": os.getcwd()}
        try:
            socket.send_fds(self.control, [json.dumps(request).encode("utf-8")], [theirs.fileno()])
        except OSError:  # gone, or so stuck that its queue is full
            ours.close()
            self.stop()
            return None
        finally:
            theirs.close()  # the grandchild holds it now: its exit is our end of file
        return self.next_id, ours

    def end(self, check_id: int) -> None:
        """The check is over (answered, or out of time): its grandchild is killed and reaped."""
        with contextlib.suppress(OSError):
            self.control.send(json.dumps({"op": "end", "id": check_id}).encode("utf-8"))

    def stop(self) -> None:
        """Close our end: the zygote kills and reaps its grandchildren and exits (killed if it
        doesn't within a second)."""
        with contextlib.suppress(OSError):
            self.control.close()
        if self.owner != os.getpid():
            return
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                self.process.kill()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self.process.wait(timeout=5)


@dataclass
class _Holder:
    zygote: Zygote | None = None
    failed: bool = field(default=False)  # it could not be started: don't try on every check
    exit_hook: bool = field(default=False)


_held = _Holder()


def supported() -> bool:
    return sys.platform.startswith("linux") and os.environ.get("AI_VIDEO_MUSIC_NO_ZYGOTE") != "1"


def running(env: dict[str, str]) -> Zygote | None:
    """The zygote, started now (lazily: a server that never exports never starts one) with
    ``env`` if none runs; None where it can't be."""
    current = _held.zygote
    if current is not None and current.alive():
        return current
    if current is not None:
        if current.owner == os.getpid():
            current.stop()
        _held.zygote = None
    if _held.failed or not supported():
        return None
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "ai_video_music.checkzygote", str(theirs.fileno())],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=[theirs.fileno()],
        )
    except OSError:
        ours.close()
        _held.failed = True
        return None
    finally:
        theirs.close()
    ours.setblocking(False)  # a stuck zygote must never stall the event loop: sends fail instead
    if not _held.exit_hook:  # a process that ends without stopping its server still reaps it
        atexit.register(stop)
        _held.exit_hook = True
    _held.zygote = Zygote(process, ours, os.getpid())
    return _held.zygote


def stop() -> None:
    """Stop the zygote (at the process's exit: one zygote serves every server of the process, a
    hosted instance's users too); a later check starts a new one."""
    current, _held.zygote = _held.zygote, None
    if current is not None:
        current.stop()


# --- the zygote side --------------------------------------------------------------------------


def _preload() -> None:
    """Import what a check imports, once: this is the cost a fresh child paid per check."""
    from . import media, videocheck  # noqa: F401

    for name in ("ctypes", "hachoir.parser", "hachoir.core.config", "hachoir.field", "av", "PIL.Image"):
        with contextlib.suppress(ImportError):
            __import__(name)


def _die_with_parent() -> None:
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _grandchild(zygote: int, control: socket.socket, out: int, request: dict[str, Any]) -> None:
    """In the forked grandchild: become the fresh child (answers on ``out`` as stdout) and exit."""
    code = 1
    try:
        _die_with_parent()
        if os.getppid() != zygote:  # the zygote died before the line above: nobody would kill us
            os._exit(1)
        control.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.dup2(out, 1)
        os.close(out)
        with contextlib.suppress(OSError):
            os.chdir(str(request.get("cwd") or "/"))
        from .videocheck import main

        code = main([str(a) for a in request.get("args", [])])
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(code)


def serve(control: socket.socket) -> None:
    """The zygote's loop: fork a grandchild per check, kill and reap one per end, until the
    parent's end of ``control`` closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C stops the server, which stops us
    children: dict[int, int] = {}  # check id -> grandchild pid
    me = os.getpid()
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, MAX_REQUEST_BYTES, 1)
        except InterruptedError:
            continue
        except OSError:
            data, fds = b"", []
        if not data:
            break
        try:
            request = json.loads(data)
        except ValueError:
            request = {}
        op, check_id = request.get("op"), request.get("id")
        if op == "check" and fds:
            pid = os.fork()
            if pid == 0:
                _grandchild(me, control, fds[0], request)
            children[check_id] = pid
        elif op == "end" and check_id in children:
            _kill_and_reap(children.pop(check_id))
        for fd in fds:
            os.close(fd)
    for pid in children.values():
        _kill_and_reap(pid)


def _kill_and_reap(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[0]))
    _preload()
    serve(control)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as the zygote
    raise SystemExit(main(sys.argv[1:]))
