"""Tests for importers.normalise.schedule_text: the "orari" and "periodi" CSV columns."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.schedule_text import (
    OpeningSlot,
    Period,
    ScheduleTextError,
    format_periods,
    format_weekly_hours,
    parse_periods,
    parse_weekly_hours,
)

MINUTES_PER_DAY = 24 * 60


def slot(weekday: int, opens: str, closes: str) -> OpeningSlot:
    """Build a slot from "HH:MM" strings, to keep the tables readable."""
    return OpeningSlot(weekday, time.fromisoformat(opens), time.fromisoformat(closes))


def period(start: str, end: str) -> Period:
    return Period(date.fromisoformat(start), date.fromisoformat(end))


# --- weekly hours: parsing -------------------------------------------------------------------

PARSE_CASES = [
    ("", []),
    ("   \t ", []),
    ("lun 08:00-12:00", [slot(1, "08:00", "12:00")]),
    (
        "lun-mer 08:00-12:00",
        [slot(1, "08:00", "12:00"), slot(2, "08:00", "12:00"), slot(3, "08:00", "12:00")],
    ),
    (
        "lun,mer,ven 16:30-19:30",
        [slot(1, "16:30", "19:30"), slot(3, "16:30", "19:30"), slot(5, "16:30", "19:30")],
    ),
    ("lun-mar,ven 08:00-09:00", [slot(d, "08:00", "09:00") for d in (1, 2, 5)]),
    ("lun-lun 08:00-09:00", [slot(1, "08:00", "09:00")]),
    ("LUNEDÌ 7.30-9.00", [slot(1, "07:30", "09:00")]),
    ("Martedi 07:30 - 09:00", [slot(2, "07:30", "09:00")]),
    ("mercoledì-Venerdì 7:30-9:00", [slot(d, "07:30", "09:00") for d in (3, 4, 5)]),
    ("gio 07:30–09:00", [slot(4, "07:30", "09:00")]),
    ("sabato–domenica 10:00-11:00", [slot(6, "10:00", "11:00"), slot(7, "10:00", "11:00")]),
    ("dom 00:00-23:59", [slot(7, "00:00", "23:59")]),
    (
        "lun 13:30-18:00 ,07:30-12:30",
        [slot(1, "07:30", "12:30"), slot(1, "13:30", "18:00")],
    ),
    (
        "sab 08:00-12:00; lun 09:00-10:00",
        [slot(1, "09:00", "10:00"), slot(6, "08:00", "12:00")],
    ),
    ("lun 08:00-12:00, 11:00-13:00", [slot(1, "08:00", "13:00")]),
    ("lun 08:00-12:00; lun 12:00-14:00", [slot(1, "08:00", "14:00")]),
    ("lun 08:00-18:00, 09:00-10:00", [slot(1, "08:00", "18:00")]),
    ("lun 08:00-12:00; lun 08:00-12:00", [slot(1, "08:00", "12:00")]),
    ("lun,lun 08:00-12:00", [slot(1, "08:00", "12:00")]),
    (" lun 08:00-12:00 ; ", [slot(1, "08:00", "12:00")]),
    ("lun 08:00-12:00,", [slot(1, "08:00", "12:00")]),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_weekly_hours(text: str, expected: list[OpeningSlot]) -> None:
    assert parse_weekly_hours(text) == expected


WEEKLY_HOURS_ERRORS = [
    (
        "lum 08:00-09:00",
        'giorno sconosciuto "lum": usa lun, mar, mer, gio, ven, sab, dom '
        '(es. "lun-ven 07:30-16:30")',
    ),
    (
        "lun-vem 08:00-09:00",
        'giorno sconosciuto "vem": usa lun, mar, mer, gio, ven, sab, dom '
        '(es. "lun-ven 07:30-16:30")',
    ),
    ("lun 18:00-08:00", 'orario "18:00-08:00": la chiusura deve essere dopo l\'apertura'),
    ("lun 08:00-08:00", 'orario "08:00-08:00": la chiusura deve essere dopo l\'apertura'),
    ("lun 25:00-26:00", 'orario non valido "25:00-26:00": scrivi le ore come 07:30-16:30'),
    ("lun 23:00-23:60", 'orario non valido "23:00-23:60": scrivi le ore come 07:30-16:30'),
    ("lun 8-12", 'orario non valido "8-12": scrivi le ore come 07:30-16:30'),
    ("lun 24:00-08:00", 'orario non valido "24:00-08:00": scrivi le ore come 07:30-16:30'),
    ("lun 20:00-24:00", 'orario "20:00-24:00": 24:00 non esiste, usa 23:59 per la mezzanotte'),
    (
        "lun 08:00-12:00 14:00-18:00",
        'orario non valido "08:00-12:00 14:00-18:00": scrivi le ore come 07:30-16:30',
    ),
    (
        "lun-ven",
        'gruppo "lun-ven" senza orario: scrivi per esempio "lun-ven 07:30-16:30"',
    ),
    ("sab ,", 'gruppo "sab ," senza orario: scrivi per esempio "sab 07:30-16:30"'),
    (
        "08:00-12:00",
        'orario "08:00-12:00" senza giorni: scrivi per esempio "lun-ven 07:30-16:30"',
    ),
    (
        "ven-lun 08:00-09:00",
        'intervallo di giorni "ven-lun" al contrario: metti prima il giorno iniziale '
        '(es. "lun-ven")',
    ),
    (
        "lun, mer 08:00-12:00",
        'giorni non validi "lun,": separa i giorni con virgole senza spazi '
        '(es. "lun,mer,ven 16:30-19:30") o scrivi un intervallo (es. "lun-ven")',
    ),
    (
        "lun-mer-ven 08:00-12:00",
        'giorni non validi "lun-mer-ven": separa i giorni con virgole senza spazi '
        '(es. "lun,mer,ven 16:30-19:30") o scrivi un intervallo (es. "lun-ven")',
    ),
    (
        "lun mer 08:00-12:00",
        'orario non valido "mer 08:00-12:00": separa i giorni con virgole senza spazi '
        '(es. "lun,mer 08:00-12:00")',
    ),
    (
        "lun 08:00-12:00; lum 14:00-18:00",
        'giorno sconosciuto "lum": usa lun, mar, mer, gio, ven, sab, dom '
        '(es. "lun-ven 07:30-16:30")',
    ),
]


@pytest.mark.parametrize(("text", "message"), WEEKLY_HOURS_ERRORS)
def test_parse_weekly_hours_rejects_with_italian_message(text: str, message: str) -> None:
    with pytest.raises(ScheduleTextError) as raised:
        parse_weekly_hours(text)
    assert str(raised.value) == message


def test_schedule_text_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="giorno sconosciuto"):
        parse_weekly_hours("xyz 08:00-09:00")


# --- weekly hours: formatting ----------------------------------------------------------------

FORMAT_CASES = [
    ("", ""),
    (
        "lun-ven 07:30-12:30, 13:30-18:00; sab 08:00-12:00",
        "lun-ven 07:30-12:30, 13:30-18:00; sab 08:00-12:00",
    ),
    ("lun,mer,ven 16:30-19:30", "lun,mer,ven 16:30-19:30"),
    ("lun 8.00-9.00; mar 08:00-09:00; mer 8:00 - 9:00", "lun-mer 08:00-09:00"),
    ("lun,mar,mer,ven,dom 09:00-12:00", "lun-mer,ven,dom 09:00-12:00"),
    ("sab,dom 10:00-12:00", "sab-dom 10:00-12:00"),
    (
        "sab-dom 10:00-12:00; lun-ven 08:00-09:00",
        "lun-ven 08:00-09:00; sab-dom 10:00-12:00",
    ),
    ("mar 10:00-11:00; lun,mer 08:00-09:00", "lun,mer 08:00-09:00; mar 10:00-11:00"),
    ("ven 13:30-18:00, 07:30-12:30", "ven 07:30-12:30, 13:30-18:00"),
    (
        "lun 08:00-12:00; mar 14:00-16:00, 08:00-12:00",
        "lun 08:00-12:00; mar 08:00-12:00, 14:00-16:00",
    ),
    ("Lunedì-Mercoledì 9.00–10.00, 10.00–11.00", "lun-mer 09:00-11:00"),
]


@pytest.mark.parametrize(("text", "canonical"), FORMAT_CASES)
def test_format_weekly_hours_writes_canonical_form(text: str, canonical: str) -> None:
    assert format_weekly_hours(parse_weekly_hours(text)) == canonical


def test_format_weekly_hours_merges_unsorted_overlapping_slots() -> None:
    slots = [slot(2, "10:00", "12:00"), slot(1, "08:00", "09:00"), slot(2, "09:00", "10:30")]
    assert format_weekly_hours(slots) == "lun 08:00-09:00; mar 09:00-12:00"


def test_format_weekly_hours_accepts_any_iterable() -> None:
    assert format_weekly_hours(iter([slot(7, "09:00", "10:00")])) == "dom 09:00-10:00"


# --- value objects ---------------------------------------------------------------------------

INVALID_SLOTS = [
    (0, time(8), time(9)),
    (8, time(8), time(9)),
    (1, time(9), time(8)),
    (1, time(9), time(9)),
    (1, time(8, 0, 30), time(9)),
]


@pytest.mark.parametrize(("weekday", "opens", "closes"), INVALID_SLOTS)
def test_opening_slot_rejects_invalid_values(weekday: int, opens: time, closes: time) -> None:
    with pytest.raises(ScheduleTextError):
        OpeningSlot(weekday, opens, closes)


def test_period_rejects_end_before_start() -> None:
    with pytest.raises(ScheduleTextError) as raised:
        period("2027-06-18", "2027-06-14")
    assert str(raised.value) == 'periodo "2027-06-18/2027-06-14": la fine viene prima dell\'inizio'


# --- periods ---------------------------------------------------------------------------------

PERIOD_CASES = [
    ("", []),
    (" ; ", []),
    ("2027-06-14/2027-06-18", [period("2027-06-14", "2027-06-18")]),
    ("2027-06-14/2027-06-14", [period("2027-06-14", "2027-06-14")]),
    (" 2027-06-14 / 2027-06-18 ;", [period("2027-06-14", "2027-06-18")]),
    (
        "2027-07-01/2027-07-31; 2027-06-14/2027-06-18;2027-06-14/2027-06-18; 2027-06-16/2027-06-20",
        [
            period("2027-06-14", "2027-06-18"),
            period("2027-06-16", "2027-06-20"),
            period("2027-07-01", "2027-07-31"),
        ],
    ),
    ("2028-02-29/2028-03-01", [period("2028-02-29", "2028-03-01")]),
]


@pytest.mark.parametrize(("text", "expected"), PERIOD_CASES)
def test_parse_periods(text: str, expected: list[Period]) -> None:
    assert parse_periods(text) == expected


PERIOD_ERRORS = [
    (
        "2027-06-18/2027-06-14",
        'periodo "2027-06-18/2027-06-14": la fine viene prima dell\'inizio',
    ),
    (
        "2027-06-01/2027-06-30; 2027-06-18 / 2027-06-14",
        'periodo "2027-06-18 / 2027-06-14": la fine viene prima dell\'inizio',
    ),
    (
        "2027-13-01/2027-06-14",
        'periodo non valido "2027-13-01/2027-06-14": scrivi AAAA-MM-GG/AAAA-MM-GG',
    ),
    (
        "2027-02-29/2027-03-01",
        'periodo non valido "2027-02-29/2027-03-01": scrivi AAAA-MM-GG/AAAA-MM-GG',
    ),
    (
        "2027-6-14/2027-06-18",
        'periodo non valido "2027-6-14/2027-06-18": scrivi AAAA-MM-GG/AAAA-MM-GG',
    ),
    ("2027-06-14", 'periodo non valido "2027-06-14": scrivi AAAA-MM-GG/AAAA-MM-GG'),
    (
        "14/06/2027-18/06/2027",
        'periodo non valido "14/06/2027-18/06/2027": scrivi AAAA-MM-GG/AAAA-MM-GG',
    ),
    (
        "2027-06-14/2027-06-18, 2027-06-21/2027-06-25",
        'periodo non valido "2027-06-14/2027-06-18, 2027-06-21/2027-06-25": '
        "scrivi AAAA-MM-GG/AAAA-MM-GG",
    ),
]


@pytest.mark.parametrize(("text", "message"), PERIOD_ERRORS)
def test_parse_periods_rejects_with_italian_message(text: str, message: str) -> None:
    with pytest.raises(ScheduleTextError) as raised:
        parse_periods(text)
    assert str(raised.value) == message


def test_format_periods_sorts_deduplicates_and_joins() -> None:
    periods = [
        period("2027-07-01", "2027-07-31"),
        period("2027-06-14", "2027-06-18"),
        period("2027-07-01", "2027-07-31"),
    ]
    assert format_periods(periods) == "2027-06-14/2027-06-18; 2027-07-01/2027-07-31"
    assert format_periods([]) == ""


# --- properties ------------------------------------------------------------------------------


@st.composite
def opening_slots(draw: st.DrawFn) -> OpeningSlot:
    weekday = draw(st.integers(min_value=1, max_value=7))
    opens = draw(st.integers(min_value=0, max_value=MINUTES_PER_DAY - 2))
    closes = draw(st.integers(min_value=opens + 1, max_value=MINUTES_PER_DAY - 1))
    return OpeningSlot(weekday, _time_of(opens), _time_of(closes))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(st.dates())
    end = draw(st.dates(min_value=start))
    return Period(start, end)


def _time_of(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _minute_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def reference_merge(slots: list[OpeningSlot]) -> list[OpeningSlot]:
    """Merge by painting half-open minute intervals, independently of the implementation."""
    merged: list[OpeningSlot] = []
    for weekday in range(1, 8):
        covered = [False] * MINUTES_PER_DAY
        for item in (s for s in slots if s.weekday == weekday):
            for minute in range(_minute_of(item.opens), _minute_of(item.closes)):
                covered[minute] = True
        run_start = None
        for minute, is_covered in enumerate([*covered, False]):
            if is_covered and run_start is None:
                run_start = minute
            elif not is_covered and run_start is not None:
                merged.append(OpeningSlot(weekday, _time_of(run_start), _time_of(minute)))
                run_start = None
    return merged


SCHEDULE_ALPHABET = "lunmartedìgovsbLUNÌ0123456789:.-–,; /\t"
SCHEDULE_FRAGMENTS = [
    *("lun", "Mar", "mercoledì", "giovedi", "ven", "sab", "dom", "lum"),
    *("08:00", "7.30", "12:30", "23:59", "00:00", "24:00", "25:61", "9"),
    *("-", "–", " - ", ",", ", ", " ", ";", "; "),
]
schedule_like_text = st.lists(st.sampled_from(SCHEDULE_FRAGMENTS), max_size=20).map("".join)


@given(st.lists(opening_slots(), max_size=12))
def test_parse_of_format_gives_merged_slots(slots: list[OpeningSlot]) -> None:
    assert parse_weekly_hours(format_weekly_hours(slots)) == reference_merge(slots)


@given(st.lists(opening_slots(), max_size=12))
def test_format_of_parse_is_stable(slots: list[OpeningSlot]) -> None:
    canonical = format_weekly_hours(slots)
    assert format_weekly_hours(parse_weekly_hours(canonical)) == canonical


@given(st.text() | st.text(alphabet=SCHEDULE_ALPHABET) | schedule_like_text)
def test_parse_weekly_hours_raises_only_schedule_text_error(text: str) -> None:
    try:
        slots = parse_weekly_hours(text)
    except ScheduleTextError as error:
        assert str(error)
        return
    assert slots == reference_merge(slots)
    assert format_weekly_hours(parse_weekly_hours(format_weekly_hours(slots))) == (
        format_weekly_hours(slots)
    )


@given(st.lists(periods(), max_size=8))
def test_parse_of_format_periods_round_trips(items: list[Period]) -> None:
    assert parse_periods(format_periods(items)) == sorted(set(items))


@given(st.text() | st.text(alphabet="0123456789-/; "))
def test_parse_periods_raises_only_schedule_text_error(text: str) -> None:
    try:
        items = parse_periods(text)
    except ScheduleTextError as error:
        assert str(error)
        return
    assert items == sorted(set(items))
    assert parse_periods(format_periods(items)) == items
