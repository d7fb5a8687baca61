"""A listing's page in the reserved area, as its editors see it: the edit form (its values,
or what was sent overlaid when it needs fixing), "still accurate", staff's invitation of the
listing's provider and a babysitter's registry panel. Rendered by the controllers whose
forms post from it (listing_pages, listing_invitation_pages, babysitter_own_pages)."""

from __future__ import annotations

from litestar.response import Template

from core.models import Service, User
from service.web.field_errors import FieldError
from service.web.guards import STAFF
from service.web.language import current_language
from service.web.presenters import kind_label, long_date
from service.web.registry_panel import own_registry_panel


def listing_edit_page(
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
