"""Look-ups on the gazetteer tables: comuni by name (homonyms told apart by province) or code,
CAP zones, and close names for "did you mean". Results are memoised for one session's life."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from core.i18n import Text, _
from core.models import Comune, PostalCode, SchoolSite
from core.places.names import place_key
from core.places.online_geocoder import CachedGeocoder

T = TypeVar("T")


class Gazetteer:
    def __init__(self, session: Session, online: CachedGeocoder | None = None) -> None:
        self._session = session
        #: an online geocoder for addresses, when configured (else the gazetteer alone)
        self.online = online
        self._by_key: dict[str, list[Comune]] = {}
        self._names: dict[str, str] | None = None
        self._empty: bool | None = None
        self._answers: dict[tuple[str, ...], Any] = {}

    def find(self, name_or_code: str, province: str | None = None) -> Comune | None:
        """A comune by ISTAT code or name. Homonyms (Castro BG and Castro LE) are told apart
        by the province's sigla; without one, the most populous is taken."""
        text = name_or_code.strip()
        if re.fullmatch(r"\d{6}", text):
            return self._memo(("istat", text), lambda: self._session.get(Comune, text))
        candidates = self._candidates(place_key(text))
        if province:
            candidates = [c for c in candidates if c.province == province.upper()]
        if not candidates:
            return None
        return max(candidates, key=lambda comune: comune.population or 0)

    def find_cadastral(self, code: str) -> Comune | None:
        """By cadastral (Belfiore) code, e.g. «B201», as the MIUR register gives comuni."""
        statement = select(Comune).where(Comune.cadastral_code == code.strip().upper())
        return self._memo(("cadastral", code), lambda: self._session.exec(statement).first())

    def school_site(self, code: str) -> SchoolSite | None:
        """A school building of the MIUR register, by school code."""
        return self._memo(
            ("school", code), lambda: self._session.get(SchoolSite, code.strip().upper())
        )

    def _memo(self, key: tuple[str, ...], load: Callable[[], T]) -> T:
        """Answers are kept for the whole import: an importer empties its session after
        every batch, and a look-up would otherwise go back to the database each time."""
        if key not in self._answers:
            self._answers[key] = load()
        return self._answers[key]  # type: ignore[no-any-return]

    def _candidates(self, key: str) -> list[Comune]:
        if not key:
            return []
        if key not in self._by_key:
            statement = select(Comune).where(Comune.name_key == key)
            self._by_key[key] = list(self._session.exec(statement))
        return self._by_key[key]

    def postal_zone(self, cap: str, istat_code: str) -> PostalCode | None:
        """The CAP zone of that comune, only when it has its own point."""
        zone = self._memo(
            ("cap", cap, istat_code), lambda: self._session.get(PostalCode, (cap, istat_code))
        )
        return zone if zone is not None and zone.latitude is not None else None

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        if self._names is None:
            rows = self._session.exec(select(Comune.name_key, Comune.name))
            self._names = dict(rows.all())
        close = difflib.get_close_matches(place_key(text), list(self._names), n=limit, cutoff=0.6)
        return [self._names[key] for key in close]

    def is_empty(self) -> bool:
        if self._empty is None:
            statement = select(col(Comune.istat_code)).limit(1)
            self._empty = self._session.exec(statement).first() is None
        return self._empty


def alternatives(names: Sequence[str]) -> Text | str:
    """«Milano o Melzo», for a "did you mean": the names joined by «o», or «or» in English."""
    joined: Text | str = names[0]
    for name in names[1:]:
        joined = _("{names} o {name}", names=joined, name=name)
    return joined
