"""A storage that drips its bytes can't keep a link check reading after it answered (attack6 N13).

linkcheck.link_facts (hosted exports read the MP4's boxes over byte ranges) gave up waiting
after its deadline but left its worker thread reading: httpx's timeout is per read, so a storage
sending one byte per interval (under that timeout) kept the thread and its connection for days,
one more with every export call. The check now carries its deadline into every read and closes
the connection once it passes. A raw socket double drips; the deadline is made short.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ai_video_music.linkcheck as linkcheck
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings

pytestmark = pytest.mark.anyio

SIZE = 10_000_000
DRIP_EVERY_S = 0.02  # far under any read timeout: every read gets its byte in time


class DrippingStorage:
    """Answers a one-byte range at once (the redirect probe), then sends any longer range one
    byte per ``DRIP_EVERY_S``; counts its connections still open, each seen closed at once."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.lock = threading.Lock()
        self.open = 0
        self.dripped = 0
        self.closed = threading.Event()
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.open += 1
                self.closed.clear()
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            buf = b""
            while not self.stop.is_set():
                while b"\r\n\r\n" not in buf:
                    got = conn.recv(4096)
                    if not got:
                        return
                    buf += got
                head, buf = buf.split(b"\r\n\r\n", 1)
                ranges = [ln for ln in head.decode().split("\r\n") if ln.lower().startswith("range:")]
                a, b = (int(x) for x in ranges[0].split("=")[1].split("-")) if ranges else (0, 0)
                conn.sendall(
                    f"HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\n"
                    f"Content-Range: bytes {a}-{b}/{SIZE}\r\nContent-Length: {b - a + 1}\r\n\r\n".encode()
                )
                if a == b:
                    conn.sendall(b"\0")
                    continue
                for _ in range(b - a + 1):
                    # A peer that hung up reads as end of stream: that is when the reading stopped.
                    readable, _, _ = select.select([conn], [], [], DRIP_EVERY_S)
                    if readable and not conn.recv(1):
                        return
                    conn.sendall(b"\0")
                    self.dripped += 1
        except OSError:
            return
        finally:
            conn.close()
            with self.lock:
                self.open -= 1
                if self.open == 0:
                    self.closed.set()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def storage() -> Iterator[DrippingStorage]:
    double = DrippingStorage()
    yield double
    double.close()


async def test_a_dripping_storage_keeps_no_thread_or_connection_after_the_check(
    storage: DrippingStorage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[threading.Event] = []  # one per worker thread's check, set when it has ended
    check = linkcheck._check

    def tracked(*args: Any) -> Any:
        ended = threading.Event()
        checks.append(ended)
        try:
            return check(*args)
        finally:
            ended.set()

    monkeypatch.setattr(linkcheck, "_check", tracked)
    settings = Settings(
        api_base=f"http://127.0.0.1:{storage.port}", home=tmp_path / "h", output_dir=tmp_path / "o"
    )
    async with NemoClient(settings) as client:
        for i in range(3):  # every export call used to add one reader
            started = time.monotonic()
            with pytest.raises(linkcheck.LinkTooSlowError):
                await linkcheck.link_facts(client, f"http://127.0.0.1:{storage.port}/v{i}.mp4", seconds=0.5)
            # It answered at its own deadline (not the 2x backstop), its thread's reading over...
            assert time.monotonic() - started < 1.0
            assert len(checks) == i + 1 and checks[-1].is_set()
            # ...and the storage saw the connection closed (waiting for that event, bounded).
            assert storage.closed.wait(5.0), f"{storage.open} storage connection(s) still open"
    assert storage.dripped > 0  # the drip did happen: the reader was stopped, not refused
