"""The schedule grid's checks, table-driven: what a form holds → the periods, or the fields
named wrong."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.models import ScheduleRow
from service.listings.schedule_edits import (
    MAX_PERIODS,
    PeriodDraft,
    ScheduleDraft,
    ScheduleEditInvalid,
    draft_from_form,
    draft_from_rows,
    parse_schedule,
    schedule_summary,
)

WEEKDAYS_8_16 = {(day, 1): ("08:00", "16:00") for day in range(1, 6)}


def school_year(**times: tuple[str, str]) -> PeriodDraft:
    grid = dict(WEEKDAYS_8_16)
    for name, pair in times.items():  # "d1_2" = Monday's second range
        day, number = name[1:].split("_")
        grid[(int(day), int(number))] = pair
    return PeriodDraft("2026-09-01", "2027-07-31", grid)


def problems(*periods: PeriodDraft) -> dict[str, str]:
    with pytest.raises(ScheduleEditInvalid) as raised:
        parse_schedule(ScheduleDraft(list(periods)))
    return {name: str(message) for name, message in raised.value.problems.items()}


def test_a_school_year_with_a_split_monday_and_a_summer_module() -> None:
    summer = PeriodDraft(
        "02/08/2027", "2027-08-27", {(day, 1): ("8.30", "17:00") for day in (1, 2)}
    )
    periods = parse_schedule(
        ScheduleDraft([summer, school_year(d1_1=("07:30", "12:30"), d1_2=("13:30", "18:00"))])
    )
    assert [(p.valid_from, p.valid_to) for p in periods] == [
        (date(2026, 9, 1), date(2027, 7, 31)),
        (date(2027, 8, 2), date(2027, 8, 27)),
    ]
    assert (periods[0].slots[0].opens, periods[0].slots[1].opens) == (time(7, 30), time(13, 30))
    assert schedule_summary(periods) == (
        "2026-09-01/2027-07-31: lun 07:30-12:30, 13:30-18:00; mar-ven 08:00-16:00 | "
        "2027-08-02/2027-08-27: lun-mar 08:30-17:00"
    )


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ({"d3_1": ("16:00", "08:00")}, {"p1_to_3_1": "l'ora di fine deve venire dopo"}),
        ({"d3_1": ("08:00", "08:00")}, {"p1_to_3_1": "l'ora di fine deve venire dopo"}),
        ({"d2_1": ("25:00", "16:00")}, {"p1_from_2_1": "HH:MM"}),
        ({"d2_1": ("8", "16:00")}, {"p1_from_2_1": "HH:MM"}),
        ({"d6_1": ("", "12:00")}, {"p1_from_6_1": "manca l'ora di inizio"}),
        ({"d6_1": ("08:00", "")}, {"p1_to_6_1": "manca l'ora di fine"}),
        ({"d4_2": ("12:00", "18:00")}, {"p1_from_4_2": "si sovrappone alla fascia 08:00–16:00"}),
        ({"d4_1": ("12:00", "18:00"), "d4_2": ("08:00", "13:00")}, {"p1_from_4_2": "12:00–18:00"}),
    ],
)
def test_a_wrong_range_names_its_field(
    times: dict[str, tuple[str, str]], expected: dict[str, str]
) -> None:
    found = problems(school_year(**times))
    assert found.keys() == expected.keys()
    for name, words in expected.items():
        assert words in found[name], found


def test_touching_ranges_are_not_overlapping() -> None:
    periods = parse_schedule(
        ScheduleDraft([school_year(d1_1=("08:00", "12:00"), d1_2=("12:00", "16:00"))])
    )
    assert len(periods[0].slots) == 6


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("2026-09-01", "2026-08-31", "p1_end", "prima dell'inizio"),
        ("2026-02-30", "", "p1_start", "gg/mm/aaaa"),
        ("1/9/26", "", "p1_start", "gg/mm/aaaa"),
        ("1899-09-01", "", "p1_start", "gg/mm/aaaa"),
    ],
)
def test_wrong_dates_name_their_field(start: str, end: str, field: str, words: str) -> None:
    found = problems(PeriodDraft(start, end, dict(WEEKDAYS_8_16)))
    assert list(found) == [field] and words in found[field]


def test_periods_may_not_overlap_and_an_undated_one_overlaps_all() -> None:
    summer = PeriodDraft("2027-07-01", "2027-07-30", dict(WEEKDAYS_8_16))
    assert problems(school_year(), summer) == {"p2_start": "si sovrappone al periodo 1"}
    always = PeriodDraft("", "", dict(WEEKDAYS_8_16))
    assert problems(always, school_year()) == {"p2_start": "si sovrappone al periodo 1"}


def test_blank_and_removed_periods_are_left_out_and_a_dated_one_needs_hours() -> None:
    removed = PeriodDraft("2026-09-01", "2026-09-02", {(1, 1): ("99", "")}, remove=True)
    assert len(parse_schedule(ScheduleDraft([school_year(), PeriodDraft(), removed]))) == 1
    assert parse_schedule(ScheduleDraft([])) == []
    assert schedule_summary([]) is None
    assert "non ha orari" in problems(PeriodDraft("2027-07-01", ""))["p1_from_1_1"]


def test_at_most_so_many_periods() -> None:
    weeks = [
        PeriodDraft(f"2027-{month:02}-01", f"2027-{month:02}-10", dict(WEEKDAYS_8_16))
        for month in range(1, 13)
    ]
    assert len(parse_schedule(ScheduleDraft(weeks))) == MAX_PERIODS
    extra = PeriodDraft("2027-12-20", "2027-12-22", dict(WEEKDAYS_8_16))
    assert "al massimo 12 periodi" in problems(*weeks, extra)["periods"]


def test_the_form_and_the_rows_give_the_same_draft() -> None:
    rows = [
        ScheduleRow(weekday=1, opens_at=time(13, 30), closes_at=time(18), valid_from=None),
        ScheduleRow(weekday=1, opens_at=time(7, 30), closes_at=time(12, 30), valid_from=None),
        ScheduleRow(weekday=1, opens_at=time(19), closes_at=time(20), valid_from=None),
    ]
    draft = draft_from_rows(rows)
    assert draft.ranges == 3 and len(draft.periods) == 1
    assert draft.periods[0].times[(1, 1)] == ("07:30", "12:30")
    assert draft.periods[0].times[(1, 3)] == ("19:00", "20:00")
    posted = draft_from_form(
        {
            "periods": "1",
            "ranges": "3",
            "p1_from_1_1": "07:30",
            "p1_to_1_1": "12:30",
            "p1_from_1_2": "13:30",
            "p1_to_1_2": "18:00",
            "p1_from_1_3": "19:00",
            "p1_to_1_3": "20:00",
        }
    )
    assert posted == draft


def test_the_form_counts_are_bounded() -> None:
    draft = draft_from_form({"periods": "999", "ranges": "50"})
    assert len(draft.periods) == MAX_PERIODS + 1 and draft.ranges == 6
    assert draft_from_form({"periods": "x"}).periods == []
