"""Messages in Italian and English: Italian source text, an English gettext catalog (Babel).

Italian is the product's first language, so the Italian wording is the message id and lives
in the code where it is raised; `core/locales/en/LC_MESSAGES/conciliamo.po` holds the
English. A message is kept as a `Text` (its id plus named values) and only rendered when
someone reads it, so one problem found in a file can be reported in either language.

`make messages` extracts the ids into the catalog; a unit test fails when an id in the code
has no English translation or a translation loses one of its `{placeholders}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

Language = Literal["it", "en"]
LANGUAGES: tuple[Language, ...] = ("it", "en")
SOURCE_LANGUAGE: Language = "it"
DOMAIN = "conciliamo"
LOCALES_DIR = Path(__file__).parent / "locales"


class Text:
    """A message waiting for its language: the Italian id and the values of its placeholders.

    Values may be `Text` themselves (a hint inside a message) and are rendered in the same
    language. Values are never formatted again, so text from a file cannot inject fields.
    """

    __slots__ = ("msgid", "values")

    def __init__(self, msgid: str, /, **values: object) -> None:
        self.msgid = msgid
        self.values: Mapping[str, object] = values

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        template = translations(language).gettext(self.msgid)
        if not self.values:
            return template
        rendered = {
            name: value.render(language) if isinstance(value, Text) else value
            for name, value in self.values.items()
        }
        text = template.format_map(rendered)
        return elide_before_numbers(text) if language == SOURCE_LANGUAGE else text

    def __str__(self) -> str:
        return self.render(SOURCE_LANGUAGE)

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, **{dict(self.values)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return self.msgid == other.msgid and dict(self.values) == dict(other.values)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted((k, str(v)) for k, v in self.values.items()))))


#: "dal 11", "al 8", "nell'80": Italian drops the article's vowel before a number read with a
#: vowel first (otto, undici, ottanta, ottocento…); 11 only alone ("dal 110" stays)
_ELIDABLE = re.compile(r"\b(al|dal|del|nel|sul) (8\d*|11)(?!\d)", re.IGNORECASE)


def elide_before_numbers(text: str) -> str:
    """«dal 11 marzo al 8 aprile» → «dall'11 marzo all'8 aprile» (Italian only)."""
    return _ELIDABLE.sub(lambda found: f"{found[1]}l'{found[2]}", text)


class Verbatim(Text):
    """Text we did not write (a library's error, a value from a file): one wording for all."""

    __slots__ = ()

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        return self.msgid


def _(msgid: str, /, **values: object) -> Text:
    """Mark an Italian message for translation (the keyword `make messages` extracts)."""
    return Text(msgid, **values)


def as_text(message: object) -> Text:
    """A `Text` for anything shown to people: a `Text`, an exception carrying one, or a string."""
    if isinstance(message, Text):
        return message
    if isinstance(message, BaseException) and message.args and isinstance(message.args[0], Text):
        return message.args[0]
    return Verbatim(str(message))


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The catalog for `language`, compiled in memory from its .po file (no build step)."""
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return NullTranslations()
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
