"""Ask Meilisearch for the candidates of a need; the matching engine decides and orders.

The filter only drops sure non-matches: the exact age rules, distances and coverage are
computed in Python (search.matching) on what comes back. Candidates are the nearest few
hundred per query, with a query for those that could cover the whole need, so a service
with full coverage is not crowded out by nearer partial ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from meilisearch import Client

from core.kinds import ServiceKind
from search.documents import date_number
from search.matching import MatchResult, match_need
from search.matching.age import age_in_months
from search.matching.need import CareNeed

#: the nearest candidates each query brings: plenty for a page of results and for plans.
#: A family is shown the best of the services near them, not every service of a big city
#: (fetching and scoring all of them made a match at 100,000 services take a second).
CANDIDATES_PER_QUERY = 150
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
    "registry_course_expires_on",
    "first_aid_expires_on",
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


def registry_filter(first_day: date) -> str:
    """Babysitters only while approved in the registry with certifications still valid on
    the first day the family needs care (`registry_ok_until`, search.documents): checked at
    query time, so an expiry passing hides her with no change to the database or index."""
    return f'(kind != "babysitter" OR registry_ok_until >= {date_number(first_day)})'


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
        registry_filter(first_day),
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


def whole_day_filter(need: CareNeed) -> list[str]:
    """Services that could cover every asked hour: open by the first asked minute and until
    the last on each asked weekday (necessary, not sufficient: gaps and dates are the
    engine's to check)."""
    return [
        f"opens_{day} <= {min(r.start for r in ranges)} AND "
        f"closes_{day} >= {max(r.end for r in ranges)}"
        for day, ranges in sorted(need.hours.items())
        if ranges
    ]


def candidate_queries(need: CareNeed, index_uid: str) -> list[dict[str, Any]]:
    """One Meilisearch multi-search: for each of the family's places, the nearest services
    that could cover the whole need and (partial coverage allowed) the nearest of all."""
    base = candidate_filter(need)
    if not need.has_hours:
        filters = [base]
    elif need.include_partial:
        filters = [base + whole_day_filter(need), base]
    else:
        filters = [base + whole_day_filter(need)]
    return [
        {
            "indexUid": index_uid,
            "q": "",
            "filter": expressions,
            "sort": [f"_geoPoint({place.latitude}, {place.longitude}):asc"],
            "limit": CANDIDATES_PER_QUERY,
            "attributesToRetrieve": CANDIDATE_FIELDS,
        }
        for place in need.places
        for expressions in filters
    ]


def fetch_candidates(client: Client, index_uid: str, need: CareNeed) -> list[dict[str, Any]]:
    """The candidates of all the need's queries, once each, in one round trip."""
    results = client.multi_search(candidate_queries(need, index_uid))["results"]
    seen: dict[int, dict[str, Any]] = {}
    for result in results:
        for hit in result["hits"]:
            seen.setdefault(int(hit["id"]), hit)
    return list(seen.values())


def find_services(client: Client, index_uid: str, need: CareNeed) -> MatchResult:
    return match_need(fetch_candidates(client, index_uid, need), need)
