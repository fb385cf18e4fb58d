"""What we accept of a client's description of itself, registered (RFC 7591) or published (a
client ID metadata document): anyone on the internet writes it, and parts of it are shown on the
sign-in page or stored for as long as the client is known.

- Redirect URIs carry no user-info: ``https://claude.ai@evil.example/cb`` returns the browser to
  evil.example while reading like claude.ai.
- Redirect URIs are of the three kinds OAuth 2.1 and RFC 8252 know, each of which the sign-in page
  can name to the user: ``https`` (web apps: claude.ai and ChatGPT use it), ``http`` to a loopback
  address (an app on the user's own machine, RFC 8252 §7.3) and a private-use scheme in reverse
  domain order with a dot (``com.example.app:/cb``, an installed app, RFC 8252 §7.1). Anything
  else is refused: ``javascript:``, ``data:``, ``file:``, ``vbscript:``, ``about:``, ``blob:``
  run or show something in the browser instead of returning to an app, and a bare scheme
  (``myapp:``) names no one the user could check. A private-use scheme is anyone's to claim on
  a device, so the page says plainly which app it returns to.
- Every field has a length, and the whole a size, no honest client comes near: registration
  needs no sign-in, so each one is a row anybody can make.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Literal
from urllib.parse import urlsplit

from mcp.shared.auth import OAuthClientInformationFull

MAX_REDIRECT_URIS = 10
MAX_URI = 2000
MAX_NAME = 200  # client_name, software_id, software_version
MAX_CONTACTS = 10
MAX_TOTAL = 8 * 1024  # the whole description, as stored

Problem = tuple[Literal["invalid_redirect_uri", "invalid_client_metadata"], str]


def has_userinfo(uri: str) -> bool:
    """A user name or password before the host (``https://claude.ai@evil.example/``)."""
    return "@" in urlsplit(uri).netloc


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
# A private-use scheme (RFC 8252 §7.1): a domain name in reverse order, so at least one dot.
PRIVATE_USE_SCHEME = re.compile(r"[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+")


class Destination(enum.Enum):
    WEB = "web"  # an https site, or an app listening on the user's own machine
    APP = "app"  # an installed app, by its private-use scheme


def shown_host(uri: str) -> str:
    """Where a URI really leads, for people: ``hostname[:port]``, never its user-info, a long
    name cut at its start (``shortened``)."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else shortened(host, keep_end=True)
    try:
        port = parts.port
    except ValueError:
        port = None
    return shown + (f":{port}" if port is not None else "")


SHOWN_MAX = 80  # characters of a host or an app's scheme on the sign-in page, about
MAX_HOST = 253  # DNS: a name's length, and a label's
MAX_LABEL = 63


def shortened(name: str, keep_end: bool) -> str:
    """``name`` (labels between dots) cut to about ``SHOWN_MAX`` characters in whole labels, on the
    side that doesn't decide where it leads, the cut said with "…": a host keeps its last labels
    (its registrable domain: ``claude.ai.<padding>.evil.example`` shows as ``….evil.example``), an
    app's scheme in reverse domain order its first. The deciding two labels are always kept."""
    if len(name) <= SHOWN_MAX:
        return name
    labels = name.split(".")
    ordered = labels[::-1] if keep_end else labels
    kept = ordered[:2]
    for label in ordered[2:]:
        if len(".".join([*kept, label])) + 2 > SHOWN_MAX:
            break
        kept.append(label)
    if len(kept) == len(labels):
        return name
    return "…." + ".".join(kept[::-1]) if keep_end else ".".join(kept) + ".…"


def too_long_name(name: str) -> bool:
    """Longer than DNS allows a name, or one of its labels."""
    return len(name) > MAX_HOST or any(len(label) > MAX_LABEL for label in name.split("."))


def destination(uri: str) -> tuple[Destination, str] | None:
    """What a redirect URI returns the browser to, for the sign-in page: a site's host or an
    app's scheme; None for a URI of no kind we accept."""
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return Destination.WEB, shown_host(uri)
    if scheme == "http" and (parts.hostname or "").lower() in LOOPBACK_HOSTS:
        return Destination.WEB, shown_host(uri)
    if PRIVATE_USE_SCHEME.fullmatch(scheme):
        return Destination.APP, shortened(scheme, keep_end=False)
    return None


def problem(client: OAuthClientInformationFull) -> Problem | None:
    """Why we refuse this client's description, or None if we accept it."""
    uris = [str(u) for u in client.redirect_uris or []]
    if len(uris) > MAX_REDIRECT_URIS:
        return "invalid_redirect_uri", f"at most {MAX_REDIRECT_URIS} redirect_uris"
    for uri in uris:
        if len(uri) > MAX_URI:
            return "invalid_redirect_uri", f"a redirect_uri is longer than {MAX_URI} characters"
        if has_userinfo(uri):
            return "invalid_redirect_uri", "a redirect_uri must not contain a user name or password"
        if too_long_name(urlsplit(uri).hostname or urlsplit(uri).scheme):
            return "invalid_redirect_uri", (
                f"a redirect_uri's host or scheme is longer than {MAX_HOST} characters"
                f" or has a label longer than {MAX_LABEL}"
            )
        if destination(uri) is None:
            return "invalid_redirect_uri", (
                "a redirect_uri must be https, http to a loopback address, or a private-use scheme"
                " in reverse domain order (RFC 8252 §7.1)"
            )
    for name in ("client_name", "software_id", "software_version", "scope"):
        value = getattr(client, name)
        if value is not None and len(str(value)) > MAX_NAME:
            return "invalid_client_metadata", f"{name} is longer than {MAX_NAME} characters"
    for name in ("client_uri", "logo_uri", "tos_uri", "policy_uri", "jwks_uri"):
        value = getattr(client, name)
        if value is not None and len(str(value)) > MAX_URI:
            return "invalid_client_metadata", f"{name} is longer than {MAX_URI} characters"
    if client.contacts is not None and (
        len(client.contacts) > MAX_CONTACTS or any(len(c) > MAX_NAME for c in client.contacts)
    ):
        return "invalid_client_metadata", f"at most {MAX_CONTACTS} contacts of {MAX_NAME} characters"
    stored = json.dumps(client.model_dump(mode="json", exclude={"client_secret"}))
    if len(stored.encode()) > MAX_TOTAL:
        return "invalid_client_metadata", f"the client metadata is larger than {MAX_TOTAL} bytes"
    return None
