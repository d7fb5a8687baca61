"""Rate limits on what costs us most or invites abuse: searches, correction requests,
babysitters' applications and sign-in attempts (with password resets and invitations).

A route opts in with `opt={"rate_limit": SEARCH}` (or `CORRECTIONS`…); the limits come from
Settings: the public forms that store something (corrections, applications) share the
hourly `correction_rate_limit`, each with its own count. Litestar's RateLimitMiddleware
counts per client address in its own store and answers 429 with a Retry-After when the
limit is passed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig

from core.settings import Settings

SEARCH = "search"
CORRECTIONS = "corrections"
APPLICATIONS = "applications"
LOGIN = "login"
OPT_KEY = "rate_limit"


def _limited(kind: str, methods: frozenset[str]) -> Callable[[Request[Any, Any, Any]], bool]:
    def check(request: Request[Any, Any, Any]) -> bool:
        return request.route_handler.opt.get(OPT_KEY) == kind and request.method in methods

    return check


def rate_limit_middleware(settings: Settings) -> list[DefineMiddleware]:
    return [
        RateLimitConfig(
            rate_limit=("minute", settings.search_rate_limit),
            check_throttle_handler=_limited(SEARCH, frozenset({"GET", "POST"})),
            store="rate_limit_search",
        ).middleware,
        RateLimitConfig(
            rate_limit=("hour", settings.correction_rate_limit),
            check_throttle_handler=_limited(CORRECTIONS, frozenset({"POST"})),
            store="rate_limit_corrections",
        ).middleware,
        RateLimitConfig(
            rate_limit=("hour", settings.correction_rate_limit),
            check_throttle_handler=_limited(APPLICATIONS, frozenset({"POST"})),
            store="rate_limit_applications",
        ).middleware,
        RateLimitConfig(
            rate_limit=("minute", settings.login_rate_limit),
            check_throttle_handler=_limited(LOGIN, frozenset({"POST"})),
            store="rate_limit_login",
        ).middleware,
    ]
