"""What families see of a babysitter: first name and initial, comune, availability, the
certifications with their expiry and the contact of the nearest Sportello Famiglia-Lavoro,
never her own phone, e-mail, website or address (search.documents drops those for the
index and the JSON; the service page shows this card instead of the contacts)."""

from __future__ import annotations

from typing import Any

from meilisearch.errors import MeilisearchError
from sqlmodel import Session

from core.models import RegistryEntry, Service
from search.sportelli import nearest_sportelli
from service.registry.moderation import entry_of, is_babysitter, is_public
from service.web.context import AppContext
from service.web.presenters import certificate_texts


def publicly_visible(session: Session, service: Service, context: AppContext) -> bool:
    """Any published listing, but a babysitter only while approved with valid certificates."""
    if not is_babysitter(service):
        return True
    return is_public(entry_of(session, service.id or 0), context.today())


def nearest_sportello(context: AppContext, service: Service) -> dict[str, Any] | None:
    """The help desk nearest the babysitter's comune, from the index (None when the index
    cannot answer: the page still shows, with a link to the sportelli page)."""
    location = service.location
    try:
        found = nearest_sportelli(
            context.meili,
            context.settings.services_index,
            location.latitude,
            location.longitude,
            limit=1,
        )
    except MeilisearchError:
        return None
    return found[0] if found else None


def sportello_contact(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """The public contact of a help desk (its index document), for the JSON API."""
    if document is None:
        return None
    return {
        "id": document["id"],
        "name": document["name"],
        "address": document.get("address"),
        "comune": document.get("comune"),
        "phone": document.get("phone"),
        "email": document.get("email"),
        "website": document.get("website"),
        "url": f"/servizi/{document['id']}",
    }


def babysitter_json(
    context: AppContext, session: Session, service: Service
) -> dict[str, Any] | None:
    """A babysitter's certifications and nearest sportello for the JSON API (None for
    other kinds)."""
    if not is_babysitter(service):
        return None
    return registry_json(entry_of(session, service.id or 0), nearest_sportello(context, service))


def registry_json(entry: RegistryEntry | None, sportello: dict[str, Any] | None) -> dict[str, Any]:
    """A babysitter's extra fields in `/api/v1/services/{id}`."""
    course = entry.registry_course_expires_on if entry else None
    first_aid = entry.first_aid_expires_on if entry else None
    return {
        "certifications": {
            "registry_course_on": _iso(entry.registry_course_on if entry else None),
            "registry_course_expires_on": _iso(course),
            "first_aid_on": _iso(entry.first_aid_on if entry else None),
            "first_aid_expires_on": _iso(first_aid),
            "text": [text.render("it") for text in certificate_texts(course, first_aid, "it")],
        },
        "contact": sportello_contact(sportello),
    }


def document_certifications(document: dict[str, Any]) -> dict[str, Any] | None:
    """A babysitter's certification expiries as a search result carries them."""
    if document.get("kind") != "babysitter":
        return None
    return {
        "registry_course_expires_on": document.get("registry_course_expires_on"),
        "first_aid_expires_on": document.get("first_aid_expires_on"),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
