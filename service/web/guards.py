"""Who may use a route, decided in one place: every route behind a sign-in names its guards
here (`requires(...)`), and listing routes also `owns_listing`. A guard that refuses raises
401 (not signed in) or 403 (signed in, not allowed); nothing of the handler runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from core.kinds import UserRole
from core.models import User
from service.accounts.permissions import may_edit_service
from service.web.context import AppContext
from service.web.session import session_user

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]
#: route handlers' opt key telling the authorization test which roles a route admits
ROLES_KEY = "roles"
EVERYONE = (UserRole.ADMIN, UserRole.OPERATOR, UserRole.PROVIDER)
STAFF = (UserRole.ADMIN, UserRole.OPERATOR)


def app_context(connection: ASGIConnection[Any, Any, Any, Any]) -> AppContext:
    context: AppContext = connection.app.state["context"]
    return context


def signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> User:
    with app_context(connection).session() as session:
        user = session_user(connection, session)  # type: ignore[arg-type]
    if user is None:
        raise NotAuthorizedException("sign in first")
    return user


def requires(*roles: UserRole) -> Guard:
    """Only these roles (signed in)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = signed_in(connection)
        if UserRole(user.role) not in roles:
            raise PermissionDeniedException("your role may not use this page")

    guard.__name__ = f"requires_{'_'.join(role.value for role in roles)}"
    return guard


def owns_listing(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The listing of the path's `service_id` is one the signed-in account may edit."""
    user = signed_in(connection)
    service_id = connection.path_params.get("service_id")
    with app_context(connection).session() as session:
        if not isinstance(service_id, int) or not may_edit_service(session, user, service_id):
            raise PermissionDeniedException("not one of your listings")


def access(*roles: UserRole, own_listing: bool = False) -> dict[str, Any]:
    """A route's `guards` and the `opt` naming its roles, made together so they cannot
    disagree: `@get("/x", **access(*STAFF))`."""
    guards: list[Guard] = [requires(*roles)]
    if own_listing:
        guards.append(owns_listing)
    return {"guards": guards, "opt": {ROLES_KEY: roles}}


#: the ways the reserved area's routes are opened
SIGNED_IN = access(*EVERYONE)
OWN_LISTING = access(*EVERYONE, own_listing=True)
STAFF_ONLY = access(*STAFF)
ADMIN_ONLY = access(UserRole.ADMIN)
