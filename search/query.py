"""Ask Meilisearch for the candidates of a need; matching.rank decides and orders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from meilisearch import Client

from search.documents import date_number
from search.index_settings import SERVICES_INDEX_SETTINGS
from search.matching import Match, age_in_months, rank
from search.need import CareNeed

CANDIDATE_PAGE = 1000
#: Meilisearch never returns more hits than this for one query
MAX_CANDIDATES: int = SERVICES_INDEX_SETTINGS["pagination"]["maxTotalHits"]


def candidate_filter(need: CareNeed) -> list[str]:
    """Meilisearch filter expressions (joined with AND) that only drop sure non-matches."""
    months = age_in_months(need.birth_year, need.birth_month, need.start_date)
    first_day = date_number(need.start_date)
    last_day = date_number(need.start_date + timedelta(days=6))
    kinds = ", ".join(f'"{kind.value}"' for kind in need.kinds)
    expressions = [
        'status = "published"',
        f"kind IN [{kinds}]",
        f"(age_min_months IS NULL OR age_min_months <= {months})",
        f"(age_max_months IS NULL OR age_max_months >= {months})",
        # Meilisearch measures on a sphere, rank() on the ellipsoid: a 1% margin keeps
        # every candidate the exact distance would accept
        f"_geoRadius({need.latitude}, {need.longitude}, {round(need.radius_km * 1010)})",
        f"valid_to >= {first_day}",
        f"valid_from <= {last_day}",
    ]
    if need.has_hours:
        expressions.append("hours_known = true")
        days = sorted(need.weekdays)
        if need.include_partial:
            expressions.append(f"open_weekdays IN [{', '.join(map(str, days))}]")
        else:
            expressions.extend(f"open_weekdays = {day}" for day in days)
    return expressions


def fetch_candidates(client: Client, index_uid: str, need: CareNeed) -> list[dict[str, Any]]:
    """Every candidate within the radius, nearest first, a page at a time."""
    index = client.index(index_uid)
    candidates: list[dict[str, Any]] = []
    while True:
        page = index.search(
            "",
            {
                "filter": candidate_filter(need),
                "sort": [f"_geoPoint({need.latitude}, {need.longitude}):asc"],
                "limit": CANDIDATE_PAGE,
                "offset": len(candidates),
            },
        )["hits"]
        candidates.extend(page)
        if len(page) < CANDIDATE_PAGE or len(candidates) >= MAX_CANDIDATES:
            return candidates


def find_services(client: Client, index_uid: str, need: CareNeed) -> list[Match]:
    return rank(fetch_candidates(client, index_uid, need), need)
