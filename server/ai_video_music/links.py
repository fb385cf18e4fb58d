"""Which URLs we fetch, show, hand on or let the App load: one rule, checked once, here.

Every URL the backend gives (a render's download link, an uploaded file's media link, a redirect)
and every web link the user asks the backend to fetch goes through :class:`LinkPolicy`:

- ``https`` only; plain ``http`` only to the configured backend's own origin (the simulator and
  the test doubles run on loopback over http);
- no user name or password in it;
- no loopback, private, link-local (cloud metadata), multicast, reserved or unspecified target,
  however the address is spelled (``localhost``, ``x.localhost``, ``0x7f.1``, ``2130706433``,
  ``[::ffff:127.0.0.1]``); unless the configured backend is itself on such an address;
- no host that carries a local address for a wildcard DNS service to answer with
  (``169.254.169.254.nip.io``, ``127-0-0-1.sslip.io``, ``magic-7f000001.nip.io``, ``--1.sslip.io``),
  nor a name that always resolves to this machine (``x.localtest.me``): local all the same;
- no look-alike host: only ASCII names, no punycode labels (``xn--``), no Unicode confusables, and
  no name dressed as NemoVideo's own (``nemovide0.com``, ``nemovideo.com-download.net``);
- no ``javascript:``, ``data:``, ``file:`` or any other scheme, no blanks, control characters or
  invisible characters: anything of Unicode category Cf (U+200B, U+FEFF, bidi controls) or
  Default_Ignorable_Code_Point (Hangul fillers, variation selectors, U+034F), private-use or
  unassigned;
- no name of the local network: ``ip6-localhost``, ``localhost4.localdomain4``, a name of one
  label (``wpad``), ``*.lan``, ``*.home.arpa``, ``*.box`` (``fritz.box``), a ``localdomain*``
  label, ``*.svc``/``*.cluster.local`` and Kubernetes' own namespaces (``kubernetes.default``),
  ``*.local``...

Host names are judged here by their spelling (resolving them would be a request in itself);
before we connect to one, :meth:`LinkPolicy.pin` resolves it and judges every address it resolves
to by the same rule (:mod:`pinning`), unless the configured backend is itself local.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import re
import socket
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

from .config import DEFAULT_WEB_URL, PRODUCTION_API_BASE
from .pinning import Pinned, Resolver, pin, system_resolver
from .sanitize import BLANK_DRAWN

MAX_URL_CHARS = 8192
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
# Names that mean "this machine" or a cloud's instance metadata, whatever they resolve to.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "metadata", "metadata.google.internal", "instance-data")
# ::1 in Debian's and Ubuntu's own /etc/hosts.
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# Names of the local network: mDNS (.local), RFC 8375 home networks, private and cloud-internal
# zones, home routers' own (fritz.box, router.lan) and a cluster's services (x.default.svc,
# x.svc.cluster.local). A name of one label (``wpad``, ``router``) is the local network's too
# (the resolver's search domains complete it): see :func:`local_kind`.
_LOCAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".internal",
    ".home.arpa",
    ".lan",
    ".localdomain",
    ".intranet",
    ".corp",
    ".home",
    ".box",
    ".svc",
)
# Public domains whose every name resolves to 127.0.0.1 (a wildcard record): this machine too.
_LOOPBACK_DOMAINS = (
    "localtest.me",
    "lvh.me",
    "vcap.me",
    "lacolhost.com",
    "localho.st",
    "localhost.direct",
    "local.gd",
    "localdev.me",  # ingress-nginx's docs
    "fuf.me",
    "traefik.me",  # its bare names; its address-spelling ones are read by embedded_address
)
# This machine however a distribution spells it, as the last label (x.localhost6) or the first
# before local domains: localhost4.localdomain4 (Fedora's, RHEL's and Amazon Linux's /etc/hosts).
_LOOPBACK_LABEL = re.compile(r"localhost[0-9a-z-]*")
# The local network's own domain, as the last label: localdomain, localdomain4, localdomain6.
_LOCAL_LABEL = re.compile(r"localdomain[0-9a-z-]*")
# Kubernetes' own namespaces: a pod's search domains complete "kubernetes.default" (the cluster's
# API server) and "x.kube-system" to x.<namespace>.svc.cluster.local.
_CLUSTER_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


class Refusal(enum.Enum):
    """Why a link was refused: the caller picks its sentence by it."""

    MALFORMED = "malformed"
    SCHEME = "scheme"
    CREDENTIALS = "credentials"
    LOCAL = "local"
    LOOKALIKE = "lookalike"


class UnsafeLinkError(ValueError):
    def __init__(self, reason: Refusal, host: str = "") -> None:
        super().__init__(f"{reason.value}: {host[:80]}")
        self.reason = reason
        self.host = host[:80]


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host name spells literally, in any of the forms a resolver accepts
    (``0x7f.1``, ``017700000001``, ``2130706433``, ``127.1``, IPv6, IPv4-mapped IPv6); else None."""
    if ":" not in host and not host[:1].isdigit():
        return None  # a name (every IPv4 form starts with a digit, every IPv6 one holds a colon)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not re.fullmatch(r"[0-9a-fx.]+", host) or not host[0].isdigit():
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        embeds = address in _NAT64 or address in _IPV4_TRANSLATED
        if inner is None and (embeds or (address in _IPV4_COMPATIBLE and int(address) > 1)):
            # A NAT64 gateway (or an old IPv4-compatible form) reaches the IPv4 address inside.
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return inner
    return address


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052's well-known prefix
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # SIIT's IPv4-translated form
# RFC 8215's prefix for a network's own translators: where its addresses lead is that network's.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
_NAT64_SPACE = ipaddress.IPv6Network("64:ff9b::/32")  # beyond the /96: no public meaning


_DECIMAL_OCTET = re.compile(r"(?:25[0-5]|2[0-4]\d|1?\d?\d)")
_HEX_ADDRESS = re.compile(r"[0-9a-f]{8}")
_IPV6_DASHED = re.compile(r"[0-9a-f-]+")


def embedded_address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """A non-public address a name carries for a wildcard DNS service to answer with, else None.

    nip.io, sslip.io, traefik.me and their kind answer any name under them with the address it
    spells, and anyone can run one under a domain of their own, so the name is read whatever its
    suffix: four decimal parts in a row, dots or dashes between (``app.10.0.0.1.x``,
    ``customer-127-0-0-1.x``, ``app-10.0.0-1.x``), a part of eight hex digits (nip.io's
    ``magic-7f000001.x``), or a label that is an IPv6 address with dashes (sslip.io's ``--1.x``,
    ``fe80--1.x``). Only an address that leads somewhere local counts (loopback, private,
    link-local, unspecified): a hash-like label that decodes to a public, multicast or reserved
    address is left alone."""
    parts = re.split(r"[.-]", name)
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    for start in range(len(parts) - 3):
        window = parts[start : start + 4]
        if all(_DECIMAL_OCTET.fullmatch(part) for part in window):
            found.append(ipaddress.IPv4Address(".".join(str(int(part)) for part in window)))
    found += [ipaddress.IPv4Address(int(part, 16)) for part in parts if _HEX_ADDRESS.fullmatch(part)]
    for label in name.split("."):
        if label.count("-") >= 2 and _IPV6_DASHED.fullmatch(label):
            dashed = literal_address(label.replace("-", ":"))  # an IPv4-mapped one: the address inside
            if dashed is not None:
                found.append(dashed)
    for address in found:
        kind = _address_kind(address)
        if kind == "loopback" or (kind is not None and not (address.is_multicast or address.is_reserved)):
            return address
    return None


def local_kind(host: str) -> str | None:
    """``loopback`` for this machine, ``private`` for its networks and metadata services, None for
    a public host (no resolution: names are judged by their spelling, addresses by their value,
    and a name that spells an address for a wildcard DNS service (:func:`embedded_address`) by
    that address)."""
    name = host.lower().rstrip(".")
    labels = name.split(".")
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return "loopback"
    if any(name == domain or name.endswith("." + domain) for domain in _LOOPBACK_DOMAINS):
        return "loopback"
    if _LOOPBACK_LABEL.fullmatch(labels[-1]) or (
        _LOOPBACK_LABEL.fullmatch(labels[0]) and all(_LOCAL_LABEL.fullmatch(label) for label in labels[1:])
    ):
        return "loopback"
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return "private"
    if _LOCAL_LABEL.fullmatch(labels[-1]) or labels[-1] in _CLUSTER_NAMESPACES:
        return "private"
    address = literal_address(name)
    if address is None and "." not in name:
        return "private"  # one label: completed by the local network's search domains
    if address is None:
        embedded = embedded_address(name)
        return None if embedded is None else _address_kind(embedded)
    return _address_kind(address)


def _address_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if address.is_loopback:
        return "loopback"
    if isinstance(address, ipaddress.IPv6Address) and (
        address in _LOCAL_NAT64 or address in _NAT64_SPACE or address.is_site_local
    ):
        # Site-local fec0::/10 is deprecated (RFC 3879), and so not in ipaddress's private table,
        # but where it is still configured it is the local site (Windows' default DNS servers).
        return "private"
    return "private" if not address.is_global or address.is_multicast else None


def is_local(host: str) -> bool:
    """Whether ``host`` names this machine, its network or a metadata service."""
    return local_kind(host) is not None


def _registrable(url: str) -> str:
    return ".".join((urlsplit(url).hostname or "").lower().split(".")[-2:])


# NemoVideo's own domains (its web app's and its API's, which serves its storage links too).
_GENUINE = frozenset({_registrable(DEFAULT_WEB_URL), _registrable(PRODUCTION_API_BASE)})
_BRANDS = frozenset(domain.split(".")[0] for domain in _GENUINE)
# Digits and letter pairs that read as the letters of a name.
_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "_": "", "-": ""})


def _near(a: str, b: str) -> bool:
    """Within a quarter of ``b``'s letters (at least one) of edits: a letter added, dropped or
    changed, or two neighbours swapped ("nemovidoe"), each one edit (optimal string alignment)."""
    most = max(1, len(b) // 4)
    if abs(len(a) - len(b)) > most:
        return False
    # Each edit takes at most one of b's letters away from those a shares with it: a cheap test
    # first, so a text of many short host-like words costs little more than any other text.
    if sum(min(a.count(c), b.count(c)) for c in set(b)) < len(b) - most:
        return False
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[len(b)] <= most


def dressed_as_ours(host: str) -> bool:
    """A host that reads as NemoVideo's without being on its domains (``nemovide0.com``,
    ``nemovideo.com-download.net``, ``nemo-video.app``, ``nernovideo.com``, ``nemo.video``)."""
    host = host.lower().rstrip(".")
    if any(host == d or host.endswith("." + d) for d in _GENUINE):
        return False
    labels = [label.translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w") for label in host.split(".")]
    # The name read across its dots too ("nemo.video", "nemo.vid.eo"), the leading "www" aside.
    joined = "".join(labels[1:] if labels[0] == "www" else labels)
    return any(brand in label or _near(label, brand) for label in [*labels, joined] for brand in _BRANDS)


@dataclass(frozen=True)
class LinkPolicy:
    """The rule, bound to the configured backend (whose own origin, and whose kind of address when
    it is local, stay allowed)."""

    api_base: str
    # How host names become addresses before a connection (tests give a table of their own).
    resolve: Resolver = field(default=system_resolver, compare=False, repr=False)

    @functools.cached_property
    def _api(self) -> tuple[str, str, int | None]:
        return _origin(self.api_base)

    @functools.cached_property
    def _api_kind(self) -> str | None:
        return local_kind(self._api[1])

    @functools.cached_property
    def _api_domain(self) -> str:
        return ".".join(self._api[1].split(".")[-2:])

    def address_allowed(self, address: str) -> bool:
        """An address a link's host resolves to: public, or local the way the backend is."""
        kind = local_kind(address)
        return kind is None or kind == self._api_kind

    def pin(self, checked: str) -> Pinned:
        """Where to connect for a link that passed :meth:`check`: its name resolved once, every
        address judged, the connection bound to one (:mod:`pinning`; raises its ``PinError``).
        Blocking (a resolution): call it in a worker thread. The backend's own origin is the
        operator's choice and is not pinned; nor is anything when the backend is itself local
        (the simulator and the test doubles, whose fake hosts resolve nowhere)."""
        if _origin(checked) == self._api or self._api_kind is not None:
            return Pinned(checked)
        return pin(checked, self.address_allowed, self.resolve)

    def _dressed(self, host: str) -> bool:
        """Dressed as NemoVideo's (:func:`dressed_as_ours`), and not on the configured backend's
        own domain (an operator's staging backend serves its links from there)."""
        name, own = host.lower(), self._api_domain
        return dressed_as_ours(name) and not (name == own or name.endswith("." + own))

    def check(self, url: object) -> str:
        """``url`` stripped, or :class:`UnsafeLinkError` saying why not."""
        text = url.strip() if isinstance(url, str) else ""
        blank = (" " in text or not text.isprintable()) if text.isascii() else any(map(_unseen, text))
        if not text or len(text) > MAX_URL_CHARS or blank:
            raise UnsafeLinkError(Refusal.MALFORMED)
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise UnsafeLinkError(Refusal.MALFORMED) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise UnsafeLinkError(Refusal.SCHEME)
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise UnsafeLinkError(Refusal.MALFORMED)
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise UnsafeLinkError(Refusal.CREDENTIALS, host)
        own = _origin_of(parts) == self._api
        # Local in the same way the configured backend is (the simulator and the test doubles run
        # on loopback: their storage links are loopback too, and nothing else local).
        kind = local_kind(host)
        like_backend = own or (kind is not None and kind == self._api_kind)
        if scheme == "http" and not like_backend:
            raise UnsafeLinkError(Refusal.SCHEME, host)
        if not own and (not _plain_host(host) or self._dressed(host)):
            raise UnsafeLinkError(Refusal.LOOKALIKE, host)
        if kind is not None and not like_backend:
            raise UnsafeLinkError(Refusal.LOCAL, host)
        return text

    def safe(self, url: object) -> str | None:
        """``url`` if it passes, else None (a link to show or store, never to argue about)."""
        try:
            return self.check(url)
        except UnsafeLinkError:
            return None

    def origin(self, url: object) -> str | None:
        """The exact CSP source (``scheme://host[:port]``) of a URL that passes; no wildcards."""
        checked = self.safe(url)
        if checked is None:
            return None
        scheme, host, port = _origin(checked)
        shown = f"[{host}]" if ":" in host else host
        default = {"https": 443, "http": 80}[scheme]
        return f"{scheme}://{shown}" + (f":{port}" if port is not None and port != default else "")


# Characters a link must not hold: blanks and line breaks, controls, the invisible format
# characters (U+200B, U+FEFF, bidi marks and overrides, TAG characters: Unicode category Cf),
# private-use and unassigned ones (how they look is anyone's guess), and the rest of Unicode's
# Default_Ignorable_Code_Point (rendered as nothing). A link that reads differently from where it
# goes is what they are there for.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
# Default_Ignorable_Code_Point (DerivedCoreProperties.txt) is Cf, Variation_Selector and
# Other_Default_Ignorable_Code_Point (PropList.txt), less a few Cf and white space refused anyway.
# The last two are not categories Python tells; their ranges, from Unicode 15.1's PropList.txt:
_IGNORABLE_RANGES = (
    # Other_Default_Ignorable_Code_Point: combining grapheme joiner, Hangul fillers, Khmer
    # inherent vowels, an unassigned invisible operator, halfwidth Hangul filler, reserved ones.
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x2065, 0x2065),
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0000),
    (0xE0002, 0xE001F),
    (0xE0080, 0xE00FF),
    (0xE01F0, 0xE0FFF),
    # Variation_Selector: Mongolian free variation selectors, VS1-16 and VS17-256.
    (0x180B, 0x180D),
    (0x180F, 0x180F),
    (0xFE00, 0xFE0F),
    (0xE0100, 0xE01EF),
)


def default_ignorable(char: str) -> bool:
    """Unicode's Default_Ignorable_Code_Point: shown as nothing where not supported."""
    point = ord(char)
    return unicodedata.category(char) == "Cf" or any(low <= point <= high for low, high in _IGNORABLE_RANGES)


def _unseen(char: str) -> bool:
    return (
        char.isspace()
        or unicodedata.category(char) in _UNSEEN_CATEGORIES
        or default_ignorable(char)
        or char in BLANK_DRAWN  # drawn as a blank, neither Cf nor default-ignorable
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    return _origin_of(urlsplit(url))


def _origin_of(parts: SplitResult) -> tuple[str, str, int | None]:
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower().rstrip("."), port or {"http": 80, "https": 443}.get(scheme)


def _plain_host(host: str) -> bool:
    """An ASCII name of ordinary labels (or a literal address): nothing that renders like another
    host (Unicode confusables, mixed scripts, punycode)."""
    if literal_address(host) is not None:
        return True
    if not host.isascii():
        return False
    labels = host.lower().split(".")
    return all(_LABEL.fullmatch(label) and not label.startswith("xn--") for label in labels)


__all__ = [
    "LinkPolicy",
    "Refusal",
    "UnsafeLinkError",
    "dressed_as_ours",
    "embedded_address",
    "is_local",
    "literal_address",
    "local_kind",
]


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1 (brackets allowed): names no other machine can reach."""
    name = host.strip().lower().removeprefix("[").removesuffix("]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
