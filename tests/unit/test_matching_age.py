"""Age at the start date and each kind's eligibility rule, with hand-computed expectations.

We know only birth year and month, so the engine counts the months a child born on the
*last* day of that month has completed (the age we can be sure of)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.matching.age import AgeVerdict, age_in_months, age_verdict, school_year_of
from search.matching.need import Child, next_school_year_start

# fmt: off
AGE_IN_MONTHS = [
    # born (year, month), on, months: worked out from the last day of the birth month
    ((2025, 6), date(2026, 9, 1), 14),    # 30/06/2025 → 01/09/2026: 14 months and 2 days
    ((2025, 6), date(2026, 9, 29), 14),   # one day short of the 15th month
    ((2025, 6), date(2026, 9, 30), 15),
    ((2025, 6), date(2026, 8, 31), 14),   # 30 June → 31 August: 2 months + a year
    ((2024, 2), date(2026, 2, 28), 24),   # born 29/02/2024 (leap): 28 Feb is February's end
    ((2024, 2), date(2027, 3, 28), 36),   # 29/02/2024 → 28/03/2027: one day short of 37
    ((2024, 2), date(2028, 2, 29), 48),   # leap day to leap day
    ((2023, 1), date(2023, 2, 28), 1),    # born 31/01: a month is complete at February's end
    ((2023, 1), date(2024, 2, 28), 12),   # … but not on 28 February of a leap year
    ((2023, 1), date(2024, 2, 29), 13),
    ((2025, 12), date(2026, 1, 31), 1),   # across the year boundary
    ((2026, 9), date(2026, 9, 30), 0),    # birth month = start month, at its end
    ((2026, 9), date(2026, 9, 1), -1),    # birth month = start month: may not be born yet
    ((2027, 1), date(2026, 9, 1), -5),    # not born yet
]
# fmt: on


@pytest.mark.parametrize(("born", "on", "expected"), AGE_IN_MONTHS)
def test_age_in_months(born: tuple[int, int], on: date, expected: int) -> None:
    assert age_in_months(Child(*born), on) == expected


@given(st.integers(2000, 2040), st.integers(1, 12), st.dates(date(2000, 1, 1), date(2060, 1, 1)))
def test_age_grows_by_twelve_months_a_year(year: int, month: int, on: date) -> None:
    # February's last day moves between leap and common years, and a child counted as born
    # on the last day of the month completes a month on it (28 Feb 2001 ends the 13th month
    # of a child born in January 2000, 28 Feb 2000 does not end the 1st): compare other days
    if on.month == 2 and on.day >= 28:
        on = on.replace(day=27)
    a_year_later = on.replace(year=on.year + 1)
    child = Child(year, month)
    assert age_in_months(child, a_year_later) == age_in_months(child, on) + 12


@given(st.integers(2000, 2040), st.integers(1, 12), st.dates(date(2000, 1, 1), date(2060, 1, 1)))
def test_age_never_exceeds_the_plain_month_difference(year: int, month: int, on: date) -> None:
    difference = (on.year - year) * 12 + on.month - month
    assert difference - 1 <= age_in_months(Child(year, month), on) <= difference


def doc(kind: str, minimum=None, maximum=None) -> dict:
    return {"kind": kind, "age_min_months": minimum, "age_max_months": maximum}


SEPT_2026 = date(2026, 9, 1)
A = AgeVerdict

# fmt: off
VERDICTS = [
    # nidi: 3–36 months unless the listing says otherwise
    (doc("nido"), (2026, 6), SEPT_2026, A.TOO_YOUNG),          # 2 months (30 June → 1 Sep)
    (doc("nido"), (2026, 5), SEPT_2026, A.ACCEPTED),           # 3 months (31 May → 31 Aug)
    (doc("micronido"), (2023, 9), SEPT_2026, A.ACCEPTED),      # 35 months
    (doc("nido"), (2023, 8), SEPT_2026, A.ACCEPTED),           # 36 months (31 Aug → 1 Sep)
    (doc("nido"), (2023, 7), SEPT_2026, A.TOO_OLD),            # 37 months
    (doc("nido", 12, 36), (2025, 10), SEPT_2026, A.TOO_YOUNG),  # the listing's own minimum
    (doc("nido_famiglia", 0, None), (2026, 8), SEPT_2026, A.ACCEPTED),  # 0 months
    # sezione primavera: 24–36 months, whatever the listing
    (doc("sezione_primavera"), (2024, 8), SEPT_2026, A.ACCEPTED),   # 24
    (doc("sezione_primavera", 12, 48), (2024, 9), SEPT_2026, A.TOO_YOUNG),  # 23
    (doc("sezione_primavera"), (2023, 7), SEPT_2026, A.TOO_OLD),    # 37
    # scuola dell'infanzia, school year 2026/27: born 2021–2023; anticipatari Jan–Apr 2024
    (doc("scuola_infanzia", 36, 72), (2023, 12), SEPT_2026, A.ACCEPTED),  # turns 3 in Dec
    (doc("scuola_infanzia"), (2024, 1), SEPT_2026, A.ANTICIPATARIO),
    (doc("scuola_infanzia"), (2024, 4), SEPT_2026, A.ANTICIPATARIO),  # turns 3 by 30 April
    (doc("scuola_infanzia"), (2024, 5), SEPT_2026, A.TOO_YOUNG),
    (doc("scuola_infanzia"), (2021, 1), SEPT_2026, A.ACCEPTED),  # turns 6 in 2027
    (doc("scuola_infanzia"), (2020, 12), SEPT_2026, A.TOO_OLD),  # turns 6 in 2026: primaria
    (doc("scuola_infanzia"), (2024, 4), date(2027, 3, 15), A.ANTICIPATARIO),  # same school year
    (doc("scuola_infanzia"), (2024, 4), date(2027, 9, 6), A.ACCEPTED),  # next school year
    # centri estivi, pre/post-scuola: the listing's range; none given → to be checked
    (doc("centro_estivo", 36, 144), (2023, 9), SEPT_2026, A.TOO_YOUNG),  # 35 months
    (doc("post_scuola", 72, 132), (2020, 8), SEPT_2026, A.ACCEPTED),  # 72 months
    (doc("centro_estivo"), (2020, 8), SEPT_2026, A.UNKNOWN),
    # a child not born on the start date fits nothing
    (doc("nido_famiglia", 0, 36), (2026, 9), SEPT_2026, A.NOT_BORN),
    (doc("scuola_infanzia"), (2027, 1), SEPT_2026, A.NOT_BORN),
]
# fmt: on


@pytest.mark.parametrize(("listing", "born", "start", "expected"), VERDICTS)
def test_age_verdict(listing: dict, born: tuple[int, int], start: date, expected) -> None:
    assert age_verdict(listing, Child(*born), start) is expected


@pytest.mark.parametrize(
    ("verdict", "accepted"),
    [(A.ACCEPTED, True), (A.ANTICIPATARIO, True), (A.UNKNOWN, True), (A.TOO_OLD, False),
     (A.TOO_YOUNG, False), (A.NOT_BORN, False)],
)  # fmt: skip
def test_which_verdicts_accept(verdict: AgeVerdict, accepted: bool) -> None:
    assert verdict.accepted is accepted


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 9, 1), 2026), (date(2026, 8, 31), 2025), (date(2027, 1, 10), 2026)],
)
def test_school_year_of(day: date, year: int) -> None:
    assert school_year_of(day) == year


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 23), date(2027, 9, 1)),
        (date(2026, 9, 1), date(2026, 9, 1)),
        (date(2026, 3, 2), date(2026, 9, 1)),
    ],
)
def test_next_school_year_start(today: date, start: date) -> None:
    assert next_school_year_start(today) == start
