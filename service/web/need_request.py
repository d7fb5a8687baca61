"""The family need as the JSON API receives it (`POST /api/v1/match`), and how it becomes
the engine's `CareNeed`: shape and ranges checked by pydantic (422 naming each field),
places looked up in the gazetteer (an unknown comune is a 422 on its field too)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core.i18n import as_text
from core.kinds import CARE_KINDS, Sector, ServiceKind
from core.places.geocoder import Geocoder, PlaceNotFound
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from search.matching.age import age_in_months
from search.matching.coverage import clock_minutes
from search.matching.need import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    CareNeed,
    Child,
    FamilyPlace,
    PlaceRole,
    Preferences,
    TimeRange,
    next_school_year_start,
)
from service.web.field_errors import FieldError

Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
MAX_CHILDREN = 6
MAX_WEEKS = 16
MAX_PERIOD_DAYS = 400
MAX_AGE_MONTHS = 14 * 12


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ChildIn(_Strict):
    birth_year: int = Field(ge=1990, le=2100, examples=[2025])
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
    max_distance_km: float = Field(DEFAULT_RADIUS_KM, gt=0, le=MAX_RADIUS_KM)
    start_date: date | None = Field(
        None, description="Default: the next 1 September, or the first summer week"
    )
    end_date: date | None = None
    hours: list[HoursIn] = Field(default_factory=list, max_length=14)
    summer_weeks: list[date] = Field(
        default_factory=list, max_length=MAX_WEEKS, description="Mondays of the weeks wanted"
    )
    kinds: list[ServiceKind] = Field(default_factory=lambda: list(CARE_KINDS), min_length=1)
    sectors: list[Sector] = Field(default_factory=list)
    max_monthly_cost_eur: float | None = Field(None, ge=0, le=100_000)
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
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValueError("end_date comes before start_date")
            if (self.end_date - self.start_date).days > MAX_PERIOD_DAYS:
                raise ValueError(f"the period can be at most {MAX_PERIOD_DAYS} days long")
        overlapping = _overlaps(self.hours)
        if overlapping:
            raise ValueError(f"hours overlap on weekday {overlapping}")
        return self

    def start(self, today: date) -> date:
        if self.start_date is not None:
            return self.start_date
        if self.summer_weeks:
            return min(self.summer_weeks)
        return next_school_year_start(today)


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


def to_need(request: NeedRequest, geocoder: Geocoder, today: date) -> CareNeed | list[FieldError]:
    """The engine's need, or the fields that cannot be used (unknown places, ages)."""
    errors: list[FieldError] = []
    start = request.start(today)
    if start < today - timedelta(days=31) or start > today + timedelta(days=2 * 366):
        errors.append(
            FieldError("start_date", f"{start.isoformat()} is not within the next two years")
        )
    children = tuple(Child(c.birth_year, c.birth_month) for c in request.children)
    for index, child in enumerate(children):
        months = age_in_months(child, start)
        if months < 0:
            errors.append(
                FieldError(f"children.{index}", "the child is not born yet on the start date")
            )
        elif months > MAX_AGE_MONTHS:
            errors.append(FieldError(f"children.{index}", f"{months // 12} years old: up to 14"))
    places = []
    for role, given in ((PlaceRole.HOME, request.home), (PlaceRole.WORK, request.work)):
        if given is None:
            continue
        if given.latitude is not None and given.longitude is not None:
            places.append(FamilyPlace(given.latitude, given.longitude, role))
            continue
        text = given.address or given.comune or ""
        try:
            found = geocoder.resolve(text)
        except PlaceNotFound as error:
            name = "address" if given.address else "comune"
            errors.append(
                FieldError(f"{role.value}.{name}", as_text(error).render(request.language))
            )
            continue
        places.append(
            FamilyPlace(
                found.latitude, found.longitude, role, found.label, found.istat_code, found.comune
            )
        )
    if errors:
        return errors
    hours: dict[int, tuple[TimeRange, ...]] = {}
    for entry in request.hours:
        for day in entry.days:
            asked = TimeRange(clock_minutes(entry.from_), clock_minutes(entry.to))
            hours[day] = tuple(sorted((*hours.get(day, ()), asked), key=lambda r: r.start))
    cost = request.max_monthly_cost_eur
    return CareNeed(
        children=children,
        places=tuple(places),
        start_date=start,
        end_date=request.end_date,
        radius_km=request.max_distance_km,
        hours=hours,
        weeks=tuple(sorted(set(request.summer_weeks))),
        preferences=Preferences(
            kinds=tuple(request.kinds),
            sectors=tuple(sector.value for sector in request.sectors),
            max_monthly_cost_cents=None if cost is None else round(cost * 100),
            places_available_only=request.places_available_only,
            languages=tuple(request.languages),
            disability_support=request.disability_support,
        ),
        include_partial=request.include_partial,
        combinations=request.combinations,
    )
