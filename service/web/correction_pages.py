""" "Segnala un errore": a family tells the operators that a listing is wrong.

The request is stored for the operators (service/corrections/requests.py); nothing about the
listing changes until an operator accepts it. Post/redirect/get, so a reload never sends
it twice; rate-limited per client, and the body is small by construction.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.i18n import _
from core.kinds import CorrectionTopic
from core.models import Service
from service.corrections.requests import (
    CorrectionRequestInvalid,
    UnknownService,
    record_correction_request,
)
from service.queries import published_service
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.language import current_language
from service.web.rate_limit import CORRECTIONS, OPT_KEY

MAX_BODY_BYTES = 16 * 1024
FIELD_LIMITS = {"topic": 20, "message": 4000, "reporter_email": 200}


def _service_or_404(context: AppContext, service_id: int) -> Service:
    with context.session() as session:
        service = published_service(session, service_id)
        if service is None:
            raise NotFoundException(
                _("Nessun servizio pubblicato con numero {id}", id=service_id).render(
                    current_language()
                )
            )
        session.expunge(service)
        return service


def _topics(language: str) -> list[tuple[str, str]]:
    return [
        (topic.value, topic.label_en if language == "en" else topic.label_it)
        for topic in CorrectionTopic
    ]


def _page(
    service: Service,
    values: dict[str, str],
    errors: list[FieldError],
    sent: bool = False,
    status_code: int = 200,
) -> Template:
    return Template(
        template_name="pages/correction.html",
        context={
            "service": service,
            "values": values,
            "errors": errors,
            "sent": sent,
            "topics": _topics(current_language()),
        },
        status_code=status_code,
    )


class CorrectionPages(Controller):
    path = "/servizi/{service_id:int}/segnala"
    include_in_schema = False

    @get("/", name="correction_form", sync_to_thread=True)
    def form(
        self, request: Request, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        service = _service_or_404(context, service_id)
        return _page(service, {}, [], sent=request.query_params.get("inviata") == "1")

    @post(
        "/",
        name="correction_send",
        sync_to_thread=True,
        opt={OPT_KEY: CORRECTIONS},
        request_max_body_size=MAX_BODY_BYTES,
    )
    def send(
        self,
        service_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        service = _service_or_404(context, service_id)
        values = {name: str(data.get(name, ""))[:limit] for name, limit in FIELD_LIMITS.items()}
        language = current_language()
        try:
            with context.session() as session:
                record_correction_request(
                    session,
                    service_id,
                    values["topic"],
                    values["message"],
                    values["reporter_email"].strip() or None,
                    language,
                )
        except UnknownService as error:
            raise NotFoundException(error.detail(language)) from error
        except CorrectionRequestInvalid as error:
            errors = [FieldError(problem.field, problem.message) for problem in error.problems]
            return _page(service, values, errors, status_code=400)
        suffix = "&lang=en" if language == "en" else ""
        return Redirect(f"/servizi/{service_id}/segnala?inviata=1{suffix}", status_code=303)
