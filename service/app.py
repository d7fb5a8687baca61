"""The Litestar application factory: `create_app(settings)`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import Litestar, Request, Response
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders, State
from litestar.di import Provide
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig
from litestar.types import Message, Scope

from core.db import create_db_engine
from core.i18n import _
from core.listing_fields import form_sections
from core.settings import PROJECT_ROOT, Settings
from search.client import make_client
from search.local_meilisearch import MeilisearchEndpoint
from search.outbox_delivery import OutboxWorker
from service.assets.manifest import AssetManifest
from service.assets.serving import compression_config, register_asset_global, static_assets_router
from service.web.account_admin_pages import AccountAdminPages
from service.web.account_pages import AccountPages
from service.web.api import ServicesApi
from service.web.application_pages import ApplicationPages
from service.web.audit_pages import AuditLogPages
from service.web.babysitter_own_pages import BabysitterOwnPages
from service.web.console_pages import ConsolePages
from service.web.context import AppContext
from service.web.correction_pages import CorrectionPages
from service.web.correction_review_pages import CorrectionReviewPages
from service.web.downloads import collection_template, collection_templates_page
from service.web.health import health, healthz
from service.web.info_pages import InfoPages
from service.web.language import (
    current_language,
    language_middleware,
    template_filters,
    template_globals,
    use_language_of,
)
from service.web.listing_invitation_pages import ListingInvitationPages
from service.web.listing_pages import ListingPages
from service.web.match_api import MatchApi
from service.web.pages import PagesController
from service.web.quality_pages import QualityPages
from service.web.rate_limit import rate_limit_middleware
from service.web.registry_moderation_pages import RegistryModerationPages
from service.web.schedule_pages import SchedulePages
from service.web.session import session_config

TEMPLATES_DIR = PROJECT_ROOT / "templates"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
}


def content_security_policy(settings: Settings) -> str:
    """Our own files only; images also from the tile server when a map is configured."""
    tiles = urlsplit(settings.tile_url)
    tile_origin = f" {tiles.scheme}://{tiles.netloc}" if settings.tile_url else ""
    return (
        f"default-src 'self'; img-src 'self' data:{tile_origin}; style-src 'self'; "
        "script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def create_app(
    settings: Settings,
    meilisearch: MeilisearchEndpoint | None = None,
    today: Callable[[], date] = date.today,
) -> Litestar:
    """Build the app; `meilisearch` overrides MEILI_URL (used when Conciliamo manages its own)."""
    assets = AssetManifest.load()  # fails, naming `make assets`, when the assets are not built
    endpoint = meilisearch or MeilisearchEndpoint(settings.meili_url, settings.meili_master_key)
    context = AppContext(
        settings=settings,
        engine=create_db_engine(settings.database_url),
        meilisearch=endpoint,
        today=today,
    )
    worker = (
        OutboxWorker(
            context.engine,
            make_client(endpoint.url, endpoint.api_key),  # its own: clients are not shareable
            settings.services_index,
            settings.outbox_poll_seconds,
        )
        if settings.outbox_worker == "in-process"
        else None
    )
    return Litestar(
        route_handlers=[
            PagesController,
            CorrectionPages,
            ApplicationPages,
            InfoPages,
            AccountPages,
            ListingPages,
            ListingInvitationPages,
            AuditLogPages,
            AccountAdminPages,
            RegistryModerationPages,
            BabysitterOwnPages,
            ConsolePages,
            CorrectionReviewPages,
            QualityPages,
            SchedulePages,
            healthz,
            health,
            collection_template,
            collection_templates_page,
            ServicesApi,
            MatchApi,
            static_assets_router(assets),
        ],
        dependencies={"context": Provide(lambda: context, use_cache=True, sync_to_thread=False)},
        template_config=TemplateConfig(
            directory=TEMPLATES_DIR,
            engine=JinjaTemplateEngine,
            engine_callback=lambda engine: _configure_templates(engine, assets),
        ),
        compression_config=compression_config(),
        openapi_config=OpenAPIConfig(
            title="Conciliamo API",
            version="1",
            description="Servizi di conciliazione vita-lavoro: ricerca per età, luogo e orari.",
            path="/api/schema",
            render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
        ),
        exception_handlers={
            ValidationException: _validation_error,
            NotFoundException: _not_found,
            TooManyRequestsException: _too_many_requests,
            NotAuthorizedException: _not_signed_in,
            PermissionDeniedException: _forbidden,
        },
        middleware=[
            language_middleware,
            *rate_limit_middleware(settings),
            session_config(settings).middleware,
        ],
        csrf_config=CSRFConfig(
            secret=settings.session_secret().hex(),
            cookie_name="conciliamo_csrf",
            cookie_secure=settings.environment == "production",
            cookie_httponly=True,
            cookie_samesite="strict",
            exclude=["^/api/", "^/static/"],
        ),
        state=State({"context": context}),
        before_send=[_security_headers(content_security_policy(settings))],
        on_startup=[lambda: worker.start()] if worker else [],
        on_shutdown=[*([lambda: worker.stop()] if worker else []), context.engine.dispose],
    )


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def _validation_error(request: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    errors = [
        {"field": item.get("key", ""), "message": item.get("message", "")}
        for item in (error.extra if isinstance(error.extra, list) else [])
    ]
    detail = "; ".join(f"{item['field']}: {item['message']}" for item in errors) or error.detail
    # a JSON body that does not fit its schema is unprocessable (422); bad query strings 400
    status = 422 if request.method in {"POST", "PUT", "PATCH"} else 400
    return Response(
        {"detail": f"parametri non validi: {detail}", "errors": errors}, status_code=status
    )


def _not_found(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if _wants_json(request):
        return Response({"detail": error.detail}, status_code=404)
    # our own 404s carry a message in the page's language; the router's says "Not Found",
    # and comes before the language middleware
    use_language_of(request.scope)
    generic = error.detail in {"", "Not Found"}
    message = (
        _(
            "La pagina che cerchi non c'è: forse l'indirizzo è sbagliato o la scheda è stata tolta."
        ).render(current_language())
        if generic
        else error.detail
    )
    return Template(
        template_name="pages/not_found.html", context={"message": message}, status_code=404
    )


def _too_many_requests(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    message = _("Troppe richieste in poco tempo: riprova tra qualche minuto.")
    headers = {"Retry-After": str((error.headers or {}).get("Retry-After", 60))}
    if _wants_json(request):
        return Response(
            {"detail": message.render(current_language())}, status_code=429, headers=headers
        )
    return Template(
        template_name="pages/error.html",
        context={
            "title": _("Troppe richieste").render(current_language()),
            "message": message.render(current_language()),
        },
        status_code=429,
        headers=headers,
    )


def _not_signed_in(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """401: a page asked for is a sign-in away; anything else is refused."""
    if _wants_json(request):
        return Response({"detail": "sign in first"}, status_code=401)
    if request.method == "GET":
        return Redirect(f"/accesso?{urlencode({'next': request.url.path})}", status_code=303)
    return Template(
        template_name="pages/error.html",
        context={
            "title": _("Accesso necessario").render(current_language()),
            "message": _("Accedi all'area riservata per farlo.").render(current_language()),
        },
        status_code=401,
    )


def _forbidden(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    """403: not allowed for this account, or a form without its CSRF token."""
    if _wants_json(request):
        return Response({"detail": "forbidden"}, status_code=403)
    csrf = "csrf" in str(error.detail).lower()
    message = (
        _("Il modulo è scaduto: ricarica la pagina e riprova.")
        if csrf
        else _("Il tuo account non può vedere o cambiare questa pagina.")
    )
    return Template(
        template_name="pages/error.html",
        context={
            "title": _("Non consentito").render(current_language()),
            "message": message.render(current_language()),
        },
        status_code=403,
    )


def _configure_templates(engine: JinjaTemplateEngine, assets: AssetManifest) -> None:
    register_asset_global(engine, assets)
    engine.engine.globals.update(template_globals())
    #: the provider's edit form, derived from the listing's declared fields
    engine.engine.globals["listing_form_sections"] = form_sections()
    engine.engine.filters.update(template_filters())


def _security_headers(policy: str) -> Callable[[Message, Scope], None]:
    def add(message: Message, scope: Scope) -> None:
        """On every response, error pages included (after_request hooks skip those)."""
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            headers["Content-Security-Policy"] = policy
            for name, value in SECURITY_HEADERS.items():
                headers[name] = value

    return add
