"""The operator's assisted search: the family's search form plus a home and a work address.

`ConsoleForm` is the public `SearchForm` with two more fields (`home`, `work`), so the
shared form and results partials render it unchanged and its links stay in the console.
`parse_console_search` reads it as the page does and gives the need builder both
addresses as the need's places: distance is measured from the nearer. The public page
never builds a `ConsoleForm`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from core.i18n import _
from core.places.geocoder import Geocoder
from search.matching.need import PlaceRole
from service.needs.said import PlaceSaid
from service.web.field_errors import FieldError
from service.web.search_form import MAX_FIELD_LENGTH, SearchForm
from service.web.search_parse import ParsedSearch, parse_search

CONSOLE_PATH = "/area/consulenza"
#: the longest saved search (FamilyCase.search_query)
MAX_QUERY_LENGTH = 4000


@dataclass
class ConsoleForm(SearchForm):
    home: str = ""
    work: str = ""
    #: the page the form and its links (sort, wider search) go back to; not part of the search
    page: str = field(default=CONSOLE_PATH, compare=False)

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> ConsoleForm:
        form = super().from_params(params)
        assert isinstance(form, ConsoleForm)

        def one(name: str) -> str:
            values = params.get(name) or [""]
            return str(values[0]).strip()[:MAX_FIELD_LENGTH]

        return replace(form, home=one("home"), work=one("work"))

    @classmethod
    def from_query(cls, query: str, page: str = CONSOLE_PATH) -> ConsoleForm:
        """A saved search (its URL query string) back as a form."""
        params = parse_qs(query[:MAX_QUERY_LENGTH], keep_blank_values=False)
        return replace(cls.from_params(params), page=page)

    @property
    def is_empty(self) -> bool:
        return super().is_empty and not (self.home or self.work)

    def query_pairs(self) -> list[tuple[str, str]]:
        extra = [
            (name, value) for name, value in (("home", self.home), ("work", self.work)) if value
        ]
        return extra + super().query_pairs()

    def query(self) -> str:
        """The search as a URL query string: what a case stores."""
        return urlencode(self.query_pairs())

    def url(self, **changes: object) -> str:
        form = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        return f"{self.page}?{urlencode(form.query_pairs())}"


def parse_console_search(
    form: ConsoleForm, geocoder: Geocoder, today: date
) -> ParsedSearch | list[FieldError]:
    """The public form's need with the home and work addresses as its places (distance is
    measured from the nearer), built by the same need builder as the page's and the API's."""
    if not (form.home or form.work or form.place or form.lat or form.lon):
        return [FieldError("home", _("indica l'indirizzo di casa o quello di lavoro"))]
    places = tuple(PlaceSaid(role, text(form)) for role, text in ROLES if text(form))
    return parse_search(form, geocoder, today, places)


ROLES: tuple[tuple[PlaceRole, Callable[[ConsoleForm], str]], ...] = (
    (PlaceRole.HOME, lambda form: form.home),
    (PlaceRole.WORK, lambda form: form.work),
)
