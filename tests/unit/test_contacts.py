"""Tests for importers.normalise.contacts: phone lists, e-mail addresses, house numbers."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.contacts import (
    ContactError,
    clean_email,
    split_house_number,
    split_phones,
)

# --- phones ----------------------------------------------------------------------------------

PHONE_CASES = [
    ("", ()),
    ("0521 123456", ("0521123456",)),
    ("0521 123456 / 333 1234567", ("0521123456", "3331234567")),
    ("0521 123456; 333 1234567", ("0521123456", "3331234567")),
    ("0521 123456, 333 1234567", ("0521123456", "3331234567")),
    ("333 1234567 - 338 7654321", ("3331234567", "3387654321")),
    ("02 1234 5678 oppure 02 8765 4321", ("0212345678", "0287654321")),
    ("02 1234 5678 e 02 8765 4321", ("0212345678", "0287654321")),
    ("tel. 0521/123456 cell. 333-1234567", ("0521123456", "3331234567")),
    ("0521/123456", ("0521123456",)),
    ("0521 - 123456", ("0521123456",)),
    ("333/1234567", ("3331234567",)),
    ("0521.123.456", ("0521123456",)),
    ("(0521) 123456", ("0521123456",)),
    ("+39 02 1234 5678", ("+390212345678",)),
    ("(+39) 0521 123456", ("+390521123456",)),
    ("0039 02 87654321", ("+390287654321",)),
    ("+41 22 123 45 67", ("+41221234567",)),
    ("0521 123456 int. 23", ("0521123456",)),
    ("0521123456 / 0521 123456", ("0521123456",)),
    ("n.d.", ()),
    ("12345", ()),
    ("1234 5678 9012 3456", ()),
    ("tel 800 123 456", ("800123456",)),
]


@pytest.mark.parametrize(("text", "phones"), PHONE_CASES)
def test_split_phones(text: str, phones: tuple[str, ...]) -> None:
    assert split_phones(text) == phones


PHONE = re.compile(r"\+?[0-9]{6,15}")


@given(st.text() | st.text(alphabet="0123456789 +-/.,;()e"))
def test_split_phones_gives_clean_numbers_and_is_stable(text: str) -> None:
    phones = split_phones(text)
    assert all(PHONE.fullmatch(phone) for phone in phones)
    assert len(set(phones)) == len(phones)
    assert split_phones("; ".join(phones)) == phones


# --- e-mail ----------------------------------------------------------------------------------

EMAIL_CASES = [
    ("info@comune.it", "info@comune.it"),
    ("Info@Comune.Parma.IT", "info@comune.parma.it"),
    ("  mailto:INFO@comune.it ", "info@comune.it"),
    ("MAILTO:info@comune.it?subject=Nido", "info@comune.it"),
    ("<info@comune.it>.", "info@comune.it"),
    ("info @ comune . it", "info@comune.it"),
    (
        "nido.arcobaleno+iscrizioni@pec.comune.bologna.it",
        "nido.arcobaleno+iscrizioni@pec.comune.bologna.it",
    ),
    ("info@comune-di-prova.it", "info@comune-di-prova.it"),
    ("", None),
    ("   ", None),
    (None, None),
    ("n.d.", None),
    ("-", None),
]


@pytest.mark.parametrize(("text", "email"), EMAIL_CASES)
def test_clean_email(text: str | None, email: str | None) -> None:
    assert clean_email(text) == email


EXAMPLE = '"info@comune.esempio.it"'
EMAIL_ERRORS = [
    ("info@comune", f'email non valida "info@comune": scrivi per esempio {EXAMPLE}'),
    ("info.comune.it", f'email non valida "info.comune.it": scrivi per esempio {EXAMPLE}'),
    ("mario rossi@x.it", f'email non valida "mario rossi@x.it": scrivi per esempio {EXAMPLE}'),
    ("info@@comune.it", 'più indirizzi email in "info@@comune.it": indicane uno solo'),
    ("a@b.it; c@d.it", 'più indirizzi email in "a@b.it; c@d.it": indicane uno solo'),
    ("info@-comune.it", f'email non valida "info@-comune.it": scrivi per esempio {EXAMPLE}'),
    ("info..x@comune.it", f'email non valida "info..x@comune.it": scrivi per esempio {EXAMPLE}'),
    ("info@città.it", f'email non valida "info@città.it": scrivi per esempio {EXAMPLE}'),
    (
        f"{'a' * 65}@comune.it",
        f'email non valida "{"a" * 65}@comune.it": scrivi per esempio {EXAMPLE}',
    ),
]


@pytest.mark.parametrize(("text", "message"), EMAIL_ERRORS)
def test_clean_email_rejects_with_italian_message(text: str, message: str) -> None:
    with pytest.raises(ContactError) as raised:
        clean_email(text)
    assert str(raised.value) == message


def test_contact_error_is_a_value_error() -> None:
    assert issubclass(ContactError, ValueError)


@given(st.emails())
def test_clean_email_accepts_valid_addresses_in_lower_case(address: str) -> None:
    if len(address) <= 254:
        assert clean_email(address) == address.lower()


@given(st.text() | st.emails().map(lambda address: f" MAILTO:{address.upper()}. "))
def test_clean_email_raises_only_contact_error_and_is_stable(text: str) -> None:
    try:
        email = clean_email(text)
    except ContactError as error:
        assert str(error)
        return
    if email is not None:
        assert email == email.lower()
        assert clean_email(email) == email


# --- house numbers ---------------------------------------------------------------------------

HOUSE_NUMBER_CASES = [
    ("VIA BARACCA3", "VIA BARACCA", "3"),
    ("VIA ROMA 32/A", "VIA ROMA", "32/A"),
    ("VIA ROMA 32 / A", "VIA ROMA", "32/A"),
    ("VIA ROMA 32A", "VIA ROMA", "32A"),
    ("VIA ROMA 32 A", "VIA ROMA", "32 A"),
    ("VIA ROMA 12 BIS", "VIA ROMA", "12 BIS"),
    ("VIA ROMA 10-12", "VIA ROMA", "10-12"),
    ("VIA ROMA SNC", "VIA ROMA", None),
    ("VIA ROMA S.N.C.", "VIA ROMA", None),
    ("VIA ROMA, snc", "VIA ROMA", None),
    ("SNC", "", None),
    ("PIAZZA XX SETTEMBRE", "PIAZZA XX SETTEMBRE", None),
    ("VIA 4 NOVEMBRE 12", "VIA 4 NOVEMBRE", "12"),
    ("VIA 4 NOVEMBRE", "VIA 4 NOVEMBRE", None),
    ("VIA ROMA N.8", "VIA ROMA", "8"),
    ("VIA ROMA N. 8", "VIA ROMA", "8"),
    ("Via Roma n° 8", "Via Roma", "8"),
    ("VIA ROMA NR. 8", "VIA ROMA", "8"),
    ("VIA ROMA CIV. 8", "VIA ROMA", "8"),
    ("VIA ROMA, 12", "VIA ROMA", "12"),
    ("VIA ROMA,12", "VIA ROMA", "12"),
    ("  via   roma  5/7 ", "via roma", "5/7"),
    ("STRADA PROVINCIALE 9 KM 3,5", "STRADA PROVINCIALE 9 KM 3,5", None),
    ("SS 9 KM 3", "SS 9 KM 3", None),
    ("STRADA STATALE 9", "STRADA STATALE 9", None),
    ("S.P. 13", "S.P. 13", None),
    ("S.P. 13 N. 5", "S.P. 13", "5"),
    ("SP13", "SP13", None),
    ("12", "12", None),
    ("", "", None),
]


@pytest.mark.parametrize(("address", "street", "number"), HOUSE_NUMBER_CASES)
def test_split_house_number(address: str, street: str, number: str | None) -> None:
    assert split_house_number(address) == (street, number)


street_words = st.text(alphabet="ABCDEFGHILMNOPRSTUVZ", min_size=3, max_size=10).filter(
    lambda word: word not in {"NUM", "CIV", "CIVICO", "SNC"}  # markers, not street names
)
streets = st.lists(street_words, min_size=2, max_size=4).map(" ".join)
house_numbers = st.tuples(
    st.integers(min_value=1, max_value=999), st.sampled_from(["", "/A", "B", "/2", " BIS"])
).map(lambda parts: f"{parts[0]}{parts[1]}")


@given(streets, house_numbers, st.sampled_from([" ", ", ", " N. ", " n° ", ""]))
def test_split_house_number_finds_the_number_however_it_is_attached(
    street: str, number: str, joint: str
) -> None:
    assert split_house_number(f"{street}{joint}{number}") == (street, number)


@given(st.text())
def test_split_house_number_never_raises_and_rejoins(address: str) -> None:
    street, number = split_house_number(address)
    assert street == street.strip()
    if number is not None:
        assert number and number[0].isdigit()
        assert split_house_number(f"{street} n. {number}") == (street, number)
