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
IPV6_SITE_PREFIX = 48  # what one IPv6 site may hold
SITE_FACTOR = 16  # a site's allowance, in clients' allowances
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")
_COMPAT = ipaddress.IPv6Network("::/96")


def client_key(host: str | None) -> str:
    """The limits' key of a client address: an IPv4 address as is, an IPv6 one's /64."""
    if not host:
        return "unknown"
    text = host.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443": the address, not its port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # a zone ("fe80::1%eth0") is no client
    except ValueError:
        return f"name {host}"  # not an address (a test client's name): its own key, never a site's
    if isinstance(address, ipaddress.IPv6Address):
        inner = _ipv4_inside(address)
        if inner is not None:
            return str(inner)
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


def keys_of(key: str) -> list[tuple[str, int]]:
    """The keys a client's try counts against, each with its allowance factor: the client's own
    (1), always first (a limit may let a client with no tries of its own through once while only
    the wider key is over), and, for a native IPv6 client, its site's /48 (:data:`SITE_FACTOR`)."""
    try:
        network = ipaddress.IPv6Network(key)
    except ValueError:
        return [(key, 1)]  # an IPv4 address (or a name): one key
    if network.prefixlen != IPV6_CLIENT_PREFIX:
        return [(key, 1)]
    site = network.supernet(new_prefix=IPV6_SITE_PREFIX)
    return [(key, 1), (f"site {site}", SITE_FACTOR)]


def _ipv4_inside(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 client an IPv6 address stands for, if it does."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # (server, client): the client's own address
    if address in _SIIT or (address in _COMPAT and int(address) > 0xFFFF):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def scope_client_key(scope: Scope) -> str:
    """The key of the client of an ASGI request (a Starlette ``Request`` has the same scope)."""
    client = scope.get("client")
    return client_key(str(client[0]) if client else None)
