"""The sign-in page (where /authorize sends the browser) and "forget my token".

The user pastes a NemoVideo API token into a form field named ``nemo_token``; it is checked with
NemoVideo before it is stored (encrypted). Forms carry a CSRF token that must match a
``SameSite=Strict`` cookie (double submit), and a cross-site ``Origin`` is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..config import Settings
from ..messages import Lang, parse_language, t
from .accounts import Accounts, TokenCheck, check_nemo_token
from .attempts import SigninLimit
from .config import HostedConfig
from .forms import CSRF_COOKIE, csrf_ok, csrf_token, same_origin
from .oauth import SIGNIN_PATH, PostgresOAuthProvider
from .page import Field, page_language, render

log = logging.getLogger(__name__)

SIGNOUT_PATH = "/signout"
MAX_TOKEN = 4096  # a pasted token; anything longer is not one


@dataclass
class SignIn:
    config: HostedConfig
    settings: Settings
    provider: PostgresOAuthProvider
    accounts: Accounts
    forgotten: Callable[[str], Awaitable[None]]  # tell the MCP side to drop a user's service
    limit: SigninLimit

    @property
    def _secure(self) -> bool:
        return self.config.public_url.startswith("https://")

    def routes(self) -> list[Route]:
        return [
            Route(SIGNIN_PATH, self.signin_page, methods=["GET"]),
            Route(SIGNIN_PATH, self.signin_submit, methods=["POST"]),
            Route(SIGNOUT_PATH, self.signout_page, methods=["GET"]),
            Route(SIGNOUT_PATH, self.signout_submit, methods=["POST"]),
        ]

    # --- CSRF -------------------------------------------------------------------------------

    def _same_origin(self, request: Request) -> bool:
        return same_origin(request, self.config.public_origin)

    @staticmethod
    def _csrf_ok(request: Request, submitted: object) -> bool:
        return csrf_ok(request, submitted)

    def _csrf(self, request: Request) -> str:
        return csrf_token(request)

    # --- sign in ----------------------------------------------------------------------------

    async def _signin_form(
        self, request: Request, lang: Lang, request_id: str, *, alert: str | None = None, status: int = 200
    ) -> Response:
        csrf = self._csrf(request)
        name, returns_to = await self.provider.signin_client(request_id)
        client = name or t("hosted.signin.some_app", lang)
        return render(
            request,
            lang,
            title_key="hosted.signin.title",
            paragraphs=[
                t("hosted.signin.intro", lang, client=client),
                t("hosted.signin.returns_to", lang, host=returns_to),
                t("hosted.signin.privacy", lang),
            ],
            alert=alert,
            form_action=SIGNIN_PATH,
            hidden=[Field("request", request_id), Field("csrf", csrf)],
            keep={"request": request_id},
            links=[(t("hosted.signin.forget_link", lang), f"{SIGNOUT_PATH}?lang={lang}")],
            status=status,
            cookies=[(CSRF_COOKIE, csrf)],
            secure=self._secure,
        )

    def _expired(self, request: Request, lang: Lang) -> Response:
        return render(
            request, lang, title_key="hosted.signin.title", alert=t("hosted.signin.expired", lang), status=400
        )

    async def signin_page(self, request: Request) -> Response:
        lang = page_language(request)
        request_id = request.query_params.get("request", "")
        if not request_id or not await self.provider.signin_pending(request_id):
            return self._expired(request, lang)
        return await self._signin_form(request, lang, request_id)

    async def signin_submit(self, request: Request) -> Response:
        form = await request.form()
        lang = parse_language(str(form.get("lang") or "")) or page_language(request)
        request_id = str(form.get("request") or "")
        if not request_id or not await self.provider.signin_pending(request_id):
            return self._expired(request, lang)
        if not self._same_origin(request) or not self._csrf_ok(request, form.get("csrf")):
            alert = t("hosted.form.stale", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=403)
        token = str(form.get("nemo_token") or "").strip()
        if not token:
            alert = t("hosted.signin.empty", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=400)
        # The address uvicorn reports: the balancer's X-Forwarded-For when it is trusted.
        address = request.client.host if request.client else "unknown"
        if await self.limit.blocked(address):
            minutes = max(1, self.limit.window // 60)
            alert = t("hosted.signin.too_many", lang, minutes=minutes)
            return await self._signin_form(request, lang, request_id, alert=alert, status=429)
        if len(token) > MAX_TOKEN or not token.isascii() or any(c.isspace() or ord(c) < 32 for c in token):
            outcome = TokenCheck.REFUSED  # not something NemoVideo could have issued: don't send it
        else:
            outcome = await check_nemo_token(self.settings, token)
        if outcome is TokenCheck.REFUSED:
            await self.limit.refused(address)
            alert = t("hosted.signin.bad_token", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=401)
        if outcome is TokenCheck.UNREACHABLE:
            alert = t("hosted.signin.unreachable", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=503)
        user_id = await self.accounts.connect(token)
        target = await self.provider.complete_signin(request_id, user_id)
        if target is None:  # another tab used the same page meanwhile
            return self._expired(request, lang)
        log.info("a user signed in")
        return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})

    # --- forget my token --------------------------------------------------------------------

    def _signout_form(
        self,
        request: Request,
        lang: Lang,
        *,
        alert: str | None = None,
        notice: str | None = None,
        status: int = 200,
    ) -> Response:
        csrf = self._csrf(request)
        return render(
            request,
            lang,
            title_key="hosted.signout.title",
            paragraphs=[t("hosted.signout.intro", lang)],
            alert=alert,
            notice=notice,
            form_action=SIGNOUT_PATH,
            hidden=[Field("csrf", csrf)],
            submit_key="hosted.signout.submit",
            status=status,
            cookies=[(CSRF_COOKIE, csrf)],
            secure=self._secure,
        )

    async def signout_page(self, request: Request) -> Response:
        return self._signout_form(request, page_language(request))

    async def signout_submit(self, request: Request) -> Response:
        form = await request.form()
        lang = parse_language(str(form.get("lang") or "")) or page_language(request)
        if not self._same_origin(request) or not self._csrf_ok(request, form.get("csrf")):
            return self._signout_form(request, lang, alert=t("hosted.form.stale", lang), status=403)
        token = str(form.get("nemo_token") or "").strip()
        if not token:
            return self._signout_form(request, lang, alert=t("hosted.signin.empty", lang), status=400)
        # No check with NemoVideo: a token deleted there must still be forgettable here.
        user_id = await self.accounts.find(token)
        if user_id is None:
            return self._signout_form(request, lang, notice=t("hosted.signout.unknown", lang))
        await self.provider.revoke_user(user_id)
        await self.accounts.forget(user_id)
        await self.forgotten(user_id)
        log.info("a user forgot their token")
        return self._signout_form(request, lang, notice=t("hosted.signout.done", lang))
