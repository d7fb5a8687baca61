"""JSON API, version 1. Same validation and matching as the pages; OpenAPI at /api/schema.

Errors have one shape: {"detail": "...", "errors": [{"field": ..., "message": ...}]}, with
the messages in Italian, or in English with `lang=en`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Response

from core.i18n import LANGUAGES, SOURCE_LANGUAGE, _
from core.places.geocoder import Geocoder, Place
from search.sportelli import nearest_sportelli
from service.corrections.requests import (
    CorrectionRequestInvalid,
    FieldProblem,
    UnknownService,
    record_correction_request,
)
from service.queries import comuni_matching, published_service
from service.web.babysitter_card import babysitter_json, publicly_visible
from service.web.context import AppContext
from service.web.language import current_language
from service.web.presenters import match_json, service_json
from service.web.rate_limit import CORRECTIONS, OPT_KEY, SEARCH
from service.web.search_form import SearchForm
from service.web.sportelli_request import SportelliRequest, parse_sportelli_request

COMUNE_QUERY_LENGTH = (2, 60)
# Query parameters both searches declare for the OpenAPI document (values are read and
# checked by the request parsers, the same as the pages).
PlaceParameter = Annotated[
    str | None, QueryParameter(description="Comune, ISTAT code or address (or give lat and lon)")
]
LatitudeParameter = Annotated[
    str | None, QueryParameter(description="Latitude (WGS84) instead of place")
]
LongitudeParameter = Annotated[
    str | None, QueryParameter(description="Longitude (WGS84) instead of place")
]


def place_json(place: Place) -> dict[str, Any]:
    return {
        "label": place.label,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "precision": place.precision.value,
    }


@dataclass
class CorrectionRequestBody:
    """A "report a mistake" request: topic (orari, eta, costi, contatti, indirizzo, posti,
    altro), message (10–2000 characters), reporter_email (optional, only to reply),
    language (it or en: the page's language, to reply in it)."""

    topic: str = ""
    message: str = ""
    reporter_email: str | None = None
    language: str = SOURCE_LANGUAGE


def problems_response(
    problems: list[FieldProblem] | tuple[FieldProblem, ...], language: str, status_code: int
) -> Response[dict[str, Any]]:
    errors = [problem.as_json(language) for problem in problems]
    return Response(
        {
            "detail": "; ".join(f"{item['field']}: {item['message']}" for item in errors),
            "errors": errors,
        },
        status_code=status_code,
    )


class ServicesApi(Controller):
    """/api/v1: services, and what the public pages ask for (comuni, sportelli)."""

    path = "/api/v1"

    @get(
        "/services",
        sync_to_thread=True,
        tags=["services"],
        summary="Search services for a child, a place and hours",
        opt={OPT_KEY: SEARCH},
    )
    def search(
        self,
        request: Request,
        context: NamedDependency[AppContext],
        # Declared for the OpenAPI document; values are read and checked by SearchForm, the
        # same as the page, so every error comes back in the same words.
        birth_year: Annotated[
            str | None, QueryParameter(description="Child's birth year (required)")
        ] = None,
        birth_month: Annotated[
            str | None, QueryParameter(description="Child's birth month, 1–12 (required)")
        ] = None,
        place: PlaceParameter = None,
        lat: LatitudeParameter = None,
        lon: LongitudeParameter = None,
        radius_km: Annotated[
            str | None, QueryParameter(description="Maximum distance in km, 0.5–50 (default 5)")
        ] = None,
        days: Annotated[
            list[str] | None,
            QueryParameter(description="ISO weekdays needed, repeatable: 1 = Monday … 7 = Sunday"),
        ] = None,
        from_: Annotated[
            str | None, QueryParameter(description="From HH:MM on the chosen days", name="from")
        ] = None,
        to: Annotated[str | None, QueryParameter(description="To HH:MM on the chosen days")] = None,
        start: Annotated[
            str | None, QueryParameter(description="Date care starts, YYYY-MM-DD (default today)")
        ] = None,
        kind: Annotated[
            list[str] | None,
            QueryParameter(description="Service kinds, repeatable (default: all care services)"),
        ] = None,
        partial: Annotated[
            str | None,
            QueryParameter(description="1 to include services that cover only part of the hours"),
        ] = None,
        sort: Annotated[
            str | None,
            QueryParameter(description="fit (default: best fit first), distance or cost"),
        ] = None,
    ) -> Response[dict[str, Any]]:
        form = SearchForm.from_params(request.query_params.dict())
        outcome = context.search(form)
        language = current_language()
        if outcome.errors:
            errors = [
                {"field": error.field, "message": error.text(language)} for error in outcome.errors
            ]
            return Response(
                {
                    "detail": "; ".join(f"{item['field']}: {item['message']}" for item in errors),
                    "errors": errors,
                },
                status_code=400,
            )
        parsed = outcome.parsed
        assert parsed is not None
        return Response(
            {
                "place": place_json(parsed.place),
                "start_date": parsed.need.start_date.isoformat(),
                "count": len(outcome.matches),
                "results": [match_json(match) for match in outcome.matches],
            }
        )

    @get(
        "/services/{service_id:int}",
        sync_to_thread=True,
        tags=["services"],
        summary="One published service",
    )
    def detail(
        self, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> dict[str, Any]:
        with context.session() as session:
            service = published_service(session, service_id)
            if service is None or not publicly_visible(session, service, context):
                raise NotFoundException(f"No published service with id {service_id}")
            return service_json(service, babysitter_json(context, session, service))

    @post(
        "/services/{service_id:int}/corrections",
        sync_to_thread=True,
        tags=["services"],
        summary="Report a mistake in a published service, for an operator to check",
        opt={OPT_KEY: CORRECTIONS},
    )
    def report_mistake(
        self,
        service_id: FromPath[int],
        data: JSONBody[CorrectionRequestBody],
        context: NamedDependency[AppContext],
    ) -> Response[dict[str, Any]]:
        language = data.language if data.language in LANGUAGES else current_language()
        try:
            with context.session() as session:
                recorded = record_correction_request(
                    session,
                    service_id,
                    data.topic,
                    data.message,
                    data.reporter_email,
                    data.language,
                )
        except UnknownService as error:
            return problems_response(error.problems, language, 404)
        except CorrectionRequestInvalid as error:
            return problems_response(error.problems, language, 422)
        # the e-mail is not echoed: nothing personal goes back over the wire
        return Response(
            {
                "id": recorded.id,
                "service_id": recorded.service_id,
                "topic": recorded.topic,
                "status": recorded.status,
                "created_at": recorded.created_at.isoformat(),
            },
            status_code=201,
        )

    @get("/comuni", sync_to_thread=True, tags=["places"], summary="Comuni for autocomplete")
    def comuni(
        self,
        request: Request,
        context: NamedDependency[AppContext],
        q: Annotated[
            str | None,
            QueryParameter(
                description="The start of a comune's name, 2–60 characters (accents and "
                "apostrophes ignored)"
            ),
        ] = None,
        lang: Annotated[str | None, QueryParameter(description="it (default) or en")] = None,
    ) -> Response[Any]:
        text = (q or "").strip()
        low, high = COMUNE_QUERY_LENGTH
        if not low <= len(text) <= high:
            problem = FieldProblem(
                "q",
                _("scrivi da {low} a {high} caratteri del nome del comune", low=low, high=high),
            )
            return problems_response([problem], current_language(), 400)
        with context.session() as session:
            found = comuni_matching(session, text)
            return Response(
                [
                    {
                        "name": comune.name,
                        "province": comune.province,
                        "istat_code": comune.istat_code,
                    }
                    for comune in found
                ]
            )

    @get(
        "/sportelli",
        sync_to_thread=True,
        tags=["sportelli"],
        summary="The Sportelli Famiglia-Lavoro nearest a place",
        opt={OPT_KEY: SEARCH},
    )
    def sportelli(
        self,
        request: Request,
        context: NamedDependency[AppContext],
        place: PlaceParameter = None,
        lat: LatitudeParameter = None,
        lon: LongitudeParameter = None,
        radius_km: Annotated[
            str | None, QueryParameter(description="Maximum distance in km, 1–100 (default 30)")
        ] = None,
        limit: Annotated[
            str | None, QueryParameter(description="How many, 1–20 (default 5)")
        ] = None,
        lang: Annotated[str | None, QueryParameter(description="it (default) or en")] = None,
    ) -> Response[dict[str, Any]]:
        asked = SportelliRequest.from_params(request.query_params.dict())
        with context.session() as session:
            parsed = parse_sportelli_request(asked, Geocoder(context.settings, session))
        if isinstance(parsed, list):
            return problems_response(parsed, current_language(), 400)
        found = nearest_sportelli(
            context.meili,
            context.settings.services_index,
            parsed.place.latitude,
            parsed.place.longitude,
            limit=parsed.limit,
            radius_km=parsed.radius_km,
        )
        return Response(
            {
                "place": place_json(parsed.place),
                "radius_km": parsed.radius_km,
                "count": len(found),
                "results": found,
            }
        )
