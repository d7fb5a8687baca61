"""Ask Meilisearch for the candidates of a need; the matching engine decides and orders.

The filter only drops sure non-matches: the exact age rules, distances and coverage are
computed in Python (search.matching) on what comes back.
"""

from __future__ import annotations

from typing import Any

from meilisearch import Client

from search.documents import date_number
from search.index_settings import SERVICES_INDEX_SETTINGS
from search.matching import MatchResult, match_need
from search.matching.age import age_in_months
from search.matching.need import CareNeed
from service.kinds import ServiceKind

CANDIDATE_PAGE = 1000
#: Meilisearch never returns more hits than this for one query
MAX_CANDIDATES: int = SERVICES_INDEX_SETTINGS["pagination"]["maxTotalHits"]
#: what matching, explanations and result lists read: not descriptions, contacts or hashes
CANDIDATE_FIELDS = [
    "id",
    "name",
    "kind",
    "kind_label",
    "sector",
    "address",
    "comune",
    "_geo",
    "geocode_precision",
    "age_min_months",
    "age_max_months",
    "places_available",
    "cost_cents",
    "cost_period",
    "hours_known",
    "schedule",
    "languages",
    "disability_support",
    "service_area",
]
#: kinds whose age rule is not the listing's range (school year, fixed by law)
AGE_RULE_KINDS = (ServiceKind.SCUOLA_INFANZIA, ServiceKind.SEZIONE_PRIMAVERA)


def _quoted(values: Any) -> str:
    return ", ".join(f'"{value}"' for value in values)


def _age_expression(need: CareNeed) -> str:
    ages = sorted({age_in_months(child, need.start_date) for child in need.children})
    ranges = [
        f"((age_min_months IS NULL OR age_min_months <= {months}) AND "
        f"(age_max_months IS NULL OR age_max_months >= {months}))"
        for months in ages
        if months >= 0
    ]
    return " OR ".join([f"kind IN [{_quoted(AGE_RULE_KINDS)}]", *ranges])


def candidate_filter(need: CareNeed) -> list[str]:
    """Meilisearch filter expressions (joined with AND) that only drop sure non-matches."""
    first_day, last_day = need.period()
    # Meilisearch measures on a sphere, the engine on the ellipsoid: a 1% margin keeps
    # every candidate the exact distance would accept
    radius_m = round(need.radius_km * 1010)
    reach = [
        f"_geoRadius({place.latitude}, {place.longitude}, {radius_m})" for place in need.places
    ]
    comuni = sorted({place.istat_code for place in need.places if place.istat_code})
    if comuni and ServiceKind.BABYSITTER in need.kinds:
        reach.append(f'(kind = "babysitter" AND service_area IN [{_quoted(comuni)}])')
    circles = " OR ".join(reach)
    wanted = need.preferences
    expressions = [
        'status = "published"',
        f"kind IN [{_quoted(wanted.kinds)}]",
        f"({_age_expression(need)})",
        f"({circles})",
        f"valid_to >= {date_number(first_day)}",
        f"valid_from <= {date_number(last_day)}",
    ]
    if wanted.sectors:
        expressions.append(f"sector IN [{_quoted(wanted.sectors)}]")
    if wanted.places_available_only:
        expressions.append("places_available > 0")
    if wanted.disability_support:
        expressions.append("disability_support = true")
    if wanted.languages and "it" not in wanted.languages:
        expressions.append(f"languages IN [{_quoted(wanted.languages)}]")
    if need.has_hours:
        expressions.append("hours_known = true")
        days = ", ".join(map(str, need.weekdays))
        if need.include_partial:
            expressions.append(f"open_weekdays IN [{days}]")
        else:
            expressions.extend(f"open_weekdays = {day}" for day in need.weekdays)
    return expressions


def fetch_candidates(client: Client, index_uid: str, need: CareNeed) -> list[dict[str, Any]]:
    """Every candidate within the distance, nearest to the first place first, page by page."""
    index = client.index(index_uid)
    origin = need.places[0]
    candidates: list[dict[str, Any]] = []
    while True:
        page = index.search(
            "",
            {
                "filter": candidate_filter(need),
                "sort": [f"_geoPoint({origin.latitude}, {origin.longitude}):asc"],
                "limit": CANDIDATE_PAGE,
                "attributesToRetrieve": CANDIDATE_FIELDS,
                "offset": len(candidates),
            },
        )["hits"]
        candidates.extend(page)
        if len(page) < CANDIDATE_PAGE or len(candidates) >= MAX_CANDIDATES:
            return candidates


def find_services(client: Client, index_uid: str, need: CareNeed) -> MatchResult:
    return match_need(fetch_candidates(client, index_uid, need), need)
