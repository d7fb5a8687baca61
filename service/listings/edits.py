"""Changing a listing from the portal: the fields a form may send (the editable fields of
`core.listing_fields`, each read by its type), checked with the same normalisers as the
importers, applied with one audit entry per changed field (before → after) in the same
transaction, which the outbox listener turns into an index update."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from core.i18n import Text, _
from core.listing_fields import EDITABLE_FIELDS, ListingField, ValueType
from core.models import AuditEntry, Service, User, utc_now
from importers.normalise.contacts import split_phones
from importers.normalise.preferences import languages_or_empty
from importers.normalise.values import (
    CellError,
    euro_cents_or_none,
    first_email,
    integer_or_none,
    text_or_none,
    website_url,
)
from service.audit.recording import record_change


class ListingEditInvalid(ValueError):
    """Nothing was changed; `problems` maps each wrong field to its message."""

    def __init__(self, problems: dict[str, Text]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))


def _text(limit: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        cleaned = value.strip().replace("\r\n", "\n")
        if len(cleaned) > limit:
            raise CellError(_("al massimo {count} caratteri", count=limit))
        return cleaned

    return parse


def _line(limit: int) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        cleaned = text_or_none(value)
        if cleaned is not None and len(cleaned) > limit:
            raise CellError(_("al massimo {count} caratteri", count=limit))
        return cleaned

    return parse


def _whole(low: int, high: int) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        number = integer_or_none(value)
        if number is not None and not low <= number <= high:
            raise CellError(
                _(
                    "{value} non è ammesso: scegli un valore tra {low} e {high}",
                    value=number,
                    low=low,
                    high=high,
                )
            )
        return number

    return parse


def _choice(values: tuple[str, ...]) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        cleaned = text_or_none(value)
        if cleaned is not None and cleaned not in values:
            raise CellError(
                _(
                    "valore «{value}» non ammesso: usa uno tra {choices}",
                    value=cleaned,
                    choices=", ".join(values),
                )
            )
        return cleaned

    return parse


def _email(value: str) -> str | None:
    if text_or_none(value) is None:
        return None
    found = first_email(value)
    if found is None:
        raise CellError(_("«{value}» non è un indirizzo e-mail", value=value.strip()))
    return found


def _website(value: str) -> str | None:
    if text_or_none(value) is None:
        return None
    url = website_url(value)
    if url is None:
        raise CellError(_("«{value}» non è l'indirizzo di un sito", value=value.strip()))
    return url


def _phone(limit: int) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        """As typed (people write numbers their way), when it holds a phone number."""
        cleaned = text_or_none(value)
        if cleaned is None:
            return None
        if len(cleaned) > limit or not split_phones(cleaned):
            raise CellError(_("«{value}» non è un numero di telefono", value=cleaned[:40]))
        return cleaned

    return parse


def _yes_no(value: str) -> bool | None:
    return {"si": True, "sì": True, "no": False}.get(value.strip().lower())


def _languages(value: str) -> str:
    return ",".join(languages_or_empty(value))


def form_reader(field: ListingField) -> Callable[[str], Any]:
    """How a form's value of `field` is read and checked, by the field's type."""
    limit = field.maximum or 0
    readers: dict[ValueType, Callable[[str], Any]] = {
        ValueType.TEXT: _line(limit),
        ValueType.LONG_TEXT: _text(limit),
        ValueType.CHOICE: _choice(field.choice_values),
        ValueType.WHOLE: _whole(0, limit),
        ValueType.EURO_CENTS: euro_cents_or_none,
        ValueType.YES_NO: _yes_no,
        ValueType.LANGUAGES: _languages,
        ValueType.PHONE: _phone(limit),
        ValueType.EMAIL: _email,
        ValueType.WEBSITE: _website,
    }
    if field.type not in readers:  # a date or a list of comuni has its own page
        raise ValueError(f"no form reader for {field.name} ({field.type})")
    return readers[field.type]


#: the fields of a listing its provider keeps up to date, and how each is read
EDITABLE: dict[str, Callable[[str], Any]] = {
    field.name: form_reader(field) for field in EDITABLE_FIELDS
}


def parse_listing_form(values: Mapping[str, str]) -> dict[str, Any]:
    """The changes a form asks for (only the editable fields it sends), checked."""
    problems: dict[str, Text] = {}
    changes: dict[str, Any] = {}
    for name, parse in EDITABLE.items():
        if name not in values:
            continue
        try:
            changes[name] = parse(str(values[name]))
        except CellError as error:
            problems[name] = error.args[0] if isinstance(error.args[0], Text) else _(str(error))
    _check_together(changes, problems)
    if problems:
        raise ListingEditInvalid(problems)
    return changes


def _check_together(changes: dict[str, Any], problems: dict[str, Text]) -> None:
    low, high = changes.get("age_min_months"), changes.get("age_max_months")
    if low is not None and high is not None and low > high:
        problems["age_max_months"] = _("l'età massima deve essere almeno quella minima")
    places, capacity = changes.get("places_available"), changes.get("capacity")
    if places is not None and capacity is not None and places > capacity:
        problems["places_available"] = _("i posti liberi non possono superare i posti totali")


def apply_listing_changes(
    session: Session, service: Service, changes: Mapping[str, Any], user: User
) -> list[AuditEntry]:
    """Apply `changes` to `service` with an audit entry per changed field; commit."""
    entries = []
    for name, value in changes.items():
        before = getattr(service, name)
        if before == value:
            continue
        setattr(service, name, value)
        entries.append(
            record_change(
                session, user, "service", service.id or 0, name, before, value, service.id
            )
        )
    if entries:
        service.updated_at = utc_now()
        session.add(service)
        session.commit()
    return entries


def confirm_still_accurate(
    session: Session, service: Service, user: User, today: date
) -> AuditEntry:
    """ "Still accurate": today becomes the listing's last-verified date (audited)."""
    entry = record_change(
        session,
        user,
        "service",
        service.id or 0,
        "last_verified_at",
        service.last_verified_at,
        today.isoformat(),
        service.id,
    )
    service.last_verified_at = today
    service.updated_at = utc_now()
    session.add(service)
    session.commit()
    return entry
