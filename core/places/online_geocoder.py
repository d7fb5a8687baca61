"""Addresses to points through an online geocoder (geopy: Nominatim by default), politely
rate-limited and cached in the database, so the same address is never asked twice and an
import can be re-run offline. Used only when CONCILIAMO_GEOCODER=nominatim; the gazetteer
stays the fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from geopy.extra.rate_limiter import RateLimiter
from sqlmodel import Session

from core.models import GeocodeCache
from core.places.names import place_key

#: Nominatim's usage policy: at most one request a second
MIN_DELAY_SECONDS = 1.0


class GeopyGeocoder(Protocol):
    def geocode(self, query: str, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class FoundPoint:
    latitude: float
    longitude: float
    label: str


class CachedGeocoder:
    def __init__(
        self,
        session: Session,
        geocoder: GeopyGeocoder,
        provider: str = "nominatim",
        min_delay_seconds: float = MIN_DELAY_SECONDS,
    ) -> None:
        self._session = session
        self.provider = provider
        self._geocode = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=2,
            error_wait_seconds=2.0,
            swallow_exceptions=True,
            return_value_on_exception=None,
        )

    def point(self, address: str, comune: str, cap: str | None = None) -> FoundPoint | None:
        query = ", ".join(
            part for part in (address, f"{cap or ''} {comune}".strip(), "Italia") if part
        )
        key = f"{self.provider}:{place_key(query)}"[:300]
        cached = self._session.get(GeocodeCache, key)
        if cached is None:
            found = self._geocode(query, exactly_one=True, country_codes="it")
            cached = GeocodeCache(
                query=key,
                provider=self.provider,
                found=found is not None,
                latitude=found.latitude if found else None,
                longitude=found.longitude if found else None,
                label=str(found.address)[:300] if found else None,
            )
            self._session.add(cached)
        if not cached.found or cached.latitude is None or cached.longitude is None:
            return None
        return FoundPoint(cached.latitude, cached.longitude, cached.label or query)
