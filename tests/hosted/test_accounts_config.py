"""The accounts settings read from the environment: off by default, checked, secrets never echoed."""

from __future__ import annotations

import pytest

from ai_video_music.hosted.config import HostedConfig, HostedConfigError

BASE = {
    "NEMO_DATABASE_URL": "postgresql://nemo@localhost/nemo",
    "NEMO_PUBLIC_URL": "https://videos.example.com",
    "NEMO_SECRET_KEY": "aG9zdGVkLXRlc3RzLW9ubHkta2V5LTMyLWJ5dGVzISE=",
}


def test_start_free_and_team_are_off_unless_the_operator_turns_them_on() -> None:
    config = HostedConfig.from_env(BASE)
    assert not config.allow_anonymous and not config.team
    assert config.calls_per_minute == 30


def test_the_operator_turns_them_on() -> None:
    config = HostedConfig.from_env(
        BASE
        | {
            "NEMO_ALLOW_ANONYMOUS": "1",
            "NEMO_TEAM_TOKEN": "nmv_team_secret",
            "NEMO_TEAM_QUOTA": "250",
            "NEMO_TEAM_QUOTA_DAYS": "7",
            "NEMO_CALLS_PER_MINUTE": "0",
        }
    )
    assert config.allow_anonymous and config.team
    assert (config.team_quota, config.team_quota_days, config.calls_per_minute) == (250, 7, 0)
    assert "nmv_team_secret" not in repr(config)


@pytest.mark.parametrize(
    ("name", "value"),
    [("NEMO_TEAM_QUOTA", "lots"), ("NEMO_TEAM_QUOTA_DAYS", "0"), ("NEMO_CALLS_PER_MINUTE", "-1")],
)
def test_a_malformed_number_is_refused_with_its_name(name: str, value: str) -> None:
    with pytest.raises(HostedConfigError, match=name):
        HostedConfig.from_env(BASE | {name: value})


def test_a_malformed_team_token_is_refused_without_echoing_it() -> None:
    with pytest.raises(HostedConfigError) as refused:
        HostedConfig.from_env(BASE | {"NEMO_TEAM_TOKEN": "nmv secret with spaces"})
    assert "NEMO_TEAM_TOKEN" in str(refused.value) and "nmv" not in str(refused.value)
