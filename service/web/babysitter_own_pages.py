"""A babysitter's own registry forms on her listing's page: the comuni she works in (live at
once) and new certification dates (they wait for an operator, registry_moderation_pages.py).
Domain logic in service/registry/moderation.py; handlers stay thin."""

from __future__ import annotations

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.models import Service, User
from importers.records import CERTIFICATE_FIELDS
from service.registry.moderation import (
    RegistryInvalid,
    parse_certificates,
    parse_service_area,
    propose_certificates,
    set_service_area,
)
from service.web.area_common import MAX_BODY_BYTES, listing_form_values, signed_in_user
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.guards import OWN_LISTING
from service.web.listing_edit_view import listing_edit_page
from service.web.registry_common import registry_entry_or_404, registry_errors


class BabysitterOwnPages(Controller):
    path = "/area"
    include_in_schema = False

    @post(
        "/servizi/{service_id:int}/comuni",
        name="babysitter_area",
        sync_to_thread=True,
        request_max_body_size=MAX_BODY_BYTES,
        **OWN_LISTING,
    )
    def own_area(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        """A babysitter's comuni served (by name; live at once, as languages and rate)."""
        user = signed_in_user(request, context)
        typed = str(data.get("service_area", ""))[:2000]
        with context.session() as session:
            service, _unused = registry_entry_or_404(session, service_id)
            try:
                set_service_area(session, service, user, parse_service_area(session, typed))
            except RegistryInvalid as invalid:
                return self._own_page(
                    service, user, {"service_area": typed}, registry_errors(invalid)
                )
        return Redirect(f"/area/servizi/{service_id}?salvato=1", status_code=303)

    @post(
        "/servizi/{service_id:int}/certificazioni",
        name="babysitter_certificates",
        sync_to_thread=True,
        request_max_body_size=MAX_BODY_BYTES,
        **OWN_LISTING,
    )
    def own_certificates(
        self,
        request: Request,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        """Dates typed by the babysitter wait for an operator's review."""
        user = signed_in_user(request, context)
        with context.session() as session:
            service, entry = registry_entry_or_404(session, service_id)
            try:
                propose_certificates(session, entry, user, parse_certificates(data))
            except RegistryInvalid as invalid:
                typed = {name: str(data.get(name, ""))[:20] for name in CERTIFICATE_FIELDS}
                return self._own_page(service, user, typed, registry_errors(invalid))
        return Redirect(f"/area/servizi/{service_id}?proposta=1", status_code=303)

    @staticmethod
    def _own_page(
        service: Service, user: User, typed: dict[str, str], errors: list[FieldError]
    ) -> Template:
        values = {**listing_form_values(service), **typed}
        return listing_edit_page(service, user, values, errors, status=400)
