"""What the console's pages show: an assisted search with its results (as the public page
shows them) and the printable plan. The handlers in console_pages.py stay thin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.dates import get_day_names

from core.i18n import Text
from core.models import Service
from core.places.geocoder import Geocoder
from search.matching.explain import Weekdays, ranges_label
from search.matching.ranking import Match
from search.sportelli import nearest_sportelli
from service.plan import chosen_ids, default_choice, open_gaps
from service.queries import published_service
from service.web.console_need import ConsoleForm, parse_console_search
from service.web.context import AppContext, SearchOutcome, shown_matches
from service.web.field_errors import FieldError
from service.web.form_choices import form_choices
from service.web.info_pages import SportelloCard
from service.web.language import current_language
from service.web.pages import map_settings
from service.web.presenters import (
    MatchCard,
    PlanCard,
    SchedulePeriod,
    cost_text,
    kind_label,
    schedule_periods,
)
from service.web.search_parse import ParsedSearch

SPORTELLO_RADIUS_KM = 50.0


def parse(context: AppContext, form: ConsoleForm) -> ParsedSearch | list[FieldError]:
    with context.session() as session:
        return parse_console_search(form, Geocoder(context.settings, session), context.today())


def assisted_search(context: AppContext, form: ConsoleForm) -> SearchOutcome:
    parsed = parse(context, form)
    if isinstance(parsed, list):
        return SearchOutcome(errors=parsed)
    return context.search_parsed(parsed)


def search_page(
    context: AppContext, form: ConsoleForm, searching: bool, errors: Sequence[FieldError] = ()
) -> dict[str, Any]:
    """The template context of a console page with the search form and its results."""
    language = current_language()
    outcome = assisted_search(context, form) if searching else SearchOutcome()
    parsed = outcome.parsed
    cards = [MatchCard(match, language) for match in outcome.matches]
    shown = {card.document["id"] for card in cards}
    extra = [m for plan in outcome.plans for m in plan.members if m.document["id"] not in shown]
    candidates = cards + [MatchCard(match, language) for match in _unique(extra)]
    return {
        "form": form,
        "search_action": form.page,
        "place_fields": "pages/area/console_places.html",
        "errors": [*outcome.errors, *errors],
        "parsed": parsed,
        "searched": searching,
        "cards": cards,
        "plans": [PlanCard(plan, parsed.need, language) for plan in outcome.plans]
        if parsed
        else [],
        "wider": outcome.wider,
        "weekday_list": Weekdays(parsed.need.weekdays).render(language) if parsed else "",
        "map": map_settings(context),
        "candidates": candidates,
        "chosen": default_choice(outcome.matches, outcome.plans),
        "retention_months": context.settings.case_retention_months,
        **form_choices(context.today(), language),
    }


def _unique(matches: Sequence[Match]) -> list[Match]:
    seen: dict[int, Match] = {}
    for match in matches:
        seen.setdefault(match.id, match)
    return list(seen.values())


@dataclass(frozen=True)
class PlanEntry:
    """One chosen service as the plan prints it."""

    service: Service
    card: MatchCard | None
    periods: list[SchedulePeriod]
    kind_label: str
    cost: Text | None


def plan_page(context: AppContext, form: ConsoleForm, servizi: Sequence[str]) -> dict[str, Any]:
    """The printable plan: the chosen services (default: the top results and the first
    plan), the asked hours they leave open, and the nearest sportello."""
    language = current_language()
    parsed = parse(context, form)
    if isinstance(parsed, list):
        return {"form": form, "errors": parsed, "parsed": None}
    result = context.find(parsed.need)
    matches = {match.id: match for match in result.matches}
    for plan in result.plans:
        matches.update({member.id: member for member in plan.members})
    ids = chosen_ids(servizi) or default_choice(shown_matches(result, parsed), result.plans)
    entries = []
    with context.session() as session:
        for service_id in ids:
            service = published_service(session, service_id)
            if service is None:
                continue
            match = matches.get(service_id)
            entries.append(
                PlanEntry(
                    service,
                    MatchCard(match, language) if match else None,
                    schedule_periods(list(service.schedule_rows), language),
                    kind_label(service.kind, language),
                    cost_text(service.cost_cents, service.cost_period),
                )
            )
    chosen = [matches[entry.service.id] for entry in entries if entry.service.id in matches]
    gaps = open_gaps(parsed.need.hours, [match.coverage for match in chosen])
    return {
        "form": form,
        "errors": [],
        "parsed": parsed,
        "entries": entries,
        "gaps": [(_day_name(day, language), ranges_label(ranges)) for day, ranges in gaps.items()],
        "asked_hours": parsed.need.has_hours,
        "children": [f"{c.birth_month:02d}/{c.birth_year}" for c in parsed.need.children],
        "sportello": _nearest_sportello(context, parsed, language),
        "today": context.today(),
    }


def _day_name(weekday: int, language: str) -> str:
    return str(get_day_names("wide", locale=language)[weekday - 1]).capitalize()


def _nearest_sportello(
    context: AppContext, parsed: ParsedSearch, language: str
) -> SportelloCard | None:
    place = parsed.need.places[0]
    found = nearest_sportelli(
        context.meili,
        context.settings.services_index,
        place.latitude,
        place.longitude,
        1,
        SPORTELLO_RADIUS_KM,
    )
    return SportelloCard(found[0], language) if found else None
