"""How place names are compared: the key under which a comune, an address or a cached
geocoder answer is looked up."""

from __future__ import annotations

import re
import unicodedata


def place_key(name: str) -> str:
    """Compare place names ignoring case, accents, apostrophes and hyphens."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()
