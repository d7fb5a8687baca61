"""The operators' review of the families' correction requests in the reserved area (STAFF
only): the requests by status, and each one beside its listing's fields, accepted into the
listing (with the operator's values) or rejected with a reason. The decisions live in
service/corrections/review.py; handlers stay thin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import Session

from core.i18n import Text, _
from core.kinds import CorrectionStatus, CorrectionTopic
from core.models import User
from service.corrections.review import (
    CorrectionNotOpen,
    RequestInReview,
    ReviewNoteInvalid,
    UnknownCorrection,
    accept_correction,
    checked_note,
    correction_requests,
    reject_correction,
    request_in_review,
)
from service.listings.edits import ListingEditInvalid, parse_listing_form
from service.web import guards
from service.web.area_common import listing_form_values, posted_listing_values, signed_in_user
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.language import current_language
from service.web.presenters import kind_label, long_date

MAX_BODY_BYTES = 32 * 1024
STAFF_ONLY: dict[str, Any] = {**guards.STAFF_ONLY, "sync_to_thread": True}
STATUS_LABELS: dict[str, Text] = {
    CorrectionStatus.OPEN.value: _("Da esaminare"),
    CorrectionStatus.RESOLVED.value: _("Accettata"),
    CorrectionStatus.REJECTED.value: _("Rifiutata"),
}
NOTE_LABELS: dict[str, Text] = {"motivo": _("Motivo"), "nota": _("Nota")}
OUTCOMES: dict[str, Text] = {
    "accettata": _("Segnalazione accettata: la scheda è aggiornata."),
    "rifiutata": _("Segnalazione rifiutata: la scheda non è cambiata."),
}


@dataclass(frozen=True)
class NoteError(FieldError):
    """A problem with the reason or note, named as the form names it."""

    @property
    def label(self) -> Text:
        return NOTE_LABELS.get(self.field, super().label)


def _topic_label(topic: str) -> str:
    try:
        known = CorrectionTopic(topic)
    except ValueError:
        return topic
    return known.label_en if current_language() == "en" else known.label_it


def _status_filter(value: object) -> CorrectionStatus | None:
    try:
        return CorrectionStatus(str(value))
    except ValueError:
        return None


def _review_or_404(session: Session, request_id: int) -> RequestInReview:
    try:
        return request_in_review(session, request_id)
    except UnknownCorrection:
        raise NotFoundException(
            _("Nessuna segnalazione con numero {id}", id=request_id).render(current_language())
        ) from None


def _outcome(request: Request[Any, Any, Any]) -> str:
    outcome = OUTCOMES.get(str(request.query_params.get("esito", "")))
    return outcome.render(current_language()) if outcome else ""


def _refusal(status: str) -> str:
    label = STATUS_LABELS.get(status, _("chiusa")).render(current_language()).lower()
    return _(
        "Questa segnalazione è già stata esaminata ({status}): non è cambiato nulla.",
        status=label,
    ).render(current_language())


class CorrectionReviewPages(Controller):
    path = "/area"
    include_in_schema = False

    @get("/segnalazioni", name="corrections", **STAFF_ONLY)
    def corrections(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        status = _status_filter(request.query_params.get("stato", ""))
        language = current_language()
        with context.session() as session:
            page = correction_requests(session, status)
        rows = [
            (row.request, row.service_name, _topic_label(row.request.topic)) for row in page.rows
        ]
        return Template(
            template_name="pages/area/corrections.html",
            context={
                "user": signed_in_user(request, context),
                "rows": rows,
                "total": page.total,
                "counts": page.counts,
                "status": status.value if status else "",
                "status_labels": STATUS_LABELS,
                "long_date": lambda value: long_date(value, language),
            },
        )

    @get("/segnalazioni/{request_id:int}", name="correction_review", **STAFF_ONLY)
    def correction(
        self, request: Request, request_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        with context.session() as session:
            return self._review_page(
                session, request_id, signed_in_user(request, context), outcome=_outcome(request)
            )

    @post(
        "/segnalazioni/{request_id:int}/accetta",
        name="correction_accept",
        request_max_body_size=MAX_BODY_BYTES,
        **STAFF_ONLY,
    )
    def accept(
        self,
        request: Request,
        request_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        user = signed_in_user(request, context)
        values = posted_listing_values(data)
        note = str(data.get("nota", ""))[:5000]
        with context.session() as session:
            _review_or_404(session, request_id)
            try:
                changes = parse_listing_form(values)
                checked = checked_note(note, field="nota", required=False)
                accept_correction(session, request_id, changes, user, checked)
            except ListingEditInvalid as invalid:
                errors = [FieldError(name, message) for name, message in invalid.problems.items()]
                return self._review_page(
                    session, request_id, user, values, errors, note=note, status_code=400
                )
            except ReviewNoteInvalid as invalid:
                return self._review_page(
                    session,
                    request_id,
                    user,
                    values,
                    [NoteError(invalid.field, invalid.message)],
                    note=note,
                    status_code=400,
                )
            except CorrectionNotOpen as refused:
                return self._review_page(
                    session, request_id, user, refusal=_refusal(refused.status), status_code=409
                )
        return Redirect(f"/area/segnalazioni/{request_id}?esito=accettata", status_code=303)

    @post(
        "/segnalazioni/{request_id:int}/rifiuta",
        name="correction_reject",
        request_max_body_size=MAX_BODY_BYTES,
        **STAFF_ONLY,
    )
    def reject(
        self,
        request: Request,
        request_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        user = signed_in_user(request, context)
        reason = str(data.get("motivo", ""))[:5000]
        with context.session() as session:
            _review_or_404(session, request_id)
            try:
                reject_correction(
                    session, request_id, checked_note(reason, field="motivo", required=True), user
                )
            except ReviewNoteInvalid as invalid:
                return self._review_page(
                    session,
                    request_id,
                    user,
                    errors=[NoteError(invalid.field, invalid.message)],
                    reason=reason,
                    status_code=400,
                )
            except CorrectionNotOpen as refused:
                return self._review_page(
                    session, request_id, user, refusal=_refusal(refused.status), status_code=409
                )
        return Redirect(f"/area/segnalazioni/{request_id}?esito=rifiutata", status_code=303)

    @staticmethod
    def _review_page(
        session: Session,
        request_id: int,
        user: User,
        values: dict[str, str] | None = None,
        errors: Sequence[FieldError] = (),
        *,
        note: str = "",
        reason: str = "",
        outcome: str = "",
        refusal: str = "",
        status_code: int = 200,
    ) -> Template:
        """The request beside its listing's fields: the saved values, overlaid with what
        the operator sent when it needs fixing."""
        review = _review_or_404(session, request_id)  # after a refused decision: the colleague's
        correction, service, resolver = review.request, review.service, review.resolver
        language = current_language()
        return Template(
            template_name="pages/area/corrections_review.html",
            context={
                "user": user,
                "correction": correction,
                "service": service,
                "comune": service.location.comune,
                "kind_label": kind_label(service.kind, language),
                "topic_label": _topic_label(correction.topic),
                "status_label": STATUS_LABELS.get(correction.status, _("chiusa")),
                "is_open": correction.status == CorrectionStatus.OPEN.value,
                "resolver": resolver.email if resolver else None,
                "created": long_date(correction.created_at, language),
                "resolved": long_date(correction.resolved_at, language),
                "last_verified": long_date(service.last_verified_at, language),
                "values": {**listing_form_values(service), **(values or {})},
                "errors": list(errors),
                "note": note,
                "reason": reason,
                "outcome": outcome,
                "refusal": refusal,
            },
            status_code=status_code,
        )
