"""Hand-built search documents and family needs for the matching engine's unit tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from search.matching.need import CareNeed, Child, FamilyPlace, PlaceRole, Preferences, TimeRange

MON_FRI = (1, 2, 3, 4, 5)
LAT, LNG = 45.0, 9.0  # the family's home; candidates lie north of it on the same meridian
#: Monday 7 September 2026
START = date(2026, 9, 7)


def hhmm(clock: str) -> int:
    """Minutes after midnight: "07:30" → 450."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def span(text: str) -> TimeRange:
    """ "08:00-18:00" → TimeRange(480, 1080)."""
    start, end = text.split("-")
    return TimeRange(hhmm(start), hhmm(end))


def row(weekday: int, opens: str, closes: str, valid_from=None, valid_to=None) -> dict[str, Any]:
    """A schedule entry as search.documents.schedule_entry writes it."""
    keys = ("weekday", "opens", "closes", "valid_from", "valid_to")
    return dict(zip(keys, (weekday, opens, closes, valid_from, valid_to), strict=True))


def week(opens: str, closes: str, weekdays=MON_FRI, valid_from=None, valid_to=None):
    return [row(day, opens, closes, valid_from, valid_to) for day in weekdays]


def document(id: int, north: float = 0.0, kind: str = "nido", schedule=(), **fields: Any):
    """A search document (the fields matching reads) `north` degrees north of home."""
    schedule = list(schedule)
    return {
        "id": id,
        "name": f"Servizio {id}",
        "kind": kind,
        "comune": "Sesto San Giovanni",
        "_geo": {"lat": LAT + north, "lng": LNG},
        "geocode_precision": "address",
        "age_min_months": 3,
        "age_max_months": 36,
        "places_available": None,
        "cost_cents": None,
        "cost_period": None,
        "hours_known": bool(schedule),
        "open_weekdays": sorted({entry["weekday"] for entry in schedule}),
        "schedule": schedule,
    } | fields


def hours(ranges: str, weekdays=MON_FRI) -> dict[int, tuple[TimeRange, ...]]:
    """ "08:00-12:00,13:00-17:00" on each of `weekdays`."""
    asked = tuple(span(piece) for piece in ranges.split(","))
    return {day: asked for day in weekdays}


def need(
    children=((2025, 6),),
    asked: dict[int, tuple[TimeRange, ...]] | None = None,
    start: date = START,
    **fields: Any,
) -> CareNeed:
    """A child born June 2025 (14 months old on 7 September 2026), at home at (LAT, LNG)."""
    values: dict[str, Any] = {
        "children": tuple(Child(year, month) for year, month in children),
        "places": (FamilyPlace(LAT, LNG, PlaceRole.HOME),),
        "start_date": start,
        "hours": asked or {},
        "preferences": Preferences(),
    }
    return CareNeed(**(values | fields))
