"""What a family said about its need, already read from the request (numbers are numbers,
dates are dates), and what is wrong with it.

Each entry point (the search page, the JSON API, the operator console) reads its own raw
values into a `NeedSaid`; `service.needs.builder.build_need` applies the rules. A problem
names the need's part with a `NeedField` key; each entry point maps that key to the name
of its own field (`birth_year_2` on the page, `children.1` in the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.i18n import Text
from core.kinds import CARE_KINDS, ServiceKind
from search.matching.need import PlaceRole, TimeRange

#: a part of the need a problem is about: "start", "end", "weeks", "radius_km", "max_cost",
#: "place.home" (place.<role>), "children.1.birth_year" (children.<index>.<part>)
NeedField = str

START, END, WEEKS, RADIUS, MAX_COST = "start", "end", "weeks", "radius_km", "max_cost"
#: the places as a whole (none said, or one that could not be read)
PLACE = "place.point"


def child_field(index: int, part: str) -> NeedField:
    """The key of the `index`-th child's `part` ("birth_year" or "birth_month"), 0-based."""
    return f"children.{index}.{part}"


def place_field(role: PlaceRole) -> NeedField:
    return f"place.{role.value}"


@dataclass(frozen=True)
class ChildSaid:
    #: None: the entry point could not read it (and already said so)
    birth_year: int | None
    birth_month: int | None


@dataclass(frozen=True)
class PlaceSaid:
    """A place as a name or address to look up, or as coordinates."""

    role: PlaceRole = PlaceRole.POINT
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class NeedSaid:
    children: tuple[ChildSaid, ...]
    places: tuple[PlaceSaid, ...]
    #: None: not said (the builder's default applies)
    start: date | None = None
    end: date | None = None
    #: any day of each summer week wanted
    weeks: tuple[date, ...] = ()
    hours: Mapping[int, tuple[TimeRange, ...]] = field(default_factory=dict)
    radius_km: float | None = None
    kinds: tuple[ServiceKind, ...] = CARE_KINDS
    sectors: tuple[str, ...] = ()
    max_monthly_cost_eur: float | None = None
    places_available_only: bool = False
    languages: tuple[str, ...] = ()
    disability_support: bool = False
    include_partial: bool = True
    combinations: bool = True
    #: parts the entry point could not read (and already reported): no rule that depends
    #: on them is applied, so one mistake is not reported twice
    unreadable: frozenset[NeedField] = frozenset()


@dataclass(frozen=True)
class NeedProblem:
    field: NeedField
    message: Text
    #: for an unknown place: comuni with a similar name, to search instead
    suggestions: tuple[str, ...] = ()
