"""One link rule for every URL from the backend and every link the user hands on: hostile forms of
local addresses, schemes, credentials and look-alike hosts are refused; ordinary links pass."""

from __future__ import annotations

import unicodedata

import pytest

from ai_video_music import errors
from ai_video_music.client import check_upload_url
from ai_video_music.links import LinkPolicy, Refusal, UnsafeLinkError, default_ignorable

PRODUCTION = LinkPolicy("https://mega-api-prod.nemovideo.ai")
SIMULATOR = LinkPolicy("http://127.0.0.1:8787")


@pytest.mark.parametrize(
    "url",
    [
        "https://static1.nemovideo.ai/render-result/r.mp4?X-Amz-Signature=abc",
        "https://cdn.example.com:8443/a%20b.mp4",
        "https://mega-api-prod.nemovideo.ai/api/render/proxy/r1/download",
        "https://8.8.8.8/v.mp4",
        "https://[64:ff9b::808:808]/v.mp4",  # through NAT64 to a public address
    ],
)
def test_ordinary_links_pass(url: str) -> None:
    assert PRODUCTION.check(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", Refusal.SCHEME),
        ("data:video/mp4;base64,AAAA", Refusal.SCHEME),
        ("file:///etc/passwd", Refusal.SCHEME),
        ("ftp://example.com/a.mp4", Refusal.SCHEME),
        ("http://cdn.example.com/a.mp4", Refusal.SCHEME),  # clear text
        ("https://user:pw@cdn.example.com/a.mp4", Refusal.CREDENTIALS),
        ("https://localhost/a.mp4", Refusal.LOCAL),
        ("https://LOCALHOST./a.mp4", Refusal.LOCAL),
        ("https://app.localhost/a.mp4", Refusal.LOCAL),
        ("https://127.0.0.1:22/", Refusal.LOCAL),
        ("https://127.1/", Refusal.LOCAL),
        ("https://0x7f.1/", Refusal.LOCAL),
        ("https://0177.0.0.1/", Refusal.LOCAL),
        ("https://2130706433/", Refusal.LOCAL),
        ("https://0/", Refusal.LOCAL),
        ("https://[::1]/", Refusal.LOCAL),
        ("https://[::ffff:127.0.0.1]/", Refusal.LOCAL),
        ("https://[::ffff:a9fe:a9fe]/", Refusal.LOCAL),
        # IPv4 inside IPv6 that a NAT64 gateway (or an old stack) reaches: judged by the IPv4.
        ("https://[64:ff9b::7f00:1]/", Refusal.LOCAL),
        ("https://[64:ff9b::a9fe:a9fe]/", Refusal.LOCAL),
        ("https://[64:ff9b:1::a00:1]/", Refusal.LOCAL),
        ("https://[::127.0.0.1]/", Refusal.LOCAL),
        ("https://[::ffff:0:7f00:1]/", Refusal.LOCAL),
        ("https://[64:ff9b::1:7f00:1]/", Refusal.LOCAL),
        ("https://169.254.169.254/latest/meta-data/", Refusal.LOCAL),
        ("https://metadata.google.internal/computeMetadata/v1/", Refusal.LOCAL),
        ("https://10.0.0.5/a.mp4", Refusal.LOCAL),
        ("https://192.168.1.1/", Refusal.LOCAL),
        ("https://172.16.0.1/", Refusal.LOCAL),
        ("https://[fd00::1]/", Refusal.LOCAL),
        ("https://[fe80::1]/", Refusal.LOCAL),
        ("https://[fec0::1]/", Refusal.LOCAL),  # site-local (attack19 L4)
        ("https://[fec0:0:0:ffff::1]/", Refusal.LOCAL),  # Windows' default DNS server
        ("https://[feff::1]/", Refusal.LOCAL),
        ("https://xn--nemovido-k2a.ai/r.mp4", Refusal.LOOKALIKE),  # punycode
        ("https://nemovidеo.ai/r.mp4", Refusal.LOOKALIKE),  # a Cyrillic е
        ("https://static1.nemovideo.ai\u2024evil.com/r.mp4", Refusal.LOOKALIKE),  # one-dot leader
        ("https://a b.com/", Refusal.MALFORMED),
        ("https://a.com/\x00", Refusal.MALFORMED),
        ("https://a.com:99999/", Refusal.MALFORMED),
        ("", Refusal.MALFORMED),
    ],
)
def test_hostile_links_are_refused_with_their_reason(url: str, reason: Refusal) -> None:
    with pytest.raises(UnsafeLinkError) as info:
        PRODUCTION.check(url)
    assert info.value.reason is reason
    assert PRODUCTION.safe(url) is None and PRODUCTION.origin(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/a\u200b.mp4",  # zero-width space
        "https://cdn.example.com/a.mp4?x=\ufeff1",  # zero-width no-break space (BOM)
        "https://cdn.example.com/photo\u202egpj.exe",  # right-to-left override
        "https://cdn.example.com/a\u2066b\u2069.mp4",  # bidi isolates
        "https://cdn.example.com/a\u00ad.mp4",  # soft hyphen
        "https://cdn.example.com/a\U000e0041.mp4",  # a TAG character
        "https://cdn.example.com/a\u2028.mp4",  # line separator
        "https://cdn.example.com/a\u00a0.mp4",  # no-break space
        "https://cdn.example.com/a\x85.mp4",  # a C1 control (NEL)
        "https://cdn.example.com/a\x9b.mp4",  # a C1 control (CSI)
    ],
)
def test_a_link_with_invisible_characters_is_refused(url: str) -> None:
    """A link that reads differently from where it goes: every Unicode format character (Cf),
    separator and control is refused, from any backend."""
    for policy in (PRODUCTION, SIMULATOR):
        with pytest.raises(UnsafeLinkError) as info:
            policy.check(url)
        assert info.value.reason is Refusal.MALFORMED


@pytest.mark.parametrize(
    "char",
    [
        "\u3164",  # Hangul filler (a letter, Lo)
        "\u115f",  # Hangul choseong filler
        "\uffa0",  # halfwidth Hangul filler
        "\u034f",  # combining grapheme joiner (Mn)
        "\ufe0f",  # variation selector 16 (Mn)
        "\U000e0100",  # variation selector 17
        "\u180b",  # Mongolian free variation selector
        "\u2065",  # unassigned, default-ignorable (Cn)
        "\u17b4",  # Khmer inherent vowel (Mn)
        "\ue000",  # private use (Co)
        "\U000e0fff",  # reserved, default-ignorable
        "\u1160",  # Hangul jungseong filler
        # attack19 L4: drawn as a blank, yet neither Cf nor default-ignorable.
        "\u2800",  # Braille pattern blank
        "\U00016fe4",  # Khitan small script filler (Mn)
        "\U0001d159",  # musical symbol null notehead
    ],
)
def test_a_link_with_a_default_ignorable_or_unknown_character_is_refused(char: str) -> None:
    """attack17 A8: characters Unicode says to render as nothing (Default_Ignorable_Code_Point)
    but not of category Cf passed, and reached files[].url as they were."""
    for policy in (PRODUCTION, SIMULATOR):
        with pytest.raises(UnsafeLinkError) as info:
            policy.check(f"https://cdn.example.com/a{char}b.mp4")
        assert info.value.reason is Refusal.MALFORMED


def test_default_ignorable_is_unicodes_whole_set_around_the_ones_named() -> None:
    """The set is Unicode's property, not a list of the characters an attack used: every format
    character, every variation selector, the whole reserved tag-and-selector plane block."""
    assert all(default_ignorable(chr(c)) for c in range(0xE0000, 0xE1000))
    assert all(default_ignorable(chr(c)) for c in range(0xFE00, 0xFE10))
    assert all(default_ignorable(chr(c)) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf")
    # Neighbours that are seen: Hangul letters beside the fillers, Khmer vowels beside U+17B4/5.
    assert not any(default_ignorable(c) for c in "\u1161\u3165\u17b6\u034e\ufe10éあ")


def test_a_link_with_ordinary_non_ascii_letters_passes() -> None:
    assert (
        PRODUCTION.check("https://cdn.example.com/café/海滩.mp4") == "https://cdn.example.com/café/海滩.mp4"
    )


@pytest.mark.parametrize(
    "host",
    [
        "ip6-localhost",  # ::1 in Debian's and Ubuntu's /etc/hosts
        "ip6-loopback",
        "local.gd",  # public wildcard DNS answering 127.0.0.1
        "app.local.gd",
        "wpad",  # one label: the local network's search domains complete it
        "router",
        "nas",
        "router.lan",
        "printer.home.arpa",
        "db.internal",
        "box.localdomain",
        "printer.local",
        "fritz.box",
        "kubernetes.default.svc",
        "api.default.svc.cluster.local",
        # attack17 A9: the rule's kinds, not just the names the attack used.
        "localhost4.localdomain4",  # 127.0.0.1 in Fedora's, RHEL's and Amazon Linux's /etc/hosts
        "localhost6.localdomain6",  # ::1 there
        "localhost4",
        "app.localhost6",
        "nas.localdomain6",
        "demo.localdev.me",  # a public wildcard to 127.0.0.1 (ingress-nginx's docs)
        "x.fuf.me",
        "traefik.me",  # a public wildcard to 127.0.0.1 (attack19 L4)
        "app.traefik.me",
        "kubernetes.default",  # completed by a pod's search domains: the cluster's API server
        "metrics-server.kube-system",
    ],
)
def test_names_of_this_machine_or_the_local_network_are_refused(host: str) -> None:
    url = f"https://{host}/a.mp4"
    with pytest.raises(UnsafeLinkError) as info:
        PRODUCTION.check(url)
    assert info.value.reason is Refusal.LOCAL
    assert PRODUCTION.safe(url) is None


@pytest.mark.parametrize(
    "host", ["localhost.example.com", "localhosting.com", "localdomain.example.org", "default.example.com"]
)
def test_public_names_that_merely_contain_a_local_word_pass(host: str) -> None:
    url = f"https://{host}/a.mp4"
    assert PRODUCTION.check(url) == url


def test_a_backend_on_a_local_network_name_may_link_there() -> None:
    """As for addresses: a backend on such a name (a compose service) gives links on its network."""
    compose = LinkPolicy("http://nemo-backend:8080")
    assert compose.check("http://storage:9000/r.mp4") == "http://storage:9000/r.mp4"
    assert compose.check("https://minio.internal/r.mp4") == "https://minio.internal/r.mp4"
    with pytest.raises(UnsafeLinkError):
        compose.check("https://ip6-localhost/r.mp4")  # this machine is not the backend's network


def test_a_local_backend_may_use_local_addresses_and_http() -> None:
    """The simulator and the test doubles run on loopback: their links are local too."""
    for url in ("http://127.0.0.1:8787/storage/r.mp4", "http://localhost:9000/a.mp4", "http://[::1]:9/a"):
        assert SIMULATOR.check(url) == url
    with pytest.raises(UnsafeLinkError):
        SIMULATOR.check("http://cdn.example.com/a.mp4")  # still https off this machine
    for url in ("javascript:alert(1)", "https://10.0.0.5/a.mp4", "https://169.254.169.254/"):
        with pytest.raises(UnsafeLinkError):
            SIMULATOR.check(url)  # a loopback backend allows loopback, not the LAN or metadata


def test_a_csp_origin_is_exact() -> None:
    assert PRODUCTION.origin("https://CDN.Example.com:443/a.mp4?s=1") == "https://cdn.example.com"
    assert PRODUCTION.origin("https://cdn.example.com:8443/a.mp4") == "https://cdn.example.com:8443"
    assert PRODUCTION.origin("https://*.example.com/a.mp4") is None


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://169.254.169.254/latest/meta-data/", "input.url_local"),
        ("https://localhost:8080/admin", "input.url_local"),
        ("https://0x7f.1/", "input.url_local"),
        ("https://nemovidеo.ai/a.mp4", "input.url_lookalike"),
        ("javascript:alert(1)", "input.url_scheme"),
        ("https://u:p@example.com/a.mp4", "input.url_credentials"),
    ],
)
def test_upload_links_to_private_or_look_alike_hosts_are_refused_in_words(url: str, key: str) -> None:
    with pytest.raises(errors.InputError) as info:
        check_upload_url(url)
    assert info.value.message_key == key


@pytest.mark.parametrize("address", ["fec0::1", "fec0:0:0:ffff::1", "feff::1"])
def test_a_site_local_address_is_never_connected_to(address: str) -> None:
    """attack19 L4: ipaddress calls fec0::/10 global; the pin's judgement must not."""
    assert not PRODUCTION.address_allowed(address)
    assert PRODUCTION.address_allowed("2606:4700::1111")
