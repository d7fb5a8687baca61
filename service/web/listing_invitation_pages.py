"""Staff invite a listing's provider from the listing's page: an account linked to the
listing's organization and an invitation e-mail (service/accounts/invitations.py)."""

from __future__ import annotations

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from service.accounts.invitations import invite_listing_provider
from service.accounts.users import AccountError
from service.web.area_common import listing_form_values, listing_or_404, signed_in_user
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.guards import STAFF_ONLY
from service.web.language import current_language
from service.web.listing_edit_view import listing_edit_page


class ListingInvitationPages(Controller):
    path = "/area"
    include_in_schema = False

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
            try:
                invited = invite_listing_provider(
                    context.settings, session, user, service, email, current_language()
                )
            except AccountError as error:
                return listing_edit_page(
                    service,
                    user,
                    listing_form_values(service),
                    [FieldError("email", error.message)],
                    status=400,
                )
            address = invited.email
        return Redirect(f"/area/servizi/{service_id}?invitato={address}", status_code=303)
