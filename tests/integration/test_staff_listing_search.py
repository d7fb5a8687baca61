"""Staff find any listing by name in the reserved area (service.queries.listings_named): a
part of the name, ignoring case, `%` and `_` taken literally, by name, capped. Real
databases, over the demo listings."""

from __future__ import annotations

import pytest
from factories import import_demo
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.queries import listings_named

pytestmark = pytest.mark.integration

#: (typed, limit, the names found in order), worked out by hand from demo/servizi.csv
CASES: list[tuple[str, int, list[str]]] = [
    ("trenino", 50, ["Micronido Il Trenino"]),
    ("MIMOSE", 50, ["Scuola dell'infanzia paritaria Le Mimose", "Sezione primavera Le Mimose"]),
    (
        "Rodari",
        50,
        [
            "Centro estivo Arcobaleno – Scuola primaria Gianni Rodari",
            "Post-scuola Scuola primaria Gianni Rodari",
            "Pre-scuola Scuola primaria Gianni Rodari",
        ],
    ),
    (
        "dell'infanzia il",
        50,
        [
            "Centro estivo Girotondo d'Estate – Scuola dell'infanzia Il Pesco",
            "Centro estivo Piccoli Esploratori – Scuola dell'infanzia Il Seme",
        ],
    ),
    (
        "pre-scuola scuola primaria",
        2,
        ["Pre-scuola Scuola primaria Alda Merini", "Pre-scuola Scuola primaria Bruno Munari"],
    ),
    ("%", 50, []),  # a wildcard would find every listing
    ("_", 50, []),
    ("asilo", 50, []),
]


def test_listings_are_found_by_a_part_of_their_name(engine: Engine) -> None:
    import_demo(engine)
    with Session(engine) as session:
        found = {
            (typed, limit): [service.name for service in listings_named(session, typed, limit)]
            for typed, limit, _expected in CASES
        }
    assert found == {(typed, limit): expected for typed, limit, expected in CASES}
