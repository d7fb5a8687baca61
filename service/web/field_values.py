"""Reading one typed value (a whole number, a number, a time of day, a date) with the
message that names what is wrong: the search form's and the sportelli request's checks."""

from __future__ import annotations

import re
from datetime import date, time

from core.i18n import _
from service.web.field_errors import Fail


def minutes_of(value: time) -> int:
    return value.hour * 60 + value.minute


def integer_in_range(
    text: str, name: str, low: int, high: int, fail: Fail, required: bool = False
) -> int | None:
    if not text:
        if required:
            fail(name, _("campo obbligatorio"))
        return None
    if not re.fullmatch(r"\d{1,4}", text):
        fail(name, _("«{text}» non è un numero intero", text=text))
        return None
    value = int(text)
    if not low <= value <= high:
        fail(
            name,
            _(
                "{value} non è ammesso: scegli un valore tra {low} e {high}",
                value=value,
                low=low,
                high=high,
            ),
        )
        return None
    return value


def decimal_number(text: str, name: str, fail: Fail) -> float | None:
    """A number with a decimal point or comma (its range is checked by whoever uses it)."""
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        fail(name, _("«{text}» non è un numero", text=text))
        return None


def number_in_range(text: str, name: str, low: float, high: float, fail: Fail) -> float | None:
    value = decimal_number(text, name, fail)
    if value is None:
        return None
    if not low <= value <= high:  # NaN fails too
        fail(
            name,
            _(
                "{text} non è ammesso: scegli un valore tra {low} e {high}",
                text=text,
                low=f"{low:g}",
                high=f"{high:g}",
            ),
        )
        return None
    return value


def clock_time(text: str, name: str, fail: Fail) -> time | None:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        fail(name, _("«{text}» non è un orario: scrivi per esempio 08:30", text=text))
        return None
    return time(int(match[1]), int(match[2]))


def iso_date(text: str, name: str, fail: Fail) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(
            name,
            _("«{text}» non è una data: scrivi AAAA-MM-GG, per esempio 2027-09-01", text=text),
        )
        return None
