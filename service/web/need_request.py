"""The family need as the JSON API receives it (`POST /api/v1/match`), and how it becomes
the engine's `CareNeed`: the shape is checked by pydantic (422 naming each field); the
defaults, limits, ages and places are the need builder's (service/needs), the same as the
search page's, and its problems are 422s on the JSON fields, in the language asked."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core.kinds import CARE_KINDS, Sector, ServiceKind
from core.limits import MAX_CHILDREN
from core.places.geocoder import Geocoder
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from search.matching.coverage import clock_minutes
from search.matching.need import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, CareNeed, PlaceRole, TimeRange
from service.needs.builder import (
    MAX_MONTHLY_COST_EUR,
    MAX_WEEKS,
    MIN_RADIUS_KM,
    BuiltNeed,
    build_need,
)
from service.needs.said import (
    END,
    MAX_COST,
    RADIUS,
    START,
    WEEKS,
    ChildSaid,
    NeedProblem,
    NeedSaid,
    PlaceSaid,
)
from service.web.field_errors import FieldError

Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ChildIn(_Strict):
    #: the need builder says which years a need may give (around this year)
    birth_year: int = Field(ge=0, le=9999, examples=[2025])
    birth_month: int = Field(ge=1, le=12, examples=[6])


class PlaceIn(_Strict):
    """Coordinates, or an address ending with its comune, or a comune (name or ISTAT code)."""

    latitude: float | None = Field(None, ge=ITALY_LATITUDE[0], le=ITALY_LATITUDE[1])
    longitude: float | None = Field(None, ge=ITALY_LONGITUDE[0], le=ITALY_LONGITUDE[1])
    address: ShortText | None = None
    comune: ShortText | None = None

    @model_validator(mode="after")
    def _one_way_to_say_where(self) -> Self:
        has_point = self.latitude is not None or self.longitude is not None
        if has_point and (self.latitude is None or self.longitude is None):
            raise ValueError("give both latitude and longitude")
        if sum((has_point, self.address is not None, self.comune is not None)) != 1:
            raise ValueError("give exactly one of: latitude and longitude, address, comune")
        return self


class HoursIn(_Strict):
    """The same hours on several weekdays (1 = Monday … 7 = Sunday)."""

    days: list[Annotated[int, Field(ge=1, le=7)]] = Field(min_length=1, max_length=7)
    from_: Clock = Field(alias="from", examples=["08:00"])
    to: Clock = Field(examples=["18:00"])

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if clock_minutes(self.to) <= clock_minutes(self.from_):
            raise ValueError(f"'to' ({self.to}) must come after 'from' ({self.from_})")
        return self


class NeedRequest(_Strict):
    """What a family needs. Give `home` and/or `work`; hours are optional (without them
    every service within reach that takes the children is listed, nearest first)."""

    children: list[ChildIn] = Field(min_length=1, max_length=MAX_CHILDREN)
    home: PlaceIn | None = None
    work: PlaceIn | None = None
    max_distance_km: float | None = Field(
        None,
        description=f"Default {DEFAULT_RADIUS_KM:g} km; from {MIN_RADIUS_KM:g} to "
        f"{MAX_RADIUS_KM:g} km",
    )
    start_date: date | None = Field(
        None, description="Default: today, or the first summer week (ages are counted on it)"
    )
    end_date: date | None = None
    hours: list[HoursIn] = Field(default_factory=list, max_length=14)
    summer_weeks: list[date] = Field(
        default_factory=list, max_length=MAX_WEEKS, description="Mondays of the weeks wanted"
    )
    kinds: list[ServiceKind] = Field(default_factory=lambda: list(CARE_KINDS), min_length=1)
    sectors: list[Sector] = Field(default_factory=list)
    max_monthly_cost_eur: float | None = Field(
        None, description=f"From 0 to {MAX_MONTHLY_COST_EUR:,} euro"
    )
    places_available_only: bool = False
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]] = Field(
        default_factory=list,
        max_length=10,
        description="ISO 639-1 codes; a service must speak one of them (Italian always counts)",
    )
    disability_support: bool = False
    include_partial: bool = True
    combinations: bool = True
    language: Literal["it", "en"] = "it"
    limit: int = Field(50, ge=1, le=200)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.home is None and self.work is None:
            raise ValueError("give home and/or work")
        for monday in self.summer_weeks:
            if monday.isoweekday() != 1:
                raise ValueError(f"summer week {monday.isoformat()} does not start on a Monday")
        if self.summer_weeks and self.end_date is not None:
            raise ValueError("give either summer_weeks or an end_date, not both")
        overlapping = _overlaps(self.hours)
        if overlapping:
            raise ValueError(f"hours overlap on weekday {overlapping}")
        return self


def _overlaps(hours: list[HoursIn]) -> int | None:
    by_day: dict[int, list[tuple[int, int]]] = {}
    for entry in hours:
        for day in entry.days:
            by_day.setdefault(day, []).append((clock_minutes(entry.from_), clock_minutes(entry.to)))
    for day, ranges in sorted(by_day.items()):
        ranges.sort()
        if any(b[0] < a[1] for a, b in pairwise(ranges)):
            return day
    return None


#: the JSON field of each part of the need the builder names (children and places: below)
JSON_FIELDS = {
    START: "start_date",
    END: "end_date",
    WEEKS: "summer_weeks",
    RADIUS: "max_distance_km",
    MAX_COST: "max_monthly_cost_eur",
}


def to_need(request: NeedRequest, geocoder: Geocoder, today: date) -> CareNeed | list[FieldError]:
    """The engine's need, or the fields that cannot be used (unknown places, ages, limits)."""
    built = build_need(need_said(request), geocoder, today)
    if isinstance(built, BuiltNeed):
        return built.need
    return [FieldError(json_field(problem, request), problem.message) for problem in built]


def need_said(request: NeedRequest) -> NeedSaid:
    """What the family said, as the need builder takes it."""
    places = [
        _place_said(role, given)
        for role, given in ((PlaceRole.HOME, request.home), (PlaceRole.WORK, request.work))
        if given is not None
    ]
    hours: dict[int, tuple[TimeRange, ...]] = {}
    for entry in request.hours:
        for day in entry.days:
            asked = TimeRange(clock_minutes(entry.from_), clock_minutes(entry.to))
            hours[day] = (*hours.get(day, ()), asked)
    return NeedSaid(
        children=tuple(ChildSaid(c.birth_year, c.birth_month) for c in request.children),
        places=tuple(places),
        start=request.start_date,
        end=request.end_date,
        weeks=tuple(request.summer_weeks),
        hours=hours,
        radius_km=request.max_distance_km,
        kinds=tuple(request.kinds),
        sectors=tuple(sector.value for sector in request.sectors),
        max_monthly_cost_eur=request.max_monthly_cost_eur,
        places_available_only=request.places_available_only,
        languages=tuple(request.languages),
        disability_support=request.disability_support,
        include_partial=request.include_partial,
        combinations=request.combinations,
    )


def _place_said(role: PlaceRole, given: PlaceIn) -> PlaceSaid:
    return PlaceSaid(role, given.address or given.comune or "", given.latitude, given.longitude)


def json_field(problem: NeedProblem, request: NeedRequest) -> str:
    """The JSON name of the part a problem is about: children.1.birth_year, home.comune…"""
    if problem.field.startswith("place."):
        role = problem.field.removeprefix("place.")
        given = request.home if role == PlaceRole.HOME else request.work
        return f"{role}.address" if given and given.address else f"{role}.comune"
    return JSON_FIELDS.get(problem.field, problem.field)
