"""The client of a free (anonymous) account started on the sign-in page ("Start free")."""

from __future__ import annotations

from urllib.parse import quote

from ..client import NemoClient
from ..config import Settings


class FreeClient(NemoClient):
    """A free (anonymous) account started on the sign-in page: its token is stored like a pasted
    one, but more credits come from registering it (the link binds its anonymous user id)."""

    def __init__(self, settings: Settings, nemo_user_id: str | None) -> None:
        super().__init__(settings)
        self.nemo_user_id = nemo_user_id

    @property
    def anonymous(self) -> bool:
        return True

    def registration_link(self) -> str:
        base = f"{self.settings.web_url}/register"
        return f"{base}?bind={quote(self.nemo_user_id, safe='')}" if self.nemo_user_id else base
