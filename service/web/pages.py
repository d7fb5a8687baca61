"""Server-rendered pages for families. Thin: read the request, call one function, render.

With htmx the search form asks for the same page and swaps its main part in place (the
URL follows), so every page works the same without JavaScript.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlmodel import Session

from core.i18n import _
from core.models import Service
from search.matching.explain import Weekdays
from service.queries import published_service
from service.registry.moderation import entry_of, is_babysitter
from service.web.babysitter_card import certificate_texts, nearest_sportello, publicly_visible
from service.web.context import AppContext
from service.web.form_choices import form_choices
from service.web.language import current_language
from service.web.presenters import (
    MatchCard,
    PlanCard,
    age_text,
    cost_text,
    kind_label,
    long_date,
    precision_note,
    schedule_periods,
    sector_text,
)
from service.web.rate_limit import OPT_KEY, SEARCH
from service.web.search_form import SearchForm


class PagesController(Controller):
    include_in_schema = False

    @get("/", name="home", sync_to_thread=True, opt={OPT_KEY: SEARCH})
    def home(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        language = current_language()
        form = SearchForm.from_params(request.query_params.dict())
        searching = not form.is_empty and not request.query_params.get("add_child")
        outcome = context.search(form) if searching else None
        errors = outcome.errors if outcome else []
        parsed = outcome.parsed if outcome else None
        return Template(
            template_name="pages/home.html",
            context={
                "form": form,
                "errors": errors,
                "parsed": parsed,
                "searched": searching,
                "cards": [MatchCard(match, language) for match in outcome.matches]
                if outcome
                else [],
                "plans": [PlanCard(plan, parsed.need, language) for plan in outcome.plans]
                if outcome and parsed
                else [],
                "wider": outcome.wider if outcome else None,
                "weekday_list": Weekdays(parsed.need.weekdays).render(language) if parsed else "",
                "map": map_settings(context),
                **form_choices(context.today(), language),
            },
            status_code=400 if errors else 200,
        )

    @get("/servizi/{service_id:int}", name="service_detail", sync_to_thread=True)
    def service_detail(
        self, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        language = current_language()
        with context.session() as session:
            service = published_service(session, service_id)
            if service is None or not publicly_visible(session, service, context):
                raise NotFoundException(
                    _("Nessun servizio pubblicato con numero {id}", id=service_id).render(language)
                )
            return Template(
                template_name="pages/service.html",
                context={
                    "service": service,
                    "kind_label": kind_label(service.kind, language),
                    "periods": schedule_periods(list(service.schedule_rows), language),
                    "ages": age_text(service.age_min_months, service.age_max_months),
                    "cost": cost_text(service.cost_cents, service.cost_period),
                    "sector": sector_text(service.sector),
                    "precision_note": precision_note(service.location.geocode_precision),
                    "last_verified": long_date(service.last_verified_at, language),
                    "imported": [
                        (provenance, long_date(provenance.imported_at.date(), language))
                        for provenance in service.provenances
                    ],
                    "map": map_settings(context),
                    **babysitter_card(context, session, service, language),
                },
            )


def babysitter_card(
    context: AppContext, session: Session, service: Service, language: str
) -> dict[str, Any]:
    """A babysitter's page: her certifications and the nearest sportello, no contacts."""
    if not is_babysitter(service):
        return {"babysitter": False}
    entry = entry_of(session, service.id or 0)
    return {
        "babysitter": True,
        "certificates": certificate_texts(
            entry.registry_course_expires_on if entry else None,
            entry.first_aid_expires_on if entry else None,
            language,
        ),
        "sportello": nearest_sportello(context, service),
    }


def map_settings(context: AppContext) -> dict[str, Any] | None:
    """The map's tile server, or None: no map at all (the list is the page)."""
    settings = context.settings
    if not settings.tile_url:
        return None
    return {"tiles": settings.tile_url, "attribution": settings.tile_attribution}
