"""Liveness for orchestrators: the database answers and Meilisearch is healthy."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.web.context import AppContext


@get("/healthz", sync_to_thread=True, include_in_schema=False)
def healthz(context: NamedDependency[AppContext]) -> Response[dict[str, Any]]:
    checks: dict[str, str] = {}
    try:
        with context.engine.connect() as connection:
            connection.execute(text("select 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        checks["database"] = f"error: {type(error).__name__}"
    checks["search"] = "ok" if context.meili.is_healthy() else "error: unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return Response(checks, status_code=200 if healthy else 503)
