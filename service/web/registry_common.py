"""What the babysitter registry's pages share (the operators' in registry_moderation_pages,
a babysitter's own in babysitter_own_pages): an entry by its listing's id, or 404, and a
refused change's problems as the form's field errors."""

from __future__ import annotations

from litestar.exceptions import NotFoundException
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from core.i18n import _
from core.models import RegistryEntry, Service
from service.registry.moderation import RegistryInvalid, entry_of
from service.web.field_errors import FieldError
from service.web.language import current_language


def registry_entry_or_404(session: Session, service_id: int) -> tuple[Service, RegistryEntry]:
    service = session.get(
        Service,
        service_id,
        options=[selectinload(Service.location)],  # type: ignore[arg-type]
    )
    entry = entry_of(session, service_id) if service is not None else None
    if service is None or entry is None:
        raise NotFoundException(
            _("Nessuna babysitter dell'elenco con numero {id}", id=service_id).render(
                current_language()
            )
        )
    return service, entry


def registry_errors(invalid: RegistryInvalid) -> list[FieldError]:
    return [FieldError(name, message) for name, message in invalid.problems.items()]
