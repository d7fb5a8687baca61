"""What every request handler may use, built once by `create_app`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.places.geocoder import Geocoder
from core.settings import Settings
from search.client import make_client
from search.local_meilisearch import MeilisearchEndpoint
from search.matching import MatchResult
from search.matching.need import MAX_RADIUS_KM, CareNeed
from search.matching.plans import Plan
from search.matching.ranking import Match, sort_matches
from search.query import find_services
from service.web.field_errors import FieldError
from service.web.search_form import SearchForm
from service.web.search_parse import ParsedSearch, parse_search


@dataclass(frozen=True)
class WiderSearch:
    """What a longer distance would find when nothing fits within the one asked."""

    radius_km: float
    count: int
    nearest_km: float


@dataclass(frozen=True)
class SearchOutcome:
    parsed: ParsedSearch | None = None
    matches: list[Match] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    #: set when nothing was found: the same search further away
    wider: WiderSearch | None = None


def shown_matches(result: MatchResult, parsed: ParsedSearch) -> list[Match]:
    """The matches a family sees: full coverage only, unless they asked for partial too."""
    kept = [m for m in result.matches if parsed.partial or m.is_full or not parsed.need.has_hours]
    return sort_matches(kept, parsed.order)


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    engine: Engine
    meilisearch: MeilisearchEndpoint
    #: the family's "today" (a parameter so tests can fix it)
    today: Callable[[], date] = field(default=date.today)
    _clients: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def meili(self) -> Client:
        """This thread's Meilisearch client: the SDK edits its shared headers on every call
        (Content-Type), so threads must not share one."""
        client: Client | None = getattr(self._clients, "client", None)
        if client is None:
            client = self._clients.client = make_client(
                self.meilisearch.url, self.meilisearch.api_key
            )
        return client

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    def search(self, form: SearchForm) -> SearchOutcome:
        """Validate the form, locate it, and find the matching services and plans."""
        with self.session() as session:
            parsed = parse_search(form, Geocoder(self.settings, session), self.today())
        if isinstance(parsed, list):
            return SearchOutcome(errors=parsed)
        return self.search_parsed(parsed)

    def search_parsed(self, parsed: ParsedSearch) -> SearchOutcome:
        """The matches and plans of a search already checked (the console's has two places)."""
        result = self.find(parsed.need)
        matches = shown_matches(result, parsed)
        wider = None if matches or result.plans else self._wider(parsed)
        return SearchOutcome(parsed, matches, result.plans, wider=wider)

    def find(self, need: CareNeed) -> MatchResult:
        return find_services(self.meili, self.settings.services_index, need)

    def _wider(self, parsed: ParsedSearch) -> WiderSearch | None:
        radius = parsed.need.radius_km
        for wider in (radius * 2, radius * 4):
            wider = min(wider, MAX_RADIUS_KM)
            if wider <= radius:
                break
            need = replace(parsed.need, radius_km=wider, combinations=False)
            found = shown_matches(self.find(need), parsed)
            if found:
                nearest = min(match.distance_km for match in found)
                return WiderSearch(wider, len(found), nearest)
            radius = wider
        return None
