"""What a family asks for, already validated and located: the input of matching.

Plain frozen dataclasses (no I/O, no validation): the API's request model and the web
form turn people's input into these, with messages naming the field that was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from core.kinds import CARE_KINDS, ServiceKind

DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 50.0
SCHOOL_YEAR_START_MONTH = 9


@dataclass(frozen=True)
class Child:
    birth_year: int
    birth_month: int


class PlaceRole(StrEnum):
    HOME = "home"
    WORK = "work"
    POINT = "point"


@dataclass(frozen=True)
class FamilyPlace:
    latitude: float
    longitude: float
    role: PlaceRole = PlaceRole.POINT
    #: what the family typed or the comune found, to show back
    label: str | None = None
    #: the comune's ISTAT code when known (a babysitter's service area is a list of comuni)
    istat_code: str | None = None
    comune: str | None = None


@dataclass(frozen=True)
class TimeRange:
    """From `start` to `end`, in minutes after midnight (end excluded)."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


#: ISO weekday (1 = Monday) → the ranges the family needs covered that day
WeeklyHours = Mapping[int, tuple[TimeRange, ...]]


@dataclass(frozen=True)
class Preferences:
    kinds: tuple[ServiceKind, ...] = CARE_KINDS
    sectors: tuple[str, ...] = ()
    #: the most the family can pay per month, in cents (listings per week/hour are converted)
    max_monthly_cost_cents: int | None = None
    places_available_only: bool = False
    #: ISO 639-1 codes: the service must speak at least one of them (Italian goes without
    #: saying)
    languages: tuple[str, ...] = ()
    disability_support: bool = False


@dataclass(frozen=True)
class CareNeed:
    children: tuple[Child, ...]
    places: tuple[FamilyPlace, ...]
    start_date: date
    end_date: date | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    hours: WeeklyHours = field(default_factory=dict)
    #: summer needs: the Mondays of the weeks wanted; when set they are the whole period
    weeks: tuple[date, ...] = ()
    preferences: Preferences = field(default_factory=Preferences)
    #: keep services that cover only part of the hours (after those that cover all of them)
    include_partial: bool = True
    #: propose two-service plans when no single service covers everything
    combinations: bool = True

    @property
    def has_hours(self) -> bool:
        return any(self.hours.values())

    @property
    def weekdays(self) -> tuple[int, ...]:
        return tuple(sorted(day for day, ranges in self.hours.items() if ranges))

    @property
    def kinds(self) -> tuple[ServiceKind, ...]:
        return self.preferences.kinds

    def period(self) -> tuple[date, date]:
        """First and last day the care is needed (both included).

        Summer weeks span their Mondays to the last Sunday; otherwise the start date to the
        end date, or the first week when no end date is given."""
        if self.weeks:
            return min(self.weeks), max(self.weeks) + timedelta(days=6)
        return self.start_date, self.end_date or self.start_date + timedelta(days=6)

    def needs_day(self, day: date) -> bool:
        """Whether care is needed on `day` at all (summer needs: only inside their weeks)."""
        if self.weeks:
            monday = day - timedelta(days=day.weekday())
            return monday in self.weeks
        return True


def next_school_year_start(today: date) -> date:
    """The default start date of a school-year service: the next 1 September (today if it is)."""
    this_year = date(today.year, SCHOOL_YEAR_START_MONTH, 1)
    return this_year if today <= this_year else date(today.year + 1, SCHOOL_YEAR_START_MONTH, 1)
