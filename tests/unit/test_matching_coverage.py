"""Schedule coverage over the dates care is needed, worked out by hand in each test."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matching_fixtures import MON_FRI, hours, need, row, span, week

from search.matching.coverage import (
    Opening,
    Share,
    covered_ranges,
    occurrences,
    openings,
    schedule_coverage,
)
from search.matching.need import TimeRange


def coverage(schedule, **need_fields):
    result = schedule_coverage(openings(schedule), need(**need_fields))
    assert result is not None
    return result


def test_open_0730_1630_covers_85_percent_of_a_0800_1800_day() -> None:
    # 8:00–16:30 = 510 of 600 minutes, five days
    result = coverage(week("07:30", "16:30"), asked=hours("08:00-18:00"))
    assert (result.covered, result.requested) == (2550, 3000)
    assert result.ratio == pytest.approx(0.85)
    assert {day: share.ratio for day, share in result.by_weekday.items()} == dict.fromkeys(
        MON_FRI, pytest.approx(0.85)
    )
    assert result.typical[1] == (span("08:00-16:30"),)


def test_split_shift_leaves_the_lunch_gap_uncovered() -> None:
    # 8:00–12:30 (270) + 13:30–18:00 (270) = 540 of 600
    schedule = week("07:30", "12:30") + week("13:30", "18:00")
    result = coverage(schedule, asked=hours("08:00-18:00"))
    assert result.ratio == pytest.approx(0.9)
    assert result.typical[3] == (span("08:00-12:30"), span("13:30-18:00"))


def test_several_ranges_a_day_and_a_saturday() -> None:
    # asked Mon–Fri 8–12 and 14–18 (480) + Sat 8–13 (300) = 2700; open Mon–Fri 7:30–16:30:
    # 8–12 (240) + 14–16:30 (150) = 390 a weekday = 1950, Saturday closed
    asked = hours("08:00-12:00,14:00-18:00") | hours("08:00-13:00", weekdays=(6,))
    result = coverage(week("07:30", "16:30"), asked=asked)
    assert (result.covered, result.requested) == (1950, 2700)
    assert result.by_weekday[6].covered == 0
    assert result.typical[6] == ()


def test_overlapping_rows_are_not_counted_twice() -> None:
    schedule = week("07:00", "13:00") + week("12:00", "17:00")
    result = coverage(schedule, asked=hours("08:00-18:00"))
    assert result.covered == 5 * 540  # 8:00–17:00


def test_school_year_then_summer_calendar() -> None:
    # Mon 28 June – Fri 9 July 2027, 8–16 (480 a day, 10 days = 4800). School year to
    # 30 June 7:30–16:30: Mon–Wed fully covered (3 × 480). Summer from 1 July 8–13:
    # Thu, Fri and the next five days get 300 each (7 × 300 = 2100). 1440 + 2100 = 3540.
    schedule = week("07:30", "16:30", valid_from="2026-09-01", valid_to="2027-06-30") + week(
        "08:00", "13:00", valid_from="2027-07-01", valid_to="2027-07-31"
    )
    result = coverage(
        schedule, asked=hours("08:00-16:00"), start=date(2027, 6, 28), end_date=date(2027, 7, 9)
    )
    assert (result.covered, result.requested) == (3540, 4800)
    assert result.typical[1] == (span("08:00-16:00"),)  # the first Monday is in June


def test_christmas_closure_between_two_valid_ranges() -> None:
    # Mon 21 Dec 2026 – Fri 8 Jan 2027: 15 weekdays × 480 = 7200 asked. Open 8–16 until
    # 23 Dec and again from 7 Jan: 21, 22, 23 Dec and 7, 8 Jan = 5 × 480 = 2400.
    schedule = week("08:00", "16:00", valid_from="2026-09-01", valid_to="2026-12-23") + week(
        "08:00", "16:00", valid_from="2027-01-07", valid_to="2027-06-30"
    )
    result = coverage(
        schedule, asked=hours("08:00-16:00"), start=date(2026, 12, 21), end_date=date(2027, 1, 8)
    )
    assert (result.covered, result.requested) == (2400, 7200)
    assert result.by_weekday[4] == Share(480, 3 * 480)  # Thu 24, 31 Dec closed; 7 Jan open


def test_summer_weeks_are_counted_week_by_week() -> None:
    # weeks of 5 and 19 July 2027; the centre runs 5–16 July only
    summer = week("08:00", "16:00", valid_from="2027-07-05", valid_to="2027-07-16")
    weeks = (date(2027, 7, 5), date(2027, 7, 19))
    result = coverage(summer, asked=hours("08:00-16:00"), start=weeks[0], weeks=weeks)
    assert result.by_week == {
        weeks[0]: result.by_week[weeks[0]],
        weeks[1]: result.by_week[weeks[1]],
    }
    assert result.by_week[weeks[0]].ratio == 1.0
    assert result.by_week[weeks[1]].ratio == 0.0
    assert (result.covered, result.requested) == (2400, 4800)  # the week between is not asked


def test_without_an_end_date_the_first_week_is_measured() -> None:
    # start on Wednesday 9 Sept 2026: Wed–Tue, each weekday once
    result = coverage(week("08:00", "16:00"), asked=hours("08:00-16:00"), start=date(2026, 9, 9))
    assert result.requested == 5 * 480


def test_no_hours_no_coverage() -> None:
    assert schedule_coverage(openings(week("08:00", "16:00")), need()) is None


@pytest.mark.parametrize(
    ("weekday", "start", "stop", "expected"),
    [
        (1, date(2026, 9, 7), date(2026, 9, 14), (date(2026, 9, 7), 1)),
        (1, date(2026, 9, 8), date(2026, 9, 14), (None, 0)),
        (3, date(2026, 9, 1), date(2026, 10, 1), (date(2026, 9, 2), 5)),  # 2, 9, 16, 23, 30
        (5, date(2026, 9, 1), date(2026, 9, 4), (None, 0)),  # Friday 4 is excluded
    ],
)
def test_occurrences(weekday: int, start: date, stop: date, expected) -> None:
    assert occurrences(weekday, start, stop) == expected


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(1, 60), st.integers(1, 7))
def test_occurrences_match_counting_day_by_day(start: date, length: int, weekday: int) -> None:
    stop = start + timedelta(days=length)
    days = [start + timedelta(days=n) for n in range(length)]
    matching = [day for day in days if day.isoweekday() == weekday]
    assert occurrences(weekday, start, stop) == ((matching[0] if matching else None), len(matching))


slots = st.tuples(st.integers(0, 1439), st.integers(1, 240)).map(
    lambda pair: (pair[0], min(1440, pair[0] + pair[1]))
)


@given(st.lists(slots, max_size=5), st.lists(slots, min_size=1, max_size=3))
def test_covered_ranges_equal_a_minute_by_minute_count(rows, asked) -> None:
    monday = date(2026, 9, 7)
    schedule = [Opening(1, start, end) for start, end in rows]
    wanted = [TimeRange(start, end) for start, end in asked]
    covered = covered_ranges(schedule, monday, wanted)
    open_minutes = {m for start, end in rows for m in range(start, end)}
    asked_minutes = {m for start, end in asked for m in range(start, end)}
    assert sum(piece.minutes for piece in covered) == len(open_minutes & asked_minutes)
    assert all(a.end < b.start for a, b in pairwise(covered))


def test_openings_read_search_documents() -> None:
    entry = row(2, "07:30", "16:30", "2026-09-01", "2027-06-30")
    assert openings([entry]) == (Opening(2, 450, 990, date(2026, 9, 1), date(2027, 6, 30)),)
