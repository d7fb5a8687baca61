"""Family cases: a need an operator saves for later, only with the family's consent and
with the least data that serves (a generated reference instead of names, the search as its
URL query with children as birth month and year, the operator's notes). Deleted on the
family's request, and by `conciliamo cases purge` once untouched for the retention period.
"""

from __future__ import annotations

import calendar
import secrets
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from core.i18n import Text, _
from core.models import FamilyCase, User, utc_now
from service.audit.recording import record_change

MAX_NOTES = 2000
MAX_QUERY = 4000
CONSENT_FIELD = "consent"
#: no 0/O, 1/I/L: a code read out over the phone
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 4
REFERENCE_ATTEMPTS = 20
CONSENT_MISSING = _("serve il consenso della famiglia per conservare questi dati")


class CaseRefused(ValueError):
    """A case that may not be saved: the field to fix and why."""

    def __init__(self, field: str, message: Text) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message


def new_reference(session: Session, now: datetime) -> str:
    """ "C-2026-4F7K": the year and four random characters, unique among the cases."""
    for _attempt in range(REFERENCE_ATTEMPTS):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        reference = f"C-{now.year}-{code}"
        if (
            session.exec(select(FamilyCase).where(FamilyCase.reference == reference)).first()
            is None
        ):
            return reference
    raise RuntimeError("no free case reference left this year: make REFERENCE_LENGTH longer")


def _checked(search_query: str, notes: str) -> tuple[str, str]:
    if len(notes) > MAX_NOTES:
        raise CaseRefused(
            "notes", _("le note possono avere al massimo {count} caratteri", count=MAX_NOTES)
        )
    if not search_query or len(search_query) > MAX_QUERY:
        raise CaseRefused("query", _("la ricerca da salvare manca o è troppo lunga"))
    return search_query, notes.strip()


def create_case(
    session: Session,
    user: User,
    search_query: str,
    notes: str,
    consent: bool,
    now: datetime | None = None,
) -> FamilyCase:
    """Save a case, only when the family has consented (`CaseRefused` otherwise)."""
    if not consent:
        raise CaseRefused(CONSENT_FIELD, CONSENT_MISSING)
    search_query, notes = _checked(search_query, notes)
    moment = now or utc_now()
    case = FamilyCase(
        reference=new_reference(session, moment),
        search_query=search_query,
        notes=notes,
        consent_recorded_at=moment,
        created_by=user.id,
        created_at=moment,
        updated_at=moment,
    )
    session.add(case)
    session.commit()
    session.refresh(case)
    return case


def update_case(
    session: Session, case: FamilyCase, search_query: str, notes: str, now: datetime | None = None
) -> FamilyCase:
    case.search_query, case.notes = _checked(search_query, notes)
    case.updated_at = now or utc_now()
    session.add(case)
    session.commit()
    session.refresh(case)
    return case


def delete_case(session: Session, case: FamilyCase, user: User) -> None:
    """On the family's request; the audit log keeps who did it and the reference only."""
    assert case.id is not None
    record_change(session, user, "family_case", case.id, "deleted", case.reference, None)
    session.delete(case)
    session.commit()


def recent_cases(session: Session, limit: int = 200) -> list[tuple[FamilyCase, User | None]]:
    """The cases, last changed first, with the account that saved each."""
    statement = (
        select(FamilyCase, User)
        .join(User, col(FamilyCase.created_by) == col(User.id), isouter=True)
        .order_by(col(FamilyCase.updated_at).desc(), col(FamilyCase.id).desc())
        .limit(limit)
    )
    return [(case, user) for case, user in session.exec(statement)]


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    it is shorter: 31 March − 1 month = 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def purge_expired_cases(session: Session, now: datetime, retention_months: int) -> int:
    """Delete the cases not changed in the last `retention_months`; how many were."""
    cutoff = months_before(now, retention_months)
    result = session.execute(delete(FamilyCase).where(col(FamilyCase.updated_at) < cutoff))
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
