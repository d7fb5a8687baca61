"""Changing a schedule from the portal: a weekly grid per validity period (school year,
summer weeks, "all year"), read from a form, checked, and applied as one replacement of the
schedule rows with one audit entry (a readable before → after summary).

Kind-agnostic: a nido's opening hours and a babysitter's availability are the same rows.
Every problem names its form field:

- `p{period}_start`, `p{period}_end`: the period's first and last day;
- `p{period}_from_{weekday}_{number}`, `p{period}_to_{weekday}_{number}`: the `number`-th
  range of `weekday` (1 = Monday) in `period` — `p1_to_3_1` is when Wednesday's first range
  of period 1 ends;
- `periods`: the schedule as a whole (too many periods).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from itertools import combinations

from sqlmodel import Session

from core.i18n import Text, _
from core.models import AuditEntry, ScheduleRow, Service, User, utc_now
from importers.normalise.schedule_text import OpeningSlot, format_weekly_hours
from service.audit.recording import record_change

MAX_PERIODS = 12
RANGES_PER_DAY = 2
MAX_RANGES_PER_DAY = 6
WEEKDAYS = tuple(range(1, 8))
MAX_VALUE_CHARS = 20
TIME_PATTERN = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})(?::00)?")
ITALIAN_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
YEARS = (2000, 2100)


def period_field(period: int, name: str) -> str:
    return f"p{period}_{name}"


def time_field(kind: str, period: int, weekday: int, number: int) -> str:
    """`kind` is "from" or "to"."""
    return f"p{period}_{kind}_{weekday}_{number}"


@dataclass
class PeriodDraft:
    """One period as the form shows it: strings, as typed."""

    start: str = ""
    end: str = ""
    #: (weekday, number) → (from, to)
    times: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    remove: bool = False

    def time(self, kind: str, weekday: int, number: int) -> str:
        opens, closes = self.times.get((weekday, number), ("", ""))
        return opens if kind == "from" else closes

    @property
    def blank(self) -> bool:
        return not (self.start or self.end or any(a or b for a, b in self.times.values()))


@dataclass
class ScheduleDraft:
    periods: list[PeriodDraft] = field(default_factory=list)
    #: how many ranges each weekday offers
    ranges: int = RANGES_PER_DAY

    def add_period(self) -> None:
        if len(self.periods) < MAX_PERIODS:
            self.periods.append(PeriodDraft())


@dataclass(frozen=True)
class PeriodEdit:
    """A checked period: dates inclusive, open-ended when None."""

    valid_from: date | None
    valid_to: date | None
    slots: tuple[OpeningSlot, ...]


class ScheduleEditInvalid(ValueError):
    """Nothing was changed; `problems` maps each wrong field to its message."""

    def __init__(self, problems: dict[str, Text]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))


# ---- drafts: from the stored rows, from a form ---------------------------------------------


def draft_from_rows(rows: Iterable[ScheduleRow]) -> ScheduleDraft:
    """The stored schedule as the grid shows it: one period per validity, ranges in order."""
    grouped: dict[tuple[date | None, date | None], dict[int, list[ScheduleRow]]] = {}
    ordered = sorted(rows, key=lambda r: (r.valid_from or date.min, r.weekday, r.opens_at))
    for row in ordered:
        days = grouped.setdefault((row.valid_from, row.valid_to), {})
        days.setdefault(row.weekday, []).append(row)
    draft = ScheduleDraft()
    for (start, end), days in grouped.items():
        period = PeriodDraft(start.isoformat() if start else "", end.isoformat() if end else "")
        for weekday, day_rows in days.items():
            for number, row in enumerate(day_rows, start=1):
                period.times[(weekday, number)] = (
                    f"{row.opens_at:%H:%M}",
                    f"{row.closes_at:%H:%M}",
                )
            draft.ranges = min(MAX_RANGES_PER_DAY, max(draft.ranges, len(day_rows)))
        draft.periods.append(period)
    return draft


def _count(value: str | None, low: int, high: int, default: int) -> int:
    text = (value or "").strip()
    return min(high, max(low, int(text))) if text.isdigit() else default


def draft_from_form(data: Mapping[str, str]) -> ScheduleDraft:
    """The grid as posted: `periods` and `ranges` say how many of each the form held."""

    def value(name: str) -> str:
        return str(data.get(name, "")).strip()[:MAX_VALUE_CHARS]

    draft = ScheduleDraft(ranges=_count(data.get("ranges"), 1, MAX_RANGES_PER_DAY, RANGES_PER_DAY))
    for number in range(1, _count(data.get("periods"), 0, MAX_PERIODS + 1, 0) + 1):
        period = PeriodDraft(
            value(period_field(number, "start")),
            value(period_field(number, "end")),
            remove=bool(value(period_field(number, "remove"))),
        )
        for weekday in WEEKDAYS:
            for slot in range(1, draft.ranges + 1):
                pair = (
                    value(time_field("from", number, weekday, slot)),
                    value(time_field("to", number, weekday, slot)),
                )
                if any(pair):
                    period.times[(weekday, slot)] = pair
        draft.periods.append(period)
    return draft


# ---- checking ------------------------------------------------------------------------------


def _time(text: str) -> time:
    found = TIME_PATTERN.fullmatch(text)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ValueError(text)
    return time(int(found[1]), int(found[2]))


def _date(text: str) -> date:
    found = ITALIAN_DATE.fullmatch(text)
    day = date(int(found[3]), int(found[2]), int(found[1])) if found else date.fromisoformat(text)
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValueError(text)
    return day


def _day_ranges(
    draft: PeriodDraft, number: int, weekday: int, ranges: int, problems: dict[str, Text]
) -> list[tuple[int, time, time]]:
    """The day's checked ranges as (form number, opens, closes)."""
    found = []
    for slot in range(1, ranges + 1):
        texts = draft.times.get((weekday, slot), ("", ""))
        names = [time_field(kind, number, weekday, slot) for kind in ("from", "to")]
        moments: list[time | None] = []
        for text, name in zip(texts, names, strict=True):
            try:
                moments.append(_time(text) if text else None)
            except ValueError:
                problems[name] = _("scrivi l'ora come HH:MM, per esempio 07:30")
                moments.append(None)
        opens, closes = moments
        if any(name in problems for name in names):
            continue
        if opens is None and closes is not None:
            problems[names[0]] = _("manca l'ora di inizio")
        elif opens is not None and closes is None:
            problems[names[1]] = _("manca l'ora di fine")
        elif opens is not None and closes is not None:
            if closes <= opens:
                problems[names[1]] = _("l'ora di fine deve venire dopo quella di inizio")
            else:
                found.append((slot, opens, closes))
    _check_no_overlap(found, number, weekday, problems)
    return found


def _check_no_overlap(
    found: list[tuple[int, time, time]], number: int, weekday: int, problems: dict[str, Text]
) -> None:
    for first, second in combinations(sorted(found, key=lambda r: r[1]), 2):
        if second[1] < first[2]:
            later = max(first[0], second[0])
            other = first if later == second[0] else second
            problems[time_field("from", number, weekday, later)] = _(
                "si sovrappone alla fascia {start}–{end} dello stesso giorno",
                start=f"{other[1]:%H:%M}",
                end=f"{other[2]:%H:%M}",
            )


def _period_dates(
    draft: PeriodDraft, number: int, problems: dict[str, Text]
) -> tuple[date | None, date | None]:
    ends: list[date | None] = []
    for text, name in ((draft.start, "start"), (draft.end, "end")):
        try:
            ends.append(_date(text) if text else None)
        except ValueError:
            problems[period_field(number, name)] = _(
                "scrivi la data come gg/mm/aaaa, per esempio 01/09/2026"
            )
            ends.append(None)
    start, end = ends
    if start and end and end < start:
        problems[period_field(number, "end")] = _(
            "la fine del periodo non può venire prima dell'inizio"
        )
    return start, end


def _check_periods_apart(periods: list[tuple[int, PeriodEdit]], problems: dict[str, Text]) -> None:
    for (first_number, first), (number, second) in combinations(periods, 2):
        if (first.valid_from or date.min) <= (second.valid_to or date.max) and (
            second.valid_from or date.min
        ) <= (first.valid_to or date.max):
            problems.setdefault(
                period_field(number, "start"),
                _("si sovrappone al periodo {number}", number=first_number),
            )


def parse_schedule(draft: ScheduleDraft) -> list[PeriodEdit]:
    """The periods the form asks for, checked; blank and removed periods are left out.
    Raises `ScheduleEditInvalid` naming every wrong field."""
    problems: dict[str, Text] = {}
    checked: list[tuple[int, PeriodEdit]] = []
    for number, period in enumerate(draft.periods, start=1):
        if period.remove or period.blank:
            continue
        start, end = _period_dates(period, number, problems)
        slots = [
            OpeningSlot(weekday, opens, closes)
            for weekday in WEEKDAYS
            for _slot, opens, closes in _day_ranges(period, number, weekday, draft.ranges, problems)
        ]
        if not slots and not any(name.startswith(f"p{number}_") for name in problems):
            problems[time_field("from", number, 1, 1)] = _(
                "questo periodo non ha orari: scrivine almeno uno o elimina il periodo"
            )
        checked.append((number, PeriodEdit(start, end, tuple(slots))))
    if len(checked) > MAX_PERIODS:
        problems["periods"] = _("al massimo {count} periodi", count=MAX_PERIODS)
    _check_periods_apart(checked, problems)
    if problems:
        raise ScheduleEditInvalid(problems)
    return sorted((edit for _n, edit in checked), key=lambda e: e.valid_from or date.min)


# ---- summaries and applying ----------------------------------------------------------------


def _period_label(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "tutto l'anno"
    return f"{start.isoformat() if start else '…'}/{end.isoformat() if end else '…'}"


def schedule_summary(periods: Iterable[PeriodEdit]) -> str | None:
    """E.g. "2026-09-01/2027-07-31: lun-ven 07:30-16:30 | 2027-07-05/2027-07-30: lun-ven
    08:00-13:00"; None for no schedule at all."""
    parts = [
        f"{_period_label(p.valid_from, p.valid_to)}: {format_weekly_hours(p.slots)}"
        for p in sorted(periods, key=lambda p: p.valid_from or date.min)
        if p.slots
    ]
    return " | ".join(parts) or None


def periods_of_rows(rows: Iterable[ScheduleRow]) -> list[PeriodEdit]:
    grouped: dict[tuple[date | None, date | None], list[OpeningSlot]] = {}
    for row in rows:
        grouped.setdefault((row.valid_from, row.valid_to), []).append(
            OpeningSlot(row.weekday, row.opens_at, row.closes_at)
        )
    return [PeriodEdit(start, end, tuple(slots)) for (start, end), slots in grouped.items()]


def replace_schedule(
    session: Session, service: Service, periods: list[PeriodEdit], user: User
) -> AuditEntry | None:
    """Replace `service`'s schedule rows with `periods` in one transaction, audited as one
    change (before → after summaries); commit. None, and nothing written, when the schedule
    is the same."""
    old_rows = list(service.schedule_rows)
    before = schedule_summary(periods_of_rows(old_rows))
    after = schedule_summary(periods)
    if before == after:
        return None
    for row in old_rows:
        session.delete(row)
    for period in periods:
        for slot in period.slots:
            session.add(
                ScheduleRow(
                    service_id=service.id,
                    weekday=slot.weekday,
                    opens_at=slot.opens,
                    closes_at=slot.closes,
                    valid_from=period.valid_from,
                    valid_to=period.valid_to,
                )
            )
    service_id = service.id or 0
    entry = record_change(
        session, user, "schedule", service_id, "schedule", before, after, service_id
    )
    service.updated_at = utc_now()
    session.add(service)
    session.commit()
    session.refresh(service)
    return entry
