"""The public pages besides the search: the nearest Sportelli Famiglia-Lavoro and the
accessibility statement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from babel.dates import get_day_names
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from core.places.geocoder import Geocoder
from search.sportelli import nearest_sportelli
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.language import current_language
from service.web.presenters import long_date
from service.web.rate_limit import OPT_KEY, SEARCH
from service.web.search_form import MAX_FIELD_LENGTH
from service.web.search_parse import parse_place

SPORTELLI_SHOWN = 5
SPORTELLI_RADIUS_KM = 50.0


@dataclass(frozen=True)
class SportelloCard:
    document: dict[str, Any]
    language: str

    @property
    def hours(self) -> list[tuple[str, str]]:
        """Weekday → «9:00–12:30, 14:00–17:00», the current opening hours."""
        names = get_day_names("wide", locale=self.language)
        by_day: dict[int, list[str]] = defaultdict(list)
        for entry in sorted(
            self.document.get("schedule") or [], key=lambda e: (e["weekday"], e["opens"])
        ):
            by_day[int(entry["weekday"])].append(f"{entry['opens']}–{entry['closes']}")
        return [
            (str(names[day - 1]).capitalize(), ", ".join(by_day[day])) for day in sorted(by_day)
        ]

    @property
    def last_verified(self) -> str | None:
        return long_date(self.document.get("last_verified_at"), self.language)


class InfoPages(Controller):
    include_in_schema = False

    @get("/sportelli", name="sportelli", sync_to_thread=True, opt={OPT_KEY: SEARCH})
    def sportelli(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        params = request.query_params
        place, lat, lon = (
            str(params.get(name, "")).strip()[:MAX_FIELD_LENGTH] for name in ("place", "lat", "lon")
        )
        errors: list[FieldError] = []
        found = None
        cards: list[SportelloCard] = []
        if place or lat or lon:
            with context.session() as session:
                located = parse_place(place, lat, lon, Geocoder(context.settings, session))
            if isinstance(located, list):
                errors = located
            else:
                found = located
                documents = nearest_sportelli(
                    context.meili,
                    context.settings.services_index,
                    located.latitude,
                    located.longitude,
                    SPORTELLI_SHOWN,
                    SPORTELLI_RADIUS_KM,
                )
                cards = [SportelloCard(document, current_language()) for document in documents]
        return Template(
            template_name="pages/sportelli.html",
            context={
                "place": place,
                "lat": lat,
                "lon": lon,
                "errors": errors,
                "found": found,
                "cards": cards,
                "radius_km": SPORTELLI_RADIUS_KM,
            },
            status_code=400 if errors else 200,
        )

    @get("/accessibilita", name="accessibility", sync_to_thread=False)
    def accessibility(self) -> Template:
        return Template(template_name="pages/accessibility.html")
