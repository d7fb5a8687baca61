"""Normalise the Italian codes found in open data: ISTAT, catasto, CAP, codice meccanografico.

Spreadsheets often turn codes into numbers and drop their leading zeros ("015146" → 15146,
"06055" → 6055); the ISTAT code and the CAP get those zeros back.
"""

import re

from core.i18n import Text, _

ISTAT_DIGITS, CAP_DIGITS = 6, 5
DIGITS = re.compile(r"[0-9]+")
CADASTRAL = re.compile(r"[A-Z][0-9]{3}")
SCHOOL = re.compile(r"[A-Z]{2}[A-Z0-9]{8}")


class CodeError(ValueError):
    """A code has the wrong shape; the message (a `Text`) shows a right one."""


def istat_code(value: str | int) -> str:
    """ISTAT code of a comune, six digits: 15146, "15146" and "015146" all give "015146"."""
    return _zero_padded(
        value,
        ISTAT_DIGITS,
        _(
            'codice ISTAT non valido "{value}": servono da 1 a 6 cifre, non tutte zero '
            '(es. "015146")',
            value=value,
        ),
    )


def cap(value: str | int) -> str:
    """Codice di avviamento postale, five digits: 6055 and "06055" both give "06055"."""
    return _zero_padded(
        value,
        CAP_DIGITS,
        _(
            'CAP non valido "{value}": servono da 1 a 5 cifre, non tutte zero (es. "06055")',
            value=value,
        ),
    )


def cadastral_code(value: str) -> str:
    """Codice catastale (Belfiore) of a comune, a letter and three digits: "f205" → "F205"."""
    code = value.strip().upper()
    if not (value.strip().isascii() and CADASTRAL.fullmatch(code)):
        raise CodeError(
            _(
                'codice catastale non valido "{value}": servono una lettera e 3 cifre (es. "F205")',
                value=value,
            )
        )
    return code


def school_code(value: str) -> str:
    """MIUR codice meccanografico: ten letters or digits, the first two the province."""
    code = value.strip().upper()
    if not (value.strip().isascii() and SCHOOL.fullmatch(code)):  # "ß".upper() is "SS"
        raise CodeError(
            _(
                'codice meccanografico non valido "{value}": servono 10 lettere o cifre, '
                'le prime due sono la sigla della provincia (es. "MIAA8FB03N")',
                value=value,
            )
        )
    return code


def _zero_padded(value: str | int, width: int, message: Text) -> str:
    if isinstance(value, bool):
        raise CodeError(message)
    text = str(value).strip()
    if not DIGITS.fullmatch(text) or len(text) > width or not text.strip("0"):
        raise CodeError(message)
    return text.zfill(width)
