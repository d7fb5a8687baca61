"""How much of a family's weekly hours a schedule covers, over the dates care is needed.

The period is cut where any schedule row starts or stops being valid (and at summer-week
edges): inside one piece every Monday looks the same, so each weekday is measured once per
piece and counted as many times as it occurs there. School-year and summer calendars,
split shifts and closures between valid ranges all fall out of that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from search.matching.need import CareNeed, TimeRange


@dataclass(frozen=True)
class Opening:
    """A schedule row as matching reads it: minutes after midnight, dates included."""

    weekday: int
    opens: int
    closes: int
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def clock_minutes(value: str) -> int:
    """ "07:30" → 450."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def openings(schedule: Iterable[Mapping[str, Any]]) -> tuple[Opening, ...]:
    """The schedule entries of a search document (search.documents.schedule_entry)."""
    return tuple(
        Opening(
            entry["weekday"],
            clock_minutes(entry["opens"]),
            clock_minutes(entry["closes"]),
            date.fromisoformat(entry["valid_from"]) if entry.get("valid_from") else None,
            date.fromisoformat(entry["valid_to"]) if entry.get("valid_to") else None,
        )
        for entry in schedule
    )


def covered_ranges(
    rows: Sequence[Opening], day: date, asked: Sequence[TimeRange]
) -> tuple[TimeRange, ...]:
    """The parts of the `asked` ranges that rows valid on `day` keep open (merged, ordered)."""
    pieces = sorted(
        (max(want.start, row.opens), min(want.end, row.closes))
        for row in rows
        if row.weekday == day.isoweekday() and row.valid_on(day)
        for want in asked
    )
    merged: list[TimeRange] = []
    for start, end in pieces:
        if end <= start:
            continue
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = TimeRange(merged[-1].start, end)
        else:
            merged.append(TimeRange(start, end))
    return tuple(merged)


def _minutes(ranges: Iterable[TimeRange]) -> int:
    return sum(piece.minutes for piece in ranges)


@dataclass(frozen=True)
class Share:
    covered: int
    requested: int

    @property
    def ratio(self) -> float:
        return self.covered / self.requested if self.requested else 1.0

    def __add__(self, other: Share) -> Share:
        return Share(self.covered + other.covered, self.requested + other.requested)


NOTHING = Share(0, 0)


@dataclass(frozen=True)
class Coverage:
    total: Share
    by_weekday: Mapping[int, Share]
    #: summer needs: Monday of each requested week → its share
    by_week: Mapping[date, Share]
    #: the covered ranges on the first day each weekday is needed (for explanations)
    typical: Mapping[int, tuple[TimeRange, ...]]
    #: the ranges asked on each weekday
    asked: Mapping[int, tuple[TimeRange, ...]]

    @property
    def ratio(self) -> float:
        return self.total.ratio

    @property
    def is_full(self) -> bool:
        return self.total.covered == self.total.requested

    @property
    def covered(self) -> int:
        return self.total.covered

    @property
    def requested(self) -> int:
        return self.total.requested

    @property
    def missing(self) -> int:
        return self.total.requested - self.total.covered


def occurrences(weekday: int, start: date, stop: date) -> tuple[date | None, int]:
    """The first `weekday` in [start, stop) and how many there are."""
    first = start + timedelta(days=(weekday - start.isoweekday()) % 7)
    if first >= stop:
        return None, 0
    return first, (stop - first).days // 7 + (1 if (stop - first).days % 7 else 0)


def _cuts(rows: Sequence[Opening], need: CareNeed, first: date, last: date) -> list[date]:
    edges = {first, last + timedelta(days=1)}
    for row in rows:
        if row.valid_from is not None:
            edges.add(row.valid_from)
        if row.valid_to is not None:
            edges.add(row.valid_to + timedelta(days=1))
    for monday in need.weeks:
        edges.update((monday, monday + timedelta(days=7)))
    return sorted(edge for edge in edges if first <= edge <= last + timedelta(days=1))


def schedule_coverage(rows: Sequence[Opening], need: CareNeed) -> Coverage | None:
    """The coverage of the need's hours over its period; None when the need gives no hours."""
    if not need.has_hours:
        return None
    first, last = need.period()
    cuts = _cuts(rows, need, first, last)
    by_weekday: dict[int, Share] = {}
    by_week: dict[date, Share] = {}
    typical: dict[int, tuple[TimeRange, ...]] = {}
    for start, stop in pairwise(cuts):
        if not need.needs_day(start):
            continue
        for weekday, asked in need.hours.items():
            if not asked:
                continue
            day, count = occurrences(weekday, start, stop)
            if day is None:
                continue
            covered = covered_ranges(rows, day, asked)
            share = Share(_minutes(covered) * count, _minutes(asked) * count)
            by_weekday[weekday] = by_weekday.get(weekday, NOTHING) + share
            if need.weeks:
                monday = day - timedelta(days=day.weekday())
                by_week[monday] = by_week.get(monday, NOTHING) + share
            typical.setdefault(weekday, covered)
    total = sum(by_weekday.values(), NOTHING)
    asked_by_day = {day: tuple(ranges) for day, ranges in need.hours.items() if ranges}
    return Coverage(total, by_weekday, by_week, typical, asked_by_day)
