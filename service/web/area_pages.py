"""The reserved area: providers keep their own listings up to date; operators and
administrators find any listing, correct it, invite its provider and read the audit log.
Every route names its guards (service/web/guards.py); handlers stay thin."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import col, select

from core.i18n import _
from core.kinds import UserRole
from core.models import AuditEntry, Service, User
from service.accounts.account_admin import ENTITY as ACCOUNT_ENTITY
from service.accounts.account_admin import create_account, link_organization
from service.accounts.invitations import send_invitation
from service.accounts.permissions import editable_services
from service.accounts.users import AccountError, find_user
from service.listings.edits import (
    EDITABLE,
    ListingEditInvalid,
    apply_listing_changes,
    confirm_still_accurate,
    parse_listing_form,
)
from service.web.area_common import (
    MAX_BODY_BYTES,
    listing_form_values,
    listing_or_404,
    signed_in_user,
)
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.guards import OWN_LISTING, SIGNED_IN, STAFF, STAFF_ONLY
from service.web.language import current_language
from service.web.presenters import kind_label, long_date
from service.web.registry_panel import own_registry_panel

AUDIT_SHOWN = 200
FOUND_SHOWN = 50


class AreaPages(Controller):
    path = "/area"
    include_in_schema = False

    @get(
        "/",
        name="area",
        sync_to_thread=True,
        **SIGNED_IN,
    )
    def home(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        user = signed_in_user(request, context)
        query = str(request.query_params.get("q", "")).strip()[:100]
        with context.session() as session:
            if user.role == UserRole.PROVIDER:
                services = editable_services(session, user)
            elif query:
                services = list(
                    session.exec(
                        select(Service)
                        .where(col(Service.name).icontains(query, autoescape=True))
                        .order_by(col(Service.name))
                        .limit(FOUND_SHOWN)
                    )
                )
            else:
                services = []
            rows = [
                (
                    service,
                    kind_label(service.kind, current_language()),
                    long_date(service.last_verified_at, current_language()),
                    service.location.comune,
                )
                for service in services
            ]
        return Template(
            template_name="pages/area/home.html",
            context={"user": user, "rows": rows, "query": query, "staff": user.role in STAFF},
        )

    @get(
        "/servizi/{service_id:int}",
        name="listing_edit",
        sync_to_thread=True,
        **OWN_LISTING,
    )
    def edit_form(
        self, request: Request, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        user = signed_in_user(request, context)
        with context.session() as session:
            service = listing_or_404(session, service_id)
            return self._edit_page(
                service,
                user,
                listing_form_values(service),
                [],
                saved=request.query_params.get("salvato") == "1",
                invited=str(request.query_params.get("invitato", ""))[:254],
            )

    @post(
        "/servizi/{service_id:int}",
        name="listing_save",
        sync_to_thread=True,
        **OWN_LISTING,
        request_max_body_size=MAX_BODY_BYTES,
    )
    def save(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        user = signed_in_user(request, context)
        values = {name: str(data.get(name, ""))[:5000] for name in EDITABLE if name in data}
        with context.session() as session:
            service = listing_or_404(session, service_id)
            try:
                changes = parse_listing_form(values)
            except ListingEditInvalid as invalid:
                errors = [FieldError(name, message) for name, message in invalid.problems.items()]
                return self._edit_page(
                    service, user, {**listing_form_values(service), **values}, errors, status=400
                )
            apply_listing_changes(session, service, changes, user)
        return Redirect(f"/area/servizi/{service_id}?salvato=1", status_code=303)

    @post(
        "/servizi/{service_id:int}/conferma",
        name="listing_confirm",
        sync_to_thread=True,
        **OWN_LISTING,
        request_max_body_size=1024,
    )
    def confirm(
        self, request: Request, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Redirect:
        user = signed_in_user(request, context)
        with context.session() as session:
            confirm_still_accurate(
                session, listing_or_404(session, service_id), user, context.today()
            )
        return Redirect(f"/area/servizi/{service_id}?salvato=1", status_code=303)

    @post(
        "/servizi/{service_id:int}/invita",
        name="listing_invite",
        sync_to_thread=True,
        **STAFF_ONLY,
        request_max_body_size=2048,
    )
    def invite(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        """Invite the listing's provider: an account linked to its organization."""
        user = signed_in_user(request, context)
        email = str(data.get("email", "")).strip()[:254]
        with context.session() as session:
            service = listing_or_404(session, service_id)
            invited = find_user(session, email)
            try:
                if invited is None:
                    invited = create_account(
                        session,
                        user,
                        email,
                        UserRole.PROVIDER,
                        organization_ids=(service.organization_id or 0,),
                    )
                elif invited.role != UserRole.PROVIDER:
                    raise AccountError("email", _("questo account non è di un gestore"))
                else:
                    link_organization(session, user, invited, service.organization_id or 0)
            except AccountError as error:
                return self._edit_page(
                    service,
                    user,
                    listing_form_values(service),
                    [FieldError("email", error.message)],
                    status=400,
                )
            address = invited.email
            send_invitation(
                context.settings,
                session,
                invited,
                current_language(),
                listing_name=service.name,
                actor=user,
            )
        return Redirect(f"/area/servizi/{service_id}?invitato={address}", status_code=303)

    @get(
        "/registro",
        name="audit_log",
        sync_to_thread=True,
        **STAFF_ONLY,
    )
    def audit_log(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        service_id = request.query_params.get("servizio")
        with context.session() as session:
            statement = select(AuditEntry, User).join(
                User, col(AuditEntry.user_id) == col(User.id), isouter=True
            )
            if service_id and str(service_id).isdigit():
                statement = statement.where(AuditEntry.service_id == int(service_id))
            account_id = str(request.query_params.get("account", ""))
            if account_id.isascii() and account_id.isdigit() and len(account_id) <= 9:
                statement = statement.where(
                    AuditEntry.entity == ACCOUNT_ENTITY, AuditEntry.entity_id == int(account_id)
                )
            entries = list(
                session.exec(
                    statement.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(
                        AUDIT_SHOWN
                    )
                )
            )
            names = {
                service.id: service.name
                for service in session.exec(
                    select(Service).where(
                        col(Service.id).in_({e.service_id for e, _u in entries if e.service_id})
                    )
                )
            }
            account_ids = {e.entity_id for e, _u in entries if e.entity == ACCOUNT_ENTITY}
            accounts = {
                account.id: account.email
                for account in session.exec(select(User).where(col(User.id).in_(account_ids)))
            }
        return Template(
            template_name="pages/area/audit.html",
            context={
                "user": signed_in_user(request, context),
                "entries": entries,
                "names": names,
                "accounts": accounts,
            },
        )

    @staticmethod
    def _edit_page(
        service: Service,
        user: User,
        values: dict[str, str],
        errors: list[FieldError],
        saved: bool = False,
        invited: str = "",
        status: int = 200,
    ) -> Template:
        return Template(
            template_name="pages/area/listing.html",
            context={
                "user": user,
                "service": service,
                "values": values,
                "errors": errors,
                "saved": saved,
                "invited": invited,
                "staff": user.role in STAFF,
                "kind_label": kind_label(service.kind, current_language()),
                "last_verified": long_date(service.last_verified_at, current_language()),
                **own_registry_panel(service),
            },
            status_code=status,
        )
