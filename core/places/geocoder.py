"""Turn a place a person typed (comune, address) into coordinates.

Offline by default: the gazetteer table (comune centroids, precision `comune`). With
GEOCODER=nominatim, geopy's Nominatim is asked first and the gazetteer is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim
from sqlmodel import Session

from core.i18n import _
from core.kinds import GeocodePrecision
from core.models import Comune
from core.places.gazetteer import Gazetteer, alternatives
from core.settings import Settings


class PlaceNotFound(LookupError):
    """The place is not known; `suggestions` lists similar comune names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        if suggestions:
            message = _(
                "luogo sconosciuto «{place}»: forse {suggestions}?",
                place=text,
                suggestions=alternatives(suggestions),
            )
        else:
            message = _("luogo sconosciuto «{place}»", place=text)
        super().__init__(message)


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    precision: GeocodePrecision
    comune: str | None = None
    istat_code: str | None = None


class Geocoder:
    def __init__(self, settings: Settings, session: Session) -> None:
        self._gazetteer = Gazetteer(session)
        self._nominatim = (
            Nominatim(user_agent=settings.geocoder_user_agent, domain=settings.nominatim_url)
            if settings.geocoder == "nominatim"
            else None
        )

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer

    def resolve(self, text: str) -> Place:
        """A comune name, an ISTAT code, or an address ending with the comune."""
        comune = self._gazetteer.find(text)
        if comune is not None:
            return _comune_place(comune)
        if self._nominatim is not None:
            place = self._ask_nominatim(text)
            if place is not None:
                return place
        for part in reversed([part for part in text.split(",") if part.strip()][1:]):
            comune = self._gazetteer.find(re.sub(r"^\d{5}\s+", "", part.strip()))
            if comune is not None:
                return _comune_place(comune)
        raise PlaceNotFound(text, self._gazetteer.suggestions(text.split(",")[-1]))

    def _ask_nominatim(self, text: str) -> Place | None:
        assert self._nominatim is not None
        try:
            found = self._nominatim.geocode(text, country_codes="it", timeout=5)
        except GeopyError:
            return None
        if found is None:
            return None
        return Place(
            label=found.address,
            latitude=found.latitude,
            longitude=found.longitude,
            precision=GeocodePrecision.ADDRESS,
        )


def _comune_place(comune: Comune) -> Place:
    return Place(
        label=comune.name,
        latitude=comune.latitude,
        longitude=comune.longitude,
        precision=GeocodePrecision.COMUNE,
        comune=comune.name,
        istat_code=comune.istat_code,
    )
