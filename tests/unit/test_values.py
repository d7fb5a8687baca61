"""Spreadsheet cell parsers (importers.normalise.values): unknowns, numbers, money, coordinates."""

import contextlib
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.values import (
    NULL_MARKERS,
    CellError,
    coordinate_or_none,
    decimal_or_none,
    euro_cents_or_none,
    integer_or_none,
    text_or_none,
    verification_date_or_none,
)

UNKNOWN = [None, "", "   ", "-", "n.d.", "N.D.", "nd", "ND", "Non Disponibile", "NULL", "None"]


# ---- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [*UNKNOWN, " non   disponibile\t", "&#45;"])  # "&#45;" is "-"
def test_text_or_none_reads_unknown_markers_as_none(raw: str | None) -> None:
    assert text_or_none(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nido Arcobaleno", "Nido Arcobaleno"),
        ("&#x27;", "'"),
        ("L&#x27;Aquilone", "L'Aquilone"),
        ("Nido &amp; Scuola", "Nido & Scuola"),
        ("&quot;Il Melo&quot;", '"Il Melo"'),
        ("a&nbsp;b", "a b"),  # the non-breaking space is whitespace too
        ("  Via\tRoma\n\n 1  ", "Via Roma 1"),
        ("n.d.a.", "n.d.a."),  # only whole-cell markers are unknown
        ("Nido n.d.", "Nido n.d."),
    ],
)
def test_text_or_none_unescapes_and_collapses_whitespace(raw: str, expected: str) -> None:
    assert text_or_none(raw) == expected


@given(st.text())
def test_text_or_none_returns_trimmed_single_spaced_known_text(raw: str) -> None:
    cleaned = text_or_none(raw)
    if cleaned is not None:
        assert cleaned == cleaned.strip() and not re.search(r"\s\s", cleaned)
        assert cleaned.lower() not in NULL_MARKERS


# ---- integers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 7 ", 7), ("-3", -3), ("0", 0), ("007", 7), *[(u, None) for u in UNKNOWN]],
)
def test_integer_or_none(raw: str | None, expected: int | None) -> None:
    assert integer_or_none(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.000", "«1.000» non è un numero intero"),
        ("4,5", "«4,5» non è un numero intero"),
        ("+5", "«+5» non è un numero intero"),
        ("dieci", "«dieci» non è un numero intero"),
        ("  1   000 ", "«1 000» non è un numero intero"),  # the message shows the cleaned text
    ],
)
def test_integer_or_none_rejects(raw: str, message: str) -> None:
    with pytest.raises(CellError) as raised:
        integer_or_none(raw)
    assert str(raised.value) == message


@given(st.integers(), st.sampled_from(["", " ", "\t", "  "]))
def test_integer_or_none_reads_any_written_integer(number: int, padding: str) -> None:
    assert integer_or_none(f"{padding}{number}{padding}") == number


# ---- decimals, euros, coordinates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,50", Decimal("1234.50")),  # Italian: dots group thousands, the comma is decimal
        ("1.234.567,8", Decimal("1234567.8")),
        ("95.50", Decimal("95.50")),  # no comma: the dot is the decimal point
        ("€ 450", Decimal("450")),
        ("450 €", Decimal("450")),
        ("€450,00", Decimal("450.00")),
        ("1 234,5", Decimal("1234.5")),
        ("0,5", Decimal("0.5")),
        ("-7,25", Decimal("-7.25")),
        *[(u, None) for u in UNKNOWN],
    ],
)
def test_decimal_or_none(raw: str | None, expected: Decimal | None) -> None:
    assert decimal_or_none(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "«abc» non è un numero"),
        ("12,5 euro", "«12,5 euro» non è un numero"),
        ("1,2,3", "«1,2,3» non è un numero"),  # → "1.2.3"
        ("€", "«€» non è un numero"),
        ("Infinity", "«Infinity» non è un numero"),
        ("NaN", "«NaN» non è un numero"),
    ],
)
def test_decimal_or_none_rejects(raw: str, message: str) -> None:
    with pytest.raises(CellError) as raised:
        decimal_or_none(raw)
    assert str(raised.value) == message


def test_english_thousands_separator_is_not_misread() -> None:
    # either reading 1234.50 or refusing the cell is acceptable; 1.2345 is not
    with contextlib.suppress(CellError):
        assert decimal_or_none("1,234.50") == Decimal("1234.50")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("450", 45_000),
        ("1.234,50", 123_450),
        ("95.50", 9_550),
        ("€ 450", 45_000),
        ("0,01", 1),
        ("0", 0),
        ("12,344", 1_234),  # 1234.4 cents → 1234
        ("12,346", 1_235),  # 1234.6 cents → 1235
        *[(u, None) for u in UNKNOWN],
    ],
)
def test_euro_cents_or_none(raw: str | None, expected: int | None) -> None:
    assert euro_cents_or_none(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-5", "importo negativo «-5»"),
        ("-1.234,50", "importo negativo «-1.234,50»"),
        ("€ -3", "importo negativo «€ -3»"),
        ("gratis", "«gratis» non è un numero"),
    ],
)
def test_euro_cents_or_none_rejects(raw: str, message: str) -> None:
    with pytest.raises(CellError) as raised:
        euro_cents_or_none(raw)
    assert str(raised.value) == message


@given(st.integers(0, 10**9), st.integers(0, 99))
def test_euro_cents_reads_italian_amounts(euros: int, cents: int) -> None:
    italian = f"{euros:,}".replace(",", ".") + f",{cents:02d}"  # 1234567 → "1.234.567,05"
    assert euro_cents_or_none(italian) == euros * 100 + cents
    assert euro_cents_or_none(f"€ {italian}") == euros * 100 + cents


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("45,6983", 45.6983),
        ("9.6773", 9.6773),
        ("-0,5", -0.5),
        (" 45.0 ", 45.0),
        *[(u, None) for u in UNKNOWN],
    ],
)
def test_coordinate_or_none(raw: str | None, expected: float | None) -> None:
    value = coordinate_or_none(raw)
    assert value == expected and (value is None or isinstance(value, float))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("45°41'", "«45°41'» non è un numero"),
        ("45.698.300", "«45.698.300» non è un numero"),
        ("N 45,69", "«N 45,69» non è un numero"),
    ],
)
def test_coordinate_or_none_rejects(raw: str, message: str) -> None:
    with pytest.raises(CellError) as raised:
        coordinate_or_none(raw)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23/11/2026", date(2026, 11, 23)),
        ("3.2.2025", date(2025, 2, 3)),
        ("2026-11-23", date(2026, 11, 23)),
        ("2026-11-23 00:00:00", date(2026, 11, 23)),  # a spreadsheet's date cell
        ("", None),
        (None, None),
    ],
)
def test_verification_dates(text: str | None, expected: date | None) -> None:
    assert verification_date_or_none(text, today=date(2026, 11, 30)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2026", "«31/02/2026» non è una data: scrivi GG/MM/AAAA, per esempio 23/11/2026"),
        ("ieri", "«ieri» non è una data: scrivi GG/MM/AAAA, per esempio 23/11/2026"),
        ("01/12/2026", "la data di verifica 01/12/2026 è nel futuro o prima del 2000"),
        ("1999-12-31", "la data di verifica 1999-12-31 è nel futuro o prima del 2000"),
    ],
)
def test_wrong_verification_dates(text: str, message: str) -> None:
    with pytest.raises(CellError) as error:
        verification_date_or_none(text, today=date(2026, 11, 30))
    assert str(error.value) == message
