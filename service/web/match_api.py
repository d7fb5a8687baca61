"""`POST /api/v1/match`: a family's need in, ranked explained matches and two-service plans
out. Validation errors are 422 with one entry per field."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body
from litestar.response import Response

from core.places.geocoder import Geocoder
from search.matching.age import age_in_months
from search.matching.explain import clock, explanation, explanation_data, plan_explanation
from search.matching.need import CareNeed
from search.matching.plans import Plan
from search.matching.ranking import Match
from search.query import find_services
from service.web.context import AppContext
from service.web.need_request import NeedRequest, to_need
from service.web.presenters import babysitter_result_fields, cost_label
from service.web.rate_limit import OPT_KEY, SEARCH

TODDLER_EXAMPLE = {
    "children": [{"birth_year": 2025, "birth_month": 6}],
    "home": {"comune": "Sesto San Giovanni"},
    "work": {"latitude": 45.4842, "longitude": 9.2044},
    "start_date": "2027-01-11",
    "hours": [{"days": [1, 2, 3, 4, 5], "from": "08:00", "to": "18:00"}],
    "kinds": ["nido", "micronido", "babysitter", "post_scuola"],
}
SUMMER_EXAMPLE = {
    "children": [{"birth_year": 2020, "birth_month": 3}, {"birth_year": 2022, "birth_month": 7}],
    "home": {"address": "Via Leopardi 10, Sesto San Giovanni"},
    "summer_weeks": ["2027-07-05", "2027-07-12", "2027-07-19"],
    "hours": [{"days": [1, 2, 3, 4, 5], "from": "08:00", "to": "16:30"}],
    "max_distance_km": 8,
    "language": "en",
}


def match_json(match: Match, language: str) -> dict[str, Any]:
    document = match.document
    return {
        "id": document["id"],
        "name": document["name"],
        "kind": document["kind"],
        "kind_label": document.get("kind_label"),
        "sector": document.get("sector"),
        "address": document.get("address"),
        "comune": document.get("comune"),
        "latitude": document["_geo"]["lat"],
        "longitude": document["_geo"]["lng"],
        "full_coverage": match.is_full,
        "children": list(match.accepted_children),
        "cost": cost_label(document.get("cost_cents"), document.get("cost_period")),
        "monthly_cost_eur": None
        if match.monthly_cost_cents is None
        else round(match.monthly_cost_cents / 100, 2),
        "explanation": explanation(match).render(language),
        "details": explanation_data(match),
        "url": f"/servizi/{document['id']}",
        "api_url": f"/api/v1/services/{document['id']}",
        **babysitter_result_fields(document),
    }


def plan_json(plan: Plan, need: CareNeed, language: str) -> dict[str, Any]:
    return {
        "services": [plan.first.id, plan.second.id],
        "names": [plan.first.document["name"], plan.second.document["name"]],
        "ratio": round(plan.ratio, 4),
        "full_coverage": plan.ratio >= 1.0,
        "travel_km": round(plan.travel_km, 3),
        "remaining_minutes": plan.remaining_minutes,
        "second_adds": {
            str(day): [{"from": clock(r.start), "to": clock(r.end)} for r in ranges]
            for day, ranges in sorted(plan.added_by_second().items())
        },
        "explanation": plan_explanation(plan, need).render(language),
    }


class MatchApi(Controller):
    path = "/api/v1/match"
    tags = ("matching",)

    @post(
        "/",
        sync_to_thread=True,
        status_code=200,
        opt={OPT_KEY: SEARCH},
        summary="Match a family's need: ranked, explained services and two-service plans",
        description="Age is counted at the start date from birth year and month; distance from "
        "the nearest of home and work; coverage over the period asked (summer weeks, or start "
        "to end date, or the first week). Full coverage first, then the score documented in "
        "search/matching/ranking.py. Invalid input: 422 with one error per field.",
        responses=None,
    )
    def match(
        self,
        context: NamedDependency[AppContext],
        data: Annotated[
            NeedRequest,
            Body(
                title="Family need",
                examples=[
                    Example(summary="A toddler, full-time, home and work", value=TODDLER_EXAMPLE),
                    Example(summary="Two children, three summer weeks", value=SUMMER_EXAMPLE),
                ],
            ),
        ],
    ) -> Response[dict[str, Any]]:
        with context.session() as session:
            need = to_need(data, Geocoder(context.settings, session), context.today())
        if isinstance(need, list):
            errors = [
                {"field": error.field, "message": error.text(data.language)} for error in need
            ]
            detail = "; ".join(f"{item['field']}: {item['message']}" for item in errors)
            return Response({"detail": detail, "errors": errors}, status_code=422)
        found = find_services(context.meili, context.settings.services_index, need)
        language = data.language
        return Response(
            {
                "need": {
                    "start_date": need.start_date.isoformat(),
                    "children": [
                        {
                            "birth_year": child.birth_year,
                            "birth_month": child.birth_month,
                            "months_at_start": age_in_months(child, need.start_date),
                        }
                        for child in need.children
                    ],
                    "period": [day.isoformat() for day in need.period()],
                    "places": [
                        {
                            "role": place.role.value,
                            "label": place.label,
                            "latitude": place.latitude,
                            "longitude": place.longitude,
                        }
                        for place in need.places
                    ],
                },
                "count": len(found.matches),
                "matches": [match_json(m, language) for m in found.matches[: data.limit]],
                "plans": [plan_json(plan, need, language) for plan in found.plans],
            }
        )
