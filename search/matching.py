"""Pure matching rules: age at the start date, schedule coverage, distance, ranking, and the
sentence that explains each match. No I/O: candidates are search documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from geopy.distance import geodesic

from search.need import CareNeed

WEEKDAY_SHORT_IT = {1: "lun", 2: "mar", 3: "mer", 4: "gio", 5: "ven", 6: "sab", 7: "dom"}


def age_in_months(birth_year: int, birth_month: int, on: date) -> int:
    """Whole months of age on `on`; a child born in a month is 0 months old during that month.
    Negative when the child is not born yet."""
    return (on.year - birth_year) * 12 + (on.month - birth_month)


def accepts_age(document: Mapping[str, Any], months: int) -> bool:
    minimum, maximum = document.get("age_min_months"), document.get("age_max_months")
    return (minimum is None or months >= minimum) and (maximum is None or months <= maximum)


def first_day_on_or_after(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.isoweekday()) % 7)


def _minutes(value: time | str) -> int:
    if isinstance(value, str):
        hours, minutes = value.split(":")
        return int(hours) * 60 + int(minutes)
    return value.hour * 60 + value.minute


def _valid_on(entry: Mapping[str, Any], day: date) -> bool:
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (start is None or date.fromisoformat(start) <= day) and (
        end is None or day <= date.fromisoformat(end)
    )


def covered_minutes(schedule: Iterable[Mapping[str, Any]], day: date, start: int, end: int) -> int:
    """Minutes of [start, end) (minutes after midnight) that the schedule is open on `day`."""
    pieces = sorted(
        (max(start, _minutes(entry["opens"])), min(end, _minutes(entry["closes"])))
        for entry in schedule
        if entry["weekday"] == day.isoweekday() and _valid_on(entry, day)
    )
    covered, reached = 0, start
    for piece_start, piece_end in pieces:
        piece_start = max(piece_start, reached)
        if piece_end > piece_start:
            covered += piece_end - piece_start
            reached = piece_end
    return covered


@dataclass(frozen=True)
class DayCoverage:
    weekday: int
    day: date
    covered: int
    requested: int

    @property
    def ratio(self) -> float:
        return self.covered / self.requested if self.requested else 1.0


@dataclass(frozen=True)
class Coverage:
    days: tuple[DayCoverage, ...]
    #: the requested daily range, in minutes after midnight
    start: int
    end: int

    @property
    def covered(self) -> int:
        return sum(day.covered for day in self.days)

    @property
    def requested(self) -> int:
        return sum(day.requested for day in self.days)

    @property
    def ratio(self) -> float:
        return self.covered / self.requested if self.requested else 1.0

    @property
    def is_full(self) -> bool:
        return self.covered == self.requested


def schedule_coverage(schedule: Sequence[Mapping[str, Any]], need: CareNeed) -> Coverage | None:
    """Coverage of the need's hours in the first week from the start date; None if no hours."""
    if not need.has_hours:
        return None
    assert need.from_time is not None and need.to_time is not None
    start, end = _minutes(need.from_time), _minutes(need.to_time)
    days = []
    for weekday in sorted(need.weekdays):
        day = first_day_on_or_after(need.start_date, weekday)
        days.append(
            DayCoverage(weekday, day, covered_minutes(schedule, day, start, end), end - start)
        )
    return Coverage(tuple(days), start, end)


@dataclass(frozen=True)
class Match:
    document: Mapping[str, Any]
    distance_km: float
    age_months: int
    coverage: Coverage | None

    @property
    def explanation_it(self) -> str:
        return explain_it(self)


def rank(candidates: Iterable[Mapping[str, Any]], need: CareNeed) -> list[Match]:
    """Keep candidates that accept the child, lie within the radius and (unless partial
    coverage is allowed) cover every requested hour; nearest first."""
    months = age_in_months(need.birth_year, need.birth_month, need.start_date)
    matches = []
    for document in candidates:
        if document.get("kind") not in need.kinds or not accepts_age(document, months):
            continue
        point = document["_geo"]
        distance = geodesic((need.latitude, need.longitude), (point["lat"], point["lng"])).km
        if distance > need.radius_km:
            continue
        coverage = schedule_coverage(document.get("schedule", []), need)
        if coverage is not None and (
            coverage.covered == 0 or (not coverage.is_full and not need.include_partial)
        ):
            continue
        matches.append(Match(document, distance, months, coverage))
    matches.sort(key=lambda match: (match.distance_km, match.document["id"]))
    return matches


def format_km(distance_km: float) -> str:
    metres = round(distance_km * 1000, -1)
    if metres < 1000:
        return f"{metres:.0f} m"
    return f"{distance_km:.1f}".replace(".", ",") + " km"


def format_clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def weekdays_label(weekdays: Sequence[int]) -> str:
    ordered = sorted(set(weekdays))
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAY_SHORT_IT[ordered[0]]}–{WEEKDAY_SHORT_IT[ordered[-1]]}"
    return ", ".join(WEEKDAY_SHORT_IT[day] for day in ordered)


def distance_label(distance_km: float, document: Mapping[str, Any]) -> str:
    """A point known only as its comune's centre (babysitters, comune-level geocoding) is
    not a place to measure metres to."""
    if document.get("geocode_precision") != "comune":
        return format_km(distance_km)
    if distance_km < 1:
        return f"a {document['comune']}"
    return f"{format_km(distance_km)} dal centro di {document['comune']}"


def percent_with_article(ratio: float) -> str:
    """«il 50%», «l'85%», «l'11%»: Italian elides the article before a vowel sound."""
    percent = round(ratio * 100)
    if 0 < ratio < 1:  # partial coverage never reads as none or all of it
        percent = min(max(percent, 1), 99)
    elided = percent in (1, 11) or str(percent).startswith("8")
    article = "l'" if elided else "il "
    return f"{article}{percent}%"


def explain_it(match: Match) -> str:
    document = match.document
    parts = []
    if match.coverage is not None:
        coverage = match.coverage
        asked = (
            f"{weekdays_label([day.weekday for day in coverage.days])} "
            f"{format_clock(coverage.start)}–{format_clock(coverage.end)}"
        )
        if coverage.is_full:
            parts.append(f"Copre tutte le tue ore ({asked})")
        else:
            parts.append(f"Copre {percent_with_article(coverage.ratio)} delle tue ore ({asked})")
    elif not document.get("hours_known"):
        parts.append("Orari da verificare")
    parts.append(distance_label(match.distance_km, document))
    if document.get("age_min_months") is not None or document.get("age_max_months") is not None:
        parts.append(f"accetta bambini di {match.age_months} mesi")
    elif document.get("kind") != "sportello":
        parts.append("età da verificare")
    places = document.get("places_available")
    if places is not None:
        parts.append(
            "nessun posto libero"
            if places == 0
            else "1 posto libero"
            if places == 1
            else f"{places} posti liberi"
        )
    return " · ".join(parts)
