"""The Sportelli Famiglia-Lavoro nearest a point, from the search index.

The help desks are not matched like care services (no ages, no hours to cover): a family
wants the nearest ones, with their opening hours and what they offer.
"""

from __future__ import annotations

from typing import Any

from meilisearch import Client

from core.kinds import ListingStatus, ServiceKind

DEFAULT_LIMIT = 5
MAX_LIMIT = 50
DEFAULT_RADIUS_KM = 30.0
MAX_RADIUS_KM = 200.0
#: what a help desk's card shows: what it offers, where, when, how to reach it
SPORTELLO_FIELDS = [
    "id",
    "name",
    "kind",
    "kind_label",
    "organization",
    "description",
    "how_to_apply",
    "address",
    "cap",
    "comune",
    "istat_code",
    "_geo",
    "geocode_precision",
    "phone",
    "email",
    "website",
    "languages",
    "disability_support",
    "cost_period",
    "schedule",
    "last_verified_at",
]


def sportelli_query(
    index_uid: str,
    latitude: float,
    longitude: float,
    limit: int = DEFAULT_LIMIT,
    radius_km: float = DEFAULT_RADIUS_KM,
) -> dict[str, Any]:
    """The Meilisearch search (for `multi_search`) of the published help desks within
    `radius_km` of the point, nearest first."""
    if not 0 < radius_km <= MAX_RADIUS_KM:
        raise ValueError(f"radius_km must be in (0, {MAX_RADIUS_KM:g}], not {radius_km}")
    return {
        "indexUid": index_uid,
        "q": "",
        "filter": [
            f'status = "{ListingStatus.PUBLISHED.value}"',
            f'kind = "{ServiceKind.SPORTELLO.value}"',
            f"_geoRadius({latitude}, {longitude}, {round(radius_km * 1000)})",
        ],
        "sort": [f"_geoPoint({latitude}, {longitude}):asc"],
        "limit": max(1, min(limit, MAX_LIMIT)),
        "attributesToRetrieve": SPORTELLO_FIELDS,
    }


def nearest_sportelli(
    client: Client,
    index_uid: str,
    latitude: float,
    longitude: float,
    limit: int = DEFAULT_LIMIT,
    radius_km: float = DEFAULT_RADIUS_KM,
) -> list[dict[str, Any]]:
    """The published Sportelli Famiglia-Lavoro within `radius_km` of the point, nearest
    first: their index documents (`SPORTELLO_FIELDS`) with `distance_km` (as Meilisearch
    measures it, on a sphere, rounded to 10 m)."""
    query = sportelli_query(index_uid, latitude, longitude, limit, radius_km)
    hits = client.multi_search([query])["results"][0]["hits"]
    return [_with_distance(hit) for hit in hits]


def _with_distance(hit: dict[str, Any]) -> dict[str, Any]:
    document = {name: value for name, value in hit.items() if name != "_geoDistance"}
    document["distance_km"] = round(float(hit["_geoDistance"]) / 1000, 2)
    return document
