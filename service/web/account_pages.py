"""Signing in and out, accepting an invitation, resetting a forgotten password.

Sign-in is rate-limited per client and locks an account after repeated failures; the
answer never tells whether an address has an account (nor does the reset form)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.i18n import _
from core.kinds import TokenPurpose
from service.accounts.password_reset import send_password_reset
from service.accounts.users import (
    AccountError,
    SignInRefused,
    set_password_with_token,
    sign_in,
    valid_link_token,
)
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.language import current_language
from service.web.rate_limit import LOGIN, OPT_KEY
from service.web.session import end_session, start_session

MAX_BODY_BYTES = 8 * 1024
LINK_PATHS = {TokenPurpose.INVITATION: "/invito", TokenPurpose.PASSWORD_RESET: "/reimposta"}
FIELD_LIMIT = 300


def _field(data: dict[str, str], name: str) -> str:
    return str(data.get(name, ""))[:FIELD_LIMIT]


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of ours only (no open redirect)."""
    if not target:
        return "/area"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/area"
    return target


def _login_page(
    next_path: str, email: str = "", errors: list[FieldError] | None = None, status: int = 200
) -> Template:
    return Template(
        template_name="pages/account/login.html",
        context={"next": next_path, "email": email, "errors": errors or []},
        status_code=status,
    )


class AccountPages(Controller):
    include_in_schema = False

    @get("/accesso", name="login", sync_to_thread=False)
    def login_form(self, request: Request) -> Template:
        return _login_page(safe_next(request.query_params.get("next")))

    @post(
        "/accesso",
        name="login_send",
        sync_to_thread=True,
        opt={OPT_KEY: LOGIN},
        request_max_body_size=MAX_BODY_BYTES,
    )
    def login(
        self, request: Request, context: NamedDependency[AppContext], data: Form
    ) -> Template | Redirect:
        email, password = _field(data, "email"), str(data.get("password", ""))[:FIELD_LIMIT]
        next_path = safe_next(_field(data, "next"))
        settings = context.settings
        try:
            with context.session() as session:
                user = sign_in(
                    session,
                    email,
                    password,
                    settings.lockout_failures,
                    timedelta(minutes=settings.lockout_minutes),
                )
        except SignInRefused as refused:
            message = (
                _(
                    "troppi tentativi sbagliati: riprova tra {minutes} minuti "
                    "o reimposta la password",
                    minutes=settings.lockout_minutes,
                )
                if refused.locked_until
                else _("e-mail o password non corrette")
            )
            return _login_page(next_path, email, [FieldError("email", message)], status=400)
        start_session(request, user, settings)
        return Redirect(next_path, status_code=303)

    @post("/esci", name="logout", sync_to_thread=False)
    def logout(self, request: Request) -> Redirect:
        end_session(request)
        return Redirect("/", status_code=303)

    @get("/password-dimenticata", name="forgot_password", sync_to_thread=False)
    def forgot_form(self) -> Template:
        return Template(template_name="pages/account/forgot.html", context={"sent": False})

    @post(
        "/password-dimenticata",
        name="forgot_password_send",
        sync_to_thread=True,
        opt={OPT_KEY: LOGIN},
        request_max_body_size=MAX_BODY_BYTES,
    )
    def forgot(self, context: NamedDependency[AppContext], data: Form) -> Template:
        with context.session() as session:
            send_password_reset(
                context.settings, session, _field(data, "email"), current_language()
            )
        # the same answer whether or not the address has an account
        return Template(template_name="pages/account/forgot.html", context={"sent": True})

    @get("/invito/{token:str}", name="invitation", sync_to_thread=True)
    def invitation_form(
        self, token: FromPath[str], context: NamedDependency[AppContext]
    ) -> Template:
        return self._password_page(context, token, TokenPurpose.INVITATION)

    @post(
        "/invito/{token:str}",
        name="invitation_accept",
        sync_to_thread=True,
        opt={OPT_KEY: LOGIN},
        request_max_body_size=MAX_BODY_BYTES,
    )
    def invitation(
        self,
        request: Request,
        token: FromPath[str],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        return self._set_password(request, context, token, TokenPurpose.INVITATION, data)

    @get("/reimposta/{token:str}", name="password_reset", sync_to_thread=True)
    def reset_form(self, token: FromPath[str], context: NamedDependency[AppContext]) -> Template:
        return self._password_page(context, token, TokenPurpose.PASSWORD_RESET)

    @post(
        "/reimposta/{token:str}",
        name="password_reset_send",
        sync_to_thread=True,
        opt={OPT_KEY: LOGIN},
        request_max_body_size=MAX_BODY_BYTES,
    )
    def reset(
        self,
        request: Request,
        token: FromPath[str],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        return self._set_password(request, context, token, TokenPurpose.PASSWORD_RESET, data)

    @staticmethod
    def _password_page(
        context: AppContext,
        token: str,
        purpose: TokenPurpose,
        errors: list[FieldError] | None = None,
        status: int = 200,
    ) -> Template:
        with context.session() as session:
            valid = valid_link_token(session, token, purpose) is not None
        return Template(
            template_name="pages/account/set_password.html",
            context={
                "purpose": purpose.value,
                "valid": valid,
                "errors": errors or [],
                "action": f"{LINK_PATHS[purpose]}/{token}",
            },
            status_code=status if valid else 404,
        )

    def _set_password(
        self,
        request: Request[Any, Any, Any],
        context: AppContext,
        token: str,
        purpose: TokenPurpose,
        data: dict[str, str],
    ) -> Template | Redirect:
        password = str(data.get("password", ""))[:FIELD_LIMIT]
        if password != str(data.get("password_again", ""))[:FIELD_LIMIT]:
            errors = [FieldError("password_again", _("le due password non coincidono"))]
            return self._password_page(context, token, purpose, errors, status=400)
        try:
            with context.session() as session:
                user = set_password_with_token(session, token, purpose, password)
        except AccountError as error:
            if error.field == "token":
                return self._password_page(context, token, purpose)
            return self._password_page(
                context, token, purpose, [FieldError("password", error.message)], status=400
            )
        start_session(request, user, context.settings)
        return Redirect("/area", status_code=303)
