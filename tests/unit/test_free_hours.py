"""Tests for importers.normalise.free_hours: opening hours written as free Italian text."""

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.free_hours import FreeHours, FreeHoursError, parse_free_hours
from importers.normalise.schedule_text import (
    OpeningSlot,
    ScheduleTextError,
    format_weekly_hours,
    parse_weekly_hours,
)

WEEKDAYS = (1, 2, 3, 4, 5)
MINUTES_PER_DAY = 24 * 60


def slot(weekday: int, opens: str, closes: str) -> OpeningSlot:
    return OpeningSlot(weekday, time.fromisoformat(opens), time.fromisoformat(closes))


def every(days: tuple[int, ...], *ranges: str) -> tuple[OpeningSlot, ...]:
    """Slots for each day and each "HH:MM-HH:MM" range, sorted as the parser returns them."""
    pairs = [piece.split("-") for piece in ranges]
    return tuple(sorted(slot(day, opens, closes) for day in days for opens, closes in pairs))


# --- slots -----------------------------------------------------------------------------------

SLOT_CASES = [
    ("7.30-16.30", every(WEEKDAYS, "07:30-16:30")),
    ("7:30 - 16:30", every(WEEKDAYS, "07:30-16:30")),
    ("7.30–16.30", every(WEEKDAYS, "07:30-16:30")),
    ("7.30 — 16.30", every(WEEKDAYS, "07:30-16:30")),
    ("8 ÷ 16", every(WEEKDAYS, "08:00-16:00")),
    ("dalle 7:30 alle 18", every(WEEKDAYS, "07:30-18:00")),
    ("dalle 7.30 alle 16.30", every(WEEKDAYS, "07:30-16:30")),
    ("dalle ore 8 alle ore 16", every(WEEKDAYS, "08:00-16:00")),
    ("dalle 7:30 fino alle 18", every(WEEKDAYS, "07:30-18:00")),
    ("h 7.30-16.30", every(WEEKDAYS, "07:30-16:30")),
    ("h7.30-16.30", every(WEEKDAYS, "07:30-16:30")),
    ("ore 8,00-16,00", every(WEEKDAYS, "08:00-16:00")),
    ("dalle 8,30 alle 12,30", every(WEEKDAYS, "08:30-12:30")),
    ("Orario: 8-16", every(WEEKDAYS, "08:00-16:00")),
    ("0-24", every(WEEKDAYS, "00:00-23:59")),
    ("lun-ven 8-16, sab 8-12", (*every(WEEKDAYS, "08:00-16:00"), slot(6, "08:00", "12:00"))),
    ("lun-ven 8-16 sab 8-12", (*every(WEEKDAYS, "08:00-16:00"), slot(6, "08:00", "12:00"))),
    ("lunedì-venerdì 7.30/18.00", every(WEEKDAYS, "07:30-18:00")),
    ("LUNEDÌ - VENERDÌ 7.30/18.00", every(WEEKDAYS, "07:30-18:00")),
    ("dal lunedì al venerdì dalle 8 alle 16", every(WEEKDAYS, "08:00-16:00")),
    ("Lunedi' 8-12", every((1,), "08:00-12:00")),
    ("Lunedí 8-12", every((1,), "08:00-12:00")),
    ("8-12 / 14-18", every(WEEKDAYS, "08:00-12:00", "14:00-18:00")),
    ("8-12/14-18", every(WEEKDAYS, "08:00-12:00", "14:00-18:00")),
    ("8-12 e 14-18", every(WEEKDAYS, "08:00-12:00", "14:00-18:00")),
    ("lun-ven 8-12,14-18", every(WEEKDAYS, "08:00-12:00", "14:00-18:00")),
    ("lun-ven 8-12, 11-14", every(WEEKDAYS, "08:00-14:00")),
    ("lun-ven 8-12, 12-14", every(WEEKDAYS, "08:00-14:00")),
    ("14-18, 8-12", every(WEEKDAYS, "08:00-12:00", "14:00-18:00")),
    ("lun, mer e ven 8-12", every((1, 3, 5), "08:00-12:00")),
    ("8-16 lun-ven", every(WEEKDAYS, "08:00-16:00")),
    ("dalle 8 alle 16 dal lunedì al venerdì", every(WEEKDAYS, "08:00-16:00")),
    ("8-12 sab 9-12", (*every(WEEKDAYS, "08:00-12:00"), slot(6, "09:00", "12:00"))),
    ("tutti i giorni 9-12", every((1, 2, 3, 4, 5, 6, 7), "09:00-12:00")),
    ("feriali 9-12", every((1, 2, 3, 4, 5, 6), "09:00-12:00")),
    ("fine settimana 9-12", every((6, 7), "09:00-12:00")),
    ("sab-dom 9-12", every((6, 7), "09:00-12:00")),
    (
        "lun-ven 7:30-12:30, 13:30-18:00; sab 08:00-12:00",
        (*every(WEEKDAYS, "07:30-12:30", "13:30-18:00"), slot(6, "08:00", "12:00")),
    ),
    ("lun\nmar 8-9", every((1, 2), "08:00-09:00")),
    ("lun-ven 7.30-16.30 orario prolungato fino alle 18", every(WEEKDAYS, "07:30-18:00")),
    ("lun-ven 7.30-16.30 (orario prolungato fino alle 18)", every(WEEKDAYS, "07:30-18:00")),
    ("8-12, 14-16, prolungato fino alle ore 18:30", every(WEEKDAYS, "08:00-12:00", "14:00-18:30")),
    ("7.30-18.30, orario prolungato fino alle 18", every(WEEKDAYS, "07:30-18:30")),
    (
        "lun-ven 8-16; sab 8-12; orario prolungato fino alle 18",
        (*every(WEEKDAYS, "08:00-18:00"), slot(6, "08:00", "18:00")),
    ),
    ("post-scuola fino alle 18; 8-16", every(WEEKDAYS, "08:00-18:00")),
]


@pytest.mark.parametrize(("text", "slots"), SLOT_CASES)
def test_parse_free_hours_reads_slots(text: str, slots: tuple[OpeningSlot, ...]) -> None:
    assert parse_free_hours(text) == FreeHours(slots, ())


def test_ranges_without_days_use_default_days() -> None:
    assert parse_free_hours("8-12", default_days=(6, 1)) == FreeHours(
        every((1, 6), "08:00-12:00"), ()
    )
    assert parse_free_hours("8-12, sab 9-10", default_days=(2,)) == FreeHours(
        (slot(2, "08:00", "12:00"), slot(6, "09:00", "10:00")), ()
    )


# --- notes -----------------------------------------------------------------------------------

NOTE_CASES = [
    ("orario prolungato fino alle 18", (), ("orario prolungato fino alle 18",)),
    ("orario prolungato su richiesta", (), ("orario prolungato su richiesta",)),
    (
        "lun-ven 7.30-16.30 (orario prolungato su richiesta)",
        every(WEEKDAYS, "07:30-16:30"),
        ("orario prolungato su richiesta",),
    ),
    (
        "lun-ven 8-16 chiuso il mercoledì pomeriggio",
        every(WEEKDAYS, "08:00-16:00"),
        ("chiuso il mercoledì pomeriggio",),
    ),
    (
        "Lun-ven 8-16. Chiuso ad agosto.",
        every(WEEKDAYS, "08:00-16:00"),
        ("Chiuso ad agosto",),
    ),
    ("sabato chiuso", (), ("sabato chiuso",)),
    (
        "lun-ven 8-18 tranne festivi",
        every(WEEKDAYS, "08:00-18:00"),
        ("tranne festivi",),
    ),
    (
        "lun-ven 8-18, chiuso dalle 12 alle 14",
        every(WEEKDAYS, "08:00-18:00"),
        ("chiuso dalle 12 alle 14",),
    ),
    (
        "lun-ven 8-16 tempo pieno",
        every(WEEKDAYS, "08:00-16:00"),
        ("lun-ven 8-16 tempo pieno",),
    ),
    ("8-16, sab", every(WEEKDAYS, "08:00-16:00"), ("sab",)),
    (
        "8-16; con mensa; chiuso ad agosto; con mensa",
        every(WEEKDAYS, "08:00-16:00"),
        ("con mensa", "chiuso ad agosto"),
    ),
    ("boh; su richiesta", (), ("boh", "su richiesta")),
]


@pytest.mark.parametrize(("text", "slots", "notes"), NOTE_CASES)
def test_parse_free_hours_keeps_notes(
    text: str, slots: tuple[OpeningSlot, ...], notes: tuple[str, ...]
) -> None:
    assert parse_free_hours(text) == FreeHours(slots, notes)


# --- errors ----------------------------------------------------------------------------------

EXAMPLE = '"lun-ven 7:30-16:30"'
ERROR_CASES = [
    ("", f"orario vuoto: scrivi per esempio {EXAMPLE}"),
    (" \n\t", f"orario vuoto: scrivi per esempio {EXAMPLE}"),
    ("boh", f'orario non riconosciuto "boh": scrivi per esempio {EXAMPLE}'),
    ("lun-ven", f'orario non riconosciuto "lun-ven": scrivi per esempio {EXAMPLE}'),
    ("3-6 anni", f'orario non riconosciuto "3-6 anni": scrivi per esempio {EXAMPLE}'),
    (
        "aperto  tutto\nil giorno",
        f'orario non riconosciuto "aperto tutto il giorno": scrivi per esempio {EXAMPLE}',
    ),
    ("18-8", 'orario "18-8" in "18-8": la chiusura deve essere dopo l\'apertura'),
    (
        "lun 8:00-8:00",
        'orario "8:00-8:00" in "lun 8:00-8:00": la chiusura deve essere dopo l\'apertura',
    ),
    (
        "8-25",
        'orario "8-25" non valido in "8-25": le ore vanno da 0 a 24 e i minuti da 00 a 59',
    ),
    (
        "dalle 8.75 alle 12",
        'orario "8.75 alle 12" non valido in "dalle 8.75 alle 12": '
        "le ore vanno da 0 a 24 e i minuti da 00 a 59",
    ),
    (
        "24-8",
        'orario "24-8" non valido in "24-8": le ore vanno da 0 a 24 e i minuti da 00 a 59',
    ),
    (
        "8-16, orario prolungato fino alle 25",
        'orario "orario prolungato fino alle 25" non valido in '
        '"8-16, orario prolungato fino alle 25": le ore vanno da 0 a 24 e i minuti da 00 a 59',
    ),
    (
        "ven-lun 8-9",
        'giorni "ven-lun" al contrario in "ven-lun 8-9": metti prima il giorno iniziale '
        '(es. "lun-ven")',
    ),
]


@pytest.mark.parametrize(("text", "message"), ERROR_CASES)
def test_parse_free_hours_rejects_with_italian_message(text: str, message: str) -> None:
    with pytest.raises(FreeHoursError) as raised:
        parse_free_hours(text)
    assert str(raised.value) == message


@pytest.mark.parametrize("default_days", [(0,), (1, 8)])
def test_parse_free_hours_rejects_invalid_default_days(default_days: tuple[int, ...]) -> None:
    with pytest.raises(FreeHoursError) as raised:
        parse_free_hours("8-12", default_days=default_days)
    assert str(raised.value) == (
        f"giorni predefiniti non validi {default_days}: usa 1 (lun) … 7 (dom)"
    )


def test_free_hours_error_is_a_value_error() -> None:
    assert issubclass(FreeHoursError, ValueError)


def test_empty_default_days_leave_ranges_without_days_unusable() -> None:
    with pytest.raises(FreeHoursError, match="orario non riconosciuto"):
        parse_free_hours("8-12", default_days=())


# --- properties ------------------------------------------------------------------------------


@st.composite
def opening_slots(draw: st.DrawFn) -> OpeningSlot:
    weekday = draw(st.integers(min_value=1, max_value=7))
    opens = draw(st.integers(min_value=0, max_value=MINUTES_PER_DAY - 2))
    closes = draw(st.integers(min_value=opens + 1, max_value=MINUTES_PER_DAY - 1))
    return OpeningSlot(weekday, _time_of(opens), _time_of(closes))


def _time_of(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


FREE_FRAGMENTS = [
    *("lun", "Mar", "mercoledì", "giovedi'", "ven", "sab", "dom", "lum", "tutti i giorni"),
    *("dal", "al", "dalle", "alle", "fino alle", "ore", "h", "e", "oppure", "orario"),
    *("08:00", "7.30", "8,30", "12", "23:59", "00:00", "24", "24:00", "25:61", "9", "2023"),
    *("-", "–", " - ", "/", ",", ", ", " ", ";", "; ", "(", ")", "\n", ".", "÷"),
    *("chiuso", "prolungato", "su richiesta", "tranne", "anni", "mesi", "€", "%"),
]
free_like_text = st.lists(st.sampled_from(FREE_FRAGMENTS), max_size=24).map("".join)


@given(st.text() | free_like_text)
def test_parse_free_hours_raises_only_free_hours_error(text: str) -> None:
    try:
        result = parse_free_hours(text)
    except FreeHoursError as error:
        assert str(error)
        return
    assert result.slots or result.notes
    assert list(result.slots) == parse_weekly_hours(format_weekly_hours(result.slots))
    assert all(note and note == " ".join(note.split()) for note in result.notes)
    assert len(set(result.notes)) == len(result.notes)


@given(st.lists(opening_slots(), min_size=1, max_size=12))
def test_canonical_template_text_round_trips(slots: list[OpeningSlot]) -> None:
    canonical = format_weekly_hours(slots)
    assert parse_free_hours(canonical) == FreeHours(tuple(parse_weekly_hours(canonical)), ())


@given(free_like_text)
def test_agrees_with_the_strict_parser_where_that_accepts(text: str) -> None:
    try:
        strict = parse_weekly_hours(text)
    except ScheduleTextError:
        return
    if strict:
        assert parse_free_hours(text).slots == tuple(strict)


@given(
    opening_slots(),
    st.sets(st.integers(min_value=1, max_value=7), min_size=1),
    st.sampled_from(["{}-{}", "{} - {}", "dalle {} alle {}", "{}/{}", "ore {}–{}"]),
)
def test_ranges_without_days_open_on_every_default_day(
    sample: OpeningSlot, days: set[int], template: str
) -> None:
    text = template.format(f"{sample.opens:%H.%M}", f"{sample.closes:%H:%M}")
    expected = tuple(OpeningSlot(day, sample.opens, sample.closes) for day in sorted(days))
    assert parse_free_hours(text, default_days=tuple(days)) == FreeHours(expected, ())
