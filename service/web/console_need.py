"""The operator's assisted search: the family's search form plus a home and a work address.

`ConsoleForm` is the public `SearchForm` with two more fields (`home`, `work`), so the
shared form and results partials render it unchanged and its links stay in the console.
`parse_console_search` locates both addresses and hands the engine a need with both
places: distance is measured from the nearer. The public page is untouched: it never
builds a `ConsoleForm`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from core.i18n import _
from core.places.geocoder import Geocoder, Place
from search.matching.need import FamilyPlace, PlaceRole
from service.web.field_errors import FieldError
from service.web.language import current_language
from service.web.search_form import MAX_FIELD_LENGTH, SearchForm
from service.web.search_parse import ParsedSearch, parse_place, parse_search

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
    """The public parse with the home (or, without one, the work) address as its place,
    then the other address added to the need's places."""
    if not (form.home or form.work or form.place or form.lat or form.lon):
        return [FieldError("home", _("indica l'indirizzo di casa o quello di lavoro"))]
    first, second = ("home", "work") if form.home or not form.work else ("work", "home")
    typed = {"home": form.home, "work": form.work}
    public = replace(form, place=typed[first], lat="", lon="") if typed[first] else form
    parsed = parse_search(public, geocoder, today)
    errors = [] if isinstance(parsed, ParsedSearch) else _renamed(parsed, "place", first)
    other: Place | None = None
    if typed[second]:
        found = parse_place(typed[second], "", "", geocoder)
        if isinstance(found, list):
            errors += _renamed(found, "place", second)
        else:
            other = found
    if errors or not isinstance(parsed, ParsedSearch):
        return errors
    return _with_places(parsed, {first: parsed.place, second: other})


def _renamed(errors: list[FieldError], old: str, new: str) -> list[FieldError]:
    return [replace(error, field=new) if error.field == old else error for error in errors]


ROLES = {"home": PlaceRole.HOME, "work": PlaceRole.WORK}


def _with_places(parsed: ParsedSearch, places: Mapping[str, Place | None]) -> ParsedSearch:
    home, work = places.get("home"), places.get("work")
    located = [(ROLES[name], place) for name, place in places.items() if place is not None]
    family_places = tuple(
        FamilyPlace(
            place.latitude,
            place.longitude,
            role=role,
            label=place.label,
            istat_code=place.istat_code,
            comune=place.comune,
        )
        for role, place in sorted(located, key=lambda item: item[0] != PlaceRole.HOME)
    )
    shown = parsed.place
    if home is not None and work is not None:
        label = _("{home} (casa) e {work} (lavoro)", home=home.label, work=work.label)
        shown = replace(home, label=label.render(current_language()))
    return replace(parsed, need=replace(parsed.need, places=family_places), place=shown)
