"""Every route that changes something, taken from the app's own route table: a public one
must be on the list below (with why it is public); any other must turn away an anonymous
visitor (401), a provider of another organization, where the route is for staff only any
provider, and where it is for administrators only any operator (403), and nothing in the
database may change when it does. Pages behind a sign-in refuse the roles they do not name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from factories import (
    DemoSite,
    csrf_token,
    database_state,
    make_account,
    organization_of,
    service_id_by_code,
    sign_in,
)
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from sqlalchemy.engine import Engine

from core.kinds import UserRole
from service.web.guards import ROLES_KEY

pytestmark = pytest.mark.integration

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
#: the changes anyone may ask for, and why
PUBLIC_MUTATIONS = {
    ("POST", "/accesso"): "signing in",
    ("POST", "/esci"): "signing out ends only the caller's own session",
    ("POST", "/password-dimenticata"): "asking for a reset link (same answer for any address)",
    ("POST", "/invito/{token:str}"): "the one-time link is the credential",
    ("POST", "/reimposta/{token:str}"): "the one-time link is the credential",
    ("POST", "/servizi/{service_id:int}/segnala"): "families report mistakes (rate-limited)",
    ("POST", "/api/v1/services/{service_id:int}/corrections"): "the same, as JSON",
    ("POST", "/api/v1/match"): "a search: it changes nothing",
    ("POST", "/babysitter/candidatura"): "a babysitter applies to the registry: a pending "
    "entry no family sees until an operator approves it (rate-limited)",
}
OWNED = "DEMO-SSG-MICRO-01"  # the listing of the provider whose routes are tried
FORM = {"places_available": "0", "description": "cambiato", "email": "nuovo@example.org"}


@dataclass(frozen=True)
class Mutation:
    method: str
    path: str
    roles: tuple[UserRole, ...]


def mutating_routes(app: Litestar) -> Iterator[tuple[str, str, dict[str, object]]]:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(set(handler.http_methods) & MUTATING):
                yield method, route.path, handler.opt


def concrete(path: str, service_id: int) -> str:
    path = path.replace("{service_id:int}", str(service_id))
    path = re.sub(r"\{\w+:int\}", "1", path)  # "x" would not reach the guards (404)
    return re.sub(r"\{\w+:\w+\}", "x", path)


def test_every_mutating_route_is_public_on_purpose_or_guarded(demo_client: TestClient) -> None:
    app = demo_client.app
    found = list(mutating_routes(app))
    assert found, "no mutating route found: the route table is not what this test thinks"
    unguarded = [
        (method, path)
        for method, path, opt in found
        if (method, path) not in PUBLIC_MUTATIONS and ROLES_KEY not in opt
    ]
    assert unguarded == [], "mutating routes with neither guards nor a place on the public list"
    stale = set(PUBLIC_MUTATIONS) - {(method, path) for method, path, _ in found}
    assert stale == set(), "the public list names routes that no longer exist"


def test_guarded_changes_are_refused_and_change_nothing(
    demo_site: DemoSite, engine: Engine
) -> None:
    owned_service = service_id_by_code(engine, OWNED)
    make_account(
        engine,
        "altro@example.org",
        UserRole.PROVIDER,
        (organization_of(engine, "DEMO-CIN-NIDO-01"),),
    )
    make_account(engine, "tiglio@example.org", UserRole.PROVIDER, (organization_of(engine, OWNED),))
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    with (
        demo_site() as anonymous,
        demo_site() as stranger,
        demo_site() as owner,
        demo_site() as operator,
    ):
        sign_in(stranger, "altro@example.org")
        sign_in(owner, "tiglio@example.org")
        sign_in(operator, "operatore@example.org")
        guarded = [
            Mutation(method, path, tuple(opt[ROLES_KEY]))  # type: ignore[arg-type]
            for method, path, opt in mutating_routes(anonymous.app)
            if ROLES_KEY in opt
        ]
        assert guarded, "no guarded mutating route?"
        tried = []
        for mutation in guarded:
            url = concrete(mutation.path, owned_service)
            actors: list[tuple[str, TestClient, int]] = [
                ("anonymous", anonymous, 401),
                ("provider of another organization", stranger, 403),
            ]
            if UserRole.PROVIDER not in mutation.roles:
                actors.append(("the listing's own provider", owner, 403))
            if UserRole.OPERATOR not in mutation.roles:
                actors.append(("an operator", operator, 403))
            for who, client, expected in actors:
                before = database_state(engine)
                token = csrf_token(client, "/accesso")  # a valid token: refusals are the guards'
                response = client.request(
                    mutation.method,
                    url,
                    data={**FORM, "_csrf_token": token},
                    follow_redirects=False,
                )
                assert response.status_code == expected, (who, mutation, response.status_code)
                assert database_state(engine) == before, (who, mutation, "the database changed")
                tried.append((who, mutation.path))
    assert len(tried) >= 2 * len(guarded)
    assert ("an operator", "/area/account/{user_id:int}/disattiva") in tried


def test_reserved_pages_refuse_the_roles_they_do_not_name(
    demo_site: DemoSite, engine: Engine
) -> None:
    """Every page behind a sign-in answers 403 to a signed-in role it does not admit (the
    guards run before the handler: "1" in the path cannot turn it into a 404)."""
    service_id = service_id_by_code(engine, OWNED)
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    make_account(engine, "tiglio@example.org", UserRole.PROVIDER, (organization_of(engine, OWNED),))
    with demo_site() as operator, demo_site() as provider:
        sign_in(operator, "operatore@example.org")
        sign_in(provider, "tiglio@example.org")
        refused = []
        for route in operator.app.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for handler in route.route_handlers:
                if "GET" not in handler.http_methods or ROLES_KEY not in handler.opt:
                    continue
                for role, client in ((UserRole.OPERATOR, operator), (UserRole.PROVIDER, provider)):
                    if role in handler.opt[ROLES_KEY]:
                        continue
                    url = concrete(route.path, service_id)
                    response = client.get(url, follow_redirects=False)
                    assert response.status_code == 403, (role, route.path, response.status_code)
                    refused.append((role, route.path))
    assert (UserRole.OPERATOR, "/area/account/{user_id:int}") in refused
    assert (UserRole.PROVIDER, "/area/registro") in refused


def test_reserved_pages_send_anonymous_visitors_to_sign_in(
    demo_client: TestClient, engine: Engine
) -> None:
    service_id = service_id_by_code(engine, OWNED)
    pages = [
        route.path
        for route in demo_client.app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if "GET" in handler.http_methods and ROLES_KEY in handler.opt
    ]
    assert "/area" in pages
    for path in pages:
        response = demo_client.get(concrete(path, service_id), follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/accesso?next="), path
