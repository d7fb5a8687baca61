"""Display-case normalisation of MIUR upper-case names."""

import pytest

from importers.normalise.values import display_case, split_glued_house_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SCUOLA INF. CAMERATA CORNELLO", "Scuola Inf. Camerata Cornello"),
        ("VIA LIBERTA' 1", "Via Liberta' 1"),
        ('BERGAMO "S. LUCIA" - AQUILONE', 'Bergamo "S. Lucia" - Aquilone'),
        ('""', '""'),
        ("Nido Girasole", "Nido Girasole"),
    ],
)
def test_display_case(raw: str, expected: str) -> None:
    assert display_case(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("VIA BARACCA3", "VIA BARACCA 3"),
        ("VIA S.GIOVANNI BOSCO5", "VIA S.GIOVANNI BOSCO 5"),
        ("VIA ROMA 32", "VIA ROMA 32"),
        ("VIA XX SETTEMBRE", "VIA XX SETTEMBRE"),
    ],
)
def test_split_glued_house_number(raw: str, expected: str) -> None:
    assert split_glued_house_number(raw) == expected
