"""Small pure parsers for spreadsheet cells: empty means unknown, commas are decimal points."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from core.i18n import _

NULL_MARKERS = {"", "-", "n.d.", "nd", "non disponibile", "null", "none"}


class CellError(ValueError):
    """A cell's text cannot be read; the message (a `Text`) says what was expected."""


def text_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = re.sub(r"\s+", " ", html.unescape(value)).strip()
    return None if cleaned.lower() in NULL_MARKERS else cleaned


def integer_or_none(value: str | None) -> int | None:
    cleaned = text_or_none(value)
    if cleaned is None:
        return None
    if not re.fullmatch(r"-?\d+", cleaned):
        raise CellError(_("«{value}» non è un numero intero", value=cleaned))
    return int(cleaned)


EARLIEST_VERIFICATION = date(2000, 1, 1)
ROME = ZoneInfo("Europe/Rome")


def date_or_none(value: str | None) -> date | None:
    """A date as people and spreadsheets write it: 23/11/2026, 2026-11-23, or a
    spreadsheet's "2026-11-23 00:00:00" (Excel's own dates arrive as ISO text)."""
    cleaned = text_or_none(value)
    if cleaned is None:
        return None
    cleaned = cleaned.split(" ")[0].split("T")[0]
    italian = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", cleaned)
    try:
        if italian:
            return date(int(italian[3]), int(italian[2]), int(italian[1]))
        return date.fromisoformat(cleaned)
    except ValueError as error:
        raise CellError(
            _("«{value}» non è una data: scrivi GG/MM/AAAA, per esempio 23/11/2026", value=cleaned)
        ) from error


def verification_date_or_none(value: str | None, today: date | None = None) -> date | None:
    """When the data were last checked (`date_or_none`), not in the future."""
    day = date_or_none(value)
    if day is None:
        return None
    if not EARLIEST_VERIFICATION <= day <= (today or datetime.now(ROME).date()):
        cleaned = (text_or_none(value) or "").split(" ")[0].split("T")[0]
        raise CellError(
            _("la data di verifica {value} è nel futuro o prima del 2000", value=cleaned)
        )
    return day


def decimal_or_none(value: str | None) -> Decimal | None:
    cleaned = text_or_none(value)
    if cleaned is None:
        return None
    normalised = cleaned.replace("€", "").replace(" ", "")
    if "," in normalised and normalised.rfind(",") > normalised.rfind("."):
        normalised = normalised.replace(".", "").replace(",", ".")  # 1.234,50
    else:
        normalised = normalised.replace(",", "")  # 1,234.50
    try:
        number = Decimal(normalised)
    except InvalidOperation as error:
        raise CellError(_("«{value}» non è un numero", value=cleaned)) from error
    if not number.is_finite():
        raise CellError(_("«{value}» non è un numero", value=cleaned))
    return number


def euro_cents_or_none(value: str | None) -> int | None:
    amount = decimal_or_none(value)
    if amount is None:
        return None
    if amount < 0:
        raise CellError(_("importo negativo «{value}»", value=value))
    return int((amount * 100).to_integral_value())


def coordinate_or_none(value: str | None) -> float | None:
    amount = decimal_or_none(value)
    return None if amount is None else float(amount)


SMALL_WORDS = frozenset(
    [
        "di",
        "da",
        "del",
        "della",
        "dello",
        "dei",
        "degli",
        "delle",
        "dell",
        "e",
        "ed",
        "in",
        "a",
        "al",
        "alla",
        "all",
        "con",
        "per",
        "su",
        "sul",
        "sulla",
        "sull",
        "nel",
        "nella",
        "nell",
        "l",
        "d",
    ]
)


DOTTED_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}[A-Z]?")


def display_case(value: str) -> str:
    """UPPER CASE REGISTRY TEXT → Title case that reads naturally in Italian."""
    if not value.isupper():
        return value
    words = re.split(r"(\s+|['’\"-])", value)
    result = []
    for index, word in enumerate(words):
        lower = word.lower()
        if DOTTED_ACRONYM.fullmatch(word):
            result.append(word)  # C.R.D., C.A.G. stay as they are
        elif index > 0 and lower in SMALL_WORDS:
            result.append(lower)
        else:
            result.append(lower[:1].upper() + lower[1:])
    return "".join(result)


EMAIL = re.compile(r"[^@\s,;<>()]+@[^@\s,;<>()]+\.[a-z]{2,}", re.IGNORECASE)


def first_email(value: str | None) -> str | None:
    """The first e-mail address in a cell that may hold several («a@x.it b@pec.it»)."""
    found = EMAIL.search(text_or_none(value) or "")
    return found.group(0).lower().removeprefix("mailto:") if found else None


def website_url(value: str | None) -> str | None:
    """«www.comune.x.it» → «http://www.comune.x.it»; anything without a dot → None."""
    cleaned = text_or_none(value)
    if not cleaned or " " in cleaned or "." not in cleaned:
        return None
    return cleaned if re.match(r"https?://", cleaned, re.IGNORECASE) else f"http://{cleaned}"
