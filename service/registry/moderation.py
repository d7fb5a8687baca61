"""The babysitter registry: operators approve, reject and suspend entries and keep their
certifications (registry course, paediatric first aid) with their expiry; babysitters
propose new certification dates, which wait for an operator; `conciliamo registry check`
suspends the entries whose certifications expired.

Every change is audited field by field (entity "registry_entry", the listing's id) and
enqueued for the index in the same transaction: families see a babysitter only while her
entry is approved and her certifications are valid on the first day they need care
(search.documents.registry_valid_until, search.query.registry_filter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from core.i18n import Text, _
from core.kinds import RegistryStatus, ServiceKind
from core.models import RegistryEntry, Service, User, utc_now
from core.outbox_recording import record_changes
from core.places.gazetteer import Gazetteer, alternatives
from importers.normalise.preferences import names_list
from importers.normalise.values import CellError
from importers.records import CERTIFICATE_FIELDS, CERTIFICATE_PAIRS, certificate_date_or_none
from service.audit.recording import record_change
from service.listings.edits import apply_listing_changes

ENTITY = "registry_entry"
EXPIRY_FIELDS = ("registry_course_expires_on", "first_aid_expires_on")
#: entries whose certifications expire within this are flagged in the moderation list
EXPIRING_WITHIN = timedelta(days=60)
NOTE_LIMIT = 2000
#: the moderation list's order: what waits for a decision first
STATUS_ORDER = (
    RegistryStatus.PENDING,
    RegistryStatus.APPROVED,
    RegistryStatus.SUSPENDED,
    RegistryStatus.REJECTED,
)


class RegistryInvalid(ValueError):
    """Nothing was changed; `problems` maps each wrong field to its message."""

    def __init__(self, problems: dict[str, Text]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))


def entry_of(session: Session, service_id: int) -> RegistryEntry | None:
    return session.get(RegistryEntry, service_id)


def valid_until(entry: RegistryEntry) -> date | None:
    """The earlier expiry of the two certifications (None: no expiry recorded)."""
    expiries = [getattr(entry, name) for name in EXPIRY_FIELDS if getattr(entry, name)]
    return min(expiries) if expiries else None


def is_expired(entry: RegistryEntry, today: date) -> bool:
    until = valid_until(entry)
    return until is not None and until < today


def is_expiring(entry: RegistryEntry, today: date) -> bool:
    until = valid_until(entry)
    return until is not None and today <= until <= today + EXPIRING_WITHIN


def is_public(entry: RegistryEntry | None, on: date) -> bool:
    """Whether families may see the babysitter on `on` (the same rule as the index's)."""
    return (
        entry is not None
        and entry.status == RegistryStatus.APPROVED.value
        and not is_expired(entry, on)
    )


def has_proposal(entry: RegistryEntry) -> bool:
    return entry.proposed_at is not None


# ---- changes (each audited, enqueued for the index, committed) ------------------------------


def _set(
    session: Session, entry: RegistryEntry, user: User | None, name: str, value: object
) -> bool:
    before = getattr(entry, name)
    if before == value:
        return False
    setattr(entry, name, value)
    service_id = entry.service_id or 0
    record_change(session, user, ENTITY, service_id, name, before, value, service_id)
    return True


def _commit(session: Session, entry: RegistryEntry) -> None:
    entry.updated_at = utc_now()
    session.add(entry)
    record_changes(session, [entry.service_id or 0])
    session.commit()


def _decide(
    session: Session, entry: RegistryEntry, user: User | None, status: RegistryStatus, note: str
) -> None:
    _set(session, entry, user, "status", status.value)
    _set(session, entry, user, "decision_note", note)
    entry.decided_by = user.id if user else None
    entry.decided_at = utc_now()
    _commit(session, entry)


def _reason(note: str) -> str:
    cleaned = note.strip().replace("\r\n", "\n")
    if not cleaned:
        raise RegistryInvalid({"note": _("scrivi il motivo della decisione")})
    if len(cleaned) > NOTE_LIMIT:
        raise RegistryInvalid({"note": _("al massimo {count} caratteri", count=NOTE_LIMIT)})
    return cleaned


def approve(session: Session, entry: RegistryEntry, user: User, today: date) -> None:
    """Approve the entry (shown to families): only with certifications still valid."""
    if is_expired(entry, today):
        raise RegistryInvalid(
            {"status": _("una certificazione è scaduta: registra prima il rinnovo")}
        )
    _decide(session, entry, user, RegistryStatus.APPROVED, "")


def reject(session: Session, entry: RegistryEntry, user: User, note: str) -> None:
    _decide(session, entry, user, RegistryStatus.REJECTED, _reason(note))


def suspend(session: Session, entry: RegistryEntry, user: User | None, note: str) -> None:
    _decide(session, entry, user, RegistryStatus.SUSPENDED, _reason(note))


def parse_certificates(values: Mapping[str, str], prefix: str = "") -> dict[str, date | None]:
    """The four certification dates of a form (fields `<prefix><name>`, GG/MM/AAAA or the
    ISO dates of a date input), checked: each expiry after its course."""
    problems: dict[str, Text] = {}
    dates: dict[str, date | None] = {}
    for name in CERTIFICATE_FIELDS:
        try:
            dates[name] = certificate_date_or_none(values.get(prefix + name, ""))
        except CellError as error:
            message = error.args[0]
            problems[prefix + name] = message if isinstance(message, Text) else _(str(error))
    for attended, expires in CERTIFICATE_PAIRS:
        start, end = dates.get(attended), dates.get(expires)
        if start and end and end < start:
            problems[prefix + expires] = _("la scadenza deve venire dopo la data del corso")
    if problems:
        raise RegistryInvalid(problems)
    return dates


def set_certificates(
    session: Session, entry: RegistryEntry, user: User, dates: Mapping[str, date | None]
) -> None:
    """An operator records the certification dates; any proposal is settled by them."""
    for name in CERTIFICATE_FIELDS:
        _set(session, entry, user, name, dates.get(name))
    _clear_proposal(session, entry, user)
    _commit(session, entry)


def approve_proposal(session: Session, entry: RegistryEntry, user: User) -> None:
    """The dates the babysitter proposed become the entry's."""
    if not has_proposal(entry):
        raise RegistryInvalid({"proposta": _("nessuna proposta da approvare")})
    for name in CERTIFICATE_FIELDS:
        _set(session, entry, user, name, getattr(entry, f"proposed_{name}"))
    _clear_proposal(session, entry, user)
    _commit(session, entry)


def _clear_proposal(session: Session, entry: RegistryEntry, user: User) -> None:
    for name in CERTIFICATE_FIELDS:
        _set(session, entry, user, f"proposed_{name}", None)
    _set(session, entry, user, "proposed_at", None)


def propose_certificates(
    session: Session, entry: RegistryEntry, user: User, dates: Mapping[str, date | None]
) -> bool:
    """The babysitter's dates wait for an operator: families keep seeing the approved ones.
    False when they are the approved ones already (nothing to review)."""
    if all(getattr(entry, name) == dates.get(name) for name in CERTIFICATE_FIELDS):
        return False
    for name in CERTIFICATE_FIELDS:
        _set(session, entry, user, f"proposed_{name}", dates.get(name))
    _set(session, entry, user, "proposed_at", utc_now())
    _commit(session, entry)
    return True


def parse_service_area(session: Session, text: str) -> tuple[str, ...]:
    """«Sesto San Giovanni; Cinisello Balsamo» → their ISTAT codes (the gazetteer's)."""
    gazetteer = Gazetteer(session)
    found: list[str] = []
    problems: list[Text] = []
    for name in names_list(text):
        comune = gazetteer.find(name)
        if comune is None:
            problems.append(unknown_comune_text(gazetteer, name))
        elif comune.istat_code not in found:
            found.append(comune.istat_code)
    if problems:
        raise RegistryInvalid({"service_area": problems[0]})
    return tuple(found)


def unknown_comune_text(gazetteer: Gazetteer, name: str) -> Text:
    hint = gazetteer.suggestions(name)
    if hint:
        return _(
            "comune sconosciuto «{comune}»: forse {suggestions}?",
            comune=name,
            suggestions=alternatives(hint),
        )
    return _("comune sconosciuto «{comune}»", comune=name)


def service_area_names(session: Session, service: Service) -> str:
    gazetteer = Gazetteer(session)
    names = []
    for code in filter(None, service.service_area.split(",")):
        comune = gazetteer.find(code)
        names.append(comune.name if comune else code)
    return "; ".join(names)


def set_service_area(session: Session, service: Service, user: User, codes: Iterable[str]) -> bool:
    """The comuni a babysitter works in (audited; the outbox listener sees the service)."""
    changed = apply_listing_changes(session, service, {"service_area": ",".join(codes)}, user)
    return bool(changed)


def suspend_expired(session: Session, today: date) -> list[int]:
    """Suspend every approved entry with a certification expired before `today` (the
    nightly check): audited with no user, enqueued for the index. The suspended ids."""
    statement = select(RegistryEntry).where(RegistryEntry.status == RegistryStatus.APPROVED.value)
    suspended = []
    for entry in session.exec(statement.order_by(col(RegistryEntry.service_id))).all():
        until = valid_until(entry)
        if until is not None and until < today:
            note = f"certificazione scaduta il {until:%d/%m/%Y}"
            suspend(session, entry, None, note)
            suspended.append(entry.service_id or 0)
    return suspended


def is_babysitter(service: Service) -> bool:
    return service.kind == ServiceKind.BABYSITTER.value


@dataclass(frozen=True)
class RegistryRow:
    """One line of the moderation list."""

    service: Service
    entry: RegistryEntry
    expiring: bool
    expired: bool


def moderation_rows(session: Session, today: date) -> list[RegistryRow]:
    """Every entry: pending first, then approved, suspended, rejected; by name within."""
    pairs = session.exec(
        select(RegistryEntry, Service)
        .join(Service, col(Service.id) == col(RegistryEntry.service_id))
        .options(selectinload(Service.location))  # type: ignore[arg-type]
    ).all()
    order = {status.value: rank for rank, status in enumerate(STATUS_ORDER)}
    rows = [
        RegistryRow(service, entry, is_expiring(entry, today), is_expired(entry, today))
        for entry, service in pairs
    ]
    return sorted(rows, key=lambda row: (order.get(row.entry.status, 9), row.service.name))


def approved_rows(session: Session) -> list[RegistryRow]:
    pairs = session.exec(
        select(RegistryEntry, Service)
        .join(Service, col(Service.id) == col(RegistryEntry.service_id))
        .where(RegistryEntry.status == RegistryStatus.APPROVED.value)
        .order_by(col(Service.name), col(Service.id))
        .options(selectinload(Service.location))  # type: ignore[arg-type]
    ).all()
    return [RegistryRow(service, entry, False, False) for entry, service in pairs]
