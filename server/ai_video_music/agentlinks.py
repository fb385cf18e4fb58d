"""Links in the agent's own words, judged by the one link rule before the assistant reads them.

The agent's text reaches the assistant fenced as NemoVideo's words, but a client that renders
the assistant's markdown, or an assistant that relays "Download your video", turns a link in it
into a click or a fetch. So every URL-like token of it goes through the rule every other link
from the backend meets (:class:`links.LinkPolicy`: https only, no credentials, nothing local,
no Unicode look-alike), plus one rule for words a person reads: no host dressed as NemoVideo's
own (``nemovideo.com.evil.example``, ``nemovide0.com``). A refused link becomes a marker in the
user's language (a scheme-relative ``//host``, a bare ``www.`` host and a colon written
``\\:`` or ``&#58;`` are judged as the link a renderer makes of them; a host that carries a
local address, ``127.0.0.1.nip.io``, is local); a markdown image (``![…](…)``, ``<img``),
which loads on render and so reports back to whoever wrote it, becomes a plain label.

The rule is bound to the production backend (as :func:`client.check_upload_url` is): a link in
text is for a person's browser, where the configured backend's loopback address means nothing.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from . import sanitize
from .config import DEFAULT_WEB_URL, PRODUCTION_API_BASE
from .links import LinkPolicy, UnsafeLinkError
from .messages import Lang, t

_POLICY = LinkPolicy(PRODUCTION_API_BASE)
# Schemes that run or embed where they stand: judged as written, never as an https host.
_RUNNING = frozenset(("javascript", "vbscript", "data", "file", "blob", "about", "filesystem"))
# The schemes that run or embed (to the next blank: "<" belongs to them), then any scheme with //.
_TOKEN = re.compile(
    r"(?i)(?<![\w.+-])(?:(?:" + "|".join(sorted(_RUNNING)) + r"):\S*"
    r"|[a-z][a-z0-9+.-]{0,30}://[^\s<>\"'`]*"
    # Forms a markdown or HTML reader also opens: a scheme-relative target (a reference definition
    # "[v]: //127.0.0.1/x", an href="//…") and a bare www. host (GFM autolinks it). Judged as the
    # https link a browser makes of them.
    r"|(?<![\w:/\\])//[^\s<>\"'`/][^\s<>\"'`]*"
    r"|(?<![\w./@:-])www\.[^\s<>\"'`]+"
    # A bare host with a path ("nemovide0.com/download/v.mp4"): linkified by chat renderers.
    # ASCII: also without a path ("nemovide0.com"); any script only with one ("nеmovideo.com/v"),
    # so a file name ("海滩.jpg") is never taken for a host.
    r"|(?<![\w./@:-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,24}|xn--[a-z0-9-]+)"
    r"(?=[/?#:]|\s|$)[^\s<>\"'`]*"
    r"|(?<![\w./@:-])[^\W_][\w-]*(?:\.[\w-]+)*\.(?:[^\W\d_]{2,24}|xn--[\w-]+)[/?#:][^\s<>\"'`]*"
    r"|(?i:mailto):[^\s<>\"'`@]+@[^\s<>\"'`]+)"
)
# A colon or slash written so that a renderer or a browser reads one: a CommonMark backslash
# escape ("http\://…") or an HTML entity (href="http&#58;//…").
_DISGUISED = {
    ":": re.compile(r"(?i)\\:|&(?:colon|#0*58|#x0*3a);?"),
    "/": re.compile(r"(?i)\\/|&(?:sol|#0*47|#x0*2f);?"),
}
# A markdown link or image, [label](target "title"): its label can claim any target ("Download your
# video"), so it is unwrapped to "label (target)", and an image (which loads on render) to a label.
_MARKDOWN = re.compile(
    r"(!?)\[([^\]\n]{0,300})\]\(\s*<?([^\s<>()]*(?:\([^\s()]*\)[^\s<>()]*)*)>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
_IMAGE = re.compile(r"!\[|<\s*img\b", re.IGNORECASE)  # what is left of images: reference style, HTML
_TRAILING = ".,;:!?'\")]}>*_~"
MAX_URL_CHARS = 2048  # the longest link judged; a longer one is refused whole
# Digits and letter pairs that read as the letters of a name.
_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "_": "", "-": ""})


# A name that carries a local address for a wildcard DNS service to answer with
# ("www.127.0.0.1.nip.io", "10-0-0-1.sslip.io"): loopback or private in a browser all the same.
_LOCAL_INSIDE = re.compile(
    r"(?:^|[.-])(?:(?:127|10|0)(?:[.-]\d{1,3}){3}"
    r"|(?:169[.-]254|192[.-]168|172[.-](?:1[6-9]|2\d|3[01]))(?:[.-]\d{1,3}){2})(?:[.-]|$)"
)


def _registrable(url: str) -> str:
    return ".".join((urlsplit(url).hostname or "").lower().split(".")[-2:])


_GENUINE = frozenset({_registrable(DEFAULT_WEB_URL), _registrable(PRODUCTION_API_BASE)})
_BRANDS = frozenset(domain.split(".")[0] for domain in _GENUINE)


def _near(a: str, b: str) -> bool:
    """Within a quarter of ``b``'s letters (at least one) of edits: a letter added, dropped or
    changed, or two neighbours swapped ("nemovidoe"), each one edit (optimal string alignment)."""
    most = max(1, len(b) // 4)
    if abs(len(a) - len(b)) > most:
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
    """A host that reads as NemoVideo's without being on its domains."""
    host = host.lower().rstrip(".")
    if any(host == d or host.endswith("." + d) for d in _GENUINE):
        return False
    labels = [label.translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w") for label in host.split(".")]
    # The name read across its dots too ("nemo.video", "nemo.vid.eo"), the leading "www" aside.
    joined = "".join(labels[1:] if labels[0] == "www" else labels)
    return any(brand in label or _near(label, brand) for label in [*labels, joined] for brand in _BRANDS)


def _trim(token: str) -> str:
    """A URL without the punctuation that ends the sentence or the markdown around it.

    One pass: the parentheses are counted once and the count follows each ")" stripped, so a
    backend's "http://x" + 20,000 ")" costs as much as any text of its length (recounting per
    step was quadratic, seconds on the event loop)."""
    opened, closed = token.count("("), token.count(")")
    end = len(token)
    while end and token[end - 1] in _TRAILING:
        if token[end - 1] == ")":
            if opened >= closed:
                break  # a parenthesis of the URL's own (…/Foo_(bar))
            closed -= 1
        end -= 1
    return token[:end]


def refused(url: str) -> str | None:
    """Why ``url`` may not stand in the text (the host or scheme to name), or None if it may."""
    try:
        checked = _POLICY.check(url)
    except UnsafeLinkError as err:
        return err.host or url.split(":", 1)[0].lower() + ":"
    host = urlsplit(checked).hostname or ""
    return host if dressed_as_ours(host) or _LOCAL_INSIDE.search(host) else None


def checked_words(words: str, lang: Lang | None, entities: bool = True) -> str:
    """The agent's text with every refused link replaced by a marker, markdown links shown with
    their target, images made labels, HTML entities read as a browser reads them, and no HTML tag
    left to form ("<" shown as "‹": a renderer would load <video src>, <iframe>, <a href="/\\host">).
    ``lang`` None: a name's marker, in both languages. ``entities`` False: already read (a name
    through :func:`sanitize.shown`, which reads them before its checks: reading them again here
    would undo those)."""

    def link(found: re.Match[str]) -> str:
        token = found.group(0)
        url = _trim(token)
        if url.startswith("//"):
            judged = "https:" + url
        elif url[:7].lower() == "mailto:":
            judged = "https://" + url.rsplit("@", 1)[-1]  # the mail's domain, as a person reads it
        elif "://" in url or url.split(":", 1)[0].lower() in _RUNNING:
            judged = url
        else:
            judged = "https://" + url  # a www. host or a bare host with a path
        # No real download or page link is this long; judging one costs in proportion, so past
        # the cap it is refused by its scheme without being parsed.
        why = url.split(":", 1)[0].lower() + ":" if len(url) > MAX_URL_CHARS else refused(judged)
        return token if why is None else _removed(why, lang) + token[len(url) :]

    def unwrap(found: re.Match[str]) -> str:
        image, label, target = found.groups()
        if target.startswith("//"):  # no scheme: the https link a browser would open
            why = refused("https:" + target)
            target = target if why is None else _removed(why, lang)
        if image:
            label = f"[image / 图片: {label}]" if lang is None else t("agent.image", lang, alt=label)
        return f"{label} ({target})" if target else label

    if entities and "&" in words:
        words = html.unescape(words)  # "&#106;avascript:", "java&#9;script:": as a browser reads them
    for char, disguised in _DISGUISED.items():
        if "\\" in words or "&" in words:
            words = disguised.sub(char, words)
    words = _MARKDOWN.sub(unwrap, words)
    words = _IMAGE.sub("[", words)
    return _TOKEN.sub(link, words).replace("<", "‹")


# Nothing of the marker's own brackets or quotes in the host it names.
_NAMED = re.compile(r"[\s\[\]()<>\"'`“”「」]")


def defanged(host: str) -> str:
    """A refused host or scheme written so no renderer links it again ("nemovide0[.]com")."""
    return _NAMED.sub("", host)[:60].replace(".", "[.]").replace(":", "[:]")


def _removed(why: str, lang: Lang | None) -> str:
    host = defanged(why)
    if lang is None:
        return f"[link removed / 链接已移除: {host}]"
    return t("agent.link_removed", lang, host=host)


sanitize.set_link_check(lambda text: checked_words(text, None, entities=False))
