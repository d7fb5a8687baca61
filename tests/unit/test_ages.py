"""Tests for importers.normalise.ages: age ranges in months from free Italian text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.ages import AgeRange, AgeRangeError, format_age_range, parse_age_range

EXAMPLE = '"3-36 mesi" o "3-6 anni"'

AGE_CASES = [
    ("3-36 mesi", 3, 36),
    ("3 - 36 MESI", 3, 36),
    ("3–36 mesi", 3, 36),
    ("da 3 a 36 mesi", 3, 36),
    ("da 3 a 6 anni", 36, 72),
    ("dai 3 ai 6 anni", 36, 72),
    ("3-6 anni", 36, 72),
    ("0-3 anni", 0, 36),
    ("6-11 anni", 72, 132),
    ("anni 3-6", 36, 72),
    ("età (anni): 3-6", 36, 72),
    ("12 mesi - 3 anni", 12, 36),
    ("da 6 mesi a 3 anni", 6, 36),
    ("3anni-6anni", 36, 72),
    ("1,5-3 anni", 18, 36),
    ("1.5 - 2 anni", 18, 24),
    ("dai 6 mesi", 6, None),
    ("da 1 anno", 12, None),
    ("a partire dai 3 anni", 36, None),
    ("3 anni e oltre", 36, None),
    ("3 anni e più", 36, None),
    ("3+ anni", 36, None),
    ("oltre i 10 anni", 120, None),
    ("fino a 3 anni", None, 36),
    ("fino ai 36 mesi", None, 36),
    ("entro i 12 mesi", None, 12),
    ("max 14 anni", None, 168),
    ("3 anni", 36, 47),
    ("bambini di 17 anni", 204, 215),
    ("6 mesi", 6, 6),
    ("1,5 anni", 18, 18),
    ("3-6 anni (nati 2018-2021)", 36, 72),
    ("primaria", 72, 132),
    ("scuola primaria", 72, 132),
    ("Scuola elementare", 72, 132),
    ("infanzia", 36, 72),
    ("scuola dell'infanzia", 36, 72),
    ("materna", 36, 72),
    ("asilo nido", 3, 36),
    ("micronido", 3, 36),
    ("secondaria di primo grado", 132, 168),
    ("scuola secondaria di 1° grado", 132, 168),
    ("medie", 132, 168),
    ("infanzia e primaria", 36, 132),
    ("nido, infanzia", 3, 72),
]


@pytest.mark.parametrize(("text", "low", "high"), AGE_CASES)
def test_parse_age_range(text: str, low: int | None, high: int | None) -> None:
    assert parse_age_range(text) == AgeRange(low, high)


BIRTH_YEAR_CASES = [
    # Youngest born in December of the latest year, oldest in January of the earliest year,
    # counted on 1 September of the reference year: 12 * (2024 - 2023) - 3 = 9 and
    # 12 * (2024 - 2023) + 8 = 20.
    ("nati nel 2023", 2024, 9, 20),
    ("nati negli anni 2021-2023", 2024, 9, 44),
    ("nati dal 2021 al 2023", 2024, 9, 44),
    ("nati tra il 2023 e il 2021", 2024, 9, 44),
    ("2019", 2024, 57, 68),
    ("nati nel 2024", 2024, 0, 8),
    ("nati nel 2020", 2025, 57, 68),
    ("nati nel 2007", 2024, 201, 212),
]


@pytest.mark.parametrize(("text", "reference_year", "low", "high"), BIRTH_YEAR_CASES)
def test_parse_age_range_from_years_of_birth(
    text: str, reference_year: int, low: int, high: int
) -> None:
    assert parse_age_range(text, reference_year=reference_year) == AgeRange(low, high)


def test_reference_year_does_not_change_explicit_ages() -> None:
    assert parse_age_range("3-6 anni", reference_year=2024) == AgeRange(36, 72)


ERROR_CASES = [
    ("", None, f"età vuota: scrivi per esempio {EXAMPLE}"),
    ("boh", None, f'età non riconosciuta "boh": scrivi per esempio {EXAMPLE}'),
    ("tutte le età", None, f'età non riconosciuta "tutte le età": scrivi per esempio {EXAMPLE}'),
    ("3-6", None, f'età "3-6" senza unità: scrivi "mesi" o "anni" (es. {EXAMPLE})'),
    ("6-3 anni", None, 'età "6-3 anni": la minima (72 mesi) supera la massima (36 mesi)'),
    (
        "3 anni - 6 mesi",
        None,
        'età "3 anni - 6 mesi": la minima (36 mesi) supera la massima (6 mesi)',
    ),
    ("3-20 anni", None, 'età "3-20 anni": oltre i 18 anni (216 mesi)'),
    ("18 anni", None, 'età "18 anni": oltre i 18 anni (216 mesi)'),
    ("dai 19 anni", None, 'età "dai 19 anni": oltre i 18 anni (216 mesi)'),
    ("1-2-3 anni", None, f'età "1-2-3 anni": troppi numeri, scrivi per esempio {EXAMPLE}'),
    (
        "nati nel 2023",
        None,
        'età "nati nel 2023" indicata con gli anni di nascita: '
        "serve l'anno scolastico di riferimento",
    ),
    (
        "nati nel  2026",
        2024,
        'età "nati nel 2026": al 1° settembre 2024 non sono ancora nati',
    ),
    ("nati nel 2000", 2024, 'età "nati nel 2000": oltre i 18 anni (216 mesi)'),
]


@pytest.mark.parametrize(("text", "reference_year", "message"), ERROR_CASES)
def test_parse_age_range_rejects_with_italian_message(
    text: str, reference_year: int | None, message: str
) -> None:
    with pytest.raises(AgeRangeError) as raised:
        parse_age_range(text, reference_year=reference_year)
    assert str(raised.value) == message


@pytest.mark.parametrize(("low", "high"), [(-1, 3), (0, 217), (36, 12), (None, 300)])
def test_age_range_rejects_impossible_values(low: int | None, high: int | None) -> None:
    with pytest.raises(AgeRangeError) as raised:
        AgeRange(low, high)
    assert str(raised.value) == (
        f"età non valida (minima {low}, massima {high}): "
        "servono mesi da 0 a 216, la minima non sopra la massima"
    )


def test_age_range_error_is_a_value_error() -> None:
    assert issubclass(AgeRangeError, ValueError)


FORMAT_CASES = [
    (AgeRange(3, 36), "3-36 mesi"),
    (AgeRange(36, 72), "3-6 anni"),
    (AgeRange(0, 36), "0-3 anni"),
    (AgeRange(12, 36), "1-3 anni"),
    (AgeRange(6, None), "dai 6 mesi"),
    (AgeRange(1, None), "da 1 mese"),
    (AgeRange(12, None), "da 1 anno"),
    (AgeRange(36, None), "dai 3 anni"),
    (AgeRange(None, 36), "fino a 3 anni"),
    (AgeRange(None, 12), "fino a 1 anno"),
    (AgeRange(None, 1), "fino a 1 mese"),
    (AgeRange(None, 18), "fino a 18 mesi"),
    (AgeRange(36, 47), "36-47 mesi"),
    (AgeRange(None, None), ""),
]


@pytest.mark.parametrize(("ages", "text"), FORMAT_CASES)
def test_format_age_range(ages: AgeRange, text: str) -> None:
    assert format_age_range(ages) == text


# --- properties ------------------------------------------------------------------------------

months = st.integers(min_value=0, max_value=216)


@st.composite
def age_ranges(draw: st.DrawFn) -> AgeRange:
    low, high = sorted([draw(months), draw(months)])
    shape = draw(st.sampled_from(["both", "from", "until"]))
    return AgeRange(low if shape != "until" else None, high if shape != "from" else None)


AGE_FRAGMENTS = [
    *("da", "dai", "a", "ai", "fino a", "oltre", "entro", "nati nel", "negli anni", "+"),
    *("0", "3", "6", "12", "36", "1,5", "2023", "1999", "300", "18"),
    *("mesi", "mese", "anni", "anno", "primaria", "infanzia", "nido", "medie"),
    *("-", "–", " - ", " ", ", ", "(", ")"),
]
age_like_text = st.lists(st.sampled_from(AGE_FRAGMENTS), max_size=12).map("".join)


@given(age_ranges())
def test_format_then_parse_round_trips(ages: AgeRange) -> None:
    assert parse_age_range(format_age_range(ages)) == ages


@given(st.text() | age_like_text, st.none() | st.integers(min_value=1900, max_value=2100))
def test_parse_age_range_raises_only_age_range_error(text: str, reference_year: int | None) -> None:
    try:
        ages = parse_age_range(text, reference_year=reference_year)
    except AgeRangeError as error:
        assert str(error)
        return
    bounds = [bound for bound in (ages.min_months, ages.max_months) if bound is not None]
    assert bounds
    assert bounds == sorted(bounds)
    assert all(0 <= bound <= 216 for bound in bounds)


@given(st.integers(min_value=0, max_value=18), st.integers(min_value=0, max_value=18))
def test_year_ranges_are_twelve_months_per_year(low: int, high: int) -> None:
    if low > high:
        low, high = high, low
    assert parse_age_range(f"da {low} a {high} anni") == AgeRange(12 * low, 12 * high)


@given(st.integers(min_value=2000, max_value=2030), st.integers(min_value=0, max_value=4))
def test_birth_year_ranges_widen_by_twelve_months_per_year(first: int, extra: int) -> None:
    reference_year = first + 5
    one = parse_age_range(f"nati nel {first}", reference_year=reference_year)
    many = parse_age_range(f"nati dal {first - extra} al {first}", reference_year=reference_year)
    assert many.min_months == one.min_months
    assert many.max_months == (one.max_months or 0) + 12 * extra
