"""Start ``ai-video-music`` in a few milliseconds of CPU instead of a second: a fork server.

Most of a server process's start is importing the MCP SDK (~0.9 s of CPU); the suite starts dozens
to kill, restart and race them. A *zygote* per xdist worker imports the server once and forks a
child for each start; a *launcher* (stdlib only, ``python -I -S``: ~10 ms) stands in for the
console script: it hands the zygote its stdin, stdout and stderr, its arguments, environment,
working folder and umask, and ends as the child ends, with its status. A signal sent to the
launcher is passed on to the child; a launcher killed outright (SIGKILL, as the kill tests do)
takes its child with it: the child watches a pipe only the launcher holds open.

The console script itself, as hosts start it, is still what tests/test_stdio.py and test_cli.py
start; tests that start servers to kill or race them use :func:`server_command`.

    python tests/forkserver.py serve SOCKET          # the zygote (the venv's python)
    python -I -S tests/forkserver.py launch SOCKET [ARGS...]   # in place of `ai-video-music ARGS`
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import selectors
import signal
import socket
import struct
import sys

FDS = 4  # stdin, stdout, stderr, the life line


def _recv_fds(sock: socket.socket) -> tuple[bytes, list[int]]:
    fds = array.array("i")
    data, ancdata, _flags, _addr = sock.recvmsg(1 << 20, socket.CMSG_SPACE(FDS * fds.itemsize))
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
    return data, list(fds)


# --- the launcher (stdlib only) -------------------------------------------------------------------


def launch(path: str, args: list[str]) -> int:
    life_read, life_write = os.pipe()
    header = {"argv": args, "env": dict(os.environ), "cwd": os.getcwd(), "umask": os.umask(0o022)}
    os.umask(header["umask"])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    socket.send_fds(sock, [json.dumps(header).encode()], [0, 1, 2, life_read])
    os.close(life_read)
    for fd in (0, 1):  # the child holds the pipes now: the client sees them close when it ends
        os.close(fd)
    answer = sock.makefile("rb")
    child = struct.unpack("!i", answer.read(4))[0]

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    status = answer.read(4)
    os.close(life_write)
    if len(status) < 4:
        return 1
    code = struct.unpack("!i", status)[0]
    if code < 0:  # killed by a signal: end the same way
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


# --- the zygote -------------------------------------------------------------------------------------


def _child(header: dict[str, object], fds: list[int]) -> int:
    """In the forked child: become the server the launcher was asked for; its exit status."""
    import threading

    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    life = os.dup(fds[3])
    os.dup2(life, 3)
    life = 3
    os.closerange(4, os.sysconf("SC_OPEN_MAX"))  # the zygote's sockets and the passed copies
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.set_wakeup_fd(-1)
    os.chdir(str(header["cwd"]))
    os.umask(int(header["umask"]))  # type: ignore[call-overload]
    os.environ.clear()
    os.environ.update(header["env"])  # type: ignore[arg-type]

    def watch() -> None:
        while os.read(life, 1):
            pass
        os.kill(os.getpid(), signal.SIGKILL)  # the launcher is gone: so is its server

    threading.Thread(target=watch, daemon=True).start()
    from ai_video_music.cli import main

    argv = [str(a) for a in header["argv"]]  # type: ignore[attr-defined]
    sys.argv = ["ai-video-music", *argv]
    return main(argv)  # its SystemExit and exceptions end the child as they end the script


def serve(path: str) -> None:
    """Import the server once, then fork a child for each launcher that connects."""
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]  # started as a file: the tests' folder is not the server's
    # The point: every child starts with the server (and what each way of serving needs) imported.
    import uvicorn  # noqa: F401  (serve --http)

    import ai_video_music.cli
    import ai_video_music.httpguard
    import ai_video_music.httpsecret
    import ai_video_music.tools

    with contextlib.suppress(ImportError):  # serve --hosted, where its extra is installed
        import ai_video_music.hosted.serve  # noqa: F401

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    wake_read, wake_write = socket.socketpair()
    wake_read.setblocking(False)
    wake_write.setblocking(False)
    signal.set_wakeup_fd(wake_write.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, socket.socket] = {}
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    events.register(wake_read, selectors.EVENT_READ)
    while True:
        for key, _ in events.select():
            if key.fileobj is wake_read:
                while True:
                    try:
                        if not wake_read.recv(512):
                            break
                    except BlockingIOError:
                        break
                _reap(children)
                continue
            conn, _ = listener.accept()
            data, fds = _recv_fds(conn)
            pid = os.fork()
            if pid == 0:
                raise SystemExit(_child(json.loads(data), fds))
            for fd in fds:
                os.close(fd)
            conn.sendall(struct.pack("!i", pid))
            children[pid] = conn
        _reap(children)


def _reap(children: dict[int, socket.socket]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        code = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(OSError):
            conn.sendall(struct.pack("!i", code))
        conn.close()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        sys.exit(launch(sys.argv[2], sys.argv[3:]))
