"""Health for orchestrators and people: `/healthz` (liveness: the database answers and
Meilisearch is healthy) and `/health` (the same, plus how far the index lags behind)."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from search.outbox_delivery import outbox_lag
from service.web.context import AppContext


def _checks(context: AppContext) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        with context.engine.connect() as connection:
            connection.execute(text("select 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        checks["database"] = f"error: {type(error).__name__}"
    checks["search"] = "ok" if context.meili.is_healthy() else "error: unavailable"
    return checks


@get("/healthz", sync_to_thread=True, include_in_schema=False)
def healthz(context: NamedDependency[AppContext]) -> Response[dict[str, Any]]:
    checks = _checks(context)
    healthy = all(value == "ok" for value in checks.values())
    return Response(checks, status_code=200 if healthy else 503)


@get("/health", sync_to_thread=True, tags=["health"], summary="Database, search and outbox lag")
def health(context: NamedDependency[AppContext]) -> Response[dict[str, Any]]:
    """503 when the database or Meilisearch is down; `outbox` tells how many listing changes
    wait for the index and how old the oldest is (it grows while Meilisearch is down)."""
    checks: dict[str, Any] = dict(_checks(context))
    healthy = all(value == "ok" for value in checks.values())
    if checks["database"] == "ok":
        lag = outbox_lag(context.engine)
        checks["outbox"] = {"pending": lag.pending, "oldest_seconds": round(lag.oldest_seconds, 1)}
    checks["status"] = "ok" if healthy else "unavailable"
    return Response(checks, status_code=200 if healthy else 503)
