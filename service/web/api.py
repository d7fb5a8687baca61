"""JSON API, version 1. Same validation and matching as the pages; OpenAPI at /api/schema."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Response

from service.queries import published_service
from service.web.context import AppContext
from service.web.language import current_language
from service.web.presenters import match_json, service_json
from service.web.search_form import SearchForm


class ServicesApi(Controller):
    path = "/api/v1/services"
    tags = ("services",)

    @get("/", sync_to_thread=True, summary="Search services for a child, a place and hours")
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
        place: Annotated[
            str | None,
            QueryParameter(description="Comune, ISTAT code or address (or give lat and lon)"),
        ] = None,
        lat: Annotated[
            str | None, QueryParameter(description="Latitude (WGS84) instead of place")
        ] = None,
        lon: Annotated[
            str | None, QueryParameter(description="Longitude (WGS84) instead of place")
        ] = None,
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
                "place": {
                    "label": parsed.place.label,
                    "latitude": parsed.place.latitude,
                    "longitude": parsed.place.longitude,
                    "precision": parsed.place.precision.value,
                },
                "start_date": parsed.need.start_date.isoformat(),
                "count": len(outcome.matches),
                "results": [match_json(match) for match in outcome.matches],
            }
        )

    @get("/{service_id:int}", sync_to_thread=True, summary="One published service")
    def detail(
        self, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> dict[str, Any]:
        with context.session() as session:
            service = published_service(session, service_id)
            if service is None:
                raise NotFoundException(f"No published service with id {service_id}")
            return service_json(service)
