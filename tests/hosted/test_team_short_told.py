"""A23-5: while the team's NemoVideo account is short, a member is told only what it can pay (a
new video, an edit, nothing), never a figure that falls a step with each colleague's request.
No database: ``TeamClient.credits`` with its ledger and the team's balance stubbed."""

from __future__ import annotations

import anyio

from ai_video_music.hosted.team import TeamClient
from ai_video_music.quota import Quota, quota_text


class _Ledger:
    limit, days = 300, 30

    async def quota(self, user_id: str) -> Quota:
        return Quota(300.0, 30, 0.0, 0)  # this member used nothing: 300 left


def _member(balances: list[float]) -> TeamClient:
    client = object.__new__(TeamClient)
    client.ledger = _Ledger()  # type: ignore[assignment]
    client.user_id = "carol"
    told = iter(balances)

    async def team_balance() -> float | None:
        return next(told)

    client._team_balance = team_balance  # type: ignore[method-assign]
    return client


def _reads(balances: list[float]) -> list[tuple[float, str, str]]:
    client = _member(balances)

    async def read() -> list[tuple[float, str, str]]:
        seen = []
        for _ in balances:
            available = (await client.credits()).available
            seen.append((available, quota_text(client.quota, "en"), quota_text(client.quota, "zh")))
        return seen

    return anyio.run(read)


def test_a_member_does_not_watch_the_team_balance_fall_with_colleagues_use() -> None:
    # Colleagues spend an edit, a generation, an edit; carol spends nothing.
    seen = _reads([290.0, 240.0, 140.0, 90.0])
    assert set(seen[:3]) == {seen[0]}, seen  # the same answer while a generation is payable
    assert seen[0][0] == 100 and "a new video" in seen[0][1] and "生成新视频" in seen[0][2]
    assert seen[3][0] == 50 and "an edit now, not for a new video" in seen[3][1]
    for _, en, zh in seen:
        for figure in ("290", "240", "140", "90", "250", "200"):
            assert figure not in en and figure not in zh, (en, zh)


def test_a_member_is_told_when_the_team_account_can_pay_nothing() -> None:
    [(available, en, zh)] = _reads([49.0])
    assert available == 0
    assert "can't pay for any request" in en and "top it up" in en
    assert "付不起任何请求" in zh and "49" not in en + zh
