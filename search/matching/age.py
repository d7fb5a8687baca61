"""Who a service takes: a child's age at the start date, and each kind's eligibility rule.

We only know the birth year and month, so the age we use is the one we can be sure of:
whole months completed on the start date by a child born on the *last* day of the month
(a child born in June 2025 is 14 months old on 31 August 2026 and on 1 September 2026
too, but 15 on 30 September 2026). A minimum age is then never promised too early.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from core.kinds import ServiceKind
from search.matching.need import SCHOOL_YEAR_START_MONTH, Child

#: nidi and micronidi take 3–36 months unless the listing says otherwise
NIDO_KINDS = frozenset(
    {
        ServiceKind.NIDO,
        ServiceKind.MICRONIDO,
        ServiceKind.NIDO_FAMIGLIA,
        ServiceKind.CENTRO_PRIMA_INFANZIA,
    }
)
NIDO_DEFAULT = (3, 36)
SEZIONE_PRIMAVERA_RANGE = (24, 36)
#: the last month of birth of the "anticipatari" of scuola dell'infanzia: they turn 3 by
#: 30 April of the year after the school year starts
ANTICIPATARI_LAST_MONTH = 4


def birth_day(child: Child) -> date:
    """The latest day the child can have been born: the last of the birth month."""
    last = calendar.monthrange(child.birth_year, child.birth_month)[1]
    return date(child.birth_year, child.birth_month, last)


def age_in_months(child: Child, on: date) -> int:
    """Whole months completed on `on` by a child born on the last day of the birth month.

    A month is completed on the same day of a later month, or on that month's last day when
    it is shorter (born 31 January → 1 month on 28 February, or 29 in a leap year). Negative
    when the child may not be born yet on `on`."""
    born = birth_day(child)
    months = (on.year - born.year) * 12 + (on.month - born.month)
    month_end = calendar.monthrange(on.year, on.month)[1]
    if on.day < born.day and on.day != month_end:
        months -= 1
    return months


def school_year_of(day: date) -> int:
    """The year the school year containing `day` started (September to August)."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


class AgeVerdict(StrEnum):
    ACCEPTED = "accepted"
    #: scuola dell'infanzia: turns 3 between 1 January and 30 April after the school year starts
    ANTICIPATARIO = "anticipatario"
    #: the listing gives no ages: accepted, to be checked with the service
    UNKNOWN = "unknown"
    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    NOT_BORN = "not_born"

    @property
    def accepted(self) -> bool:
        return self in (AgeVerdict.ACCEPTED, AgeVerdict.ANTICIPATARIO, AgeVerdict.UNKNOWN)


@dataclass(frozen=True)
class AgeFit:
    child: int
    months: int
    verdict: AgeVerdict


def age_range(document: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The listing's range in months, with the kind's default where the listing is silent."""
    kind = document.get("kind")
    minimum, maximum = document.get("age_min_months"), document.get("age_max_months")
    if kind == ServiceKind.SEZIONE_PRIMAVERA:
        return SEZIONE_PRIMAVERA_RANGE
    if kind in NIDO_KINDS:
        return (
            NIDO_DEFAULT[0] if minimum is None else minimum,
            NIDO_DEFAULT[1] if maximum is None else maximum,
        )
    return minimum, maximum


def age_verdict(document: Mapping[str, Any], child: Child, start: date) -> AgeVerdict:
    months = age_in_months(child, start)
    if months < 0:
        return AgeVerdict.NOT_BORN
    if document.get("kind") == ServiceKind.SCUOLA_INFANZIA:
        return _school_year_verdict(child, school_year_of(start))
    minimum, maximum = age_range(document)
    if minimum is None and maximum is None:
        return AgeVerdict.UNKNOWN
    if minimum is not None and months < minimum:
        return AgeVerdict.TOO_YOUNG
    if maximum is not None and months > maximum:
        return AgeVerdict.TOO_OLD
    return AgeVerdict.ACCEPTED


def _school_year_verdict(child: Child, year: int) -> AgeVerdict:
    """Scuola dell'infanzia in the school year starting in September of `year`: children who
    turn 3 by 31 December of `year`, up to those who turn 6 in the next year (those turning
    6 by 31 December of `year` go to primary school); "anticipatari" turn 3 by 30 April of
    the next year."""
    third_birthday_year = child.birth_year + 3
    if third_birthday_year <= year:
        return AgeVerdict.ACCEPTED if child.birth_year + 6 > year else AgeVerdict.TOO_OLD
    if third_birthday_year == year + 1 and child.birth_month <= ANTICIPATARI_LAST_MONTH:
        return AgeVerdict.ANTICIPATARIO
    return AgeVerdict.TOO_YOUNG


def age_fits(document: Mapping[str, Any], children: tuple[Child, ...], start: date) -> list[AgeFit]:
    """One verdict per child, in the need's order."""
    return [
        AgeFit(index, age_in_months(child, start), age_verdict(document, child, start))
        for index, child in enumerate(children)
    ]
