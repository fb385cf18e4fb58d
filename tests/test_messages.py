"""Every sentence the server writes exists in English and Chinese, and errors are built complete."""

from __future__ import annotations

import string

import pytest

from ai_video_music import errors
from ai_video_music.errors import (
    ApiError,
    BadResponseError,
    Caller,
    ExportBlockedError,
    FileTooLargeError,
    MissingClientIdError,
    NemoError,
    OutOfCreditsError,
    RateLimitedError,
    ServerError,
    SessionNotFoundError,
    TokenInvalidError,
    UnsupportedFileTypeError,
    Wait,
    error_for,
)
from ai_video_music.messages import CATALOGUE, Lang, detect_language, locale_language, parse_language, t

_CJK = set(range(0x3400, 0xA000))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    en, zh = CATALOGUE[key]
    assert en.strip() or key.endswith(".sep")
    assert _fields(en) == _fields(zh), key
    words = "".join(literal for literal, *_ in string.Formatter().parse(en))
    if sum(c.isalpha() for c in words) > 2:  # a sentence, not a format like "{name} ({span})"
        assert any(ord(c) in _CJK for c in zh), f"{key} has no Chinese text"


def _error_classes() -> list[type[NemoError]]:
    return [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, NemoError)]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_error_class_has_a_message_and_a_remedy_in_both_languages(cls: type[NemoError]) -> None:
    assert cls.key in CATALOGUE
    assert cls.key + ".remedy" in CATALOGUE or cls.remedy_key in CATALOGUE


def test_an_error_renders_in_the_users_language_with_its_remedy() -> None:
    err = UnsupportedFileTypeError("input.type", name="notes.txt", ext="txt")
    assert "notes.txt" in err.render("en") and "Accepted formats" in err.render("en")
    assert "notes.txt" in err.render("zh") and "支持的格式" in err.render("zh")
    assert str(err) == err.render("en")


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (401, None, TokenInvalidError),
        (200, 1001, TokenInvalidError),
        (404, 1002, SessionNotFoundError),
        (403, 2001, OutOfCreditsError),
        (415, 4001, UnsupportedFileTypeError),
        (413, None, FileTooLargeError),
        (402, None, ExportBlockedError),
        (429, None, RateLimitedError),
        (503, None, ServerError),
        (404, None, ApiError),
        (422, 4003, ApiError),
    ],
)
def test_envelope_codes_win_then_http_statuses(status: int, code: int | None, cls: type[NemoError]) -> None:
    assert type(error_for(status=status, code=code)) is cls


def test_a_400_means_a_bad_client_id_only_on_the_free_token_request() -> None:
    assert type(error_for(status=400, code=None, caller=Caller(token_call=True))) is MissingClientIdError
    plain = error_for(status=400, code=None)
    assert type(plain) is ApiError
    assert "free token" not in plain.render("en") and "HTTP 400" in plain.render("en")


def test_out_of_credits_is_built_with_the_registration_link_for_an_anonymous_user() -> None:
    link = "https://nemovideo.com/register?bind=anon_123"
    err = error_for(status=403, code=2001, caller=Caller(register_url=link))
    assert link in err.render("en") and link in err.render("zh")
    registered = error_for(status=403, code=2001)
    assert "register" not in registered.render("en") and "nemovideo.com" in registered.render("en")


def test_the_backends_own_words_are_cleaned_redacted_and_short() -> None:
    err = error_for(
        status=500, code=None, message="boom \x1b[31mred\x1b[0m Bearer nmv_usr_secretsecret " + "x" * 999
    )
    text = err.render("en")
    assert "\x1b" not in text and "nmv_usr_secretsecret" not in text and len(text) < 600


@pytest.mark.parametrize(
    ("seconds", "en", "zh"),
    [(30, "30 seconds", "30 秒"), (300, "about 5 minutes", "约 5 分钟"), (3600, "about an hour", "约一小时")],
)
def test_long_waits_are_said_in_words(seconds: float, en: str, zh: str) -> None:
    assert Wait(seconds).render("en") == en and Wait(seconds).render("zh") == zh
    assert en in RateLimitedError(retry_after=seconds).render("en")


def test_language_detection_and_overrides() -> None:
    assert detect_language("把音乐调小一点") == "zh"
    assert detect_language("make it louder") == "en"
    assert detect_language("/tmp/a.jpg 👍") is None or detect_language("/tmp/a.jpg 👍") == "en"
    assert detect_language("👍 123") is None
    assert (
        parse_language("zh_CN.UTF-8") == "zh"
        and parse_language("en_US") == "en"
        and parse_language("fr") is None
    )
    assert locale_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert locale_language({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"


def test_bad_response_keys_exist() -> None:
    for key in ("error.bad_id", "error.bad_url"):
        assert BadResponseError(key).render("zh")
    assert "8 MB" in BadResponseError("error.too_large", mb=8).render("en")
    assert t("list.sep", "zh") == "、"


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "NemoVideo's web editor is for the team's owner"), ("zh", "网页编辑器只给团队所有者使用")],
)
def test_a_team_member_is_told_the_editor_is_the_team_owners_instead_of_a_link(lang: Lang, said: str) -> None:
    from ai_video_music.outputs import ProjectView, StatusOutput
    from ai_video_music.replies import status_text

    project = ProjectView(id="prj_1", name="Beach", created_at="2026-01-01T00:00:00Z")
    out = StatusOutput(language=lang, reply="", project=project)
    assert said in status_text(out, [], lang, team_member=True)
    assert said not in status_text(out, [], lang)  # without a quota there is simply no link yet
    assert ("quota" if lang == "en" else "额度") in t("export.project_link_team", lang)


@pytest.mark.parametrize(
    ("lang", "ready", "not_said"),
    [
        ("en", "Ready videos (1, newest first), each at its link:", ["No file here", "rendering"]),
        ("zh", "已就绪的视频（1 个，最新在前），各自的链接如下：", ["这里没有文件", "渲染中"]),
    ],
    ids=["en", "zh"],
)
def test_a_hosted_export_verified_at_its_link_is_listed_as_ready_with_that_link(
    lang: Lang, ready: str, not_said: list[str]
) -> None:
    """Round 20 A20-2: hosted mode keeps no file, and status called such an export "No file here
    … rendering 100%" and never gave its link, right after export had said it was ready there."""
    from ai_video_music.outputs import ExportItem, StatusOutput
    from ai_video_music.replies import status_text

    link = "https://cdn.example.com/storage/render_1.mp4?X-Sig=abc"
    export = ExportItem(
        render_id="render_1",
        project_name="Video 1",
        status="downloaded",
        progress=100.0,
        url=link,
        duration_s=5.0,
        width=1920,
        height=1080,
        size_bytes=773076,
        created_at="2026-12-07T17:57:58Z",
        matches_timeline=True,
    )
    said = status_text(StatusOutput(language=lang, reply="", exports=[export], exports_total=1), [], lang)
    assert f"{ready}\n- {link} [Video 1] (" in said, said
    assert "1920x1080" in said, said
    assert not any(words in said for words in not_said), said
