"""Tests for importers.normalise.codes: ISTAT, catasto, CAP and codice meccanografico."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.codes import CodeError, cadastral_code, cap, istat_code, school_code

# --- ISTAT -----------------------------------------------------------------------------------

ISTAT_CASES = [
    ("015146", "015146"),
    ("15146", "015146"),
    (15146, "015146"),
    (" 58091 ", "058091"),
    ("1001", "001001"),
    (1, "000001"),
    ("110001", "110001"),
]


@pytest.mark.parametrize(("value", "code"), ISTAT_CASES)
def test_istat_code(value: str | int, code: str) -> None:
    assert istat_code(value) == code


@pytest.mark.parametrize(
    "value", ["", "abc", "15146.0", "15 146", "-15146", -15146, "1234567", 1234567, "0", 0, True]
)
def test_istat_code_rejects(value: str | int) -> None:
    with pytest.raises(CodeError) as raised:
        istat_code(value)
    assert str(raised.value) == (
        f'codice ISTAT non valido "{value}": servono da 1 a 6 cifre, non tutte zero (es. "015146")'
    )


# --- CAP -------------------------------------------------------------------------------------

CAP_CASES = [
    ("06055", "06055"),
    ("6055", "06055"),
    (6055, "06055"),
    (118, "00118"),
    (" 43121 ", "43121"),
]


@pytest.mark.parametrize(("value", "code"), CAP_CASES)
def test_cap(value: str | int, code: str) -> None:
    assert cap(value) == code


@pytest.mark.parametrize("value", ["", "431 21", "123456", 123456, "43I21", "00000", -6055])
def test_cap_rejects(value: str | int) -> None:
    with pytest.raises(CodeError) as raised:
        cap(value)
    assert str(raised.value) == (
        f'CAP non valido "{value}": servono da 1 a 5 cifre, non tutte zero (es. "06055")'
    )


# --- codice catastale ------------------------------------------------------------------------

CADASTRAL_CASES = [("F205", "F205"), ("f205", "F205"), (" h501 ", "H501"), ("A001", "A001")]


@pytest.mark.parametrize(("value", "code"), CADASTRAL_CASES)
def test_cadastral_code(value: str, code: str) -> None:
    assert cadastral_code(value) == code


@pytest.mark.parametrize("value", ["", "F20", "F2055", "205F", "FF205", "F 205", "Ф205"])
def test_cadastral_code_rejects(value: str) -> None:
    with pytest.raises(CodeError) as raised:
        cadastral_code(value)
    assert str(raised.value) == (
        f'codice catastale non valido "{value}": servono una lettera e 3 cifre (es. "F205")'
    )


# --- codice meccanografico -------------------------------------------------------------------

SCHOOL_CASES = [
    ("MIAA8FB03N", "MIAA8FB03N"),
    ("miaa8fb03n", "MIAA8FB03N"),
    (" RMIC8A500X ", "RMIC8A500X"),
    ("BO1M00300C", "BO1M00300C"),
]


@pytest.mark.parametrize(("value", "code"), SCHOOL_CASES)
def test_school_code(value: str, code: str) -> None:
    assert school_code(value) == code


@pytest.mark.parametrize(
    "value",
    ["", "MIAA8FB03", "MIAA8FB03NN", "M1AA8FB03N", "MIAA 8FB03N", "MIAA8FB03-", "miaa8fb0ß"],
)
def test_school_code_rejects(value: str) -> None:
    with pytest.raises(CodeError) as raised:
        school_code(value)
    assert str(raised.value) == (
        f'codice meccanografico non valido "{value}": servono 10 lettere o cifre, '
        'le prime due sono la sigla della provincia (es. "MIAA8FB03N")'
    )


def test_code_error_is_a_value_error() -> None:
    assert issubclass(CodeError, ValueError)


# --- properties ------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=999_999))
def test_istat_code_pads_every_number_and_is_stable(number: int) -> None:
    code = istat_code(number)
    assert len(code) == 6
    assert int(code) == number
    assert istat_code(code) == code == istat_code(str(number))


@given(st.integers(min_value=1, max_value=99_999))
def test_cap_pads_every_number_and_is_stable(number: int) -> None:
    code = cap(number)
    assert len(code) == 5
    assert int(code) == number
    assert cap(code) == code == cap(str(number))


@given(st.text() | st.integers())
def test_zero_padded_codes_raise_only_code_error(value: str | int) -> None:
    for normalise in (istat_code, cap):
        try:
            code = normalise(value)
        except CodeError as error:
            assert str(error)
            continue
        assert code.isdigit() and code.strip("0")
        assert normalise(code) == code


@given(st.text() | st.text(alphabet="abcfhmnrsxABFHMN0123456789ßﬀ ", max_size=12))
def test_text_codes_raise_only_code_error(value: str) -> None:
    for normalise in (cadastral_code, school_code):
        try:
            code = normalise(value)
        except CodeError as error:
            assert str(error)
            continue
        assert code.isascii()
        assert code == code.strip().upper()
        assert normalise(code) == code
        assert normalise(code.lower()) == code
