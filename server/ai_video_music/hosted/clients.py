"""Who a request comes from, for the limits kept per client (sign-in failures, free accounts,
registrations, sign-in pages): one key per client, whatever form its address takes.

An IPv4 address is one client (often a whole household or office, behind one NAT). An IPv6
client is handed at least a /64 (RFC 6177, RFC 7421) and may use any of its 2^64 addresses, one
per try (privacy addresses change on their own): keyed by the whole address, every try would be
a fresh client. So an IPv6 address is keyed by its /64, and an IPv4-mapped one by its IPv4
address. The address is the one uvicorn reports: the balancer's X-Forwarded-For only when the
balancer is trusted (serve.py).
"""

from __future__ import annotations

import ipaddress

from starlette.types import Scope

IPV6_CLIENT_PREFIX = 64  # what one IPv6 client holds, at least


def client_key(host: str | None) -> str:
    """The limits' key of a client address: an IPv4 address as is, an IPv6 one's /64."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # a zone ("fe80::1%eth0") is no client
    except ValueError:
        return host  # not an address (a test client's name): itself
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


def scope_client_key(scope: Scope) -> str:
    """The key of the client of an ASGI request (a Starlette ``Request`` has the same scope)."""
    client = scope.get("client")
    return client_key(str(client[0]) if client else None)
