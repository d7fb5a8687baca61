"""The operators' moderation of the babysitter registry (`/area/babysitter`, STAFF only):
approve, reject, suspend, set or approve the certification dates, the approved list as CSV.
A babysitter's own forms are in babysitter_own_pages.py; the domain logic in
service/registry/moderation.py; handlers stay thin."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template
from sqlmodel import Session

from core.models import RegistryEntry, Service
from importers.records import CERTIFICATE_FIELDS
from service.accounts.users import organization_accounts
from service.registry.moderation import (
    RegistryInvalid,
    approve,
    approve_proposal,
    approved_rows,
    has_proposal,
    is_expired,
    is_expiring,
    moderation_rows,
    parse_certificates,
    reject,
    service_area_names,
    set_certificates,
    suspend,
)
from service.web.area_common import MAX_BODY_BYTES, signed_in_user
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.guards import STAFF_ONLY
from service.web.language import current_language
from service.web.presenters import long_date
from service.web.registry_common import registry_entry_or_404, registry_errors
from service.web.registry_panel import date_values

EXPORT_HEADER = (
    "nome",
    "comune",
    "comuni_serviti",
    "corso_babysitter_il",
    "corso_babysitter_scadenza",
    "primo_soccorso_il",
    "primo_soccorso_scadenza",
)


class RegistryModerationPages(Controller):
    path = "/area"
    include_in_schema = False

    @get("/babysitter", name="registry_list", sync_to_thread=True, **STAFF_ONLY)
    def moderation(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        with context.session() as session:
            rows = moderation_rows(session, context.today())
            return Template(
                template_name="pages/area/registry.html",
                context={
                    "user": signed_in_user(request, context),
                    "rows": rows,
                    "done": str(request.query_params.get("fatto", ""))[:20],
                },
            )

    @get("/babysitter/export.csv", name="registry_export", sync_to_thread=True, **STAFF_ONLY)
    def export(self, context: NamedDependency[AppContext]) -> Response[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_HEADER)
        with context.session() as session:
            for row in approved_rows(session):
                dates = date_values(row.entry)
                writer.writerow(
                    [
                        row.service.name,
                        row.service.location.comune,
                        service_area_names(session, row.service),
                        *(dates[name] for name in CERTIFICATE_FIELDS),
                    ]
                )
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="elenco-babysitter.csv"'},
        )

    @get("/babysitter/{service_id:int}", name="registry_entry", sync_to_thread=True, **STAFF_ONLY)
    def entry_page(
        self, request: Request, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        with context.session() as session:
            service, entry = registry_entry_or_404(session, service_id)
            return self._entry_page(request, context, session, service, entry, [], {})

    @post(
        "/babysitter/{service_id:int}/approva",
        name="registry_approve",
        sync_to_thread=True,
        request_max_body_size=1024,
        **STAFF_ONLY,
    )
    def approve_entry(
        self, request: Request, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        with context.session() as session:
            service, entry = registry_entry_or_404(session, service_id)
            try:
                approve(session, entry, signed_in_user(request, context), context.today())
            except RegistryInvalid as invalid:
                errors = registry_errors(invalid)
                return self._entry_page(request, context, session, service, entry, errors, {})
        return Redirect("/area/babysitter?fatto=approvata", status_code=303)

    @post(
        "/babysitter/{service_id:int}/rifiuta",
        name="registry_reject",
        sync_to_thread=True,
        request_max_body_size=MAX_BODY_BYTES,
        **STAFF_ONLY,
    )
    def reject_entry(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        return self._decide(request, service_id, context, data, reject, "rifiutata")

    @post(
        "/babysitter/{service_id:int}/sospendi",
        name="registry_suspend",
        sync_to_thread=True,
        request_max_body_size=MAX_BODY_BYTES,
        **STAFF_ONLY,
    )
    def suspend_entry(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        return self._decide(request, service_id, context, data, suspend, "sospesa")

    @post(
        "/babysitter/{service_id:int}/certificazioni",
        name="registry_certificates",
        sync_to_thread=True,
        request_max_body_size=MAX_BODY_BYTES,
        **STAFF_ONLY,
    )
    def certificates(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        """The operator sets the dates, or (`proposta=approva`) approves the proposed ones."""
        user = signed_in_user(request, context)
        with context.session() as session:
            service, entry = registry_entry_or_404(session, service_id)
            try:
                if data.get("proposta") == "approva":
                    approve_proposal(session, entry, user)
                else:
                    set_certificates(session, entry, user, parse_certificates(data))
            except RegistryInvalid as invalid:
                errors = registry_errors(invalid)
                return self._entry_page(request, context, session, service, entry, errors, data)
        return Redirect(f"/area/babysitter/{service_id}?salvato=1", status_code=303)

    def _decide(
        self,
        request: Request,
        service_id: int,
        context: AppContext,
        data: dict[str, str],
        decision: Any,
        done: str,
    ) -> Template | Redirect:
        with context.session() as session:
            service, entry = registry_entry_or_404(session, service_id)
            try:
                decision(
                    session, entry, signed_in_user(request, context), str(data.get("note", ""))
                )
            except RegistryInvalid as invalid:
                errors = registry_errors(invalid)
                return self._entry_page(request, context, session, service, entry, errors, data)
        return Redirect(f"/area/babysitter?fatto={done}", status_code=303)

    @staticmethod
    def _entry_page(
        request: Request,
        context: AppContext,
        session: Session,
        service: Service,
        entry: RegistryEntry,
        errors: list[FieldError],
        typed: dict[str, str],
    ) -> Template:
        today = context.today()
        language = current_language()
        return Template(
            template_name="pages/area/registry_entry.html",
            context={
                "user": signed_in_user(request, context),
                "service": service,
                "entry": entry,
                "area": service_area_names(session, service),
                "values": {**date_values(entry), **typed},
                "proposed": date_values(entry, "proposed_") if has_proposal(entry) else None,
                "dates": {
                    name: long_date(getattr(entry, name), language) for name in CERTIFICATE_FIELDS
                },
                "consent": long_date(
                    entry.publication_consent_at.date() if entry.publication_consent_at else None,
                    language,
                ),
                "accounts": organization_accounts(session, service.organization_id or 0),
                "expired": is_expired(entry, today),
                "expiring": is_expiring(entry, today),
                "errors": errors,
                "saved": request.query_params.get("salvato") == "1",
            },
            status_code=400 if errors else 200,
        )
