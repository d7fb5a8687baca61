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

from core.i18n import Text, _
from core.places.geocoder import Geocoder, Place
from search.matching.need import PlaceRole
from service.needs.builder import BuiltNeed, build_need
from service.needs.said import PLACE, PlaceSaid
from service.web.field_errors import FieldError
from service.web.language import current_language
from service.web.search_form import MAX_FIELD_LENGTH, SearchForm
from service.web.search_parse import ParsedSearch, form_errors, form_order, read_need

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
    problems: list[FieldError] = []

    def fail(name: str, message: Text) -> None:
        problems.append(FieldError(name, message))

    said = read_need(form, today, fail)
    order = form_order(form.sort, fail)
    typed = [(role, text) for role, text in ROLES if text(form)]
    if typed:
        places = tuple(PlaceSaid(role, text(form)) for role, text in typed)
        said = replace(said, places=places, unreadable=said.unreadable - {PLACE})
    built = build_need(said, geocoder, today)
    problems += [] if isinstance(built, BuiltNeed) else form_errors(built)
    if problems or not isinstance(built, BuiltNeed):
        return problems
    return ParsedSearch(built.need, _shown_place(built), order, form.partial)


ROLES: tuple[tuple[PlaceRole, Callable[[ConsoleForm], str]], ...] = (
    (PlaceRole.HOME, lambda form: form.home),
    (PlaceRole.WORK, lambda form: form.work),
)


def _shown_place(built: BuiltNeed) -> Place:
    """The place the results say they are near: home and work together when both are given."""
    if len(built.places) < 2:
        return built.places[0]
    home, work = built.places
    label = _("{home} (casa) e {work} (lavoro)", home=home.label, work=work.label)
    return replace(home, label=label.render(current_language()))
