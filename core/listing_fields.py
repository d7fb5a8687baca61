"""A listing's own fields, declared once.

Each entry says what a field is (name on `core.models.Service`, type, label), where a
services sheet holds it and what that column's help says, whether a provider may edit it
(and where the edit form shows it) and whether it goes into the search index. Everything
else is derived from `LISTING_FIELDS`:

- the importers' record and upsert (`importers.records`, `importers.upsert`),
- the services sheet's columns and their parsing (`importers.sources.service_sheet`) and the
  collection templates' columns and help (`importers.collection_templates`),
- the index document (`search.documents`),
- the provider's edit form and the editable set (`service.listings.edits`,
  `service.web.area_common`, `templates/partials/listing_fields.html`).

The type is a *kind* of value, not a parser: each layer maps it to its own reading (a sheet
cell, a form value, an index value), so core holds no parsing code. What is not a plain field
of the listing stays outside: its identity and provenance (source, code, merge key), its
organization, its place (address, comune, point), its opening hours and periods, and a
babysitter's registry certificates — structures with rules of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.i18n import Text, Verbatim, _
from core.kinds import SECTOR_LABELS_IT, Sector, ServiceKind
from core.limits import LISTING_MAX_AGE_MONTHS

#: the most places a listing may state
MAX_PLACES = 10_000
#: the largest cost, in cents (100,000 euros)
MAX_COST_CENTS = 10_000_000


class ValueType(StrEnum):
    """What kind of value a field holds, and so how each layer reads and writes it."""

    #: one line of text; None when empty
    TEXT = "text"
    #: free text over several lines; "" when empty
    LONG_TEXT = "long_text"
    #: one of the field's `choices`
    CHOICE = "choice"
    #: a whole number between 0 and the field's `maximum`
    WHOLE = "whole"
    #: an amount as people write it in euros (95,50), stored in cents
    EURO_CENTS = "euro_cents"
    #: sì / no / not known (None)
    YES_NO = "yes_no"
    #: language names read as ISO 639 codes, stored comma-separated ("en,fr")
    LANGUAGES = "languages"
    #: comune names read as ISTAT codes, stored comma-separated
    COMUNI = "comuni"
    #: the day the data were last checked (not in the future)
    DATE = "date"
    #: a phone number, kept as typed
    PHONE = "phone"
    #: an e-mail address
    EMAIL = "email"
    #: a web address (http:// or https://)
    WEBSITE = "website"


@dataclass(frozen=True)
class FormGroup:
    """A part of the provider's edit form: a fieldset with a legend (none: fields on their
    own) and how many of its fields sit side by side on a wide screen."""

    legend: Text | None
    per_row: int = 1


#: the parts of the edit form, in the order the form shows them
TEXTS = FormGroup(None)
AGES_AND_PLACES = FormGroup(_("Età e posti"), per_row=4)
COSTS = FormGroup(_("Costi"), per_row=2)
CONTACTS = FormGroup(_("Contatti e altro"))
FORM_GROUPS = (TEXTS, AGES_AND_PLACES, COSTS, CONTACTS)


@dataclass(frozen=True)
class FormInput:
    """How the provider's edit form shows a field."""

    group: FormGroup
    #: lines of a text area (0: a one-line input)
    rows: int = 0
    help: Text | None = None


@dataclass(frozen=True)
class ListingField:
    name: str
    type: ValueType
    label: Text
    #: the services sheet's column, and what the collection templates say of it
    column: str
    column_help: str
    column_example: str = ""
    required: bool = False
    #: longest text, most codes in a list, or largest number
    maximum: int | None = None
    #: the values a CHOICE accepts, with their labels
    choices: tuple[tuple[str, Text], ...] = ()
    #: how the provider's edit form shows it; None: providers do not edit it
    form: FormInput | None = None
    #: whether the search index document carries it
    indexed: bool = True

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)


#: what a cost is for; "giorno" too (fees written per day, a summer camp's day rate)
COST_PERIOD_CHOICES: tuple[tuple[str, Text], ...] = (
    ("mese", _("mese")),
    ("settimana", _("settimana")),
    ("giorno", _("giorno")),
    ("ora", _("ora")),
    ("anno", _("anno")),
    ("gratuito", _("gratuito")),
)

#: a listing's fields, in the services sheet's order
LISTING_FIELDS: tuple[ListingField, ...] = (
    ListingField(
        "kind",
        ValueType.CHOICE,
        _("Tipo di servizio"),
        "tipo",
        "Tipo di servizio: scegli dall'elenco (valori ammessi qui sotto).",
        "nido",
        required=True,
        choices=tuple((kind.value, Verbatim(kind.label_it)) for kind in ServiceKind),
    ),
    ListingField(
        "name",
        ValueType.TEXT,
        _("Nome"),
        "nome",
        "Nome del servizio come lo conoscono le famiglie.",
        "Nido comunale Girasole",
        required=True,
        maximum=300,
    ),
    ListingField(
        "sector",
        ValueType.CHOICE,
        _("Settore"),
        "settore",
        "pubblico, privato_accreditato (accreditato o convenzionato con il Comune) o privato: "
        "scegli dall'elenco.",
        "privato_accreditato",
        choices=tuple((sector.value, Verbatim(SECTOR_LABELS_IT[sector])) for sector in Sector),
    ),
    ListingField(
        "description",
        ValueType.LONG_TEXT,
        _("Descrizione"),
        "descrizione",
        "Una o due frasi per le famiglie: a chi si rivolge, cosa offre, cosa è compreso.",
        "Nido a tempo pieno con cucina interna e giardino.",
        maximum=4000,
        form=FormInput(TEXTS, rows=5),
    ),
    ListingField(
        "age_min_months",
        ValueType.WHOLE,
        _("Età minima (mesi)"),
        "eta_min_mesi",
        "Età minima accolta, in mesi compiuti (numero intero: 1 anno = 12 mesi).",
        "3",
        maximum=LISTING_MAX_AGE_MONTHS,
        form=FormInput(AGES_AND_PLACES),
    ),
    ListingField(
        "age_max_months",
        ValueType.WHOLE,
        _("Età massima (mesi)"),
        "eta_max_mesi",
        "Età massima accolta, in mesi (3 anni = 36, 6 anni = 72, 11 anni = 132).",
        "36",
        maximum=LISTING_MAX_AGE_MONTHS,
        form=FormInput(AGES_AND_PLACES),
    ),
    ListingField(
        "capacity",
        ValueType.WHOLE,
        _("Posti totali"),
        "posti_totali",
        "Numero di posti complessivi (intero).",
        "40",
        maximum=MAX_PLACES,
        form=FormInput(AGES_AND_PLACES),
    ),
    ListingField(
        "places_available",
        ValueType.WHOLE,
        _("Posti liberi"),
        "posti_disponibili",
        "Posti ancora liberi oggi (intero, non più dei posti totali); vuoto se non noto.",
        "3",
        maximum=MAX_PLACES,
        form=FormInput(AGES_AND_PLACES),
    ),
    ListingField(
        "cost_cents",
        ValueType.EURO_CENTS,
        _("Costo in euro"),
        "costo_euro",
        "Costo in euro (95,50 o 95.50), senza simbolo €; vuoto se gratuito o non noto.",
        "420",
        maximum=MAX_COST_CENTS,
        form=FormInput(COSTS),
    ),
    ListingField(
        "cost_period",
        ValueType.CHOICE,
        _("Per"),
        "costo_per",
        "A cosa si riferisce il costo: mese, settimana, giorno, ora, anno, oppure gratuito; "
        "vuoto se non noto. Scegli dall'elenco.",
        "mese",
        choices=COST_PERIOD_CHOICES,
        form=FormInput(COSTS),
    ),
    ListingField(
        "phone",
        ValueType.PHONE,
        _("Telefono"),
        "telefono",
        "Telefono per le famiglie. Colonna di testo: lo zero iniziale resta.",
        "02 0000 1234",
        maximum=120,
        form=FormInput(CONTACTS),
    ),
    ListingField(
        "email",
        ValueType.EMAIL,
        _("E-mail"),
        "email",
        "Indirizzo e-mail per le famiglie.",
        "info@example.org",
        maximum=200,
        form=FormInput(CONTACTS),
    ),
    ListingField(
        "website",
        ValueType.WEBSITE,
        _("Sito"),
        "sito_web",
        "Pagina web del servizio, con https://.",
        "https://example.org/servizio",
        maximum=300,
        form=FormInput(CONTACTS),
    ),
    ListingField(
        "languages",
        ValueType.LANGUAGES,
        _("Lingue parlate oltre all'italiano"),
        "lingue",
        "Lingue parlate con bambini e famiglie oltre all'italiano, separate da virgola "
        "(inglese, francese, spagnolo, arabo, cinese, rumeno, albanese, ucraino…); vuoto se "
        "solo italiano.",
        "inglese",
        maximum=120,
        form=FormInput(CONTACTS, help=_("Per esempio: inglese, francese")),
    ),
    ListingField(
        "disability_support",
        ValueType.YES_NO,
        _("Accoglie bambini con disabilità"),
        "disabilita",
        "sì se il servizio accoglie bambini con disabilità (personale di sostegno, spazi "
        "accessibili), no se non può; vuoto se non noto.",
        "sì",
        form=FormInput(CONTACTS),
    ),
    ListingField(
        "service_area",
        ValueType.COMUNI,
        _("Comuni serviti"),
        "comuni_serviti",
        "Solo per le babysitter: i comuni in cui lavora, separati da «;». Per gli altri "
        "servizi lascia vuoto.",
        maximum=200,
    ),
    ListingField(
        "how_to_apply",
        ValueType.LONG_TEXT,
        _("Come iscriversi"),
        "come_iscriversi",
        "Come si fa domanda o ci si iscrive: dove, come e fino a quando (domanda online, "
        "modulo allo sportello, colloquio…); vuoto se non noto.",
        "Domanda online sul portale del Comune entro il 31 marzo.",
        maximum=2000,
        form=FormInput(TEXTS, rows=3),
    ),
    ListingField(
        "nidi_gratis",
        ValueType.YES_NO,
        _("Nidi Gratis"),
        "nidi_gratis",
        "Solo nidi e micronidi: sì se aderisce alla misura «Nidi Gratis» di Regione "
        "Lombardia, no se non aderisce; vuoto se non noto.",
    ),
    ListingField(
        "last_verified_at",
        ValueType.DATE,
        _("Ultima verifica"),
        "verificato_il",
        "La data in cui hai verificato questi dati con il servizio (GG/MM/AAAA); le famiglie "
        "la vedono come «ultima verifica». Vuoto se non verificati.",
        "15/11/2026",
    ),
)

FIELDS_BY_NAME: dict[str, ListingField] = {field.name: field for field in LISTING_FIELDS}


def form_sections() -> tuple[tuple[FormGroup, tuple[ListingField, ...]], ...]:
    """The edit form's parts in order, each with its editable fields in declaration order."""
    return tuple(
        (group, tuple(f for f in LISTING_FIELDS if f.form is not None and f.form.group is group))
        for group in FORM_GROUPS
    )


#: the fields a provider edits, in the order the form shows them
EDITABLE_FIELDS: tuple[ListingField, ...] = tuple(
    field for _group, fields in form_sections() for field in fields
)
#: the fields the search index document carries
INDEXED_FIELDS: tuple[ListingField, ...] = tuple(f for f in LISTING_FIELDS if f.indexed)
