"""HSDS schedules → opening slots: weekdays (1.1 numbers or names, 3.0 byday), clock times."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from core.i18n import _
from importers.normalise.free_hours import FreeHoursError, parse_free_hours
from importers.normalise.schedule_text import (
    WEEKDAY_BY_NAME,
    OpeningSlot,
    ScheduleTextError,
    merge_slots,
)
from importers.sources.hsds import items
from importers.sources.hsds.items import Item
from importers.sources.hsds.notes import Notes

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ENGLISH_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: HSDS 1.1 weekday: 1 = Monday … 7 = Sunday; older feeds write names (Monday, Tue, lunedì)
DAY_NUMBERS = (
    {str(n): n for n in range(1, 8)}
    | dict(WEEKDAY_BY_NAME)
    | {name: n for n, day in enumerate(ENGLISH_DAYS, 1) for name in (day, day[:3], day[:2])}
)
CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?", re.I)


def slots(schedules: list[Item], notes: Notes) -> tuple[OpeningSlot, ...]:
    slots: list[OpeningSlot] = []
    for schedule in schedules:
        if items.text(schedule.get("freq")).upper() not in ("", "WEEKLY") or schedule.get(
            "interval"
        ) not in (None, "", 1, "1"):
            notes.flag("schedules", _("orario non settimanale ignorato: da verificare"))
            continue
        try:
            days = _weekdays(schedule)
            if not days:  # no structured days: the free-text description, if any
                slots.extend(_described(schedule, notes))
                continue
            opens = _clock(schedule.get("opens_at"), "opens_at")
            closes = _clock(schedule.get("closes_at"), "closes_at", closing=True)
            slots.extend(OpeningSlot(day, opens, closes) for day in days)
        except ScheduleTextError as error:
            notes.reject("schedules", error)
    return tuple(merge_slots(slots))


def _weekdays(schedule: Item) -> list[int]:
    byday = items.text(schedule.get("byday"))
    codes = [code.strip().upper() for code in byday.split(",") if code.strip()]
    word = items.text(schedule.get("weekday")).lower()
    if any(code not in RRULE_DAYS for code in codes) or (word and word not in DAY_NUMBERS):
        raise ScheduleTextError(
            _(
                "giorno «{day}» non valido: usa byday MO…SU o weekday 1 (lunedì) … 7",
                day=byday or word,
            )
        )
    if codes:
        return [RRULE_DAYS.index(code) + 1 for code in codes]
    return [DAY_NUMBERS[word]] if word else []


def _described(schedule: Item, notes: Notes) -> tuple[OpeningSlot, ...]:
    text = items.text(schedule.get("description"))
    try:
        return parse_free_hours(text).slots if text else ()
    except FreeHoursError:
        notes.flag("schedules", _("orario non letto, da verificare: «{text}»", text=text))
        return ()


def _clock(value: Any, name: str, *, closing: bool = False) -> time:
    text = items.text(value)
    match = CLOCK.fullmatch(text)
    if not text or match is None or int(match[1]) > 24 or int(match[2]) > 59:
        raise ScheduleTextError(
            _("{name} «{text}» non valido: scrivi l'ora come 09:00", name=name, text=text)
        )
    hour, minute = int(match[1]), int(match[2])
    if closing and (hour % 24, minute) == (0, 0):
        return time(23, 59)  # closing at midnight
    if hour == 24:
        raise ScheduleTextError(
            _("{name} «{text}» non valido: 24:00 vale solo per la chiusura", name=name, text=text)
        )
    return time(hour, minute)
