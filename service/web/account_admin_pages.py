"""The administrators' account pages (`/area/account`, ADMIN only): the accounts with their
role, organizations and state; a new account, which gets an invitation e-mail; an account's
name, role and organizations, its invitation, deactivation and lock-out.

Organizations are found by name or number with a search button inside the same form (it
posts the whole form and shows it again with the matches to tick), so nothing of what was
typed is lost and no page lists thousands of organizations; it works without JavaScript.
The decisions live in service/accounts/account_admin.py; handlers stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import Session

from core.i18n import Text, _
from core.kinds import UserRole
from core.models import Organization, User
from service.accounts.account_admin import (
    ROLE_LABELS,
    create_account,
    deactivate_account,
    invitation_problem,
    linked_organizations,
    parse_organization_ids,
    parse_role,
    reactivate_account,
    unlock_account,
    update_account,
)
from service.accounts.account_list import (
    account_rows,
    find_organizations,
    organizations_by_id,
)
from service.accounts.invitations import send_invitation
from service.accounts.users import AccountError, as_utc, now_utc
from service.web.area_common import signed_in_user
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import FormWithLists
from service.web.guards import ADMIN_ONLY
from service.web.language import current_language
from service.web.presenters import long_date

MAX_BODY_BYTES = 16 * 1024
SMALL_BODY = 1024
FIELD_LIMIT = 300
#: the most values a repeated field may bring (more is not a person ticking boxes)
REPEATED_LIMIT = 200
ADMIN: dict[str, Any] = {**ADMIN_ONLY, "sync_to_thread": True}
#: the buttons that post nothing but their token
ACTION: dict[str, Any] = {**ADMIN, "request_max_body_size": SMALL_BODY}
OUTCOMES: dict[str, Text] = {
    "creato": _("Account creato: l'invito a scegliere la password è partito."),
    "salvato": _("Modifiche salvate."),
    "invitato": _("Nuovo invito inviato: i link precedenti non funzionano più."),
    "invito-non-inviato": _(
        "L'e-mail con l'invito non è partita: riprova con «Invia di nuovo l'invito»."
    ),
    "disattivato": _("Account disattivato: le sue sessioni sono chiuse e non può più accedere."),
    "riattivato": _("Account riattivato: può di nuovo accedere."),
    "sbloccato": _("Account sbloccato: può di nuovo provare ad accedere."),
}


def _one(data: dict[str, str | list[str]], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value)[:FIELD_LIMIT]


def _many(data: dict[str, str | list[str]], name: str) -> list[str]:
    value = data.get(name, [])
    values = [value] if isinstance(value, str) else value
    return [str(item)[:FIELD_LIMIT] for item in values[:REPEATED_LIMIT]]


def _account_or_404(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundException(
            _("Nessun account con numero {id}", id=user_id).render(current_language())
        )
    return user


@dataclass(frozen=True)
class OrganizationChoice:
    """An organization as a form offers it (plain values: pages render after the session)."""

    id: int
    name: str
    kind: str

    @classmethod
    def of(cls, organizations: list[Organization]) -> list[OrganizationChoice]:
        return [cls(o.id or 0, o.name, o.kind) for o in organizations]


@dataclass
class AccountForm:
    """What the new-account and account forms show: the values sent (or stored), the
    organizations ticked, and those a search found."""

    email: str = ""
    display_name: str = ""
    role: str = ""
    chosen: list[OrganizationChoice] = field(default_factory=list)
    org_query: str = ""
    found: list[OrganizationChoice] = field(default_factory=list)
    searched: bool = False

    @classmethod
    def posted(cls, session: Session, data: dict[str, str | list[str]]) -> AccountForm:
        """The form as sent; a search adds what it finds (not already ticked)."""
        try:
            ids = parse_organization_ids(_many(data, "organizations"))
        except AccountError:
            ids = ()  # the handler reports it
        form = cls(
            email=_one(data, "email").strip(),
            display_name=_one(data, "display_name"),
            role=_one(data, "role"),
            chosen=OrganizationChoice.of(organizations_by_id(session, ids)),
            org_query=_one(data, "org_query").strip()[:100],
        )
        if _one(data, "azione") == "cerca":
            ticked = {organization.id for organization in form.chosen}
            form.searched = True
            found = find_organizations(session, form.org_query)
            form.found = OrganizationChoice.of([o for o in found if o.id not in ticked])
        return form


class AccountAdminPages(Controller):
    path = "/area/account"
    include_in_schema = False

    @get("/", name="accounts", **ADMIN)
    def accounts(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        role_value = str(request.query_params.get("ruolo", ""))
        role = UserRole(role_value) if role_value in set(UserRole) else None
        query = str(request.query_params.get("q", "")).strip()[:100]
        language = current_language()
        with context.session() as session:
            page = account_rows(session, now_utc(), role, query)
        return Template(
            template_name="pages/area/accounts.html",
            context={
                "user": signed_in_user(request, context),
                "page": page,
                "role": role.value if role else "",
                "query": query,
                "role_labels": ROLE_LABELS,
                "when": lambda value: _when(value, language),
            },
        )

    @get("/nuovo", name="account_new", **ADMIN)
    def new_account(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        return _new_page(request, context, AccountForm(role=UserRole.PROVIDER.value), [])

    @post("/nuovo", name="account_create", request_max_body_size=MAX_BODY_BYTES, **ADMIN)
    def create(
        self, request: Request, context: NamedDependency[AppContext], data: FormWithLists
    ) -> Template | Redirect:
        actor = signed_in_user(request, context)
        with context.session() as session:
            form = AccountForm.posted(session, data)
            if form.searched:
                return _new_page(request, context, form, [])
            try:
                ids = parse_organization_ids(_many(data, "organizations"))
                created = create_account(
                    session, actor, form.email, parse_role(form.role), form.display_name, ids
                )
            except AccountError as error:
                errors = [FieldError(error.field, error.message)]
                return _new_page(request, context, form, errors, status=400)
            created_id = created.id
            outcome = _invite(context, session, actor, created, "creato")
        return Redirect(f"/area/account/{created_id}?esito={outcome}", status_code=303)

    @get("/{user_id:int}", name="account", **ADMIN)
    def account(
        self, request: Request, user_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        with context.session() as session:
            account = _account_or_404(session, user_id)
            form = AccountForm(
                email=account.email,
                display_name=account.display_name,
                role=account.role,
                chosen=OrganizationChoice.of(linked_organizations(session, account)),
            )
            return _account_page(request, context, account, form, [])

    @post("/{user_id:int}", name="account_save", request_max_body_size=MAX_BODY_BYTES, **ADMIN)
    def save(
        self,
        request: Request,
        user_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: FormWithLists,
    ) -> Template | Redirect:
        actor = signed_in_user(request, context)
        with context.session() as session:
            account = _account_or_404(session, user_id)
            form = AccountForm.posted(session, data)
            form.email = account.email  # not changed here: it is the sign-in name
            if form.searched:
                return _account_page(request, context, account, form, [])
            try:
                ids = parse_organization_ids(_many(data, "organizations"))
                update_account(
                    session, actor, account, form.display_name, parse_role(form.role), ids
                )
            except AccountError as error:  # refused before any change
                session.refresh(account)
                errors = [FieldError(error.field, error.message)]
                return _account_page(request, context, account, form, errors, status=400)
        return Redirect(f"/area/account/{user_id}?esito=salvato", status_code=303)

    @post("/{user_id:int}/invito", name="account_invite", **ACTION)
    def invite(
        self, request: Request, user_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        actor = signed_in_user(request, context)
        with context.session() as session:
            account = _account_or_404(session, user_id)
            if problem := invitation_problem(account):
                return _refused(request, context, session, account, "invitation", problem)
            outcome = _invite(context, session, actor, account, "invitato")
        return Redirect(f"/area/account/{user_id}?esito={outcome}", status_code=303)

    @post("/{user_id:int}/disattiva", name="account_deactivate", **ACTION)
    def deactivate(
        self, request: Request, user_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        return self._change(request, context, user_id, deactivate_account, "disattivato")

    @post("/{user_id:int}/riattiva", name="account_reactivate", **ACTION)
    def reactivate(
        self, request: Request, user_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        return self._change(request, context, user_id, reactivate_account, "riattivato")

    @post("/{user_id:int}/sblocca", name="account_unlock", **ACTION)
    def unlock(
        self, request: Request, user_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        return self._change(request, context, user_id, unlock_account, "sbloccato")

    @staticmethod
    def _change(
        request: Request[Any, Any, Any],
        context: AppContext,
        user_id: int,
        change: Any,
        outcome: str,
    ) -> Template | Redirect:
        actor = signed_in_user(request, context)
        with context.session() as session:
            account = _account_or_404(session, user_id)
            try:
                change(session, actor, account)
            except AccountError as error:  # refused before any change
                return _refused(request, context, session, account, error.field, error.message)
        return Redirect(f"/area/account/{user_id}?esito={outcome}", status_code=303)


def _invite(context: AppContext, session: Session, actor: User, account: User, outcome: str) -> str:
    """Send the invitation; the outcome to show (a failed e-mail is said, not hidden)."""
    try:
        send_invitation(context.settings, session, account, current_language(), actor=actor)
    except OSError:  # the link is issued (and audited) but did not leave: send another
        return "invito-non-inviato"
    return outcome


def _when(value: Any, language: str) -> str:
    if value is None:
        return ""
    moment = as_utc(value)
    return f"{long_date(moment.date(), language)} {moment:%H:%M}"


def _new_page(
    request: Request[Any, Any, Any],
    context: AppContext,
    form: AccountForm,
    errors: list[FieldError],
    status: int = 200,
) -> Template:
    return Template(
        template_name="pages/area/account_new.html",
        context={
            "user": signed_in_user(request, context),
            "form": form,
            "errors": errors,
            "role_labels": ROLE_LABELS,
        },
        status_code=status,
    )


def _refused(
    request: Request[Any, Any, Any],
    context: AppContext,
    session: Session,
    account: User,
    name: str,
    message: Text,
) -> Template:
    session.refresh(account)
    form = AccountForm(
        email=account.email,
        display_name=account.display_name,
        role=account.role,
        chosen=OrganizationChoice.of(linked_organizations(session, account)),
    )
    return _account_page(request, context, account, form, [FieldError(name, message)], 400)


def _account_page(
    request: Request[Any, Any, Any],
    context: AppContext,
    account: User,
    form: AccountForm,
    errors: list[FieldError],
    status: int = 200,
) -> Template:
    language = current_language()
    outcome = OUTCOMES.get(str(request.query_params.get("esito", "")))
    locked = account.locked_until is not None and as_utc(account.locked_until) > now_utc()
    return Template(
        template_name="pages/area/account.html",
        context={
            "user": signed_in_user(request, context),
            "account": account,
            "form": form,
            "errors": errors,
            "role_labels": ROLE_LABELS,
            "outcome": outcome.render(language) if outcome and not errors else "",
            "locked": locked,
            "may_invite": invitation_problem(account) is None,
            "when": lambda value: _when(value, language),
        },
        status_code=status,
    )
