"""Parse and format the "orari" and "periodi" columns of the CSV template.

Weekly hours: ``lun-ven 07:30-12:30, 13:30-18:00; sab 08:00-12:00``. Groups are separated by
``;``. In each group the days are the first word (no spaces inside it, so a day list is written
``lun,mer,ven`` and may mix spans: ``lun-mer,ven``); the rest of the group is a comma-separated
list of pieces, and a piece is a time range iff it matches ``HH[:.]MM-HH[:.]MM`` (spaces around
the dash and an en dash are allowed).

Periods: ``2027-06-14/2027-06-18; 2027-06-21/2027-06-25``.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from types import MappingProxyType

from core.i18n import Text, _

DAY_ABBREVIATIONS = ("lun", "mar", "mer", "gio", "ven", "sab", "dom")
FULL_DAY_NAMES = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
WEEKDAY_BY_NAME = MappingProxyType(
    {
        spelling: weekday
        for weekday, names in enumerate(zip(DAY_ABBREVIATIONS, FULL_DAY_NAMES, strict=True), 1)
        for name in names
        for spelling in (name, name.replace("ì", "i"))
    }
)

DASH = re.compile(r"[-–—]")
TIME_RANGE = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})\s*[-–—]\s*([0-9]{1,2})[:.]([0-9]{2})")
PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\s*/\s*([0-9]{4})-([0-9]{2})-([0-9]{2})")
STARTS_WITH_DIGIT = re.compile(r"[0-9]")

HOURS_EXAMPLE = '"lun-ven 07:30-16:30"'
DAYS_HINT = _(
    "usa {days} (es. {example})", days=", ".join(DAY_ABBREVIATIONS), example=HOURS_EXAMPLE
)


class ScheduleTextError(ValueError):
    """Raised with a `Text` (Italian first) that says what was wrong and how to write it right."""


@dataclass(frozen=True, order=True)
class OpeningSlot:
    """One opening interval on one ISO weekday (1 = lunedì … 7 = domenica)."""

    weekday: int
    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not 1 <= self.weekday <= 7:
            raise ScheduleTextError(
                _("giorno {weekday} non valido: usa 1 (lun) … 7 (dom)", weekday=self.weekday)
            )
        if any(moment.second or moment.microsecond for moment in (self.opens, self.closes)):
            raise ScheduleTextError(_("gli orari vanno indicati al minuto, senza secondi"))
        if self.closes <= self.opens:
            raise ScheduleTextError(_closes_before_opens(_format_range(self.opens, self.closes)))


@dataclass(frozen=True, order=True)
class Period:
    """A date interval, both ends inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ScheduleTextError(_end_before_start(_format_period(self)))


def parse_weekly_hours(text: str) -> list[OpeningSlot]:
    """Parse the "orari" text; blank text means unknown hours and gives []."""
    groups = [group.strip() for group in text.split(";") if group.strip()]
    return merge_slots(slot for group in groups for slot in _parse_group(group))


def format_weekly_hours(slots: Iterable[OpeningSlot]) -> str:
    """Write slots in canonical form, e.g. "lun-ven 07:30-12:30, 13:30-18:00; sab 08:00-12:00"."""
    ranges_by_weekday: dict[int, list[tuple[time, time]]] = {}
    for slot in merge_slots(slots):
        ranges_by_weekday.setdefault(slot.weekday, []).append((slot.opens, slot.closes))
    weekdays_by_ranges: dict[tuple[tuple[time, time], ...], list[int]] = {}
    for weekday, ranges in ranges_by_weekday.items():
        weekdays_by_ranges.setdefault(tuple(ranges), []).append(weekday)
    return "; ".join(
        f"{_format_days(weekdays)} {', '.join(_format_range(*pair) for pair in ranges)}"
        for ranges, weekdays in weekdays_by_ranges.items()
    )


def parse_periods(text: str) -> list[Period]:
    """Parse the "periodi" text into sorted periods without exact duplicates."""
    return sorted({_parse_period(item.strip()) for item in text.split(";") if item.strip()})


def format_periods(periods: Iterable[Period]) -> str:
    """Write periods sorted and deduplicated, joined with "; "."""
    return "; ".join(_format_period(period) for period in sorted(set(periods)))


def _parse_group(group: str) -> list[OpeningSlot]:
    days_token, *rest = group.split(maxsplit=1)
    ranges_text = "".join(rest)
    if STARTS_WITH_DIGIT.match(days_token):
        raise ScheduleTextError(
            _(
                'orario "{group}" senza giorni: scrivi per esempio {example}',
                group=group,
                example=HOURS_EXAMPLE,
            )
        )
    weekdays = _parse_days(days_token)
    pieces = [piece.strip() for piece in ranges_text.split(",") if piece.strip()]
    if not pieces:
        raise ScheduleTextError(
            _(
                'gruppo "{group}" senza orario: scrivi per esempio "{example}"',
                group=group,
                example=f"{days_token} 07:30-16:30",
            )
        )
    ranges = [_parse_range(piece) for piece in pieces]
    return [OpeningSlot(weekday, opens, closes) for weekday in weekdays for opens, closes in ranges]


def _parse_days(token: str) -> list[int]:
    weekdays: list[int] = []
    for item in token.split(","):
        names = DASH.split(item)
        if len(names) > 2 or not all(names):
            raise ScheduleTextError(
                _(
                    'giorni non validi "{days}": separa i giorni con virgole senza spazi '
                    '(es. "lun,mer,ven 16:30-19:30") o scrivi un intervallo (es. "lun-ven")',
                    days=token,
                )
            )
        first, last = _parse_day(names[0]), _parse_day(names[-1])
        if last < first:
            raise ScheduleTextError(
                _(
                    'intervallo di giorni "{days}" al contrario: metti prima il giorno iniziale '
                    '(es. "lun-ven")',
                    days=item,
                )
            )
        weekdays.extend(range(first, last + 1))
    return weekdays


def _parse_day(name: str) -> int:
    weekday = WEEKDAY_BY_NAME.get(name.lower())
    if weekday is None:
        raise ScheduleTextError(_('giorno sconosciuto "{day}": {hint}', day=name, hint=DAYS_HINT))
    return weekday


def _parse_range(piece: str) -> tuple[time, time]:
    match = TIME_RANGE.fullmatch(piece)
    if match is None:
        hint = _("scrivi le ore come {example}", example="07:30-16:30")
        if piece[0].isalpha():
            hint = _('separa i giorni con virgole senza spazi (es. "lun,mer 08:00-12:00")')
        raise ScheduleTextError(_('orario non valido "{hours}": {hint}', hours=piece, hint=hint))
    open_hour, open_minute, close_hour, close_minute = (int(number) for number in match.groups())
    if (close_hour, close_minute) == (24, 0):
        raise ScheduleTextError(
            _('orario "{hours}": 24:00 non esiste, usa 23:59 per la mezzanotte', hours=piece)
        )
    if max(open_hour, close_hour) > 23 or max(open_minute, close_minute) > 59:
        raise ScheduleTextError(
            _(
                'orario non valido "{hours}": {hint}',
                hours=piece,
                hint=_("scrivi le ore come {example}", example="07:30-16:30"),
            )
        )
    opens, closes = time(open_hour, open_minute), time(close_hour, close_minute)
    if closes <= opens:
        raise ScheduleTextError(_closes_before_opens(piece))
    return opens, closes


def _parse_period(item: str) -> Period:
    invalid = ScheduleTextError(
        _('periodo non valido "{period}": scrivi AAAA-MM-GG/AAAA-MM-GG', period=item)
    )
    match = PERIOD.fullmatch(item)
    if match is None:
        raise invalid
    numbers = [int(number) for number in match.groups()]
    try:
        start, end = date(*numbers[:3]), date(*numbers[3:])
    except ValueError:
        raise invalid from None
    if end < start:
        raise ScheduleTextError(_end_before_start(item))
    return Period(start, end)


def merge_slots(slots: Iterable[OpeningSlot]) -> list[OpeningSlot]:
    """Sort slots and merge overlapping or touching ones on the same weekday."""
    merged: list[OpeningSlot] = []
    for slot in sorted(set(slots)):
        previous = merged[-1] if merged else None
        if previous and previous.weekday == slot.weekday and slot.opens <= previous.closes:
            merged[-1] = OpeningSlot(
                slot.weekday, previous.opens, max(previous.closes, slot.closes)
            )
        else:
            merged.append(slot)
    return merged


def _format_days(weekdays: list[int]) -> str:
    """Write ascending weekdays as comma-joined runs: [1, 2, 3, 5] -> "lun-mer,ven"."""
    runs: list[list[int]] = []
    for weekday in weekdays:
        if runs and runs[-1][-1] + 1 == weekday:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    ends_of_runs = (sorted({run[0], run[-1]}) for run in runs)
    return ",".join("-".join(DAY_ABBREVIATIONS[day - 1] for day in ends) for ends in ends_of_runs)


def _format_range(opens: time, closes: time) -> str:
    return f"{opens:%H:%M}-{closes:%H:%M}"


def _format_period(period: Period) -> str:
    return f"{period.start.isoformat()}/{period.end.isoformat()}"


def _closes_before_opens(fragment: str) -> Text:
    return _('orario "{hours}": la chiusura deve essere dopo l\'apertura', hours=fragment)


def _end_before_start(fragment: str) -> Text:
    return _('periodo "{period}": la fine viene prima dell\'inizio', period=fragment)
