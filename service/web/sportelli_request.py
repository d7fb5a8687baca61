"""Read a "nearest Sportelli Famiglia-Lavoro" request from query parameters: a place (comune,
ISTAT code or address) or a point, a radius and how many. Nothing here trusts its input;
messages are the search form's, naming the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.i18n import Text, _, as_text
from core.places.geocoder import Geocoder, Place
from search.sportelli import DEFAULT_LIMIT, DEFAULT_RADIUS_KM
from service.corrections.requests import FieldProblem
from service.web.field_errors import FieldError
from service.web.field_values import number_in_range
from service.web.search_form import MAX_FIELD_LENGTH
from service.web.search_parse import parse_place

RADIUS_KM = (1.0, 100.0)
LIMIT = (1, 20)


@dataclass(frozen=True)
class SportelliRequest:
    """The values as typed."""

    place: str = ""
    lat: str = ""
    lon: str = ""
    radius_km: str = ""
    limit: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SportelliRequest:
        def one(name: str) -> str:
            values = params.get(name) or [""]
            return str(values[0]).strip()[:MAX_FIELD_LENGTH]

        return cls(one("place"), one("lat"), one("lon"), one("radius_km"), one("limit"))


@dataclass(frozen=True)
class ParsedSportelliRequest:
    place: Place
    radius_km: float
    limit: int


def parse_sportelli_request(
    asked: SportelliRequest, geocoder: Geocoder
) -> ParsedSportelliRequest | list[FieldProblem]:
    """The same checks and messages as the search form (service/web/search_parse.py)."""
    errors: list[FieldError] = []

    def fail(name: str, message: Text) -> None:
        errors.append(FieldError(name, message))

    radius = number_in_range(asked.radius_km, "radius_km", *RADIUS_KM, fail)
    limit = number_in_range(asked.limit, "limit", *LIMIT, fail)
    if limit is not None and not limit.is_integer():
        fail("limit", _("«{text}» non è un numero", text=asked.limit))
    place = parse_place(asked.place, asked.lat, asked.lon, geocoder)
    if isinstance(place, list):
        errors += place
    if errors or isinstance(place, list):
        return [FieldProblem(error.field, as_text(error.message)) for error in errors]
    return ParsedSportelliRequest(
        place,
        radius if radius is not None else DEFAULT_RADIUS_KM,
        int(limit) if limit is not None else DEFAULT_LIMIT,
    )
