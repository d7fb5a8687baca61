"""Pure matching rules (search.matching) on hand-built search documents and care needs."""

from datetime import date, time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.matching import (
    Match,
    accepts_age,
    age_in_months,
    covered_minutes,
    explain_it,
    first_day_on_or_after,
    format_clock,
    format_km,
    percent_with_article,
    rank,
    schedule_coverage,
    weekdays_label,
)
from search.need import CareNeed
from service.kinds import ServiceKind

MON_FRI = (1, 2, 3, 4, 5)
LAT, LNG = 45.0, 9.0  # the family's point; candidates lie on the same meridian
KM_PER_HUNDREDTH_DEGREE = 1.111  # 1° of latitude ≈ 111.1 km, so 0.01° ≈ 1.11 km


def row(weekday: int, opens: str, closes: str, valid_from=None, valid_to=None) -> dict[str, Any]:
    """A schedule entry as search.documents.schedule_entry writes it."""
    keys = ("weekday", "opens", "closes", "valid_from", "valid_to")
    return dict(zip(keys, (weekday, opens, closes, valid_from, valid_to), strict=True))


def hhmm(clock: str) -> int:
    """Minutes after midnight: 07:30 → 450."""
    return int(clock[:2]) * 60 + int(clock[3:])


def week(opens: str, closes: str, weekdays=MON_FRI) -> list[dict[str, Any]]:
    return [row(day, opens, closes) for day in weekdays]


def document(id: int, north: float = 0.0, kind: str = "nido", schedule=(), **fields: Any):
    """A search document as service_document builds it (the fields matching reads), lying
    `north` degrees north of the family on the same meridian."""
    schedule = list(schedule)
    return {
        "id": id,
        "name": f"Servizio {id}",
        "kind": kind,
        "_geo": {"lat": LAT + north, "lng": LNG},
        "age_min_months": 3,
        "age_max_months": 36,
        "places_available": None,
        "hours_known": bool(schedule),
        "open_weekdays": sorted({entry["weekday"] for entry in schedule}),
        "schedule": schedule,
    } | fields


def need(**fields: Any) -> CareNeed:
    """Child born September 2025, starting Monday 2026-09-07: 12 months old on the start date."""
    values = dict(birth_year=2025, birth_month=9, latitude=LAT, longitude=LNG)
    return CareNeed(**(values | {"start_date": date(2026, 9, 7)} | fields))


def office_hours(**fields: Any) -> CareNeed:
    """Mon–Fri 08:00–18:00: 600 minutes a day, 3000 a week."""
    return need(weekdays=MON_FRI, from_time=time(8), to_time=time(18), **fields)


# ---- age -----------------------------------------------------------------------------------


# fmt: off
AGE_IN_MONTHS = [
    (2026, 3, date(2026, 3, 1), 0), (2026, 3, date(2026, 3, 31), 0),  # born this month
    (2025, 3, date(2026, 3, 1), 12), (2024, 3, date(2026, 3, 15), 24),
    (2025, 12, date(2026, 1, 1), 1),  # December → January across the year boundary
    (2024, 12, date(2026, 1, 31), 13),  # (2026 - 2024) * 12 + (1 - 12) = 13
    (2026, 5, date(2026, 3, 1), -2), (2027, 1, date(2026, 12, 1), -1),  # not born yet
    (2026, 2, date(2028, 2, 29), 24),  # leap-day start date
    (2027, 9, date(2028, 2, 29), 5),  # (2028 - 2027) * 12 + (2 - 9) = 5
]
# fmt: on


@pytest.mark.parametrize(("birth_year", "birth_month", "on", "expected"), AGE_IN_MONTHS)
def test_age_in_months(birth_year: int, birth_month: int, on: date, expected: int) -> None:
    assert age_in_months(birth_year, birth_month, on) == expected


@given(st.integers(2000, 2040), st.integers(1, 12), st.dates(date(2000, 1, 1), date(2060, 1, 1)))
def test_age_grows_by_twelve_months_a_year(year: int, month: int, on: date) -> None:
    a_year_later = date(on.year + 1, on.month, min(on.day, 28))
    assert age_in_months(year, month, a_year_later) == age_in_months(year, month, on) + 12


# fmt: off
ACCEPTS_AGE = [
    (None, None, -3, True), (None, None, 200, True),  # sportelli: no bounds at all
    (3, 36, 3, True), (3, 36, 36, True),  # bounds are inclusive
    (3, 36, 2, False), (3, 36, 37, False), (None, 36, 37, False), (12, None, 11, False),
]
# fmt: on


@pytest.mark.parametrize(("minimum", "maximum", "months", "expected"), ACCEPTS_AGE)
def test_accepts_age(minimum, maximum, months: int, expected: bool) -> None:
    doc = {"age_min_months": minimum, "age_max_months": maximum}
    assert accepts_age(doc, months) is expected


# ---- days and minutes ------------------------------------------------------------------------


# fmt: off
FIRST_DAY_ON_OR_AFTER = [  # from Wednesday 2026-09-09
    (3, date(2026, 9, 9)),  # same weekday: the start date itself
    (4, date(2026, 9, 10)), (5, date(2026, 9, 11)), (6, date(2026, 9, 12)), (7, date(2026, 9, 13)),
    (1, date(2026, 9, 14)), (2, date(2026, 9, 15)),  # already passed this week: next week
]
# fmt: on


@pytest.mark.parametrize(("weekday", "expected"), FIRST_DAY_ON_OR_AFTER)
def test_first_day_on_or_after(weekday: int, expected: date) -> None:
    assert first_day_on_or_after(date(2026, 9, 9), weekday) == expected


@given(st.dates(max_value=date(9999, 12, 24)), st.integers(1, 7))
def test_first_day_on_or_after_is_within_a_week(start: date, weekday: int) -> None:
    day = first_day_on_or_after(start, weekday)
    assert day.isoweekday() == weekday and timedelta(0) <= day - start <= timedelta(days=6)


MONDAY = date(2026, 9, 7)
WEDNESDAY_TERM = [
    row(3, "08:00", "16:00", "2026-09-01", "2026-12-23"),
    row(3, "08:00", "16:00", "2027-01-07", "2027-06-30"),
]
SUMMER_MODULES = [  # two one-week modules, Mon 15 and Mon 29 June, nothing the week between
    row(1, "08:00", "13:00", "2026-06-15", "2026-06-19"),
    row(1, "08:00", "13:00", "2026-06-29", "2026-07-03"),
]


@pytest.mark.parametrize(
    ("schedule", "day", "start", "end", "expected"),
    [
        # split shift 07:30–12:30 + 13:30–18:00 against 08:00–18:00: 270 + 270
        ([row(1, "07:30", "12:30"), row(1, "13:30", "18:00")], MONDAY, "08:00", "18:00", 540),
        # overlapping rows 08:00–12:00 + 11:00–14:00 are the single range 08:00–14:00
        ([row(1, "08:00", "12:00"), row(1, "11:00", "14:00")], MONDAY, "08:00", "18:00", 360),
        # a row inside another one adds nothing: 07:00–19:00 clipped to 08:00–18:00
        ([row(1, "07:00", "19:00"), row(1, "09:00", "10:00")], MONDAY, "08:00", "18:00", 600),
        ([row(1, "08:00", "12:00"), row(1, "08:00", "12:00")], MONDAY, "08:00", "18:00", 240),
        ([row(2, "08:00", "18:00")], MONDAY, "08:00", "18:00", 0),  # Tuesday row on a Monday
        ([row(1, "07:30", "18:00")], MONDAY, "07:00", "09:00", 90),  # 07:30–09:00
        ([row(1, "07:30", "18:00")], MONDAY, "19:00", "21:00", 0),  # entirely after closing
        ([row(1, "07:30", "18:00")], MONDAY, "06:00", "07:30", 0),  # ends when it opens
        ([], MONDAY, "08:00", "18:00", 0),
        # term-time rows: valid_from and valid_to are inclusive, the Christmas closure is not
        (WEDNESDAY_TERM, date(2026, 12, 23), "08:00", "18:00", 480),
        (WEDNESDAY_TERM, date(2026, 12, 30), "08:00", "18:00", 0),
        (WEDNESDAY_TERM, date(2027, 1, 6), "08:00", "18:00", 0),
        (WEDNESDAY_TERM, date(2027, 1, 13), "08:00", "18:00", 480),
        (WEDNESDAY_TERM, date(2026, 8, 26), "08:00", "18:00", 0),  # before the year starts
        (SUMMER_MODULES, date(2026, 6, 15), "08:00", "18:00", 300),
        (SUMMER_MODULES, date(2026, 6, 22), "08:00", "18:00", 0),
        (SUMMER_MODULES, date(2026, 6, 29), "08:00", "18:00", 300),
    ],
)
def test_covered_minutes(schedule, day: date, start: str, end: str, expected: int) -> None:
    assert covered_minutes(schedule, day, hhmm(start), hhmm(end)) == expected


clock = st.integers(0, 23 * 60 + 59).map(lambda m: f"{m // 60:02d}:{m % 60:02d}")


@given(
    st.lists(st.tuples(st.integers(1, 2), clock, clock), max_size=6),
    st.integers(0, 1439),
    st.integers(0, 1439),
)
def test_covered_minutes_equals_a_minute_by_minute_count(rows, start: int, end: int) -> None:
    schedule = [row(weekday, opens, closes) for weekday, opens, closes in rows]
    open_minutes = {
        minute
        for weekday, opens, closes in rows
        if weekday == 1
        for minute in range(hhmm(opens), hhmm(closes))
    }
    expected = len(open_minutes & set(range(start, end)))
    assert covered_minutes(schedule, MONDAY, start, end) == expected


# ---- coverage of a need ----------------------------------------------------------------------


def test_canonical_example_open_0730_1630_covers_85_percent_of_0800_1800() -> None:
    # each weekday: 08:00–16:30 = 510 of 600 minutes; the week: 5 × 510 = 2550 of 3000 = 0.85
    coverage = schedule_coverage(week("07:30", "16:30"), office_hours())
    assert coverage is not None
    assert (coverage.start, coverage.end) == (480, 1080)
    assert [(d.covered, d.requested) for d in coverage.days] == [(510, 600)] * 5
    assert (coverage.covered, coverage.requested) == (2550, 3000)
    assert coverage.ratio == pytest.approx(0.85)
    assert not coverage.is_full
    assert percent_with_article(coverage.ratio) == "l'85%"


def test_coverage_days_are_the_first_occurrences_on_or_after_the_start_date() -> None:
    # start Wednesday 2026-09-09; asked Mon, Wed, Sat → Wed 9, Sat 12, Mon 14 (listed by weekday)
    schedule = [row(1, "08:00", "12:00"), row(3, "08:00", "18:00"), row(6, "09:00", "11:00")]
    asked = need(
        start_date=date(2026, 9, 9), weekdays=(6, 1, 3), from_time=time(8), to_time=time(18)
    )
    coverage = schedule_coverage(schedule, asked)
    assert coverage is not None
    assert [(d.weekday, d.day, d.covered, d.requested) for d in coverage.days] == [
        (1, date(2026, 9, 14), 240, 600),
        (3, date(2026, 9, 9), 600, 600),
        (6, date(2026, 9, 12), 120, 600),
    ]
    assert coverage.covered == 960  # 240 + 600 + 120
    assert [d.ratio for d in coverage.days] == [0.4, 1.0, 0.2]


NO_HOURS = [{}, {"weekdays": MON_FRI, "from_time": time(8)}, {"to_time": time(18)}]


@pytest.mark.parametrize("fields", NO_HOURS)
def test_coverage_is_none_without_days_and_hours(fields: dict[str, Any]) -> None:
    assert schedule_coverage(week("07:30", "18:00"), need(**fields)) is None


# ---- ranking ---------------------------------------------------------------------------------


def ranked_ids(candidates, asked: CareNeed) -> list[int]:
    return [match.document["id"] for match in rank(candidates, asked)]


def test_rank_keeps_only_the_requested_kinds() -> None:
    candidates = [document(1), document(2, kind="sportello"), document(3, kind="centro_estivo")]
    assert ranked_ids(candidates, need()) == [1, 3]  # care kinds exclude the help desks
    assert ranked_ids(candidates, need(kinds=(ServiceKind.SPORTELLO,))) == [2]


def test_rank_keeps_only_services_accepting_the_age_on_the_start_date() -> None:
    candidates = [  # the child is 12 months old on 2026-09-07
        document(1, age_min_months=12, age_max_months=12),
        document(2, age_min_months=13),
        document(3, age_max_months=11),
        document(4, age_min_months=None, age_max_months=None),
    ]
    assert ranked_ids(candidates, need()) == [1, 4]


def test_rank_keeps_only_services_within_the_radius() -> None:
    # 0.04° north ≈ 4.44 km, 0.05° ≈ 5.56 km, 0.2° ≈ 22.2 km
    candidates = [document(1, north=0.04), document(2, north=0.05), document(3, north=0.2)]
    assert ranked_ids(candidates, need()) == [1]  # default radius: 5 km
    assert ranked_ids(candidates, need(radius_km=10)) == [1, 2]
    assert ranked_ids(candidates, need(radius_km=50)) == [1, 2, 3]


def test_rank_orders_nearest_first_with_id_breaking_ties() -> None:
    places = [(9, 0.03), (7, 0.01), (3, 0.01), (5, 0.02)]  # (id, degrees north)
    candidates = [document(id, north=north) for id, north in places]
    matches = rank(candidates, need())
    assert [m.document["id"] for m in matches] == [3, 7, 5, 9]
    expected_km = [KM_PER_HUNDREDTH_DEGREE * n for n in (1, 1, 2, 3)]
    assert [m.distance_km for m in matches] == pytest.approx(expected_km, abs=0.01)
    assert {m.age_months for m in matches} == {12}


FULL = document(1, schedule=week("07:30", "18:30"))
PARTIAL = document(2, schedule=week("07:30", "16:30"))  # 85% of the office hours
SATURDAY_ONLY = document(3, schedule=week("08:00", "18:00", weekdays=(6,)))
UNKNOWN_HOURS = document(4)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (office_hours(), [(1, 3000)]),  # by default only full coverage
        (office_hours(include_partial=True), [(1, 3000), (2, 2550)]),  # never zero coverage
        (need(), [(1, None), (2, None), (3, None), (4, None)]),  # no hours asked: no filter
    ],
)
def test_rank_coverage_rules(asked: CareNeed, expected: list[tuple[int, int | None]]) -> None:
    matches = rank([FULL, PARTIAL, SATURDAY_ONLY, UNKNOWN_HOURS], asked)
    assert [(m.document["id"], m.coverage and m.coverage.covered) for m in matches] == expected


# ---- wording ---------------------------------------------------------------------------------


# fmt: off
FORMAT_KM = [
    (0.0, "0 m"), (0.4449, "440 m"), (0.987, "990 m"),  # metres rounded to the ten
    (1.0, "1,0 km"), (2.46, "2,5 km"), (12.34, "12,3 km"), (50.0, "50,0 km"),
]
# fmt: on


@pytest.mark.parametrize(("km", "expected"), FORMAT_KM)
def test_format_km(km: float, expected: str) -> None:
    assert format_km(km) == expected


def test_format_km_just_under_a_kilometre_reads_as_kilometres() -> None:
    assert format_km(0.996) == "1,0 km"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "0:00"), (65, "1:05"), (450, "7:30"), (480, "8:00"), (1080, "18:00"), (1439, "23:59")],
)
def test_format_clock(minutes: int, expected: str) -> None:
    assert format_clock(minutes) == expected


# fmt: off
WEEKDAYS_LABEL = [
    ((1, 2, 3, 4, 5), "lun–ven"), ((1, 3, 5), "lun, mer, ven"), ((6, 7), "sab, dom"),
    ((5, 4, 3, 3), "mer–ven"),  # sorted, duplicates dropped: three in a row make a range
    ((1, 2, 4, 5), "lun, mar, gio, ven"), ((3,), "mer"),
]
# fmt: on


@pytest.mark.parametrize(("weekdays", "expected"), WEEKDAYS_LABEL)
def test_weekdays_label(weekdays: tuple[int, ...], expected: str) -> None:
    assert weekdays_label(weekdays) == expected


# fmt: off
PERCENT_WITH_ARTICLE = [
    (0.5, "il 50%"), (0.85, "l'85%"), (0.8, "l'80%"), (0.11, "l'11%"), (0.08, "l'8%"),
    (0.01, "l'1%"), (0.18, "il 18%"), (0.12, "il 12%"), (1.0, "il 100%"),  # «diciotto»: «il»
]
# fmt: on


@pytest.mark.parametrize(("ratio", "expected"), PERCENT_WITH_ARTICLE)
def test_percent_with_article(ratio: float, expected: str) -> None:
    assert percent_with_article(ratio) == expected


def explanation(doc: dict[str, Any], km: float, asked: CareNeed) -> str:
    coverage = schedule_coverage(doc["schedule"], asked)
    return explain_it(Match(doc, km, 12, coverage))


FULL_TEXT = (
    "Copre tutte le tue ore (lun–ven 8:00–18:00) · 1,1 km · accetta bambini di 12 mesi"
    " · 2 posti liberi"
)
# fmt: off
EXPLANATIONS = [
    (document(1, schedule=week("07:30", "18:30"), places_available=2), 1.111, office_hours(),
     FULL_TEXT),
    (document(2, schedule=week("07:30", "16:30"), places_available=1), 2.46, office_hours(),
     "Copre l'85% delle tue ore (lun–ven 8:00–18:00) · 2,5 km · accetta bambini di 12 mesi"
     " · 1 posto libero"),
    # 08:00–13:00 of 08:00–18:00 on each asked day: 300 / 600 = 50%
    (document(3, schedule=week("08:00", "13:00"), places_available=0), 0.4449,
     need(weekdays=(1, 3, 5), from_time=time(8), to_time=time(18)),
     "Copre il 50% delle tue ore (lun, mer, ven 8:00–18:00) · 440 m"
     " · accetta bambini di 12 mesi · nessun posto libero"),
    # a help desk without hours, age limits or places
    (document(4, kind="sportello", age_min_months=None, age_max_months=None), 0.4449, need(),
     "Orari da verificare · 440 m"),
    # hours known but none asked: nothing about hours
    (document(5, schedule=week("07:30", "16:30")), 3.0, need(),
     "3,0 km · accetta bambini di 12 mesi"),
]
# fmt: on


@pytest.mark.parametrize(("doc", "km", "asked", "expected"), EXPLANATIONS)
def test_explain_it(doc: dict[str, Any], km: float, asked: CareNeed, expected: str) -> None:
    assert explanation(doc, km, asked) == expected


def test_match_explanation_it_after_rank() -> None:
    doc = document(1, north=0.01, schedule=week("07:30", "18:30"), places_available=2)
    (match,) = rank([doc], office_hours())
    assert match.explanation_it == FULL_TEXT


@pytest.mark.parametrize(
    ("schedule", "wrong_start"),
    [
        pytest.param(  # Friday opens 08:02: 4 × 600 + 598 = 2998 of 3000 minutes = 99.93%
            [*week("08:00", "18:00", (1, 2, 3, 4)), row(5, "08:02", "18:00")],
            "Copre il 100%",
        ),
        pytest.param(  # 1 of 3000 minutes = 0.03%; «il 0%» is also wrong Italian («lo 0%»)
            [row(1, "17:59", "18:00")],
            "Copre il 0%",
        ),
    ],
)
def test_partial_coverage_reads_neither_0_nor_100_percent(schedule, wrong_start: str) -> None:
    text = explanation(document(1, schedule=schedule), 1.0, office_hours(include_partial=True))
    assert text.startswith("Copre ") and not text.startswith(wrong_start)
