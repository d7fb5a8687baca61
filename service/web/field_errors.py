"""A problem with one field of a form or query, and the field's name as people read it.

The message is a `Text` (Italian id, English in the catalog), so the page shows it in its
language and the API in the one asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.i18n import SOURCE_LANGUAGE, Text, _, as_text
from core.listing_fields import EDITABLE_FIELDS

FIELD_LABELS: dict[str, Text] = {
    "birth_month": _("Mese di nascita"),
    "birth_year": _("Anno di nascita"),
    "place": _("Comune o indirizzo"),
    "lat": _("Latitudine"),
    "lon": _("Longitudine"),
    "radius_km": _("Distanza massima"),
    "days": _("Giorni"),
    "from": _("Dalle ore"),
    "to": _("Alle ore"),
    "start": _("A partire dal"),
    "end": _("Fino al"),
    "weeks": _("Settimane estive"),
    "kind": _("Tipo di servizio"),
    "sector": _("Settore"),
    "max_cost": _("Costo massimo al mese"),
    "language": _("Lingua"),
    "sort": _("Ordina per"),
    # account forms
    "email": _("E-mail"),
    "password": _("Password"),
    "password_again": _("Ripeti la password"),
    # the administrators' account pages
    "display_name": _("Nome visualizzato"),
    "role": _("Ruolo"),
    "organizations": _("Enti"),
    "org_query": _("Cerca un ente"),
    "invitation": _("Invito"),
    "active": _("Stato dell'account"),
    # "report a mistake"
    "topic": _("Che cosa è sbagliato"),
    "message": _("Descrizione dell'errore"),
    "reporter_email": _("La tua e-mail"),
    # a listing in the reserved area: its editable fields, as declared
    **{field.name: field.label for field in EDITABLE_FIELDS},
    # the babysitter registry
    "service_area": _("Comuni in cui lavori"),
    "note": _("Motivo"),
    "status": _("Stato"),
    "proposta": _("Date proposte"),
    "registry_course_on": _("Corso per babysitter: frequentato il"),
    "registry_course_expires_on": _("Corso per babysitter: valido fino al"),
    "first_aid_on": _("Primo soccorso pediatrico: frequentato il"),
    "first_aid_expires_on": _("Primo soccorso pediatrico: valido fino al"),
    # a babysitter's application to the registry
    "first_name": _("Nome"),
    "surname": _("Cognome"),
    "home_comune": _("Comune in cui vivi"),
    "hourly_rate": _("Tariffa oraria in euro"),
    "presentation": _("Breve presentazione"),
    "publication_consent": _("Consenso alla pubblicazione"),
    "privacy_notice": _("Informativa sulla privacy"),
    # the sportello's console
    "home": _("Indirizzo di casa"),
    "work": _("Indirizzo di lavoro"),
    "notes": _("Note dell'operatore"),
    "consent": _("Consenso della famiglia"),
    "query": _("Ricerca"),
}

Fail = Callable[[str, Text], None]


@dataclass(frozen=True)
class FieldError:
    field: str
    message: Text | str
    #: for an unknown place: comuni with a similar name, to search instead
    suggestions: tuple[str, ...] = ()

    def text(self, language: str = SOURCE_LANGUAGE) -> str:
        return as_text(self.message).render(language)

    @property
    def label(self) -> Text:
        base, _sep, number = self.field.partition("_")
        if self.field in FIELD_LABELS:
            return FIELD_LABELS[self.field]
        if base in {"from", "to"} and number.isdigit():
            return FIELD_LABELS[base]
        child = re.fullmatch(r"(birth_month|birth_year)_(\d)", self.field)
        if child:
            return _("{field} ({number}° figlio)", field=FIELD_LABELS[child[1]], number=child[2])
        return as_text(self.field)
