"""A team member's credit quota (hosted mode, the operator's team token): what they may spend in
a rolling window, what they spent, and how it is told.

The backend knows only the team's balance; the quota is ours. The client of a team member
(``hosted/team.py``) reports the quota left as the balance, so the cost gate before a request
and the cost record after it work as with a person's own balance; this module says it in words.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .messages import Lang, join_sentences, t


@dataclass(frozen=True)
class Quota:
    """One member's quota as last read."""

    limit: float  # credits per window
    days: int  # the rolling window
    used: float  # charged in the window, with requests still running counted at their reservation
    running: int  # requests still running (counted at their reservation)
    back_at: float | None = None  # epoch when the oldest charge in the window stops counting
    # The team's NemoVideo account holds less than this quota has left: it, not the quota, is the
    # limit, and neither waiting nor a larger quota helps (only the team's owner topping it up).
    team_short: bool = False
    # While ``team_short``: what the team's account can pay ("generation", "edit" or "nothing"),
    # never its figure (a member would watch colleagues' use in it).
    team_can: str = "nothing"

    @property
    def left(self) -> float:
        return max(0.0, self.limit - self.used)


def _when(epoch: float | None, lang: Lang) -> str:
    if epoch is None:
        return t("quota.back.none", lang)
    return t("quota.back.at", lang, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch)))


def quota_text(q: Quota, lang: Lang) -> str:
    """The member's own quota and use: never the team's balance or another member's."""
    key = "quota.text.team_short" if q.team_short else "quota.text"  # no "left" the team can't pay
    text = t(key, lang, limit=f"{q.limit:g}", days=q.days, used=f"{q.used:g}", left=f"{q.left:g}")
    if q.running:
        text = join_sentences([text, t("quota.running", lang, n=q.running)], lang)
    if q.team_short:
        text = join_sentences(
            [text, t(f"quota.team_can.{q.team_can}", lang), t("quota.team_short", lang)], lang
        )
    return text


def quota_more(q: Quota, lang: Lang) -> str:
    """The way forward when too little is left: wait for the quota to come back, or ask the
    operator for a larger one; when the team's account is what is short, its owner tops it up."""
    if q.team_short:
        return t("quota.team_short", lang)
    return t("quota.more", lang, days=q.days, back=_when(q.back_at, lang))
