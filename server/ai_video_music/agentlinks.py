"""Links in the agent's own words, judged by the one link rule before the assistant reads them.

The agent's text reaches the assistant fenced as NemoVideo's words, but a client that renders
the assistant's markdown, or an assistant that relays "Download your video", turns a link in it
into a click or a fetch. So every URL-like token of it goes through the rule every other link
from the backend meets (:class:`links.LinkPolicy`: https only, no credentials, nothing local
(a host that carries a local address, ``127.0.0.1.nip.io``, ``7f000001.nip.io``, is local), no
look-alike, no host dressed as NemoVideo's own). A refused link becomes a marker in the user's
language. Every form a renderer or a browser opens is judged as the link it opens: any scheme
with or without ``//`` (a reference definition ``[v]: http:127.0.0.1:8080/x`` is
http://127.0.0.1:8080/x), a scheme-relative ``//host`` or ``\\\\host``, a bare ``www.`` host, a
colon written ``\\:`` or ``&#58;``. A markdown image (``![…](…)``, ``<img``), which loads on
render and so reports back to whoever wrote it, becomes a plain label.

The rule is bound to the production backend (as :func:`client.check_upload_url` is): a link in
text is for a person's browser, where the configured backend's loopback address means nothing.
"""

from __future__ import annotations

import functools
import re

from . import sanitize
from .config import PRODUCTION_API_BASE
from .links import LinkPolicy, UnsafeLinkError
from .messages import Lang, t

_POLICY = LinkPolicy(PRODUCTION_API_BASE)
# Schemes that run or embed where they stand: judged as written, never as an https host.
_RUNNING = frozenset(("javascript", "vbscript", "data", "file", "blob", "about", "filesystem"))
# Schemes whose link a browser reads a host from after the colon, "//" or not ("http:127.0.0.1",
# "https:/\\127.0.0.1/x" are http://127.0.0.1 in a reference definition on an https page).
_NETWORK = frozenset(("http", "https", "ws", "wss", "ftp"))
# Every alternative is linear in the text: each starts only where the one before could not have
# gone on (its look-behind), reads a bounded scheme or a run of the characters it stops at, and
# never needs a later character to end ("mailto:" waiting for an "@" to the end of the text, from
# every "mailto:", was quadratic: 80,000 characters 1.5 s).
_TOKEN = re.compile(
    # (Every alternative starts with a letter, a digit or a slash: other places are passed at once.)
    # The schemes that run or embed, to the next blank ("<" belongs to them).
    r"(?i)(?=[\w/\\[])(?<![\w.+-])(?:(?:" + "|".join(sorted(_RUNNING)) + r"):\S*"
    # Any other scheme and what follows it, with or without "//" ("mailto:", "vscode:", "http:host"):
    # a reference definition makes a link of any of them. One letter only with "//": "C:\\photos"
    # is a drive.
    r"|[a-z](?:[a-z0-9+.-]{1,31}:|:(?=[/\\]{2}))[^\s<>\"'`]+"
    # Forms a markdown or HTML reader also opens: a scheme-relative target (a reference definition
    # "[v]: //127.0.0.1/x", an href="//…", "\\\\127.0.0.1" where a backslash is a slash) and a bare
    # www. host (GFM autolinks it). Judged as the https link a browser makes of them.
    r"|(?<![\w:/\\])[/\\]{2}[^\s<>\"'`/\\][^\s<>\"'`]*"
    r"|(?<![\w./@:-])www\.[^\s<>\"'`]+"
    # A bare host with a path ("nemovide0.com/download/v.mp4"): linkified by chat renderers.
    # ASCII: also without a path ("nemovide0.com"); any script only with one ("nеmovideo.com/v"),
    # so a file name ("海滩.jpg") is never taken for a host.
    r"|(?<![\w./@:-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,24}|xn--[a-z0-9-]+)"
    r"(?=[/?#:]|\s|$)[^\s<>\"'`]*"
    r"|(?<![\w./@:-])[^\W_][\w-]*(?:\.[\w-]+)*\.(?:[^\W\d_]{2,24}|xn--[\w-]+)[/?#:][^\s<>\"'`]*"
    # A bare address with a port or a path ("127.0.0.1:8080/v.mp4", "[::1]:8080/x"): chat
    # renderers and models open it as a link. Without one it is a number ("1.2.3.4"), left as is.
    r"|(?<![\w./@:-])\d{1,3}(?:\.\d{1,3}){3}(?=[/:?#])[^\s<>\"'`]*"
    r"|(?<![\w./@:-])\[[0-9a-f:.]{2,45}\](?=[/:?#])[^\s<>\"'`]*)"
)
# Full-width letters, digits and "./:" a reader takes for ASCII ("ｈｔｔｐｓ：／／127.0.0.1"): links are
# looked for in a copy with them folded, one character for one, so the text stays as written.
_FULL_WIDTH = re.compile("[\uff0e\uff0f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|\uff1a(?=[/\uff0f]{2})")
# A colon or slash written so that a renderer or a browser reads one: a CommonMark backslash
# escape ("http\://…") or an HTML entity (href="http&#58;//…").
_DISGUISED = {
    ":": re.compile(r"(?i)\\:|&(?:colon|#0*58|#x0*3a);?"),
    "/": re.compile(r"(?i)\\/|&(?:sol|#0*47|#x0*2f);?"),
}
# A markdown link or image, [label](target "title"): its label can claim any target ("Download your
# video"), so it is unwrapped to "label (target)", and an image (which loads on render) to a label.
# The label holds no "[" (the innermost brackets are the link's): each "[" is read up to the next.
_MARKDOWN = re.compile(
    r"(!?)\[([^\[\]\n]{0,300})\]\(\s*<?([^\s<>()]*(?:\([^\s()]*\)[^\s<>()]*)*)>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
_IMAGE = re.compile(r"!\[|<\s*img\b", re.IGNORECASE)  # what is left of images: reference style, HTML
_TRAILING = ".,;:!?'\")]}>*_~"
# A scheme link inside another token's text, to the next character a linkifier may stop at.
_INNER = re.compile(r"(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,31}:[/\\]{2}[^\s<>\"'`,;|]*")
MAX_URL_CHARS = 2048  # the longest link judged; a longer one is refused whole
# The most different links judged in one text; any further one is refused by its scheme unread. A
# reply names a few links; judging one costs some microseconds, so 20,000 characters of distinct
# short host names ("a1.co a2.co …") cost 25 times an honest text without this bound.
MAX_LINKS = 50


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


def opened(url: str) -> str:
    """The link a browser opens for a token of the text, to be judged: a scheme-relative or bare
    host as https, "http:host" and backslashes as a browser reads them, a mail link as the domain
    a person reads; any other scheme as written (the rule refuses it)."""
    if url[:2] in ("//", "\\\\", "/\\", "\\/"):
        return "https://" + url[2:].replace("\\", "/")
    if url[:1] == "[":  # a bare IPv6 address
        return "https://" + url
    scheme, colon, rest = url.partition(":")
    scheme = scheme.lower()
    if not colon or "." in scheme:
        return "https://" + url  # a www. host or a bare host, with a port ("host.example:8080/x") or not
    if scheme == "mailto" and "@" in rest:
        return "https://" + rest.rsplit("@", 1)[-1]
    if scheme in _NETWORK:
        return scheme + "://" + rest.replace("\\", "/").lstrip("/")
    return url  # a running scheme, one that opens an app, or a mail link without an address


@functools.lru_cache(maxsize=4096)
def refused(url: str) -> str | None:
    """Why ``url`` may not stand in the text (the host or scheme to name), or None if it may.
    Remembered: a text that repeats one link thousands of times judges it once."""
    try:
        _POLICY.check(url)
    except UnsafeLinkError as err:
        return err.host or url.split(":", 1)[0].lower() + ":"
    return None


def checked_words(words: str, lang: Lang | None, entities: bool = True) -> str:
    """The agent's text with every refused link replaced by a marker, markdown links shown with
    their target, images made labels, HTML entities read as a browser reads them, and no HTML tag
    left to form ("<" shown as "‹": a renderer would load <video src>, <iframe>, <a href="/\\host">).
    ``lang`` None: a name's marker, in both languages. ``entities`` False: already read (a name
    through :func:`sanitize.shown`, which reads them before its checks: reading them again here
    would undo those)."""

    judged: set[str] = set()

    def link(found: re.Match[str]) -> str:
        token = found.group(0)  # as folded: judged so
        written = words[found.start() : found.end()]  # as written: kept so
        url = _trim(token)
        target = opened(url)
        # No real download or page link is this long, nor does a reply hold this many: judging
        # costs in proportion, so past either bound a link is refused by its scheme unparsed.
        if len(url) > MAX_URL_CHARS or (target not in judged and len(judged) >= MAX_LINKS):
            why: str | None = target.split(":", 1)[0].lower() + ":"
        else:
            judged.add(target)
            why = refused(target)
            # A link inside an accepted one ("https://ok.example/,https://127.0.0.1/"): a
            # linkifier that splits at the comma opens the second; judged too (a few at most).
            for inner in _INNER.findall(url, 1)[:3] if why is None else ():
                why = refused(opened(_trim(inner))) or why
        return written if why is None else _removed(why, lang) + written[len(url) :]

    def unwrap(found: re.Match[str]) -> str:
        image, label, target = found.groups()
        if target.startswith("//"):  # no scheme: the https link a browser would open
            why = refused("https:" + target)
            target = target if why is None else _removed(why, lang)
        if image:
            label = f"[image / 图片: {label}]" if lang is None else t("agent.image", lang, alt=label)
        return f"{label} ({target})" if target else label

    if entities and "&" in words:
        # "&#106;avascript:", "java&#9;script:", "&amp;#97;ssistant": as a browser reads them
        words = sanitize.read_entities(words)
    for char, disguised in _DISGUISED.items():
        if "\\" in words or "&" in words:
            words = disguised.sub(char, words)
    words = _MARKDOWN.sub(unwrap, words)
    words = _IMAGE.sub("[", words)
    folded = (
        _FULL_WIDTH.sub(lambda m: chr(ord(m.group(0)) - 0xFEE0), words)
        if _FULL_WIDTH.search(words)
        else words
    )
    out, pos = [], 0
    for found in _TOKEN.finditer(folded):
        out += [words[pos : found.start()], link(found)]
        pos = found.end()
    return ("".join(out) + words[pos:]).replace("<", "‹")


# Nothing of the marker's own brackets or quotes in the host it names.
_NAMED = re.compile(r"[\s\[\]()<>\"'`“”「」]")


def defanged(host: str) -> str:
    """A refused host or scheme written so no renderer links it again ("nemovide0[.]com")."""
    return _NAMED.sub("", host)[:60].replace(".", "[.]").replace(":", "[:]")


@functools.lru_cache(maxsize=256)
def _removed(why: str, lang: Lang | None) -> str:
    before, after = _marker(lang)
    return before + defanged(why) + after


@functools.lru_cache(maxsize=4)
def _marker(lang: Lang | None) -> tuple[str, str]:
    """The marker's words around the host, rendered once per language (a text of thousands of
    refused links pays a concatenation for each, not a message rendering)."""
    if lang is None:
        return "[link removed / 链接已移除: ", "]"
    before, _, after = t("agent.link_removed", lang, host="\x00").partition("\x00")
    return before, after


sanitize.set_link_check(lambda text: checked_words(text, None, entities=False))
