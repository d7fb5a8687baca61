"""Display-case normalisation of MIUR upper-case names."""

import pytest

from importers.normalise.values import display_case


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
