"""What the reserved area's pages share: the signed-in account, a listing by id, a
listing's values as its edit form shows them, and the shape of a posted form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlmodel import Session

from core.i18n import _
from core.listing_fields import EDITABLE_FIELDS, ListingField, ValueType
from core.models import Service, User
from service.web.context import AppContext
from service.web.language import current_language
from service.web.session import session_user

MAX_BODY_BYTES = 32 * 1024


def signed_in_user(request: Request[Any, Any, Any], context: AppContext) -> User:
    """The account of a request that a guard has let through."""
    with context.session() as session:
        user = session_user(request, session)
    assert user is not None  # the route's guard has checked
    return user


def listing_or_404(session: Session, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFoundException(
            _("Nessun servizio con numero {id}", id=service_id).render(current_language())
        )
    return service


def posted_listing_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The editable fields a posted form sends, as typed (cut to a length nothing needs more
    of), for the listing parser and for showing the form again."""
    return {
        field.name: str(data[field.name])[:5000] for field in EDITABLE_FIELDS if field.name in data
    }


def listing_form_values(service: Service) -> dict[str, str]:
    """The editable fields as the form shows them (euros with a comma, sì/no)."""
    return {
        field.name: form_value(field, getattr(service, field.name)) for field in EDITABLE_FIELDS
    }


def form_value(field: ListingField, value: object) -> str:
    """A stored value as the edit form shows it, by the field's type."""
    if value is None:
        return ""
    if field.type == ValueType.YES_NO:
        return "sì" if value else "no"
    if field.type == ValueType.EURO_CENTS and isinstance(value, int):
        return f"{value / 100:g}".replace(".", ",")
    return str(value)
