""" "Candidati all'elenco delle babysitter": a babysitter applies to the registry herself.

The form asks only what the registry needs (service/registry/applications.py stores it, in
one transaction, as a *pending* entry families do not see until an operator approves it).
Post/redirect/get, so a reload never sends it twice; rate-limited per client like the
correction form; the body is small by construction. The answer is the same whether or not
the e-mail already has an account.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from service.registry.applications import (
    CONSENT_FIELDS,
    TEXT_FIELDS,
    parse_application,
    receive_application,
)
from service.registry.moderation import RegistryInvalid
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.language import current_language
from service.web.rate_limit import APPLICATIONS, OPT_KEY

PATH = "/babysitter/candidatura"
MAX_BODY_BYTES = 16 * 1024
#: what a re-shown form keeps of a value typed (the checks refuse anything longer)
SHOWN_LIMIT = 2100


def _page(
    values: dict[str, str], errors: list[FieldError], sent: bool = False, status_code: int = 200
) -> Template:
    return Template(
        template_name="pages/babysitter_application.html",
        context={"values": values, "errors": errors, "sent": sent, "action": PATH},
        status_code=status_code,
    )


class ApplicationPages(Controller):
    path = PATH
    include_in_schema = False

    @get("/", name="babysitter_application", sync_to_thread=False)
    def form(self, request: Request) -> Template:
        return _page({}, [], sent=request.query_params.get("inviata") == "1")

    @post(
        "/",
        name="babysitter_application_send",
        sync_to_thread=True,
        opt={OPT_KEY: APPLICATIONS},
        request_max_body_size=MAX_BODY_BYTES,
    )
    def send(self, context: NamedDependency[AppContext], data: Form) -> Template | Redirect:
        values = {name: str(data.get(name, ""))[:SHOWN_LIMIT] for name in TEXT_FIELDS}
        values |= {name: "1" for name in CONSENT_FIELDS if data.get(name)}
        language = current_language()
        with context.session() as session:
            try:
                application = parse_application(session, values)
            except RegistryInvalid as invalid:
                errors = [FieldError(name, message) for name, message in invalid.problems.items()]
                return _page(values, errors, status_code=400)
            receive_application(session, context.settings, application, language)
        suffix = "&lang=en" if language == "en" else ""
        return Redirect(f"{PATH}?inviata=1{suffix}", status_code=303)
