"""Every message in the code has its English translation, with the same placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.i18n import DOMAIN, Text, Verbatim, _, as_text, catalog_path, elide_before_numbers
from core.settings import PROJECT_ROOT

PACKAGES = ("core", "service", "search", "importers")
#: what `make messages` extracts: `_("…")` in Python and templates, `ngettext` in templates
SOURCES = (
    *((package, [("**.py", "python")]) for package in PACKAGES),
    ("templates", [("**.html", "jinja2")]),
)
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def _code_messages() -> dict[str, str]:
    """msgid → where it is, for every message in the code and templates."""
    found: dict[str, str] = {}
    for folder, method_map in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            PROJECT_ROOT / folder, method_map=method_map, keywords=KEYWORDS
        ):
            singular = message[0] if isinstance(message, tuple) else message
            assert isinstance(singular, str) and singular, f"{folder}/{filename}:{lineno}: empty id"
            found.setdefault(singular, f"{folder}/{filename}:{lineno}")
    return found


def _english_catalog():  # type: ignore[no-untyped-def]
    with catalog_path("en").open("rb") as handle:
        return read_po(handle, locale="en", domain=DOMAIN)


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


CODE = _code_messages()
CATALOG = _english_catalog()


def test_the_code_has_messages_to_translate() -> None:
    assert len(CODE) > 100


@pytest.mark.parametrize("msgid", sorted(CODE))
def test_every_message_has_an_english_translation_with_the_same_placeholders(msgid: str) -> None:
    entry = CATALOG.get(msgid)
    assert entry is not None, f"{CODE[msgid]}: not in the catalog, run `make messages`"
    assert entry.string, f"{CODE[msgid]}: no English yet"
    assert not entry.fuzzy, f"{CODE[msgid]}: fuzzy translation"
    ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    assert all(strings), f"{CODE[msgid]}: a plural form has no English yet"
    expected = set().union(*(_placeholders(text) for text in ids))
    for text in strings:
        assert _placeholders(text) <= expected | {"count"}, f"{CODE[msgid]}: {text!r}"
    if not isinstance(entry.id, tuple):
        assert _placeholders(entry.string) == _placeholders(msgid)


def test_the_catalog_holds_nothing_the_code_no_longer_says() -> None:
    stale = {
        message.id
        for message in CATALOG
        if message.id
        and (message.id[0] if isinstance(message.id, tuple) else message.id) not in CODE
    }
    assert stale == set()


def test_a_message_renders_in_both_languages_with_its_values() -> None:
    message = _("{file}: il file è vuoto", file="nidi.csv")
    assert message.render("it") == "nidi.csv: il file è vuoto"
    assert str(message) == "nidi.csv: il file è vuoto"
    assert message.render("en") == CATALOG.get("{file}: il file è vuoto").string.format(
        file="nidi.csv"
    )
    assert message.render("en") != message.render("it")


def test_values_are_not_formatted_again() -> None:
    hostile = "{file.__class__}"
    assert _("{file}: il file è vuoto", file=hostile).render("en").startswith(hostile)


def test_a_message_inside_a_message_takes_the_same_language() -> None:
    inner = _("{file}: il file è vuoto", file="a.csv")
    outer = _("{error} (nulla è stato salvato)", error=inner)
    assert outer.render("it") == "a.csv: il file è vuoto (nulla è stato salvato)"
    assert outer.render("en").startswith(inner.render("en"))


def test_an_unknown_language_falls_back_to_italian() -> None:
    assert _("{file}: il file è vuoto", file="x").render("fr") == "x: il file è vuoto"


def test_text_from_elsewhere_is_kept_as_it_is() -> None:
    assert as_text("boom").render("en") == "boom"
    assert isinstance(as_text(ValueError("boom")), Verbatim)
    carried = _("{file}: il file è vuoto", file="x")
    assert as_text(ValueError(carried)) is carried
    assert isinstance(carried, Text)


def test_catalog_files_live_where_the_package_ships_them() -> None:
    assert catalog_path("en") == Path(PROJECT_ROOT / "core/locales/en/LC_MESSAGES/conciliamo.po")


@pytest.mark.parametrize(
    ("italian", "written"),
    [
        ("dal 11 marzo al 8 aprile", "dall'11 marzo all'8 aprile"),
        ("Dal 8 settembre", "Dall'8 settembre"),
        ("fino al 80%", "fino all'80%"),
        ("nel 11,5% dei casi", "nell'11,5% dei casi"),
        ("dal 110 al 18 maggio", "dal 110 al 18 maggio"),
        ("Scandal 8", "Scandal 8"),
    ],
)
def test_italian_drops_the_article_vowel_before_eight_and_eleven(
    italian: str, written: str
) -> None:
    assert elide_before_numbers(italian) == written


def test_elision_is_italian_only_and_applies_to_the_values_too() -> None:
    dated = Text("dal {start}", start="11 marzo")
    assert dated.render("it") == "dall'11 marzo"
    assert Text("from {start}", start="11 March").render("en") == "from 11 March"
