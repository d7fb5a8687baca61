"""JSON API, version 1. Same validation and matching as the pages; OpenAPI at /api/schema."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Response

from service.queries import published_service
from service.web.context import AppContext
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
        birth_year: Annotated[int, QueryParameter(description="Child's birth year")],
        birth_month: Annotated[int, QueryParameter(description="Child's birth month, 1–12")],
        place: Annotated[str | None, QueryParameter(description="Comune or address")] = None,
        lat: Annotated[
            float | None, QueryParameter(description="Latitude instead of place")
        ] = None,
        lon: Annotated[
            float | None, QueryParameter(description="Longitude instead of place")
        ] = None,
        radius_km: Annotated[
            float | None, QueryParameter(description="Maximum distance, km")
        ] = None,
        days: Annotated[
            list[int] | None, QueryParameter(description="ISO weekdays (1 = Mon)")
        ] = None,
        from_: Annotated[str | None, QueryParameter(name="from", description="HH:MM")] = None,
        to: Annotated[str | None, QueryParameter(description="HH:MM")] = None,
        start: Annotated[date | None, QueryParameter(description="When care starts")] = None,
        kind: Annotated[list[str] | None, QueryParameter(description="Service kinds")] = None,
        partial: Annotated[bool, QueryParameter(description="Also partial coverage")] = False,
    ) -> Response[dict[str, Any]]:
        form = SearchForm.from_params(request.query_params.dict())
        parsed, matches, errors = context.search(form)
        if errors:
            return Response(
                {
                    "detail": "; ".join(f"{error.field}: {error.message}" for error in errors),
                    "errors": [
                        {"field": error.field, "message": error.message} for error in errors
                    ],
                },
                status_code=400,
            )
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
                "count": len(matches),
                "results": [match_json(match) for match in matches],
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
