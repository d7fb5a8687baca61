"""The sportello's console (staff only): the assisted search, family cases saved with the
family's consent, and the printable plan to hand to the family. Every route names its
guards; handlers read the request, call one function and render (service/cases.py,
service/web/console_views.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import Session

from core.i18n import _
from core.models import FamilyCase
from service.cases import (
    CONSENT_FIELD,
    CONSENT_MISSING,
    MAX_NOTES,
    CaseRefused,
    create_case,
    delete_case,
    recent_cases,
    update_case,
)
from service.web import guards
from service.web.area_common import signed_in_user
from service.web.console_need import MAX_QUERY_LENGTH, ConsoleForm
from service.web.console_views import parse, plan_page, search_page
from service.web.context import AppContext
from service.web.field_errors import FieldError
from service.web.form_body import Form
from service.web.language import current_language

MAX_BODY_BYTES = 16 * 1024
STAFF_ONLY: dict[str, Any] = {**guards.STAFF_ONLY, "sync_to_thread": True}
CONSENT_VALUES = {"1", "on", "si", "sì", "true"}


def _case(session: Session, case_id: int) -> FamilyCase:
    case = session.get(FamilyCase, case_id)
    if case is None:
        raise NotFoundException(
            _("Nessun caso con numero {id}", id=case_id).render(current_language())
        )
    return case


def _case_page(case: FamilyCase) -> str:
    return f"/area/casi/{case.id}"


def _submitted(data: dict[str, str], page: str) -> tuple[ConsoleForm, str]:
    """The search and the notes a case form sends (the search as its query string)."""
    form = ConsoleForm.from_query(str(data.get("query", ""))[:MAX_QUERY_LENGTH], page)
    return form, str(data.get("notes", ""))[: MAX_NOTES + 1]


def _search_errors(context: AppContext, form: ConsoleForm) -> list[FieldError]:
    if form.is_empty:
        return [FieldError("home", _("fai prima una ricerca, poi salvala come caso"))]
    parsed = parse(context, form)
    return parsed if isinstance(parsed, list) else []


class ConsolePages(Controller):
    path = "/area"
    include_in_schema = False

    @get("/consulenza", name="console", **STAFF_ONLY)
    def console(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        form = ConsoleForm.from_params(request.query_params.dict())
        searching = not form.is_empty and not request.query_params.get("add_child")
        return self._search_template(context, request, form, searching)

    @post("/casi", name="case_create", request_max_body_size=MAX_BODY_BYTES, **STAFF_ONLY)
    def create(
        self, request: Request, context: NamedDependency[AppContext], data: Form
    ) -> Template | Redirect:
        user = signed_in_user(request, context)
        form, notes = _submitted(data, ConsoleForm().page)
        consent = str(data.get("consent", "")).strip().lower() in CONSENT_VALUES
        errors = _search_errors(context, form)
        if errors and not consent:
            errors.append(FieldError(CONSENT_FIELD, CONSENT_MISSING))
        if not errors:
            with context.session() as session:
                try:
                    case = create_case(session, user, form.query(), notes, consent)
                    return Redirect(f"{_case_page(case)}?salvato=1", status_code=303)
                except CaseRefused as refused:
                    errors = [FieldError(refused.field, refused.message)]
        return self._search_template(context, request, form, True, errors, notes, status=400)

    @get("/casi", name="case_list", **STAFF_ONLY)
    def cases(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        with context.session() as session:
            rows = recent_cases(session)
        return Template(
            template_name="pages/area/case_list.html",
            context={
                "user": signed_in_user(request, context),
                "rows": rows,
                "deleted": str(request.query_params.get("eliminato", ""))[:32],
            },
        )

    @get("/casi/{case_id:int}", name="case_detail", **STAFF_ONLY)
    def case(
        self, request: Request, case_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        with context.session() as session:
            case = _case(session, case_id)
        asked = ConsoleForm.from_params(request.query_params.dict())
        changed = not asked.is_empty  # a search changed on the page, not yet saved
        if changed:
            form = replace(asked, page=_case_page(case))
        else:
            form = ConsoleForm.from_query(case.search_query, _case_page(case))
        return self._case_template(
            context,
            request,
            case,
            form,
            case.notes,
            changed=changed,
            saved=request.query_params.get("salvato") == "1",
            searching=not request.query_params.get("add_child"),
        )

    @post(
        "/casi/{case_id:int}",
        name="case_update",
        request_max_body_size=MAX_BODY_BYTES,
        **STAFF_ONLY,
    )
    def update(
        self,
        request: Request,
        case_id: FromPath[int],
        context: NamedDependency[AppContext],
        data: Form,
    ) -> Template | Redirect:
        with context.session() as session:
            case = _case(session, case_id)
            form, notes = _submitted(data, _case_page(case))
            errors = _search_errors(context, form)
            if not errors:
                try:
                    update_case(session, case, form.query(), notes)
                    return Redirect(f"{_case_page(case)}?salvato=1", status_code=303)
                except CaseRefused as refused:
                    errors = [FieldError(refused.field, refused.message)]
            session.expunge(case)
        return self._case_template(
            context, request, case, form, notes, changed=True, errors=errors, status=400
        )

    @post(
        "/casi/{case_id:int}/elimina",
        name="case_delete",
        request_max_body_size=1024,
        **STAFF_ONLY,
    )
    def delete(
        self, request: Request, case_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Redirect:
        user = signed_in_user(request, context)
        with context.session() as session:
            case = _case(session, case_id)
            reference = case.reference
            delete_case(session, case, user)
        return Redirect(f"/area/casi?eliminato={reference}", status_code=303)

    @get("/casi/{case_id:int}/piano", name="case_plan", **STAFF_ONLY)
    def case_plan(
        self, request: Request, case_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        with context.session() as session:
            case = _case(session, case_id)
        form = ConsoleForm.from_query(case.search_query, _case_page(case))
        return self._plan_template(context, request, form, case)

    @get("/piano", name="search_plan", **STAFF_ONLY)
    def search_plan(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        form = ConsoleForm.from_params(request.query_params.dict())
        return self._plan_template(context, request, form, None)

    @staticmethod
    def _search_template(
        context: AppContext,
        request: Request[Any, Any, Any],
        form: ConsoleForm,
        searching: bool,
        errors: list[FieldError] | None = None,
        notes: str = "",
        status: int | None = None,
    ) -> Template:
        page = search_page(context, form, searching, errors or [])
        return Template(
            template_name="pages/area/console.html",
            context={**page, "user": signed_in_user(request, context), "notes": notes},
            status_code=status or (400 if page["errors"] else 200),
        )

    @staticmethod
    def _case_template(
        context: AppContext,
        request: Request[Any, Any, Any],
        case: FamilyCase,
        form: ConsoleForm,
        notes: str,
        changed: bool = False,
        saved: bool = False,
        errors: list[FieldError] | None = None,
        status: int | None = None,
        searching: bool = True,
    ) -> Template:
        page = search_page(context, form, searching, errors or [])
        return Template(
            template_name="pages/area/case.html",
            context={
                **page,
                "user": signed_in_user(request, context),
                "case": case,
                "notes": notes,
                "changed": changed,
                "saved": saved,
            },
            status_code=status or (400 if page["errors"] else 200),
        )

    @staticmethod
    def _plan_template(
        context: AppContext,
        request: Request[Any, Any, Any],
        form: ConsoleForm,
        case: FamilyCase | None,
    ) -> Template:
        page = plan_page(context, form, request.query_params.getall("servizi", []))
        return Template(
            template_name="pages/area/plan.html",
            context={**page, "user": signed_in_user(request, context), "case": case},
            status_code=400 if page["errors"] else 200,
        )
