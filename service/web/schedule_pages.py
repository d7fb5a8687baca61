"""The reserved area's schedule editor: a listing's opening hours as a weekly grid per
validity period (school year, summer weeks, all year). Works without JavaScript: "Aggiungi
un periodo" re-renders the grid with an empty period, "Elimina questo periodo" drops one when
saving. Kind-agnostic (a babysitter's availability is the same grid)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import get_day_names
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.i18n import Text, _
from core.models import Service, User
from service.listings.schedule_edits import (
    MAX_PERIODS,
    WEEKDAYS,
    PeriodDraft,
    ScheduleDraft,
    ScheduleEditInvalid,
    draft_from_form,
    draft_from_rows,
    parse_schedule,
    replace_schedule,
)
from service.web.area_common import listing_or_404, signed_in_user
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.guards import OWN_LISTING
from service.web.language import current_language
from service.web.presenters import kind_label, long_date

MAX_BODY_BYTES = 64 * 1024
SCHEDULE_FIELD = re.compile(r"p(\d+)_(start|end|from|to)(?:_(\d)_(\d))?")


def _day_name(weekday: int, language: str) -> str:
    return str(get_day_names("wide", locale=language)[weekday - 1]).capitalize()


def range_label(kind: str, weekday: int, number: int, language: str) -> Text:
    """ "Lunedì: dalle ore", "Lunedì, 2ª fascia: alle ore"."""
    day = _day_name(weekday, language)
    if number > 1:
        slot = _("{number}ª fascia", number=number).render(language)
        day = f"{day}, {slot}"
    return _("{day}: dalle ore", day=day) if kind == "from" else _("{day}: alle ore", day=day)


@dataclass(frozen=True)
class ScheduleFieldError(FieldError):
    """A problem with a field of the grid, named as people read it."""

    @property
    def label(self) -> Text:
        found = SCHEDULE_FIELD.fullmatch(self.field)
        if found is None:
            return _("Periodi") if self.field == "periods" else super().label
        period, kind = int(found[1]), found[2]
        if kind in {"start", "end"}:
            what = _("primo giorno") if kind == "start" else _("ultimo giorno")
        else:
            what = range_label(kind, int(found[3]), int(found[4]), current_language())
        return _("Periodo {number}, {what}", number=period, what=what)


def _parsed_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def period_heading(period: PeriodDraft, language: str) -> Text:
    """The period as its dates say it: "dal 1° settembre 2026 all'11 luglio 2027"."""
    start, end = _parsed_date(period.start), _parsed_date(period.end)
    if start and end:
        return _(
            "dal {start} al {end}",
            start=long_date(start, language) or "",
            end=long_date(end, language) or "",
        )
    if start:
        return _("dal {start}", start=long_date(start, language) or "")
    if end:
        return _("fino al {end}", end=long_date(end, language) or "")
    return _("nuovo periodo") if period.blank else _("tutto l'anno")


def schedule_page(
    service: Service,
    user: User,
    draft: ScheduleDraft,
    errors: list[FieldError] | None = None,
    saved: bool = False,
    status: int = 200,
) -> Template:
    language = current_language()
    return Template(
        template_name="pages/area/schedule.html",
        context={
            "user": user,
            "service": service,
            "kind_label": kind_label(service.kind, language),
            "draft": draft,
            "headings": [period_heading(period, language) for period in draft.periods],
            "weekdays": [(day, _day_name(day, language)) for day in WEEKDAYS],
            "range_label": lambda kind, day, number: range_label(kind, day, number, language),
            "max_periods": MAX_PERIODS,
            "errors": errors or [],
            "saved": saved,
        },
        status_code=status,
    )


class SchedulePages(Controller):
    path = "/area"
    include_in_schema = False

    @get(
        "/servizi/{service_id:int}/orari",
        name="schedule_edit",
        sync_to_thread=True,
        **OWN_LISTING,
    )
    def edit_form(
        self, request: Request, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        user = signed_in_user(request, context)
        with context.session() as session:
            service = listing_or_404(session, service_id)
            draft = draft_from_rows(service.schedule_rows)
            if not draft.periods:
                draft.add_period()
            saved = request.query_params.get("salvato") == "1"
            return schedule_page(service, user, draft, saved=saved)

    @post(
        "/servizi/{service_id:int}/orari",
        name="schedule_save",
        sync_to_thread=True,
        **OWN_LISTING,
        request_max_body_size=MAX_BODY_BYTES,
    )
    def save(
        self,
        request: Request[Any, Any, Any],
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        user = signed_in_user(request, context)
        draft = draft_from_form(data)
        with context.session() as session:
            service = listing_or_404(session, service_id)
            if data.get("action") == "add":
                draft.add_period()
                return schedule_page(service, user, draft)
            try:
                periods = parse_schedule(draft)
            except ScheduleEditInvalid as invalid:
                errors: list[FieldError] = [
                    ScheduleFieldError(name, message) for name, message in invalid.problems.items()
                ]
                return schedule_page(service, user, draft, errors, status=400)
            replace_schedule(session, service, periods, user)
        return Redirect(f"/area/servizi/{service_id}/orari?salvato=1", status_code=303)
