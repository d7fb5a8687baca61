"""The audit log for staff: the newest changes field by field, of one listing (`servizio`)
or one account (`account`) or all. The query is service/audit/reading.py's."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from service.audit.reading import read_audit_log
from service.web.area_common import signed_in_user
from service.web.context import AppContext
from service.web.guards import STAFF_ONLY


def _id_filter(value: object) -> int | None:
    """A record id typed into the URL, or no filter: ASCII digits that fit a database integer
    ('²' is a digit to Python but not a number to int())."""
    text = str(value) if value else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


class AuditLogPages(Controller):
    path = "/area"
    include_in_schema = False

    @get(
        "/registro",
        name="audit_log",
        sync_to_thread=True,
        **STAFF_ONLY,
    )
    def audit_log(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        service_id = _id_filter(request.query_params.get("servizio"))
        account_id = _id_filter(request.query_params.get("account"))
        with context.session() as session:
            log = read_audit_log(session, service_id, account_id)
        return Template(
            template_name="pages/area/audit.html",
            context={
                "user": signed_in_user(request, context),
                "entries": log.entries,
                "names": log.names,
                "accounts": log.accounts,
            },
        )
