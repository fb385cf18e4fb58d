"""A link's host name resolved once, every address it resolves to checked, and the connection
made to an address that was checked.

The link rule (:mod:`links`) judges a name by its spelling; a name can still resolve to this
machine or its network (``/etc/hosts``, ``*.nip.io``, a rebinding DNS server that answers
differently the second time). So before we connect to a host the backend named, the name is
resolved here, each address is judged by the same rule as a literal one, and the request goes to
the checked address. Only the TCP connection changes: the Host header and TLS (SNI and the
certificate check) keep the name, so the request means what it meant.
"""

from __future__ import annotations

import enum
import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

Resolver = Callable[[str, int], Sequence[str]]  # (host, port) -> addresses; blocking


def system_resolver(host: str, port: int) -> list[str]:
    """The system's answer for ``host``, addresses only, in its order, without duplicates."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in found))


class PinFailure(enum.Enum):
    UNRESOLVED = "unresolved"  # the name has no address (or the resolver failed)
    LOCAL = "local"  # an address it resolves to is one the rule refuses


class PinError(Exception):
    def __init__(self, failure: PinFailure, host: str) -> None:
        super().__init__(f"{failure.value}: {host[:80]}")
        self.failure = failure
        self.host = host[:80]


@dataclass(frozen=True)
class Pinned:
    """What to send: ``url`` (the checked address in place of the name), and the ``headers`` and
    httpx ``extensions`` that keep the name for the Host header and TLS."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)


def pin(url: str, allowed: Callable[[str], bool], resolve: Resolver = system_resolver) -> Pinned:
    """``url`` bound to one address ``allowed`` accepts, or :class:`PinError`. Every address the
    name resolves to must be allowed (the one a later connection would pick is not ours to say)."""
    parts = httpx.URL(url)
    host = parts.host
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # a literal address: nothing to resolve
        if not allowed(host):
            raise PinError(PinFailure.LOCAL, host)
        return Pinned(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = list(resolve(host, port))
    except (OSError, UnicodeError):
        raise PinError(PinFailure.UNRESOLVED, host) from None
    if not addresses:
        raise PinError(PinFailure.UNRESOLVED, host)
    if not all(allowed(a) for a in addresses):
        raise PinError(PinFailure.LOCAL, host)
    target = parts.copy_with(host=addresses[0])
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return Pinned(str(target), {"Host": parts.netloc.decode("ascii")}, extensions)
