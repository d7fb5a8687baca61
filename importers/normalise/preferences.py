"""Cells about who a service suits beyond age: languages spoken, disability support, and the
comuni a babysitter works in. Pure functions; errors are `CellError`s naming the value."""

from __future__ import annotations

import re
import unicodedata

from core.i18n import _
from importers.normalise.values import CellError, text_or_none

#: Italian and English names (and ISO 639-1 codes) of the languages families ask for most
LANGUAGE_CODES: dict[str, str] = {
    "italiano": "it", "italian": "it",
    "inglese": "en", "english": "en",
    "francese": "fr", "french": "fr",
    "spagnolo": "es", "spanish": "es",
    "tedesco": "de", "german": "de",
    "portoghese": "pt", "portuguese": "pt",
    "arabo": "ar", "arabic": "ar",
    "cinese": "zh", "chinese": "zh",
    "rumeno": "ro", "romeno": "ro", "romanian": "ro",
    "albanese": "sq", "albanian": "sq",
    "ucraino": "uk", "ukrainian": "uk",
    "russo": "ru", "russian": "ru",
    "filippino": "tl", "tagalog": "tl",
    "bengalese": "bn", "bengali": "bn",
    "urdu": "ur",
    "punjabi": "pa",
    "singalese": "si", "sinhala": "si",
    "polacco": "pl", "polish": "pl",
    "lingua dei segni": "lis", "lis": "lis",
}  # fmt: skip
KNOWN_CODES = frozenset(LANGUAGE_CODES.values())
YES = frozenset({"si", "sì", "s", "yes", "y", "true", "vero", "1", "x"})
NO = frozenset({"no", "n", "false", "falso", "0"})
LANGUAGES_EXAMPLE = "italiano, inglese"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def languages_or_empty(value: str | None) -> tuple[str, ...]:
    """«italiano, inglese» / «it; en» → ("en", "it"): sorted codes, no repeats."""
    cleaned = text_or_none(value)
    if cleaned is None:
        return ()
    codes: set[str] = set()
    for piece in re.split(r"\s*[,;/]\s*|\s+e\s+", cleaned):
        if not piece.strip():
            continue
        name = _plain(piece)
        code = LANGUAGE_CODES.get(name) or (name if name in KNOWN_CODES else None)
        if code is None:
            raise CellError(
                _(
                    "lingua sconosciuta «{language}»: scrivi per esempio {example}",
                    language=piece.strip(),
                    example=LANGUAGES_EXAMPLE,
                )
            )
        codes.add(code)
    return tuple(sorted(codes))


def yes_no_or_none(value: str | None) -> bool | None:
    cleaned = text_or_none(value)
    if cleaned is None:
        return None
    plain = _plain(cleaned)
    if plain in YES or cleaned.lower() in YES:
        return True
    if plain in NO:
        return False
    raise CellError(_("«{value}»: scrivi sì oppure no", value=cleaned))


def names_list(value: str | None) -> tuple[str, ...]:
    """«Sesto San Giovanni; Cinisello Balsamo» → the names, in order, without repeats. Comuni
    are separated by «;» (a comma can be part of nothing, but «;» is what the template asks)."""
    cleaned = text_or_none(value)
    if cleaned is None:
        return ()
    seen: dict[str, None] = {}
    for piece in re.split(r"\s*[;\n]\s*", cleaned):
        if piece.strip():
            seen.setdefault(piece.strip(), None)
    return tuple(seen)
