"""The printable plan's pure parts: the hours still open, the default choice, the ids asked,
the retention arithmetic and the console's form (its query, its links)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from search.matching.coverage import NOTHING, Coverage
from search.matching.need import TimeRange
from service.cases import months_before
from service.plan import chosen_ids, open_gaps
from service.web.console_need import ConsoleForm


def at(start: str, end: str) -> TimeRange:
    def minutes(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return TimeRange(minutes(start), minutes(end))


def coverage(typical: dict[int, tuple[TimeRange, ...]]) -> Coverage:
    """Only `typical` matters to the gaps."""
    return Coverage(NOTHING, {}, {}, typical, {})


WEEK = {day: (at("08:00", "18:00"),) for day in (1, 2, 3, 4, 5)}


@pytest.mark.parametrize(
    ("asked", "typicals", "expected"),
    [
        # nothing chosen: everything asked is open
        ({1: (at("08:00", "18:00"),)}, [], {1: (at("08:00", "18:00"),)}),
        # a nido 8:00–16:30 every day and a babysitter 16:30–18:00 on Mon/Wed only
        (
            WEEK,
            [
                {day: (at("08:00", "16:30"),) for day in (1, 2, 3, 4, 5)},
                {1: (at("16:30", "18:00"),), 3: (at("16:30", "18:00"),)},
            ],
            {day: (at("16:30", "18:00"),) for day in (2, 4, 5)},
        ),
        # a hole in the middle (a part-time morning and a post-school afternoon)
        (
            {2: (at("08:00", "18:00"),)},
            [{2: (at("08:00", "13:00"),)}, {2: (at("16:00", "18:00"),)}],
            {2: (at("13:00", "16:00"),)},
        ),
        # overlapping services: fully covered, the day is left out
        (
            {1: (at("08:00", "16:00"),)},
            [{1: (at("07:30", "12:00"),)}, {1: (at("11:00", "18:00"),)}],
            {},
        ),
        # a split day asked (morning and evening), one service covers the morning
        (
            {6: (at("08:00", "12:00"), at("19:00", "22:00"))},
            [{6: (at("08:30", "12:30"),)}],
            {6: (at("08:00", "08:30"), at("19:00", "22:00"))},
        ),
    ],
)
def test_open_gaps(
    asked: dict[int, tuple[TimeRange, ...]],
    typicals: list[dict[int, tuple[TimeRange, ...]]],
    expected: dict[int, tuple[TimeRange, ...]],
) -> None:
    assert open_gaps(asked, [coverage(typical) for typical in typicals]) == expected


def test_a_service_without_coverage_covers_nothing() -> None:
    assert open_gaps({1: (at("08:00", "09:00"),)}, [None]) == {1: (at("08:00", "09:00"),)}


def test_chosen_ids_keep_order_and_drop_garbage() -> None:
    assert chosen_ids(["12", "x", "3", "12", "", "-4", "99999999999"]) == [12, 3]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=UTC), 12, datetime(2025, 11, 23, 10, 0, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_before(moment: datetime, months: int, expected: datetime) -> None:
    assert months_before(moment, months) == expected


def test_the_console_form_keeps_home_and_work_and_links_to_the_console() -> None:
    params = {
        "home": ["Via Dante 5, Cremona"],
        "work": ["Cinisello Balsamo"],
        "birth_month": ["3", "9"],
        "birth_year": ["2024", "2021"],
        "days": ["1"],
        "from": ["08:00"],
        "to": ["16:00"],
        "nome": ["Maria Rossi"],  # not a field: never kept
    }
    form = ConsoleForm.from_params(params)
    saved = parse_qs(form.query())
    assert saved["home"] == ["Via Dante 5, Cremona"]
    assert saved["work"] == ["Cinisello Balsamo"]
    assert saved["birth_month"] == ["3", "9"] and saved["birth_year"] == ["2024", "2021"]
    assert "nome" not in saved
    assert ConsoleForm.from_query(form.query()) == form
    assert form.url(sort="distance").startswith("/area/consulenza?home=")
    moved = ConsoleForm.from_query(form.query(), "/area/casi/7")
    assert moved.url().startswith("/area/casi/7?")
    assert not form.is_empty and ConsoleForm().is_empty
