"""Collection templates a comune or Ufficio di Piano downloads, fills in and sends back."""

from __future__ import annotations

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response, Template

from core.i18n import _
from importers.collection_templates import TEMPLATE_NAMES, template_csv, template_xlsx

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


TEMPLATE_TITLES = {
    "nidi": _("Nidi, micronidi, sezioni primavera e scuole dell'infanzia (0–6 anni)"),
    "centri-estivi": _("Centri estivi, con i moduli settimanali e le quote a settimana"),
    "pre-post-scuola": _("Pre-scuola e post-scuola, con il codice della scuola che li ospita"),
    "babysitter": _("Elenco delle babysitter (si pubblicano solo nome e iniziale del cognome)"),
    "sportelli": _("Sportelli Famiglia-Lavoro"),
}


@get("/modelli", sync_to_thread=False, include_in_schema=False)
def collection_templates_page() -> Template:
    return Template(
        template_name="pages/collection_templates.html",
        context={"templates": [(name, TEMPLATE_TITLES[name]) for name in TEMPLATE_NAMES]},
    )


@get("/modelli/{file_name:str}", sync_to_thread=False, include_in_schema=False)
def collection_template(file_name: FromPath[str]) -> Response[bytes]:
    name, _, extension = file_name.rpartition(".")
    if name not in TEMPLATE_NAMES or extension not in {"csv", "xlsx"}:
        raise NotFoundException(f"Nessun modello «{file_name}»")
    if extension == "csv":
        content, media_type = template_csv(name).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        content, media_type = template_xlsx(name), XLSX_MEDIA_TYPE
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="conciliamo-{file_name}"'},
    )
