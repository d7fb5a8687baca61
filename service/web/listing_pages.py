"""The reserved area's listings, for whoever may edit them: the home page lists a provider's
own listings (staff search any by name), and a listing's page saves the provider's edits or
dates the listing as still accurate. Every route names its guards (service/web/guards.py);
the edits live in service/listings/edits.py."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.kinds import UserRole
from service.accounts.permissions import editable_services
from service.listings.edits import (
    ListingEditInvalid,
    apply_listing_changes,
    confirm_still_accurate,
    parse_listing_form,
)
from service.queries import listings_named
from service.web.area_common import (
    MAX_BODY_BYTES,
    listing_form_values,
    listing_or_404,
    posted_listing_values,
    signed_in_user,
)
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.guards import OWN_LISTING, SIGNED_IN, STAFF
from service.web.language import current_language
from service.web.listing_edit_view import listing_edit_page
from service.web.presenters import kind_label, long_date


class ListingPages(Controller):
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
        language = current_language()
        with context.session() as session:
            if user.role == UserRole.PROVIDER:
                services = editable_services(session, user)
            else:
                services = listings_named(session, query) if query else []
            rows = [
                (
                    service,
                    kind_label(service.kind, language),
                    long_date(service.last_verified_at, language),
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
            return listing_edit_page(
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
        values = posted_listing_values(data)
        with context.session() as session:
            service = listing_or_404(session, service_id)
            try:
                changes = parse_listing_form(values)
            except ListingEditInvalid as invalid:
                errors = [FieldError(name, message) for name, message in invalid.problems.items()]
                return listing_edit_page(
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
