"""What a babysitter's own listing page shows of her registry entry (listing_edit_view.py
renders it; babysitter_own_pages.py handles its forms)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import object_session
from sqlmodel import Session

from core.models import RegistryEntry, Service
from importers.records import CERTIFICATE_FIELDS
from service.registry.moderation import entry_of, has_proposal, is_babysitter, service_area_names


def date_values(entry: RegistryEntry, prefix: str = "") -> dict[str, str]:
    """The entry's dates (or its proposed ones) as a date input holds them."""
    values = {}
    for name in CERTIFICATE_FIELDS:
        value = getattr(entry, f"{prefix}{name}")
        values[name] = value.isoformat() if value else ""
    return values


def own_registry_panel(service: Service) -> dict[str, Any]:
    """What a babysitter's listing page shows of her registry entry (nothing for others)."""
    session = object_session(service)
    if not is_babysitter(service) or not isinstance(session, Session):
        return {"registry": None}
    entry = entry_of(session, service.id or 0)
    return {
        "registry": {
            "entry": entry,
            "area": service_area_names(session, service),
            "dates": date_values(entry, "proposed_" if entry and has_proposal(entry) else "")
            if entry
            else {},
            "pending": bool(entry and has_proposal(entry)),
        }
    }
