"""Server-rendered pages for families (Italian). Thin: read the request, call one function,
render a template."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from service.kinds import CARE_KINDS, KIND_LABELS_IT, ServiceKind
from service.queries import published_service
from service.web.context import AppContext
from service.web.presenters import (
    MatchCard,
    age_label,
    cost_label,
    precision_note,
    schedule_periods,
    sector_label,
)
from service.web.search_form import SearchForm

WEEKDAY_CHOICES = [
    (1, "Lun", "Lunedì"),
    (2, "Mar", "Martedì"),
    (3, "Mer", "Mercoledì"),
    (4, "Gio", "Giovedì"),
    (5, "Ven", "Venerdì"),
    (6, "Sab", "Sabato"),
    (7, "Dom", "Domenica"),
]
MONTHS_IT = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
]


class PagesController(Controller):
    include_in_schema = False

    @get("/", name="home", sync_to_thread=True)
    def home(self, request: Request, context: NamedDependency[AppContext]) -> Template:
        form = SearchForm.from_params(request.query_params.dict())
        parsed, matches, errors = (None, [], []) if form.is_empty else context.search(form)
        return Template(
            template_name="pages/home.html",
            context={
                "form": form,
                "errors": errors,
                "parsed": parsed,
                "searched": not form.is_empty,
                "cards": [MatchCard(match) for match in matches],
                "weekday_choices": WEEKDAY_CHOICES,
                "months": MONTHS_IT,
                "this_year": context.today().year,
                "kind_choices": [(kind.value, KIND_LABELS_IT[kind]) for kind in CARE_KINDS],
            },
            status_code=400 if errors else 200,
        )

    @get("/servizi/{service_id:int}", name="service_detail", sync_to_thread=True)
    def service_detail(
        self, service_id: FromPath[int], context: NamedDependency[AppContext]
    ) -> Template:
        with context.session() as session:
            service = published_service(session, service_id)
            if service is None:
                raise NotFoundException(f"Nessun servizio pubblicato con numero {service_id}")
            return Template(
                template_name="pages/service.html",
                context={
                    "service": service,
                    "kind_label": ServiceKind(service.kind).label_it,
                    "periods": schedule_periods(list(service.schedule_rows)),
                    "ages": age_label(service.age_min_months, service.age_max_months),
                    "cost": cost_label(service.cost_cents, service.cost_period),
                    "sector": sector_label(service.sector),
                    "precision_note": precision_note(service.location.geocode_precision),
                },
            )
