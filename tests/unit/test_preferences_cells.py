"""Languages, disability support and comuni served, read from spreadsheet cells."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.normalise.preferences import (
    LANGUAGE_CODES,
    languages_or_empty,
    names_list,
    yes_no_or_none,
)
from importers.normalise.values import CellError


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("italiano, inglese", ("en", "it")),
        ("Inglese; Francese", ("en", "fr")),
        ("it/en/es", ("en", "es", "it")),
        ("italiano e arabo", ("ar", "it")),
        ("ITALIANO, italiano", ("it",)),
        ("Lingua dei segni", ("lis",)),
        ("", ()),
        ("n.d.", ()),
        (None, ()),
    ],
)
def test_languages(cell, expected) -> None:
    assert languages_or_empty(cell) == expected


def test_unknown_language_is_named() -> None:
    with pytest.raises(CellError) as error:
        languages_or_empty("italiano, klingon")
    assert str(error.value) == "lingua sconosciuta «klingon»: scrivi per esempio italiano, inglese"


@given(st.lists(st.sampled_from(sorted(LANGUAGE_CODES)), min_size=1, max_size=5))
def test_any_list_of_known_names_reads_as_sorted_unique_codes(names: list[str]) -> None:
    codes = languages_or_empty(", ".join(names))
    assert codes == tuple(sorted({LANGUAGE_CODES[name] for name in names}))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("sì", True), ("SI", True), ("x", True), ("yes", True), ("no", False), ("0", False),
     ("", None), ("non disponibile", None)],
)  # fmt: skip
def test_yes_no(cell, expected) -> None:
    assert yes_no_or_none(cell) is expected


def test_yes_no_rejects_anything_else() -> None:
    with pytest.raises(CellError, match="scrivi sì oppure no"):
        yes_no_or_none("forse")


def test_names_list_keeps_order_and_drops_repeats() -> None:
    cell = "Sesto San Giovanni; Cinisello Balsamo;Sesto San Giovanni ; "
    assert names_list(cell) == ("Sesto San Giovanni", "Cinisello Balsamo")
    assert names_list(None) == ()
