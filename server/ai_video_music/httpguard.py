"""Who may talk to ``serve --http``: the local user's own MCP client, and nobody else.

Three checks on every request, before the MCP app sees it:

- **Host** must name the loopback address and port we are bound to: a page that rebinds its
  own DNS name to 127.0.0.1 still sends its name, and is refused (403);
- **Origin**, when a browser sends one, must be a loopback origin: a page on the internet is
  refused (403) even before it could guess anything;
- **Authorization: Bearer <secret>** must carry the secret only the local user can read
  (see :mod:`httpsecret`), compared in constant time; anything else gets 401. A browser
  page on another loopback port passes the Origin rule but never knows the secret, and its
  CORS preflight (which carries no credentials) is refused too;
- **the connecting account** (Linux): the client's end of the TCP connection must belong to
  the account the server runs as (its ``uid`` in ``/proc/net/tcp``/``tcp6``), else 403. A
  secret another account collected (by listening on our port while the server was down: the
  user's own client hands it to whoever listens there) is of no use to it. An end that is no
  longer ESTABLISHED (closed by its process: the kernel then reports it as root's) has no owner
  to tell, and is refused. Where the table can't tell (no ``/proc``), the secret alone keeps
  other accounts out, as before.

Refusals are logged with the request's path escaped and capped (:func:`sanitize.for_log`: a
web page chooses it), at most a few lines a minute and then one line with the count.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import ipaddress
import logging
import os
import socket
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from .links import is_loopback
from .messages import Lang, t
from .sanitize import for_log

log = logging.getLogger(__name__)

MCP_PATH = "/mcp"
LOCALHOST = "localhost"
REALM = "ai-video-music"


def bind_address(host: str) -> str:
    """The address to bind for ``--host``: ``localhost`` is pinned to 127.0.0.1 (a name could
    resolve to anything a hosts file says)."""
    name = host.strip().lower().removeprefix("[").removesuffix("]")
    return "127.0.0.1" if name == LOCALHOST else name


def _host_value(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def allowed_hosts(address: str, port: int) -> frozenset[str]:
    """Host header values that name our socket: its address, and ``localhost``, with our port."""
    return frozenset({_host_value(address, port), f"{LOCALHOST}:{port}"})


def loopback_origin(origin: str) -> bool:
    """An http(s) origin on a loopback host (``null`` and other schemes are not)."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    return is_loopback(parts.hostname)


@dataclass(frozen=True)
class Verdict:
    status: int
    key: str


# --- which account is at the other end (Linux) ------------------------------------------------------

PROC_TABLES = {4: "/proc/net/tcp", 6: "/proc/net/tcp6"}
# Only an open connection's end has an owner to tell: once its process has closed it (FIN_WAIT2,
# TIME_WAIT) the kernel reports the end as uid 0, root's, whoever opened it. A server run as root
# would take that for its own account, so any other state reads as "owner unknown" (refused): a
# client waiting for its answer is always ESTABLISHED.
TCP_ESTABLISHED = 1
Endpoint = tuple[str, int]
# Who owns the client's end of a connection to us: (client, server) -> uid, None when unknown.
Owner = Callable[[Endpoint, Endpoint], "int | None"]


def _proc_address(host: str, port: int) -> tuple[int, str]:
    """``(4 or 6, "0100007F:1F4D")``: an address and port as /proc/net/tcp spells them (each
    32-bit word of the address in the machine's byte order, in hex; the port in hex)."""
    address = ipaddress.ip_address(host)
    packed = address.packed
    words = struct.unpack(f"={len(packed) // 4}I", packed)
    return address.version, "".join(f"{word:08X}" for word in words) + f":{port:04X}"


def socket_owner(client: Endpoint, server: Endpoint, tables: dict[int, str] = PROC_TABLES) -> int | None:
    """The uid of the account whose socket is ``client``'s end of its TCP connection to ``server``
    on this machine (the line whose local address is the client's and remote is ours), or None
    when no such line is found or that end is no longer ESTABLISHED (:data:`TCP_ESTABLISHED`).
    Raises OSError when the table can't be read.

    Reading the table costs the kernel a walk of every TCP socket (~4 ms on a machine with a few
    hundred): the fallback where netlink (:func:`diag_owner`) can't be asked."""
    version, local = _proc_address(*client)
    _, remote = _proc_address(*server)
    with open(tables[version], "rb") as table:
        data = table.read()
    at = data.find(f" {local} {remote} ".encode())
    if at < 0:
        return None
    # local rem st tx:rx tr:when retrnsmt uid ...
    fields = data[at : data.find(b"\n", at)].split()
    try:
        return int(fields[6]) if int(fields[2], 16) == TCP_ESTABLISHED else None
    except (IndexError, ValueError):
        return None


_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLMSG_ERROR = 2
_NO_COOKIE = 0xFFFFFFFF


def diag_owner(client: Endpoint, server: Endpoint) -> int | None:
    """As :func:`socket_owner`, asked of the kernel by netlink (``sock_diag``, what ``ss`` uses)
    for that one connection: ~15 µs instead of a walk of every socket. None when the kernel
    knows no such connection, or it is no longer ESTABLISHED; OSError when it can't be asked."""
    family = socket.AF_INET6 if ":" in client[0] else socket.AF_INET

    def packed(host: str) -> bytes:
        return socket.inet_pton(family, host).ljust(16, b"\0")

    sockid = (
        struct.pack("!HH", client[1], server[1])
        + packed(client[0])
        + packed(server[0])
        + struct.pack("=III", 0, _NO_COOKIE, _NO_COOKIE)
    )
    request = struct.pack("=BBBBI", family, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF) + sockid
    header = struct.pack("=IHHII", 16 + len(request), _SOCK_DIAG_BY_FAMILY, 1, 1, 0)  # NLM_F_REQUEST
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG) as link:  # type: ignore[attr-defined,unused-ignore]
        link.settimeout(1.0)
        link.sendto(header + request, (0, 0))
        answer = link.recv(8192)
    if len(answer) < 20:
        raise OSError("a short sock_diag answer")
    kind = struct.unpack_from("=H", answer, 4)[0]
    if kind == _NLMSG_ERROR:
        code = -struct.unpack_from("=i", answer, 16)[0]
        if code == errno.ENOENT:
            return None  # no such connection
        raise OSError(code, os.strerror(code))
    if kind != _SOCK_DIAG_BY_FAMILY or len(answer) < 16 + 72:
        raise OSError("an unexpected sock_diag answer")
    # inet_diag_msg: family, state, timer, retrans (4), the socket's id (48), expires, rqueue,
    # wqueue (12), then uid and inode.
    if answer[16 + 1] != TCP_ESTABLISHED:
        return None
    return int(struct.unpack_from("=I", answer, 16 + 64)[0])


def owner_check(address: str, tables: dict[int, str] = PROC_TABLES) -> Owner | None:
    """A way to tell who opened a connection that works here: one of our own connections to
    ``address`` is found, and is ours, by netlink (:func:`diag_owner`) or else in /proc's table
    (:func:`socket_owner`). None where neither can tell (not Linux; WSL 1 lists no sockets):
    then the secret alone keeps other accounts out, as before."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def proc(client: Endpoint, server: Endpoint) -> int | None:
        return socket_owner(client, server, tables)

    try:
        with socket.socket(family) as listener:
            listener.bind((address, 0))
            listener.listen(1)
            with socket.socket(family) as client:
                client.connect(listener.getsockname()[:2])
                accepted, _ = listener.accept()
                with accepted:
                    ends = (client.getsockname()[:2], accepted.getsockname()[:2])
                    for way in (diag_owner, proc):
                        try:
                            if way(*ends) == os.getuid():
                                return way
                        except (OSError, ValueError, KeyError, AttributeError):
                            continue
    except OSError:
        pass
    return None


class RefusalLog:
    """The refusal warnings: the first ``burst`` of each ``window`` seconds, then one line with
    how many more there were (a web page's fetches could write ~100 KB/s into the log)."""

    def __init__(
        self, burst: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._burst, self._window, self._clock = burst, window, clock
        self._start = clock()
        self._logged = 0
        self._quiet = 0
        self._scheduled = False

    def refused(self, path: object, status: int, key: str, detail: str = "") -> None:
        now = self._clock()
        if now - self._start >= self._window:
            self.flush()
            self._start = now
        if self._logged < self._burst:
            self._logged += 1
            log.warning("refused an HTTP request to %s (%d, %s%s)", for_log(path), status, key, detail)
            return
        self._quiet += 1
        if not self._scheduled:  # the count is told at the window's end, more refusals or none
            with contextlib.suppress(RuntimeError):  # no running loop: told with the next one
                delay = max(0.0, self._start + self._window - now)
                asyncio.get_running_loop().call_later(delay, self._due)
                self._scheduled = True

    def _due(self) -> None:
        self._scheduled = False
        if self._clock() - self._start >= self._window:
            self.flush()
            self._start = self._clock()

    def flush(self) -> None:
        """Say how many refusals went unlogged since the last line, if any."""
        if self._quiet:
            log.warning(
                "refused %d more HTTP requests in the last %d s (the first %d of a minute are logged)",
                self._quiet,
                round(self._window),
                self._burst,
            )
        self._logged = self._quiet = 0


def _host_lowered(scope: Scope) -> Scope:
    """``scope`` with its Host header as :meth:`LocalOnly.verdict` judged it (trimmed, lower
    case: host names are case-insensitive), so the SDK's own Host check, which compares exactly,
    agrees with ours on ``LOCALHOST:port``."""
    raw = scope.get("headers") or []
    if all(name != b"host" or value == value.strip().lower() for name, value in raw):
        return scope
    headers = [(name, value.strip().lower() if name == b"host" else value) for name, value in raw]
    return {**scope, "headers": headers}


class LocalOnly:
    """ASGI middleware: Host, Origin, bearer secret and (where it can tell) the connecting
    account checked on every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        hosts: Iterable[str],
        lang: Lang = "en",
        owner: Owner | None = None,
        refusals: RefusalLog | None = None,
    ) -> None:
        if not secret:
            raise ValueError("a secret is required")
        self.app = app
        self._expected = f"Bearer {secret}".encode()
        self._hosts = frozenset(h.lower() for h in hosts)
        self._lang = lang
        self._owner = owner
        self._uid = os.getuid() if hasattr(os, "getuid") else None
        self.refusals = refusals or RefusalLog()
        # Its own count: a page's flood of refused fetches never hides another account's attempt.
        self.other_accounts = RefusalLog()

    async def _other_account(self, scope: Scope) -> str | None:
        """Why the connection's other end is not this account ("" when unknown), or None when
        it is ours or nothing can tell."""
        if self._owner is None or self._uid is None:
            return None
        client, server = scope.get("client"), scope.get("server")
        if not client or not server:
            return ""
        owner, ends = self._owner, ((client[0], client[1]), (server[0], server[1]))
        try:
            if owner is diag_owner:  # one netlink round trip, ~15 µs: cheaper than a thread hop
                uid = owner(*ends)
            else:  # /proc's table: milliseconds of the kernel's walk, off the event loop
                uid = await anyio.to_thread.run_sync(lambda: owner(*ends))
        except (OSError, ValueError, KeyError):
            return ""
        if uid == self._uid:
            return None
        return "" if uid is None else f"uid {uid}"

    def verdict(self, headers: Headers) -> Verdict | None:
        """Why a request is refused, or None to let it through."""
        if headers.get("host", "").strip().lower() not in self._hosts:
            return Verdict(403, "http.bad_host")
        origin = headers.get("origin")
        if origin is not None and not loopback_origin(origin):
            return Verdict(403, "http.bad_origin")
        scheme, _, credentials = headers.get("authorization", "").strip().partition(" ")
        # The scheme is case-insensitive (RFC 7235 2.1): "bearer" names the same one. The secret is not.
        given = f"Bearer {credentials.lstrip(' ')}" if scheme.lower() == "bearer" else ""
        # compare_digest: the time taken says nothing about how much of a guess was right.
        if not hmac.compare_digest(given.encode("latin-1", "replace"), self._expected):
            return Verdict(401, "http.no_secret")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # lifespan: the app's own start and stop
            await self.app(scope, receive, send)
            return
        refused = self.verdict(Headers(scope=scope))
        detail = ""
        if refused is None:  # the secret is right: is it the account it was made for?
            other = await self._other_account(scope)
            if other is not None:
                refused, detail = Verdict(403, "http.other_account"), f": {other or 'owner unknown'}"
        if refused is None:
            await self.app(_host_lowered(scope), receive, send)
            return
        said = self.other_accounts if refused.key == "http.other_account" else self.refusals
        said.refused(scope.get("path", "?"), refused.status, refused.key, detail)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = {"WWW-Authenticate": f'Bearer realm="{REALM}"'} if refused.status == 401 else {}
        response = PlainTextResponse(t(refused.key, self._lang) + "\n", refused.status, headers=headers)
        await response(scope, receive, send)
