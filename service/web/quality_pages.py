"""The data quality dashboard in the reserved area (STAFF only): listings not verified for a
long time, places only approximately located, and possible duplicate pairs to merge or tell
apart. The decisions live in service/quality.py; handlers stay thin."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.i18n import Text, _
from service.quality import (
    DuplicateNotOpen,
    UnknownDuplicate,
    approximate_locations,
    mark_distinct,
    merge_duplicate,
    open_duplicates,
    stale_cutoff,
    stale_listings,
)
from service.web import guards
from service.web.area_common import signed_in_user
from service.web.context import AppContext
from service.web.language import current_language
from service.web.presenters import kind_label, long_date

STAFF_ONLY: dict[str, Any] = {**guards.STAFF_ONLY, "sync_to_thread": True}
OUTCOMES: dict[str, Text] = {
    "unito": _("Doppione unito: la seconda scheda è sospesa e non compare più nella ricerca."),
    "distinti": _("Segnato: sono due servizi distinti."),
}


def _outcome(request: Request[Any, Any, Any]) -> str:
    outcome = OUTCOMES.get(str(request.query_params.get("esito", "")))
    return outcome.render(current_language()) if outcome else ""


class QualityPages(Controller):
    path = "/area"
    include_in_schema = False

    @get("/qualita", name="quality", **STAFF_ONLY)
    def quality(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        return self._quality_page(request, context, _outcome(request))

    @post(
        "/qualita/doppioni/{candidate_id:int}/unisci",
        name="duplicate_merge",
        request_max_body_size=1024,
        **STAFF_ONLY,
    )
    def merge(
        self, request: Request, candidate_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        return self._answer(request, context, candidate_id, merge=True)

    @post(
        "/qualita/doppioni/{candidate_id:int}/distinti",
        name="duplicate_distinct",
        request_max_body_size=1024,
        **STAFF_ONLY,
    )
    def distinct(
        self, request: Request, candidate_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template | Redirect:
        return self._answer(request, context, candidate_id, merge=False)

    def _answer(
        self,
        request: Request[Any, Any, Any],
        context: AppContext,
        candidate_id: int,
        *,
        merge: bool,
    ) -> Template | Redirect:
        user = signed_in_user(request, context)
        with context.session() as session:
            try:
                if merge:
                    merge_duplicate(session, candidate_id, user)
                else:
                    mark_distinct(session, candidate_id, user)
            except UnknownDuplicate:
                raise NotFoundException(
                    _("Nessun possibile doppione con numero {id}", id=candidate_id).render(
                        current_language()
                    )
                ) from None
            except DuplicateNotOpen:
                refusal = _(
                    "Questa coppia è già stata esaminata da un collega: non è cambiato nulla."
                ).render(current_language())
                return self._quality_page(request, context, refusal=refusal, status_code=409)
        outcome = "unito" if merge else "distinti"
        return Redirect(f"/area/qualita?esito={outcome}#doppioni", status_code=303)

    @staticmethod
    def _quality_page(
        request: Request[Any, Any, Any],
        context: AppContext,
        outcome: str = "",
        refusal: str = "",
        status_code: int = 200,
    ) -> Template:
        language = current_language()
        today = context.today()
        with context.session() as session:
            stale = stale_listings(session, today)
            approximate = approximate_locations(session)
            duplicates = open_duplicates(session)
        return Template(
            template_name="pages/area/quality.html",
            context={
                "user": signed_in_user(request, context),
                "stale": stale,
                "approximate": approximate,
                "duplicates": duplicates,
                "cutoff": long_date(stale_cutoff(today), language),
                "outcome": outcome,
                "refusal": refusal,
                "kind_label": lambda kind: kind_label(kind, language),
                "long_date": lambda value: long_date(value, language),
            },
            status_code=status_code,
        )
