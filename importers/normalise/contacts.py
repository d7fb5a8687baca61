"""Clean the contact cells of open data and comuni's sheets: phones, e-mail, house numbers."""

import re

from core.i18n import _
from importers.normalise.values import NULL_MARKERS

MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15
MAX_EMAIL_LENGTH, MAX_LOCAL_PART_LENGTH = 254, 64
EMAIL_EXAMPLE = '"info@comune.esempio.it"'

# "0521/123456", "333 / 1234567", "0521-123456": an area code or mobile prefix, then the rest.
PREFIX_THEN_NUMBER = re.compile(r"(?<![0-9])(0[0-9]{1,4}|3[0-9]{2})\s*[/-]\s*(?=[0-9])")
# Between numbers: / ; , | new lines, a spaced dash, any word ("e", "oppure", "tel.", "int.").
PHONE_SEPARATORS = re.compile(r"[/;,|\n\r]|\s-\s|[^\W\d_]+\.?")

MAILTO = re.compile(r"^mailto:\s*", re.IGNORECASE)
SPACES_AROUND_DOTS = re.compile(r"\s*([@.])\s*")
_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
EMAIL = re.compile(
    rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})", re.ASCII
)

NO_NUMBER = re.compile(r"[\s,;-]*\bs\.?\s*n\.?\s*c\b\.?$", re.IGNORECASE)
HOUSE_NUMBER = re.compile(
    r"(?:(?:(?<![0-9])\s*,\s*|\s+)(?:(?P<marker>n\.?\s*[°º]?|nr\.?|num\.?|civ\.?|civico)\s*)?"
    r"|(?<=[^\W\d_]{3}))"  # glued to a word of three letters or more: "VIA BARACCA3"
    r"(?P<number>[0-9]+(?:\s*[/-]\s*(?:[0-9]+|[a-z]{1,3})|\s*(?:bis|ter)|\s?[a-z])?)\s*$",
    re.IGNORECASE,
)
# Road numbers are not house numbers: "SS 9", "S.P. 13", "STRADA PROVINCIALE 13", "KM 3".
ROAD_NUMBER_BEFORE = re.compile(
    r"(?:\bs\.?\s?[psr]|\bstrada\s+(?:statale|provinciale|regionale)|\bkm)\.?$", re.IGNORECASE
)
LETTER = re.compile(r"[^\W\d_]")


class ContactError(ValueError):
    """A contact cell cannot be read; the message is a `Text` (Italian first)."""


def split_phones(text: str) -> tuple[str, ...]:
    """Phone numbers in a cell, as digits with a leading ``+`` for international ones.

    ``00`` in front becomes ``+``; pieces with fewer than 6 or more than 15 digits (extensions
    such as "int. 23", stray numbers) are dropped; duplicates are dropped too.
    """
    joined = PREFIX_THEN_NUMBER.sub(r"\1 ", text)
    phones = (_phone(piece) for piece in PHONE_SEPARATORS.split(joined))
    return tuple(dict.fromkeys(phone for phone in phones if phone))


def clean_email(text: str | None) -> str | None:
    """One e-mail address in lower case, or ``None`` for an empty cell ("", "-", "n.d." …)."""
    cleaned = " ".join((text or "").split())
    if cleaned.lower() in NULL_MARKERS:
        return None
    address = cleaned.lower()
    if MAILTO.match(address):
        address = MAILTO.sub("", address).split("?")[0]  # drop "?subject=…" of a mailto link
    address = address.strip(' <>"()[];,.')
    if address.count("@") > 1:
        raise ContactError(_('più indirizzi email in "{text}": indicane uno solo', text=cleaned))
    address = SPACES_AROUND_DOTS.sub(r"\1", address)
    local_part = address.partition("@")[0]
    if (
        not EMAIL.fullmatch(address)
        or len(address) > MAX_EMAIL_LENGTH
        or len(local_part) > MAX_LOCAL_PART_LENGTH
    ):
        raise ContactError(
            _(
                'email non valida "{text}": scrivi per esempio {example}',
                text=cleaned,
                example=EMAIL_EXAMPLE,
            )
        )
    return address


def street_address(address: str) -> str | None:
    """«VIA BARACCA3» → «VIA BARACCA 3», «VIA ESEGUITI SNC» → «VIA ESEGUITI»; None if empty."""
    street, number = split_house_number(address)
    return (f"{street} {number}" if number else street) or None


def split_house_number(address: str) -> tuple[str, str | None]:
    """Split "VIA ROMA 32/A" into ("VIA ROMA", "32/A"); ``None`` when there is no number.

    Numbers glued to the street ("VIA BARACCA3") are split when at least three letters come
    before them; "SNC"/"S.N.C." means no number; road numbers and kilometres ("SS 9",
    "KM 3,5") stay in the street unless a marker such as "N.", "n°" or "civ." precedes them.
    """
    street = " ".join(address.split())
    without_number = NO_NUMBER.sub("", street)
    if without_number != street:
        return _street(without_number), None
    match = HOUSE_NUMBER.search(street)
    if match is None:
        return street, None
    before = _street(street[: match.start()])
    if not LETTER.search(before) or (not match["marker"] and ROAD_NUMBER_BEFORE.search(before)):
        return street, None
    return before, _house_number(match["number"])


def _phone(piece: str) -> str | None:
    digits = "".join(re.findall("[0-9]", piece))
    plus = piece.lstrip(" \t([").startswith("+")
    national = digits[2:] if not plus and digits.startswith("00") else digits
    international = plus or national != digits
    if not MIN_PHONE_DIGITS <= len(national) <= MAX_PHONE_DIGITS:
        return None
    return ("+" if international else "") + national


def _street(text: str) -> str:
    return text.strip(" ,;-")


def _house_number(number: str) -> str:
    return " ".join(re.sub(r"\s*([/-])\s*", r"\1", number).split())
