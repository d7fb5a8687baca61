"""An operator reviews the families' correction requests ("segnala un errore"): accepting
one applies the operator's field values to the listing and closes the request; rejecting
one needs a reason. Each decision is one transaction with its audit entries (and, for an
accepted change, the outbox entry that carries it to the index).

Only an open request can be decided: the status changes with a conditional UPDATE (`WHERE
status = 'open'`), so of two operators deciding the same request at once exactly one wins
and the other is refused with nothing changed, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, update
from sqlmodel import Session, col, select

from core.i18n import Text, _
from core.kinds import CorrectionStatus
from core.models import AuditEntry, CorrectionRequest, Service, User, utc_now
from service.audit.recording import record_change
from service.listings.edits import apply_listing_changes

ENTITY = "correction_request"
NOTE_MAX_LENGTH = 2000
REASON_MIN_LENGTH = 3
#: the most requests a listing page shows (the count says how many there are)
SHOWN = 100


class UnknownCorrection(LookupError):
    """No correction request has that id."""

    def __init__(self, request_id: int) -> None:
        self.request_id = request_id
        super().__init__(f"no correction request {request_id}")


class CorrectionNotOpen(ValueError):
    """The request was already accepted or rejected: nothing was changed."""

    def __init__(self, request_id: int, status: str) -> None:
        self.request_id = request_id
        self.status = status
        super().__init__(f"correction request {request_id} is {status}, no longer open")


class ReviewNoteInvalid(ValueError):
    """The reason or note given cannot be stored; `field` names the form field."""

    def __init__(self, field: str, message: Text) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class RequestRow:
    """One line of the listing: the request and the name of its listing."""

    request: CorrectionRequest
    service_name: str


@dataclass(frozen=True)
class RequestPage:
    rows: list[RequestRow]
    #: the requests matching the filter (more than `rows` when capped)
    total: int
    #: every status → how many requests have it
    counts: dict[str, int]


def correction_requests(
    session: Session, status: CorrectionStatus | None = None, limit: int = SHOWN
) -> RequestPage:
    """Requests of `status` (all when None), open ones first, then the newest first."""
    statement = select(CorrectionRequest, Service.name).join(
        Service, col(CorrectionRequest.service_id) == col(Service.id)
    )
    if status is not None:
        statement = statement.where(CorrectionRequest.status == status.value)
    open_first = case((col(CorrectionRequest.status) == CorrectionStatus.OPEN.value, 0), else_=1)
    found = session.exec(
        statement.order_by(
            open_first, col(CorrectionRequest.created_at).desc(), col(CorrectionRequest.id).desc()
        ).limit(limit)
    ).all()
    counts = {state.value: 0 for state in CorrectionStatus}
    grouped = session.exec(
        select(CorrectionRequest.status, func.count()).group_by(col(CorrectionRequest.status))
    )
    for state, count in grouped:
        counts[state] = count
    total = counts.get(status.value, 0) if status is not None else sum(counts.values())
    return RequestPage([RequestRow(request, name) for request, name in found], total, counts)


def correction_request(session: Session, request_id: int) -> CorrectionRequest:
    request = session.get(CorrectionRequest, request_id) if 0 < request_id < 2**31 else None
    if request is None:
        raise UnknownCorrection(request_id)
    return request


@dataclass(frozen=True)
class RequestInReview:
    """A request as an operator reviews it: as stored now, its listing, who decided it."""

    request: CorrectionRequest
    service: Service
    #: the operator who accepted or rejected it (None while open)
    resolver: User | None


def request_in_review(session: Session, request_id: int) -> RequestInReview:
    """The request read afresh (after a refused decision: what a colleague decided) with
    its listing and its resolver. Raises `UnknownCorrection`."""
    request = correction_request(session, request_id)
    session.refresh(request)
    service = session.get(Service, request.service_id)
    assert service is not None  # the foreign key cascades: a request outlives no listing
    resolver = session.get(User, request.resolved_by) if request.resolved_by else None
    return RequestInReview(request, service, resolver)


def checked_note(value: str, *, field: str, required: bool) -> str:
    """A rejection's reason (required) or an acceptance's note (optional), trimmed."""
    text = value.strip().replace("\r\n", "\n")
    if required and len(text) < REASON_MIN_LENGTH:
        raise ReviewNoteInvalid(field, _("scrivi perché la segnalazione non va accolta"))
    if len(text) > NOTE_MAX_LENGTH:
        raise ReviewNoteInvalid(field, _("al massimo {count} caratteri", count=NOTE_MAX_LENGTH))
    return text


def accept_correction(
    session: Session,
    request_id: int,
    changes: Mapping[str, Any],
    user: User,
    note: str = "",
) -> list[AuditEntry]:
    """Apply `changes` (checked by `parse_listing_form`) to the request's listing and mark
    the request resolved by `user`, audited, in one transaction; the listing's audit
    entries (none when the operator changed nothing). Raises `UnknownCorrection`,
    `CorrectionNotOpen` (nothing changed)."""
    request = correction_request(session, request_id)
    service = session.get(Service, request.service_id)
    assert service is not None  # the foreign key cascades: a request outlives no listing
    try:
        _close(session, request, CorrectionStatus.RESOLVED, user, note)
        # commits the listing's changes, their audit and outbox entries with the closing
        entries = apply_listing_changes(session, service, changes, user)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return entries


def reject_correction(session: Session, request_id: int, reason: str, user: User) -> None:
    """Mark the request rejected by `user` for `reason` (checked by `checked_note`),
    audited; the listing is left alone. Raises `UnknownCorrection`, `CorrectionNotOpen`."""
    request = correction_request(session, request_id)
    try:
        _close(session, request, CorrectionStatus.REJECTED, user, reason)
        session.commit()
    except Exception:
        session.rollback()
        raise


def _close(
    session: Session,
    request: CorrectionRequest,
    status: CorrectionStatus,
    user: User,
    note: str,
) -> None:
    """Take the request from open to `status` (not committed), or raise `CorrectionNotOpen`."""
    request_id = request.id or 0
    claimed = session.execute(
        update(CorrectionRequest)
        .where(
            col(CorrectionRequest.id) == request_id,
            col(CorrectionRequest.status) == CorrectionStatus.OPEN.value,
        )
        .values(
            status=status.value, resolved_by=user.id, resolved_at=utc_now(), resolution_note=note
        )
        .execution_options(synchronize_session="fetch")
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        session.refresh(request)
        raise CorrectionNotOpen(request_id, request.status)
    record_change(
        session,
        user,
        ENTITY,
        request_id,
        "status",
        CorrectionStatus.OPEN.value,
        status.value,
        request.service_id,
    )
    if note:
        record_change(
            session, user, ENTITY, request_id, "resolution_note", None, note, request.service_id
        )
