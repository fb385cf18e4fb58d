"""The sign-in page (where /authorize sends the browser) and "forget my token".

The user pastes a NemoVideo API token into a form field named ``nemo_token``; it is checked with
NemoVideo before it is stored (encrypted). Where the operator allows it, "Start free" makes an
anonymous NemoVideo account instead (stored the same way); the browser keeps a cookie that lets
a token pasted later replace the free one for the same user, which signs out every app signed
in with the free account (the cookie names a browser, not a person: it may be a shared one).
With a team token, members sign in with the member code the operator gave them (form field
``member_code``). Forms carry a CSRF token that must match a ``SameSite=Strict`` cookie (double
submit), and a cross-site ``Origin`` is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import budget
from ..client import NemoClient
from ..config import Settings
from ..errors import NemoError, RateLimitedError
from ..messages import Lang, parse_language, t
from .accounts import Accounts, TokenCheck, check_nemo_token
from .attempts import AddressLimit
from .client_metadata import Destination
from .clients import scope_client_key
from .config import HostedConfig
from .forms import CSRF_COOKIE, csrf_ok, csrf_token, same_origin
from .oauth import SIGNIN_PATH, PostgresOAuthProvider
from .page import ButtonForm, Field, page_language, render
from .secrets_box import new_secret

log = logging.getLogger(__name__)

SIGNOUT_PATH = "/signout"
# The browser that started a free account: its own token may replace it, and it may forget it
# (the free token is known only to this server, so it can't be pasted on /signout). Over https
# the name carries the __Host- prefix: the browser then keeps it only as set by this very host
# (Secure, Path=/, no Domain), so a sibling subdomain can't plant its own free account's cookie.
FREE_COOKIE = "nemo_free"
FREE_COOKIE_HTTPS = "__Host-nemo_free"
FREE_COOKIE_AGE = 60 * 24 * 3600  # past the free token's 7 days: time to register and paste one's own
FREE_BUDGET = 15.0  # seconds to ask NemoVideo for a free account (a 429's long wait is not waited)
MAX_TOKEN = 4096  # a pasted token; anything longer is not one


@dataclass
class SignIn:
    config: HostedConfig
    settings: Settings
    provider: PostgresOAuthProvider
    accounts: Accounts
    forgotten: Callable[[str], Awaitable[None]]  # tell the MCP side to drop a user's service
    limit: AddressLimit
    free_limit: AddressLimit | None = None  # set when the operator allows "Start free"

    @property
    def _secure(self) -> bool:
        return self.config.public_url.startswith("https://")

    @property
    def free_cookie(self) -> str:
        """The free-account cookie's name (plain http only on loopback, for development)."""
        return FREE_COOKIE_HTTPS if self._secure else FREE_COOKIE

    def _drop_free_cookie(self, response: Response) -> None:
        response.delete_cookie(
            self.free_cookie, path="/", secure=self._secure, httponly=True, samesite="strict"
        )

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
        if returns_to is None:  # nothing the user could check: no sign-in for it
            return self._expired(request, lang)
        client = name or t("hosted.signin.some_app", lang)
        hidden = [Field("request", request_id), Field("csrf", csrf)]
        kind, where = returns_to
        if kind is Destination.APP:
            back = t("hosted.signin.returns_to_app", lang, app=where)
        else:
            back = t("hosted.signin.returns_to", lang, host=where)
        if self.config.team:
            return render(
                request,
                lang,
                title_key="hosted.signin.title",
                paragraphs=[t("hosted.team.intro", lang, client=client), back],
                alert=alert,
                form_action=SIGNIN_PATH,
                hidden=hidden,
                keep={"request": request_id},
                status=status,
                cookies=[(CSRF_COOKIE, csrf)],
                secure=self._secure,
                input_name="member_code",
                input_label_key="hosted.team.code_label",
            )
        free = ButtonForm(
            SIGNIN_PATH,
            [*hidden, Field("start_free", "1")],
            t("hosted.signin.free_text", lang),
            t("hosted.signin.free_button", lang),
        )
        return render(
            request,
            lang,
            title_key="hosted.signin.title",
            paragraphs=[
                t("hosted.signin.intro", lang, client=client),
                back,
                t("hosted.signin.privacy", lang),
            ],
            alert=alert,
            form_action=SIGNIN_PATH,
            hidden=hidden,
            keep={"request": request_id},
            links=[(t("hosted.signin.forget_link", lang), f"{SIGNOUT_PATH}?lang={lang}")],
            status=status,
            cookies=[(CSRF_COOKIE, csrf)],
            secure=self._secure,
            extra=[free] if self.free_limit is not None else [],
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
        if self.config.team:
            return await self._member_submit(request, lang, request_id, str(form.get("member_code") or ""))
        token = str(form.get("nemo_token") or "").strip()
        # A pasted token wins: a scripted client posting every hidden field also posts start_free.
        if not token and form.get("start_free") and self.free_limit is not None:
            return await self._start_free(request, lang, request_id, self.free_limit)
        if not token:
            alert = t("hosted.signin.empty", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=400)
        # Counted before NemoVideo is asked, so parallel posts can't all slip under the limit.
        attempt = await self.limit.claim(self._client(request))
        if attempt is None:
            return await self._too_many(request, lang, request_id)
        if not _token_shaped(token):
            outcome = TokenCheck.REFUSED  # not something NemoVideo could have issued: don't send it
        else:
            outcome = await check_nemo_token(self.settings, token)
        if outcome is TokenCheck.REFUSED:
            alert = t("hosted.signin.bad_token", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=401)
        await self.limit.release(attempt)  # only refused tokens count
        if outcome is TokenCheck.UNREACHABLE:
            alert = t("hosted.signin.unreachable", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=503)
        free_cookie = request.cookies.get(self.free_cookie)
        ending = self.provider.revoke_user_in
        connected = await self.accounts.connect(token, free_cookie=free_cookie, end_sign_ins=ending)
        if not connected.took_over_free:
            return await self._finish(request, lang, request_id, connected.user_id)
        # This instance's server still holds the free token (others rebuild theirs: users.py).
        await self.forgotten(connected.user_id)
        log.info("a pasted token took over a free account; its other sign-ins ended")
        return await self._took_over(request, lang, request_id, connected.user_id)

    async def _took_over(self, request: Request, lang: Lang, request_id: str, user_id: str) -> Response:
        """The pasted token now holds the free account this browser started: say what that did
        (the free account's other apps must sign in again, and a person who never started it
        learns that its projects are now theirs), then go on to the app."""
        target = await self.provider.complete_signin(request_id, user_id)
        if target is None:
            return self._expired(request, lang)
        page = render(
            request,
            lang,
            title_key="hosted.signin.title",
            notice=t("hosted.signin.took_over_free", lang),
            links=[(t("hosted.signin.continue", lang), target)],
            secure=self._secure,
        )
        self._drop_free_cookie(page)  # the free account is no more: the cookie names nothing
        return page

    async def _finish(
        self, request: Request, lang: Lang, request_id: str, user_id: str, *, free_cookie: str | None = None
    ) -> Response:
        target = await self.provider.complete_signin(request_id, user_id)
        if target is None:  # another tab used the same page meanwhile
            return self._expired(request, lang)
        log.info("a user signed in")
        response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
        if free_cookie is not None:
            response.set_cookie(
                self.free_cookie, free_cookie, max_age=FREE_COOKIE_AGE, httponly=True, samesite="strict",
                secure=self._secure, path="/",
            )  # fmt: skip
        return response

    @staticmethod
    def _client(request: Request) -> str:
        return scope_client_key(request.scope)

    async def _too_many(self, request: Request, lang: Lang, request_id: str) -> Response:
        alert = t("hosted.signin.too_many", lang, minutes=max(1, self.limit.window // 60))
        return await self._signin_form(request, lang, request_id, alert=alert, status=429)

    async def _start_free(
        self, request: Request, lang: Lang, request_id: str, free_limit: AddressLimit
    ) -> Response:
        """A new anonymous NemoVideo account for this user, stored like a pasted token."""
        # Counted before NemoVideo is asked (up to FREE_BUDGET seconds): parallel posts from one
        # client are counted one after the other, and only the first ones within the limit go on.
        attempt = await free_limit.claim(self._client(request))
        if attempt is None:
            alert = t("hosted.signin.free_mine", lang, days=max(1, free_limit.window // 86400))
            return await self._signin_form(request, lang, request_id, alert=alert, status=429)
        try:
            # A client of its own with no token; the budget makes a 429's Retry-After (days, for
            # the per-address limit) end the attempt at once instead of being waited out.
            async with NemoClient(replace(self.settings, token=None)) as client:
                with budget.within(FREE_BUDGET):
                    record = await client.new_anonymous_account()
        except RateLimitedError:
            await free_limit.release(attempt)  # no account was made
            alert = t("hosted.signin.free_limit", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=429)
        except NemoError:
            await free_limit.release(attempt)
            log.warning("could not start a free account", exc_info=True)
            alert = t("hosted.signin.free_unreachable", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=503)
        assert record.token is not None  # a grant always carries one
        cookie = new_secret()
        user_id = await self.accounts.start_free(record.token, record.user_id, cookie)
        return await self._finish(request, lang, request_id, user_id, free_cookie=cookie)

    async def _member_submit(self, request: Request, lang: Lang, request_id: str, code: str) -> Response:
        """A team member signs in with their member code: no NemoVideo token of theirs."""
        code = code.strip()
        if not code:
            alert = t("hosted.team.empty", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=400)
        # Member codes can't be guessed in bulk either, nor in parallel.
        attempt = await self.limit.claim(self._client(request))
        if attempt is None:
            return await self._too_many(request, lang, request_id)
        user_id = await self.accounts.member(code) if len(code) <= MAX_TOKEN else None
        if user_id is None:
            alert = t("hosted.team.bad_code", lang)
            return await self._signin_form(request, lang, request_id, alert=alert, status=401)
        await self.limit.release(attempt)  # only refused codes count
        return await self._finish(request, lang, request_id, user_id)

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
        free = ButtonForm(
            SIGNOUT_PATH,
            [Field("csrf", csrf), Field("free", "1")],
            t("hosted.signout.free_text", lang),
            t("hosted.signout.free_button", lang),
        )
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
            extra=[free] if request.cookies.get(self.free_cookie) else [],
        )

    async def signout_page(self, request: Request) -> Response:
        return self._signout_form(request, page_language(request))

    async def signout_submit(self, request: Request) -> Response:
        form = await request.form()
        lang = parse_language(str(form.get("lang") or "")) or page_language(request)
        if not self._same_origin(request) or not self._csrf_ok(request, form.get("csrf")):
            return self._signout_form(request, lang, alert=t("hosted.form.stale", lang), status=403)
        token = str(form.get("nemo_token") or "").strip()
        cookie = request.cookies.get(self.free_cookie)
        if not token and form.get("free") and cookie:
            user_id = await self.accounts.find_free(cookie)
            if user_id is None:
                return self._signout_form(request, lang, notice=t("hosted.signout.unknown", lang))
            await self._forget(user_id)
            response = self._signout_form(request, lang, notice=t("hosted.signout.done", lang))
            self._drop_free_cookie(response)
            return response
        if not token:
            return self._signout_form(request, lang, alert=t("hosted.signin.empty", lang), status=400)
        # The same tries as sign-in, counted before the lookup: the lookup is local and fast, so
        # without them this form would be the cheaper place to try tokens in bulk.
        attempt = await self.limit.claim(self._client(request))
        if attempt is None:
            alert = t("hosted.signin.too_many", lang, minutes=max(1, self.limit.window // 60))
            return self._signout_form(request, lang, alert=alert, status=429)
        # No check with NemoVideo: a token deleted there must still be forgettable here.
        user_id = await self.accounts.find(token) if _token_shaped(token) else None
        if user_id is not None:
            await self.limit.release(attempt)  # only tries that matched nothing count
            await self._forget(user_id)
        # One answer whether or not it was stored: sign-in never says which tokens are stored
        # here, so neither does this form.
        return self._signout_form(request, lang, notice=t("hosted.signout.done_if_stored", lang))

    async def _forget(self, user_id: str) -> None:
        await self.provider.revoke_user(user_id)
        await self.accounts.forget(user_id)
        await self.forgotten(user_id)
        log.info("a user forgot their token")


def _token_shaped(token: str) -> bool:
    """Whether the text could be a token NemoVideo issued (anything else is never sent or looked up)."""
    return len(token) <= MAX_TOKEN and token.isascii() and not any(c.isspace() or ord(c) < 32 for c in token)
