"""Read the ages a service accepts ("3-36 mesi", "da 3 a 6 anni", "scuola primaria") in months.

Reading rules, in this order:

* numbers are ages; each takes the unit written after it (``12 mesi - 3 anni``), else the unit
  of the other number (``3-36 mesi``), else a unit written before the numbers (``anni 3-6``); a
  number with no unit anywhere is refused as ambiguous; years may have decimals (``1,5 anni`` =
  18 mesi) and ages are rounded to the nearest month;
* two numbers are the minimum and the maximum; one number is a maximum after ``fino a``,
  ``entro``, ``sotto``, ``max``, ``massimo``, ``meno di``, a minimum after ``da``/``dai``,
  ``a partire da``, ``oltre``, ``dopo``, ``più di``, ``sopra``, ``min`` or before ``+``,
  ``in su``, ``e oltre``; otherwise it is one year of age (``3 anni`` = 36–47 mesi) or one month
  (``6 mesi`` = 6–6);
* with no such ages, four-digit years are years of birth (``nati nel 2023``, ``nati negli anni
  2021-2023``, ``nati dal 2021 al 2023``); they need ``reference_year``, the year the school
  year starts, and give the ages on 1 September of that year of a child born in December of the
  latest year (the youngest) and of one born in January of the earliest year (the oldest),
  counting births as on the first of their month: minimum ``12 * (reference_year - latest) - 3``
  (at least 0), maximum ``12 * (reference_year - earliest) + 8``; "nati nel 2023" with
  ``reference_year=2024`` is 9–20 mesi;
* with no numbers at all, school levels: nido 3–36, infanzia/materna 36–72, primaria/elementari
  72–132, secondaria di primo grado/medie 132–168; several levels give the range covering them.

Ages over 18 years (216 months) and a minimum above the maximum raise :class:`AgeRangeError`.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from core.i18n import _

MAX_MONTHS = 18 * 12
EXAMPLE = _('"{months}" o "{years}"', months="3-36 mesi", years="3-6 anni")

NUMBER = re.compile(
    r"(?<![0-9.,])(?P<value>[0-9]+(?:[.,][0-9]+)?)(?![0-9]|\s*[°º])"  # "1° grado" is no age
    r"(?:\s*(?P<unit>mes[ei]|ann[oi])\b)?",
    re.IGNORECASE,
)
UNIT = re.compile(r"\b(mes[ei]|ann[oi])\b", re.IGNORECASE)
BIRTH_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
UNTIL = re.compile(
    r"\b(?:fino\s+a\w*|entro|sotto|under|max|massimo|meno\s+di|al\s+di\s+sotto)\b", re.I
)
FROM = re.compile(
    r"\b(?:da|dai|dagli|dall|a\s+partire\s+da\w*|oltre|dopo|pi[uù]\s+di|sopra|over|min|minimo)\b"
    r"|\+|\bin\s+su\b|\be\s+pi[uù]\b",
    re.IGNORECASE,
)
SCHOOL_LEVELS = (
    (re.compile(r"nido\b", re.I), (3, 36)),
    (re.compile(r"\binfanzia\b|\bmatern[ae]\b", re.I), (36, 72)),
    (re.compile(r"\bprimaria\b|\belementar[ei]\b", re.I), (72, 132)),
    (re.compile(r"\bsecondaria\s+di\s+(?:primo|1°?)\s+grado\b|\bmedi[ae]\b", re.I), (132, 168)),
)


class AgeRangeError(ValueError):
    """The text is not an age range a service can have; the message is a `Text` (Italian first)."""


@dataclass(frozen=True)
class AgeRange:
    """Ages in whole months, both ends included; ``None`` means open on that side."""

    min_months: int | None
    max_months: int | None

    def __post_init__(self) -> None:
        bounds = [bound for bound in (self.min_months, self.max_months) if bound is not None]
        if any(not 0 <= bound <= MAX_MONTHS for bound in bounds) or bounds != sorted(bounds):
            raise AgeRangeError(
                _(
                    "età non valida (minima {minimum}, massima {maximum}): "
                    "servono mesi da 0 a {max_months}, la minima non sopra la massima",
                    minimum=self.min_months,
                    maximum=self.max_months,
                    max_months=MAX_MONTHS,
                )
            )


def parse_age_range(text: str, *, reference_year: int | None = None) -> AgeRange:
    """Read an age range; ``reference_year`` is the start year of the school year."""
    quoted = " ".join(text.split())
    numbers = [(match["value"], match["unit"]) for match in NUMBER.finditer(text)]
    ages = [(value, unit) for value, unit in numbers if unit or not BIRTH_YEAR.fullmatch(value)]
    if ages:
        return _build(quoted, *_from_ages(quoted, ages))
    if numbers:
        years = [int(value) for value, _unit in numbers]
        return _from_birth_years(quoted, years, reference_year)
    levels = [bounds for pattern, bounds in SCHOOL_LEVELS if pattern.search(text)]
    if levels:
        return _build(quoted, min(low for low, _high in levels), max(high for _low, high in levels))
    if not quoted:
        raise AgeRangeError(_("età vuota: scrivi per esempio {example}", example=EXAMPLE))
    raise AgeRangeError(
        _(
            'età non riconosciuta "{text}": scrivi per esempio {example}',
            text=quoted,
            example=EXAMPLE,
        )
    )


def _from_birth_years(quoted: str, years: list[int], reference_year: int | None) -> AgeRange:
    """Ages on 1 September of ``reference_year`` of the children born in ``years``."""
    if reference_year is None:
        raise AgeRangeError(
            _(
                'età "{text}" indicata con gli anni di nascita: '
                "serve l'anno scolastico di riferimento",
                text=quoted,
            )
        )
    oldest = 12 * (reference_year - min(years)) + 8
    if oldest < 0:
        raise AgeRangeError(
            _(
                'età "{text}": al 1° settembre {year} non sono ancora nati',
                text=quoted,
                year=reference_year,
            )
        )
    return _build(quoted, max(0, 12 * (reference_year - max(years)) - 3), oldest)


def format_age_range(ages: AgeRange) -> str:
    """Write the canonical text that :func:`parse_age_range` reads back to the same range."""
    low, high = ages.min_months, ages.max_months
    if low is not None and high is not None:
        if low % 12 == 0 and high % 12 == 0:
            return f"{low // 12}-{high // 12} anni"
        return f"{low}-{high} mesi"
    if low is not None:
        return ("da " if low in (1, 12) else "dai ") + _with_unit(low)
    if high is not None:
        return "fino a " + _with_unit(high)
    return ""


def _from_ages(quoted: str, ages: list[tuple[str, str | None]]) -> tuple[int | None, int | None]:
    if len(ages) > 2:
        raise AgeRangeError(
            _(
                'età "{text}": troppi numeri, scrivi per esempio {example}',
                text=quoted,
                example=EXAMPLE,
            )
        )
    leading = UNIT.search(quoted)
    default_unit = next((unit for _value, unit in ages if unit), leading and leading.group(1))
    if default_unit is None:
        raise AgeRangeError(
            _(
                'età "{text}" senza unità: scrivi "mesi" o "anni" (es. {example})',
                text=quoted,
                example=EXAMPLE,
            )
        )
    months = [_months(value, unit or default_unit) for value, unit in ages]
    if len(months) == 2:
        return months[0], months[1]
    (value, unit), month = ages[0], months[0]
    if UNTIL.search(quoted):
        return None, month
    if FROM.search(quoted):
        return month, None
    whole_year = (unit or default_unit).lower().startswith("ann") and value.isdigit()
    return month, (month + 11 if whole_year else month)


def _months(value: str, unit: str) -> int:
    amount = Decimal(value.replace(",", "."))
    if unit.lower().startswith("ann"):
        amount *= 12
    return int(amount + Decimal("0.5"))  # half up: ages are never negative


def _build(quoted: str, low: int | None, high: int | None) -> AgeRange:
    if any(bound > MAX_MONTHS for bound in (low, high) if bound is not None):
        raise AgeRangeError(
            _(
                'età "{text}": oltre i 18 anni ({max_months} mesi)',
                text=quoted,
                max_months=MAX_MONTHS,
            )
        )
    if low is not None and high is not None and low > high:
        raise AgeRangeError(
            _(
                'età "{text}": la minima ({low} mesi) supera la massima ({high} mesi)',
                text=quoted,
                low=low,
                high=high,
            )
        )
    return AgeRange(low, high)


def _with_unit(months: int) -> str:
    if months % 12 == 0:
        return f"{months // 12} {'anno' if months == 12 else 'anni'}"
    return f"{months} {'mese' if months == 1 else 'mesi'}"
