"""Tests for importers.normalise.fees: prices written as free Italian text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.fees import PERIODS, Fee, FeeError, format_fee, parse_fee

EXAMPLE = '"450 €/mese", "gratuito" o "in base all\'ISEE"'

FEE_CASES = [
    ("€ 450/mese", Fee(45000, "mese")),
    ("450 euro al mese", Fee(45000, "mese")),
    ("450 EUR mensili", Fee(45000, "mese")),
    ("€ 95,50 a settimana", Fee(9550, "settimana")),
    ("90€/settimana", Fee(9000, "settimana")),
    ("€ 90 / sett.", Fee(9000, "settimana")),
    ("12 €/h", Fee(1200, "ora")),
    ("5 euro l'ora", Fee(500, "ora")),
    ("tariffa oraria 7,5 €", Fee(750, "ora")),
    ("1.200,00 € annui", Fee(120000, "anno")),
    ("€ 1.200 all'anno", Fee(120000, "anno")),
    ("quota annuale 80 euro", Fee(8000, "anno")),
    ("€ 5 al giorno", Fee(500, "giorno")),
    ("15 €/gg", Fee(1500, "giorno")),
    ("€ 12.5/h", Fee(1250, "ora")),
    ("€ 1.234.567,89/anno", Fee(123456789, "anno")),
    ("450", Fee(45000, None)),
    ("€ 0,50", Fee(50, None)),
    ("gratuito", Fee(0, "gratuito")),
    ("Gratuita", Fee(0, "gratuito")),
    ("gratis", Fee(0, "gratuito")),
    ("nessun costo", Fee(0, "gratuito")),
    ("€ 0", Fee(0, "gratuito")),
    ("0,00 €/mese", Fee(0, "gratuito")),
    ("in base all'ISEE", Fee(None, None, income_based=True)),
    ("secondo fasce di reddito", Fee(None, None, income_based=True)),
    (
        "€ 300-500/mese secondo ISEE",
        Fee(30000, "mese", income_based=True, note="€ 300-500/mese secondo ISEE"),
    ),
    (
        "da 100 a 400 € in base all'ISEE",
        Fee(10000, None, income_based=True, note="da 100 a 400 € in base all'ISEE"),
    ),
    ("€ 450/mese  (ISEE)", Fee(45000, "mese", income_based=True)),
    (
        "ISEE fino a 15.000 €: 200 €/mese; oltre 400 €/mese",
        Fee(
            20000,
            "mese",
            income_based=True,
            note="ISEE fino a 15.000 €: 200 €/mese; oltre 400 €/mese",
        ),
    ),
    (
        "ISEE < 8.000",
        Fee(None, None, income_based=True, note="ISEE < 8.000"),
    ),
    (
        "€ 200 per 3 settimane",
        Fee(20000, "settimana", note="€ 200 per 3 settimane"),
    ),
    (
        "300 €/mese o 80 €/settimana",
        Fee(8000, "settimana", note="300 €/mese o 80 €/settimana"),
    ),
    (
        "€ 450/mese, sconto 10% dal secondo figlio",
        Fee(45000, "mese", note="€ 450/mese, sconto 10% dal secondo figlio"),
    ),
    (
        "gratuito per ISEE < 5.000, altrimenti 100 €/mese",
        Fee(
            0,
            "gratuito",
            income_based=True,
            note="gratuito per ISEE < 5.000, altrimenti 100 €/mese",
        ),
    ),
    ("per 100 euro", Fee(10000, None)),
]


@pytest.mark.parametrize(("text", "fee"), FEE_CASES)
def test_parse_fee(text: str, fee: Fee) -> None:
    assert parse_fee(text) == fee


ERROR_CASES = [
    ("", f"tariffa vuota: scrivi per esempio {EXAMPLE}"),
    ("   ", f"tariffa vuota: scrivi per esempio {EXAMPLE}"),
    ("boh", f'tariffa non riconosciuta "boh": scrivi per esempio {EXAMPLE}'),
    ("da definire", f'tariffa non riconosciuta "da definire": scrivi per esempio {EXAMPLE}'),
    ("riduzione 20%", f'tariffa non riconosciuta "riduzione 20%": scrivi per esempio {EXAMPLE}'),
    (
        "per 3  settimane",
        f'tariffa non riconosciuta "per 3 settimane": scrivi per esempio {EXAMPLE}',
    ),
]


@pytest.mark.parametrize(("text", "message"), ERROR_CASES)
def test_parse_fee_rejects_with_italian_message(text: str, message: str) -> None:
    with pytest.raises(FeeError) as raised:
        parse_fee(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("amount", "period"),
    [(-1, "mese"), (100, "secolo"), (0, "mese"), (100, "gratuito"), (None, "mese"), (0, None)],
)
def test_fee_rejects_inconsistent_values(amount: int | None, period: str | None) -> None:
    with pytest.raises(FeeError) as raised:
        Fee(amount, period)
    assert str(raised.value) == (
        f'tariffa non valida: {amount} centesimi per "{period}"; il periodo è uno tra '
        'mese, settimana, ora, anno, giorno, gratuito e "gratuito" vale solo per 0'
    )


def test_fee_error_is_a_value_error() -> None:
    assert issubclass(FeeError, ValueError)


FORMAT_CASES = [
    (Fee(45000, "mese"), "450,00 €/mese"),
    (Fee(9550, "settimana"), "95,50 €/settimana"),
    (Fee(120000, "anno"), "1.200,00 €/anno"),
    (Fee(5, None), "0,05 €"),
    (Fee(0, "gratuito"), "gratuito"),
    (Fee(0, "gratuito", income_based=True), "gratuito in base all'ISEE"),
    (Fee(30000, "mese", income_based=True, note="x"), "300,00 €/mese, in base all'ISEE"),
    (Fee(None, None, income_based=True), "in base all'ISEE"),
    (Fee(None, None), ""),
]


@pytest.mark.parametrize(("fee", "text"), FORMAT_CASES)
def test_format_fee(fee: Fee, text: str) -> None:
    assert format_fee(fee) == text


# --- properties ------------------------------------------------------------------------------


@st.composite
def fees(draw: st.DrawFn) -> Fee:
    income_based = draw(st.booleans())
    kind = draw(st.sampled_from(["amount", "free", "income"]))
    if kind == "free":
        return Fee(0, "gratuito", income_based)
    if kind == "income":
        return Fee(None, None, income_based=True)
    period = draw(st.sampled_from([None, *PERIODS[:-1]]))
    return Fee(draw(st.integers(min_value=1, max_value=10**12)), period, income_based)


FEE_FRAGMENTS = [
    *("€", "euro", "EUR", "450", "95,50", "1.200,00", "0", "12.5", "300-500", "15.000", "20%"),
    *("/mese", "al mese", "a settimana", "/h", "annui", "al giorno", "per", "3 settimane"),
    *("gratuito", "gratis", "ISEE", "in base all'ISEE", "fino a", "<", "reddito", "oltre"),
    *(" ", ", ", "; ", "-", "/", "(", ")"),
]
fee_like_text = st.lists(st.sampled_from(FEE_FRAGMENTS), max_size=12).map("".join)


@given(fees())
def test_format_then_parse_round_trips(fee: Fee) -> None:
    assert parse_fee(format_fee(fee)) == fee


@given(st.text() | fee_like_text)
def test_parse_fee_raises_only_fee_error(text: str) -> None:
    try:
        fee = parse_fee(text)
    except FeeError as error:
        assert str(error)
        return
    assert fee.amount_cents is not None or fee.income_based
    assert fee.note is None or fee.note == " ".join(text.split())
    if fee.note is None:
        assert parse_fee(format_fee(fee)) == fee


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["mese", "settimana", "ora"]))
def test_written_amounts_are_read_to_the_cent(cents: int, period: str) -> None:
    euros, rest = divmod(cents, 100)
    assert parse_fee(f"€ {euros},{rest:02d} / {period}") == Fee(cents, period)
    assert parse_fee(f"{euros}.{rest:02d} euro a {period}") == Fee(cents, period)
