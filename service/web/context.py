"""What every request handler may use, built once by `create_app`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session

from importers.geocode import Geocoder
from search.client import make_client
from search.local_meilisearch import MeilisearchEndpoint
from search.matching.ranking import Match, sort_matches
from search.query import find_services
from service.settings import Settings
from service.web.search_form import FieldError, ParsedSearch, SearchForm, parse_search


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

    def search(self, form: SearchForm) -> tuple[ParsedSearch | None, list[Match], list[FieldError]]:
        """Validate the form, locate it, and find the matching services."""
        with self.session() as session:
            parsed = parse_search(form, Geocoder(self.settings, session), self.today())
        if isinstance(parsed, list):
            return None, [], parsed
        found = find_services(self.meili, self.settings.services_index, parsed.need)
        return parsed, sort_matches(found.matches, parsed.order), []
