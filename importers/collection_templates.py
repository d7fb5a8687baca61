"""Collection templates a comune or Ufficio di Piano fills in, one per group of service kinds.

Every template has the columns of our services sheet (`importers.sources.service_sheet`), in
the same order, so the same importer reads a filled-in template; the pre/post-scuola template
adds an optional `codice_scuola` column at the end (the MIUR code of the host primary school),
which the services-sheet importer ignores.

- `template_csv(name)`: header and example rows, `;`-delimited (what Italian Excel expects),
  starting with a UTF-8 BOM so Excel shows accents right: encode the text as UTF-8.
- `template_xlsx(name)`: a workbook with an «Istruzioni» sheet (how to fill it, every column
  explained, the allowed values) and a «Servizi» sheet with a bold frozen header, the example
  rows, code columns formatted as Text so leading zeros survive, and drop-down lists for
  `tipo`, `settore` and `costo_per`.

The example rows are fictional; their codes start with `EXAMPLE_CODE_PREFIX` and their
description with `EXAMPLE_MARKER`, so a forgotten example row can be recognised.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.kinds import SECTOR_LABELS_IT, Sector, ServiceKind
from core.listing_fields import FIELDS_BY_NAME, LISTING_FIELDS, ValueType
from importers.sources.service_sheet import COLUMN_OF_FIELD, EXAMPLE_CODE_PREFIX, REQUIRED_COLUMNS

TEMPLATE_KINDS: Mapping[str, tuple[ServiceKind, ...]] = MappingProxyType(
    {
        "nidi": (
            ServiceKind.NIDO,
            ServiceKind.MICRONIDO,
            ServiceKind.NIDO_FAMIGLIA,
            ServiceKind.SEZIONE_PRIMAVERA,
            ServiceKind.CENTRO_PRIMA_INFANZIA,
            ServiceKind.SCUOLA_INFANZIA,
        ),
        "centri-estivi": (ServiceKind.CENTRO_ESTIVO,),
        "pre-post-scuola": (ServiceKind.PRE_SCUOLA, ServiceKind.POST_SCUOLA),
        "babysitter": (ServiceKind.BABYSITTER,),
        "sportelli": (ServiceKind.SPORTELLO,),
    }
)
TEMPLATE_NAMES: tuple[str, ...] = tuple(TEMPLATE_KINDS)

#: the services sheet's columns, in its order
SHEET_COLUMNS: tuple[str, ...] = tuple(COLUMN_OF_FIELD.values())
SCHOOL_CODE_COLUMN = "codice_scuola"
#: columns holding codes: formatted as Text in the XLSX so leading zeros survive
TEXT_COLUMNS = (
    "codice",
    "cap",
    "codice_istat",
    SCHOOL_CODE_COLUMN,
    *(field.column for field in LISTING_FIELDS if field.type == ValueType.PHONE),
)
#: columns whose example values are written as numbers in the XLSX
NUMBER_COLUMNS = frozenset(
    {
        field.column
        for field in LISTING_FIELDS
        if field.type in {ValueType.WHOLE, ValueType.EURO_CENTS}
    }
    | {"lat", "lon"}
)
_COST_PERIOD_MEANINGS = {
    "mese": "costo al mese (per i nidi: la retta mensile)",
    "settimana": "costo a settimana (centri estivi: la quota di un modulo settimanale)",
    "giorno": "costo al giorno (per esempio una giornata di centro estivo)",
    "ora": "costo all'ora (babysitter)",
    "anno": "costo all'anno",
    "gratuito": "servizio gratuito: lascia vuoto costo_euro",
}
#: the `costo_per` values a listing accepts (core.listing_fields), with their meaning
COST_PERIODS: Mapping[str, str] = MappingProxyType(
    {value: _COST_PERIOD_MEANINGS[value] for value in FIELDS_BY_NAME["cost_period"].choice_values}
)
SECTOR_MEANINGS: Mapping[Sector, str] = MappingProxyType(
    {
        Sector.PUBBLICO: "gestito dal Comune o da un altro ente pubblico",
        Sector.PRIVATO_ACCREDITATO: "ente privato accreditato o convenzionato con il Comune",
        Sector.PRIVATO: "ente privato senza accreditamento né convenzione",
    }
)
ORGANIZATION_KINDS = ("comune", "cooperativa", "associazione", "impresa", "persona")
ORGANIZATION_KINDS_TEXT = ", ".join(ORGANIZATION_KINDS) + " o ente_religioso"

EXAMPLE_MARKER = "ESEMPIO – cancellare"
DATA_SHEET = "Servizi"
INSTRUCTIONS_SHEET = "Istruzioni"
#: rows of the data sheet that get the Text format and the drop-down lists
DATA_ROWS = 1000


@dataclass(frozen=True)
class ColumnHelp:
    column: str
    description: str
    example: str
    required: bool


# ---- column help: the same for every template, then what each template changes -------------

#: the help of the columns that are not a listing's declared fields (core.listing_fields
#: holds theirs)
_STRUCTURE_HELP: dict[str, tuple[str, str]] = {
    "codice": (
        "Codice del servizio scelto da voi: unico nel file e sempre uguale negli invii "
        "successivi, così lo stesso servizio viene aggiornato e non duplicato. Colonna di testo.",
        "SESTO-NIDO-01",
    ),
    "ente_gestore": (
        "Ente che gestisce il servizio; se vuoto si usa il nome del servizio.",
        "Cooperativa sociale Esempio",
    ),
    "tipo_ente": (f"Natura dell'ente gestore: {ORGANIZATION_KINDS_TEXT}.", "cooperativa"),
    "indirizzo": ("Via e numero civico della sede del servizio.", "Via Roma 1"),
    "cap": ("CAP della sede, 5 cifre. Colonna di testo: gli zeri iniziali restano.", "20099"),
    "comune": ("Comune della sede, scritto per esteso.", "Sesto San Giovanni"),
    "codice_istat": (
        "Codice ISTAT del comune, 6 cifre con gli zeri iniziali; se vuoto lo ricaviamo dal "
        "nome del comune. Colonna di testo.",
        "015209",
    ),
    "lat": (
        "Latitudine della sede in gradi decimali (WGS84), per esempio copiata da una mappa; "
        "se lat e lon sono vuote usiamo il centro del comune.",
        "45.53852",
    ),
    "lon": ("Longitudine della sede in gradi decimali (WGS84), insieme a lat.", "9.22118"),
    "orari": (
        "Orario settimanale: gruppi separati da «; », ogni gruppo GIORNI FASCE; giorni lun "
        "mar mer gio ven sab dom, intervallo lun-ven o elenco lun,mer,ven; fasce HH:MM-HH:MM "
        "separate da virgola.",
        "lun-ven 07:30-12:30, 13:30-18:00; sab 08:00-12:00",
    ),
    "periodi": (
        "Periodi di apertura AAAA-MM-GG/AAAA-MM-GG (inizio/fine), separati da «; ».",
        "2026-09-01/2027-07-31",
    ),
    "corso_babysitter_il": (
        "Solo per le babysitter: la data del corso per l'iscrizione all'elenco (GG/MM/AAAA). "
        "Per gli altri servizi lascia vuoto.",
        "",
    ),
    "corso_babysitter_scadenza": (
        "Solo per le babysitter: fino a quando vale il corso (GG/MM/AAAA); dopo la scadenza la "
        "babysitter non compare più nella ricerca. Per gli altri servizi lascia vuoto.",
        "",
    ),
    "primo_soccorso_il": (
        "Solo per le babysitter: la data del corso di primo soccorso pediatrico (GG/MM/AAAA). "
        "Per gli altri servizi lascia vuoto.",
        "",
    ),
    "primo_soccorso_scadenza": (
        "Solo per le babysitter: fino a quando vale il primo soccorso pediatrico (GG/MM/AAAA); "
        "dopo la scadenza la babysitter non compare più nella ricerca. Per gli altri servizi "
        "lascia vuoto.",
        "",
    ),
    SCHOOL_CODE_COLUMN: (
        "Codice meccanografico MIUR della scuola primaria che ospita il servizio (10 caratteri, "
        "si trova su «Scuola in Chiaro»); facoltativo. Colonna di testo.",
        "MIEE000000",
    ),
}
#: each column's help (description, example) before a template's own
BASE_COLUMN_HELP: dict[str, tuple[str, str]] = _STRUCTURE_HELP | {
    field.column: (field.column_help, field.column_example) for field in LISTING_FIELDS
}

_EMPTY = "Lascia vuoto."


@dataclass(frozen=True)
class _Template:
    title: str
    extra_columns: tuple[str, ...]
    #: column → (description or None to keep the base one, example or None)
    overrides: Mapping[str, tuple[str | None, str | None]]
    notes: tuple[str, ...]
    examples: tuple[Mapping[str, str], ...]


_PLACE = {"cap": "20099", "comune": "Sesto San Giovanni", "codice_istat": "015209"}
_TEMPLATES: dict[str, _Template] = {
    "nidi": _Template(
        title="Nidi e servizi per l'infanzia (0–6 anni)",
        extra_columns=(),
        overrides={
            "tipo": (None, "nido"),
            "costo_euro": (
                "Retta mensile in euro (420 o 95,50); per i nidi pubblici con retta in base "
                "all'ISEE indica un importo mensile tipico. Vuoto se non noto.",
                "420",
            ),
            "periodi": (
                "Anno educativo AAAA-MM-GG/AAAA-MM-GG; più periodi separati da «; ».",
                None,
            ),
            "nidi_gratis": (
                "sì se il nido aderisce alla misura «Nidi Gratis» di Regione Lombardia (retta "
                "azzerata per le famiglie con i requisiti), no se non aderisce; vuoto se non "
                "noto. Per le scuole dell'infanzia lascia vuoto.",
                None,
            ),
        },
        notes=(
            "Età in mesi: un nido che accoglie dai 3 mesi ai 3 anni ha eta_min_mesi 3 ed "
            "eta_max_mesi 36; una scuola dell'infanzia va da 36 a 72.",
            "Per i nidi pubblici la retta dipende dall'ISEE: in costo_euro indica un importo "
            "mensile tipico, con costo_per = mese.",
        ),
        examples=(
            {
                "codice": "ESEMPIO-NIDO-01",
                "tipo": "nido",
                "nome": "Nido comunale Girasole",
                "ente_gestore": "Comune di Sesto San Giovanni",
                "tipo_ente": "comune",
                "settore": "pubblico",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Nido comunale a tempo pieno con "
                "cucina interna; la retta dipende dall'ISEE, l'importo è quello tipico.",
                "eta_min_mesi": "3",
                "eta_max_mesi": "36",
                "indirizzo": "Via dell'Esempio 1",
                **_PLACE,
                "lat": "45.5342",
                "lon": "9.2364",
                "orari": "lun-ven 07:30-18:00",
                "periodi": "2026-09-01/2027-07-31",
                "posti_totali": "60",
                "posti_disponibili": "2",
                "costo_euro": "420",
                "costo_per": "mese",
                "telefono": "02 0000 1101",
                "email": "nido.girasole@example.org",
                "sito_web": "https://example.org/nido-girasole",
                "come_iscriversi": "Domanda online sul portale del Comune dal 1° al 31 marzo; "
                "graduatoria pubblicata a maggio.",
                "nidi_gratis": "sì",
            },
            {
                "codice": "ESEMPIO-NIDO-02",
                "tipo": "sezione_primavera",
                "nome": "Sezione primavera Il Bruco",
                "ente_gestore": "Cooperativa sociale Esempio",
                "tipo_ente": "cooperativa",
                "settore": "privato_accreditato",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Sezione primavera per bambini "
                "dai 24 ai 36 mesi, con giardino; il sabato solo al mattino.",
                "eta_min_mesi": "24",
                "eta_max_mesi": "36",
                "indirizzo": "Via dell'Esempio 3",
                **_PLACE,
                "lat": "45.5351",
                "lon": "9.2377",
                "orari": "lun-ven 08:00-15:30; sab 08:00-12:00",
                "periodi": "2026-09-01/2027-07-31",
                "posti_totali": "20",
                "posti_disponibili": "0",
                "costo_euro": "310.5",
                "costo_per": "mese",
                "telefono": "02 0000 1102",
                "email": "primavera.bruco@example.org",
                "come_iscriversi": "Colloquio con la coordinatrice su appuntamento, poi modulo "
                "di iscrizione in segreteria.",
                "nidi_gratis": "no",
            },
        ),
    ),
    "centri-estivi": _Template(
        title="Centri estivi",
        extra_columns=(),
        overrides={
            "tipo": (None, "centro_estivo"),
            "nome": (None, "Centro estivo Sole e Gioco"),
            "eta_min_mesi": (None, "72"),
            "eta_max_mesi": (None, "132"),
            "periodi": (
                "Un periodo per ogni modulo settimanale, dal lunedì al venerdì, separati da «; ».",
                "2027-06-14/2027-06-18; 2027-06-21/2027-06-25",
            ),
            "costo_euro": ("Quota di un modulo settimanale in euro (95 o 82,50).", "95"),
            "costo_per": ("settimana: la quota è per un modulo settimanale.", "settimana"),
        },
        notes=(
            "Moduli settimanali: in periodi scrivi un periodo per ogni settimana di apertura, "
            "dal lunedì al venerdì, separati da «; »: per esempio "
            "«2027-06-14/2027-06-18; 2027-06-21/2027-06-25». Le famiglie cercano le settimane "
            "in cui serve loro il centro.",
            "Quota settimanale: in costo_euro indica la quota di una settimana e in costo_per "
            "scrivi settimana. Se la quota cambia da una settimana all'altra indica la più "
            "frequente e spiega le differenze nella descrizione.",
            "Età in mesi: 3 anni = 36, 6 anni = 72, 11 anni = 132, 14 anni = 168.",
        ),
        examples=(
            {
                "codice": "ESEMPIO-ESTIVO-01",
                "tipo": "centro_estivo",
                "nome": "Centro estivo Sole e Gioco",
                "ente_gestore": "Associazione sportiva Esempio",
                "tipo_ente": "associazione",
                "settore": "privato",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Centro estivo a moduli "
                "settimanali per bambini della scuola primaria; pranzo compreso nella quota.",
                "eta_min_mesi": "72",
                "eta_max_mesi": "132",
                "indirizzo": "Via dell'Esempio 5",
                **_PLACE,
                "lat": "45.533",
                "lon": "9.235",
                "orari": "lun-ven 08:00-17:00",
                "periodi": "2027-06-14/2027-06-18; 2027-06-21/2027-06-25; 2027-06-28/2027-07-02",
                "posti_totali": "60",
                "posti_disponibili": "12",
                "costo_euro": "95",
                "costo_per": "settimana",
                "telefono": "02 0000 1114",
                "email": "estivo.solegioco@example.org",
                "come_iscriversi": "Iscrizione online entro il 15 maggio, una settimana alla "
                "volta.",
            },
            {
                "codice": "ESEMPIO-ESTIVO-02",
                "tipo": "centro_estivo",
                "nome": "Centro estivo Piccoli Esploratori",
                "ente_gestore": "Comune di Sesto San Giovanni",
                "tipo_ente": "comune",
                "settore": "pubblico",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Centro estivo di luglio per "
                "bambini della scuola dell'infanzia, nei locali della scuola comunale.",
                "eta_min_mesi": "36",
                "eta_max_mesi": "72",
                "indirizzo": "Via dell'Esempio 11",
                **_PLACE,
                "lat": "45.5318",
                "lon": "9.2391",
                "orari": "lun-ven 07:45-16:00",
                "periodi": "2027-07-05/2027-07-09; 2027-07-12/2027-07-16",
                "posti_totali": "40",
                "posti_disponibili": "5",
                "costo_euro": "82.5",
                "costo_per": "settimana",
                "telefono": "02 0000 1115",
                "email": "estivo.esploratori@example.org",
                "come_iscriversi": "Modulo all'ufficio scuola del Comune entro il 30 aprile.",
            },
        ),
    ),
    "pre-post-scuola": _Template(
        title="Pre-scuola e post-scuola",
        extra_columns=(SCHOOL_CODE_COLUMN,),
        overrides={
            "tipo": (None, "pre_scuola"),
            "eta_min_mesi": (None, "72"),
            "eta_max_mesi": (None, "132"),
            "indirizzo": ("Via e numero civico della scuola che ospita il servizio.", None),
            "orari": (None, "lun-ven 07:30-08:30"),
            "periodi": ("Anno scolastico AAAA-MM-GG/AAAA-MM-GG.", "2026-09-14/2027-06-08"),
            "costo_euro": ("Costo mensile in euro (35 o 35,50).", "35"),
        },
        notes=(
            "Una riga per il pre-scuola e una per il post-scuola, anche se si svolgono nella "
            "stessa scuola: hanno orari, posti e costi diversi.",
            f"{SCHOOL_CODE_COLUMN}: il codice meccanografico MIUR della scuola primaria che "
            "ospita il servizio (es. MIEE000000, lo trovi su «Scuola in Chiaro»). È "
            "facoltativo ma aiuta le famiglie a trovare il servizio della scuola dei figli.",
        ),
        examples=(
            {
                "codice": "ESEMPIO-PRE-01",
                "tipo": "pre_scuola",
                "nome": "Pre-scuola Scuola primaria Esempio",
                "ente_gestore": "Comune di Sesto San Giovanni",
                "tipo_ente": "comune",
                "settore": "pubblico",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Accoglienza prima delle lezioni "
                "per gli alunni della scuola primaria, con educatori del servizio comunale.",
                "eta_min_mesi": "72",
                "eta_max_mesi": "132",
                "indirizzo": "Via dell'Esempio 7",
                **_PLACE,
                "lat": "45.5366",
                "lon": "9.2318",
                "orari": "lun-ven 07:30-08:30",
                "periodi": "2026-09-14/2027-06-08",
                "posti_totali": "40",
                "posti_disponibili": "6",
                "costo_euro": "35",
                "costo_per": "mese",
                "telefono": "02 0000 1118",
                "email": "prescuola@example.org",
                "come_iscriversi": "Domanda online sul portale del Comune a giugno, per "
                "l'anno scolastico successivo.",
                SCHOOL_CODE_COLUMN: "MIEE000000",
            },
            {
                "codice": "ESEMPIO-POST-01",
                "tipo": "post_scuola",
                "nome": "Post-scuola Scuola primaria Esempio",
                "ente_gestore": "Comune di Sesto San Giovanni",
                "tipo_ente": "comune",
                "settore": "pubblico",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Sorveglianza, merenda e compiti "
                "dopo le lezioni per gli alunni della scuola primaria.",
                "eta_min_mesi": "72",
                "eta_max_mesi": "132",
                "indirizzo": "Via dell'Esempio 7",
                **_PLACE,
                "lat": "45.5366",
                "lon": "9.2318",
                "orari": "lun-ven 16:30-18:00",
                "periodi": "2026-09-14/2027-06-08",
                "posti_totali": "50",
                "posti_disponibili": "0",
                "costo_euro": "55.5",
                "costo_per": "mese",
                "telefono": "02 0000 1119",
                "email": "postscuola@example.org",
                "come_iscriversi": "Domanda online sul portale del Comune a giugno, per "
                "l'anno scolastico successivo.",
                SCHOOL_CODE_COLUMN: "MIEE000000",
            },
        ),
    ),
    "babysitter": _Template(
        title="Babysitter dell'elenco dello sportello",
        extra_columns=(),
        overrides={
            "tipo": (None, "babysitter"),
            "nome": (
                "Solo il nome e l'iniziale del cognome: il cognome intero non viene mai "
                "pubblicato.",
                "Giulia R.",
            ),
            "ente_gestore": ("Ripeti il nome e l'iniziale, oppure lascia vuoto.", "Giulia R."),
            "tipo_ente": (None, "persona"),
            "settore": (None, "privato"),
            "eta_min_mesi": (None, "0"),
            "eta_max_mesi": (None, "144"),
            "indirizzo": (f"{_EMPTY} L'indirizzo di casa non viene mai pubblicato.", ""),
            "lat": (f"{_EMPTY} Sulla mappa compare il centro del comune.", ""),
            "lon": (f"{_EMPTY} Sulla mappa compare il centro del comune.", ""),
            "orari": ("Disponibilità settimanale, nello stesso formato degli orari.", None),
            "periodi": ("Periodo in cui la babysitter è disponibile.", "2026-09-01/2027-08-31"),
            "posti_totali": (_EMPTY, ""),
            "posti_disponibili": (_EMPTY, ""),
            "costo_euro": ("Tariffa oraria in euro (10 o 9,50).", "10"),
            "costo_per": (None, "ora"),
            "telefono": (
                "Telefono dello sportello che gestisce l'elenco, mai quello personale della "
                "babysitter. Colonna di testo.",
                "02 0000 1000",
            ),
            "email": (
                "E-mail dello sportello che gestisce l'elenco, mai quella personale della "
                "babysitter.",
                "sportello.famiglialavoro@example.org",
            ),
            "sito_web": ("Pagina dello sportello, oppure vuoto.", ""),
            "comuni_serviti": (
                "I comuni in cui la babysitter lavora, separati da «;»: le famiglie di quei "
                "comuni la trovano qualunque sia la distanza.",
                "Sesto San Giovanni; Cinisello Balsamo",
            ),
            "corso_babysitter_il": ("Data del corso per l'elenco (GG/MM/AAAA).", "15/03/2026"),
            "corso_babysitter_scadenza": (
                "Fino a quando vale il corso (GG/MM/AAAA): scaduto, la babysitter non compare "
                "più nella ricerca finché lo sportello non registra il rinnovo.",
                "14/03/2029",
            ),
            "primo_soccorso_il": (
                "Data del corso di primo soccorso pediatrico (GG/MM/AAAA).",
                "10/02/2026",
            ),
            "primo_soccorso_scadenza": (
                "Fino a quando vale il primo soccorso pediatrico (GG/MM/AAAA): scaduto, la "
                "babysitter non compare più nella ricerca.",
                "09/02/2028",
            ),
        },
        notes=(
            "Le babysitter sono persone: pubblichiamo solo il nome e l'iniziale del cognome "
            "(«Giulia R.»). Non scrivere l'indirizzo di casa: lascia vuote indirizzo, lat e "
            "lon; sulla mappa compare il centro del comune.",
            "Telefono ed e-mail devono essere quelli dello sportello che gestisce l'elenco, "
            "mai quelli personali della babysitter: le famiglie contattano lo sportello.",
            "Inserisci solo le babysitter che hanno dato il consenso a comparire nell'elenco.",
        ),
        examples=(
            {
                "codice": "ESEMPIO-BABY-01",
                "tipo": "babysitter",
                "nome": "Giulia R.",
                "ente_gestore": "Giulia R.",
                "tipo_ente": "persona",
                "settore": "privato",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Babysitter iscritta all'elenco "
                "dello sportello, esperienza con neonati. Contatti tramite lo sportello.",
                "eta_min_mesi": "0",
                "eta_max_mesi": "144",
                **_PLACE,
                "orari": "lun-ven 16:00-20:00; sab 09:00-13:00",
                "periodi": "2026-09-01/2027-08-31",
                "costo_euro": "10",
                "costo_per": "ora",
                "telefono": "02 0000 1000",
                "email": "sportello.famiglialavoro@example.org",
                "comuni_serviti": "Sesto San Giovanni; Cinisello Balsamo",
                "come_iscriversi": "Chiedi allo sportello: fissa un primo incontro con la "
                "famiglia.",
                "corso_babysitter_il": "15/03/2026",
                "corso_babysitter_scadenza": "14/03/2029",
                "primo_soccorso_il": "10/02/2026",
                "primo_soccorso_scadenza": "09/02/2028",
            },
            {
                "codice": "ESEMPIO-BABY-02",
                "tipo": "babysitter",
                "nome": "Martina C.",
                "ente_gestore": "Martina C.",
                "tipo_ente": "persona",
                "settore": "privato",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Babysitter disponibile la sera, "
                "anche il sabato. Contatti tramite lo sportello.",
                "eta_min_mesi": "12",
                "eta_max_mesi": "120",
                **_PLACE,
                "orari": "lun-sab 19:30-23:30",
                "periodi": "2026-09-01/2027-08-31",
                "costo_euro": "12.5",
                "costo_per": "ora",
                "telefono": "02 0000 1000",
                "email": "sportello.famiglialavoro@example.org",
                "comuni_serviti": "Sesto San Giovanni",
                "come_iscriversi": "Chiedi allo sportello: fissa un primo incontro con la "
                "famiglia.",
                "corso_babysitter_il": "02/10/2025",
                "corso_babysitter_scadenza": "01/10/2028",
                "primo_soccorso_il": "20/05/2025",
                "primo_soccorso_scadenza": "19/05/2027",
            },
        ),
    ),
    "sportelli": _Template(
        title="Sportelli Famiglia-Lavoro",
        extra_columns=(),
        overrides={
            "tipo": (None, "sportello"),
            "nome": (None, "Sportello Famiglia-Lavoro di Sesto San Giovanni"),
            "tipo_ente": (None, "comune"),
            "settore": (None, "pubblico"),
            "eta_min_mesi": (_EMPTY, ""),
            "eta_max_mesi": (_EMPTY, ""),
            "orari": (
                "Orari di apertura al pubblico.",
                "lun 09:00-12:30; mer 14:00-17:30; ven 09:00-12:30",
            ),
            "periodi": (None, "2026-09-01/2027-08-31"),
            "posti_totali": (_EMPTY, ""),
            "posti_disponibili": (_EMPTY, ""),
            "costo_euro": (f"{_EMPTY} I servizi dello sportello sono gratuiti.", ""),
            "costo_per": (None, "gratuito"),
        },
        notes=(
            "Lascia vuote età, posti e costo_euro; in costo_per scrivi gratuito.",
            "Telefono ed e-mail dello sportello sono anche quelli pubblicati per le babysitter "
            "del suo elenco.",
        ),
        examples=(
            {
                "codice": "ESEMPIO-SPORT-01",
                "tipo": "sportello",
                "nome": "Sportello Famiglia-Lavoro di Sesto San Giovanni",
                "ente_gestore": "Comune di Sesto San Giovanni",
                "tipo_ente": "comune",
                "settore": "pubblico",
                "descrizione": f"{EXAMPLE_MARKER} questa riga. Informazioni su nidi, centri "
                "estivi, pre e post scuola, bonus e congedi; elenco delle babysitter.",
                "indirizzo": "Via dell'Esempio 9",
                **_PLACE,
                "lat": "45.5304",
                "lon": "9.234",
                "orari": "lun 09:00-12:30; mer 14:00-17:30; ven 09:00-12:30",
                "periodi": "2026-09-01/2027-08-31",
                "costo_per": "gratuito",
                "telefono": "02 0000 1000",
                "email": "sportello.famiglialavoro@example.org",
                "sito_web": "https://example.org/sportello",
                "come_iscriversi": "Accesso libero negli orari di apertura; il mercoledì su "
                "appuntamento.",
            },
        ),
    ),
}


def _column_help(name: str) -> Mapping[str, ColumnHelp]:
    """Each column's base help, with the template's own description and example; without an
    example of its own a column shows the first example row's value (for `codice`, that code
    without the example prefix)."""
    template = _TEMPLATES[name]
    first_example = template.examples[0]
    table = {}
    for column in (*SHEET_COLUMNS, *template.extra_columns):
        description, example = BASE_COLUMN_HELP[column]
        own_description, own_example = template.overrides.get(column, (None, None))
        if column == "codice":  # a real code, not an example's
            own_example = first_example["codice"].replace(EXAMPLE_CODE_PREFIX, "SESTO-", 1)
        elif own_example is None and first_example.get(column):
            own_example = first_example[column].removeprefix(f"{EXAMPLE_MARKER} questa riga. ")
        table[column] = ColumnHelp(
            column=column,
            description=own_description if own_description is not None else description,
            example=own_example if own_example is not None else example,
            required=column in REQUIRED_COLUMNS,
        )
    return MappingProxyType(table)


#: template name → column → its help, in the template's column order
COLUMN_HELP: Mapping[str, Mapping[str, ColumnHelp]] = MappingProxyType(
    {name: _column_help(name) for name in TEMPLATE_KINDS}
)


def template_columns(name: str) -> tuple[str, ...]:
    return (*SHEET_COLUMNS, *_template(name).extra_columns)


def example_rows(name: str) -> list[dict[str, str]]:
    """The template's example rows, every column present ("" when empty)."""
    columns = template_columns(name)
    return [{column: row.get(column, "") for column in columns} for row in _template(name).examples]


def template_csv(name: str) -> str:
    """Header and example rows, `;`-delimited, CRLF line ends, starting with a BOM
    ("\\ufeff"): write it encoded as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    columns = template_columns(name)
    writer.writerow(columns)
    for row in example_rows(name):
        writer.writerow([row[column] for column in columns])
    return "\ufeff" + buffer.getvalue()


def template_xlsx(name: str) -> bytes:
    template = _template(name)
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, name, template)
    _write_data_sheet(workbook.create_sheet(DATA_SHEET), name)
    workbook.properties.title = f"Conciliamo – {template.title}"
    workbook.properties.creator = "Conciliamo"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template(name: str) -> _Template:
    try:
        return _TEMPLATES[name]
    except KeyError:
        raise KeyError(
            f"modello sconosciuto «{name}»: usa uno tra {', '.join(TEMPLATE_NAMES)}"
        ) from None


# ---- the XLSX sheets --------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
HEADING = Font(bold=True, size=12)
EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
EXAMPLE_FILL = PatternFill("solid", start_color="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_FORMAT = "@"
#: widths of the instructions sheet's columns, in characters: colonna, obbligatoria, ...
INSTRUCTION_WIDTHS = (22, 14, 80, 44)
LINE_HEIGHT = 15


def _write_instructions(sheet: Worksheet, name: str, template: _Template) -> None:
    for index, width in enumerate(INSTRUCTION_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    text_columns = [column for column in template_columns(name) if column in TEXT_COLUMNS]
    row = 1
    sheet.cell(row, 1, f"Conciliamo – modulo di raccolta: {template.title}").font = TITLE
    row += 2
    steps = (
        f"Compila il foglio «{DATA_SHEET}»: una riga per ogni servizio. Non cambiare i nomi "
        "delle colonne nella prima riga e non aggiungere righe sopra di essa.",
        f"Le righe colorate sono esempi di fantasia ({EXAMPLE_MARKER}): cancellale prima di "
        "inviare il file.",
        f"Sono obbligatorie le colonne {', '.join(REQUIRED_COLUMNS)}; le altre lasciale vuote "
        "se non le conosci.",
        f"Le colonne {', '.join(text_columns)} sono in formato Testo, così gli zeri iniziali "
        "restano (015209). Non trasformarle in numeri; se incolli dati da un altro file usa "
        "«Incolla valori».",
        "Per tipo, settore e costo_per scegli dall'elenco a discesa della cella.",
        "Età in mesi compiuti; importi in euro senza simbolo (95,50); date come AAAA-MM-GG.",
        "Salva il file in formato .xlsx (non .xls) e senza password, poi invialo.",
    )
    row = _heading(sheet, row, "Come compilare")
    for number, step in enumerate(steps, start=1):
        row = _paragraph(sheet, row, f"{number}. {step}")
    if template.notes:
        row = _heading(sheet, row + 1, f"Da sapere per questo modulo: {template.title}")
        for note in template.notes:
            row = _paragraph(sheet, row, f"• {note}")

    row = _heading(sheet, row + 1, "Colonne")
    row = _table_header(sheet, row, ("Colonna", "Obbligatoria", "Descrizione", "Esempio"))
    for entry in COLUMN_HELP[name].values():
        sheet.cell(row, 1, entry.column).font = BOLD
        sheet.cell(row, 2, "sì" if entry.required else "no")
        sheet.cell(row, 3, entry.description).alignment = WRAP
        sheet.cell(row, 4, entry.example or "(vuoto)").alignment = WRAP
        sheet.cell(row, 4).number_format = TEXT_FORMAT
        sheet.row_dimensions[row].height = LINE_HEIGHT * max(
            _lines(entry.description, INSTRUCTION_WIDTHS[2]),
            _lines(entry.example, INSTRUCTION_WIDTHS[3]),
        )
        row += 1

    for column, values in _allowed_values(name).items():
        row = _heading(sheet, row + 1, f"Valori ammessi per «{column}»")
        row = _table_header(sheet, row, ("Valore", "", "Significato"))
        for value, meaning in values:
            sheet.cell(row, 1, value).font = BOLD
            sheet.cell(row, 3, meaning).alignment = WRAP
            row += 1


def _allowed_values(name: str) -> dict[str, list[tuple[str, str]]]:
    return {
        "tipo": [(kind.value, kind.label_it) for kind in TEMPLATE_KINDS[name]],
        "settore": [
            (sector.value, f"{SECTOR_LABELS_IT[sector]} – {SECTOR_MEANINGS[sector]}")
            for sector in Sector
        ],
        "costo_per": list(COST_PERIODS.items()),
    }


def _heading(sheet: Worksheet, row: int, text: str) -> int:
    sheet.cell(row, 1, text).font = HEADING
    return row + 1


def _paragraph(sheet: Worksheet, row: int, text: str) -> int:
    """Text over the whole width of the table, wrapped, with a height that fits it."""
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    cell = sheet.cell(row, 1, text)
    cell.alignment = WRAP
    sheet.row_dimensions[row].height = LINE_HEIGHT * _lines(text, sum(INSTRUCTION_WIDTHS))
    return row + 1


def _table_header(sheet: Worksheet, row: int, titles: tuple[str, ...]) -> int:
    for index, title in enumerate(titles, start=1):
        cell = sheet.cell(row, index, title or None)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    return row + 1


def _lines(text: str, width: int) -> int:
    """Rough number of wrapped lines: character widths vary, so leave some room."""
    return max(1, math.ceil(len(text) / (width * 0.9)))


def _write_data_sheet(sheet: Worksheet, name: str) -> None:
    columns = template_columns(name)
    column_help = COLUMN_HELP[name]
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        entry = column_help[str(cell.value)]
        note = f"{entry.description}\nEsempio: {entry.example or '(vuoto)'}"
        cell.comment = Comment(note, "Conciliamo", height=30 + 15 * _lines(note, 45), width=320)
    sheet.freeze_panes = "A2"
    examples = example_rows(name)
    for row in examples:
        sheet.append([_cell_value(column, row[column]) for column in columns])
    for row_cells in sheet.iter_rows(min_row=2, max_row=1 + len(examples)):
        for cell in row_cells:
            cell.font = EXAMPLE_FONT
            cell.fill = EXAMPLE_FILL

    allowed = _allowed_values(name)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        values = [column, column_help[column].example, *(row[column] for row in examples)]
        values += [value for value, _ in allowed.get(column, [])]
        width = max(len(value) for value in values) + 2
        sheet.column_dimensions[letter].width = min(max(width, 10), 60)
        if column in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            for (cell,) in sheet.iter_rows(
                min_row=2, max_row=DATA_ROWS + 1, min_col=index, max_col=index
            ):
                cell.number_format = TEXT_FORMAT

    for column, choices in allowed.items():
        _drop_down(sheet, columns.index(column) + 1, column, [value for value, _ in choices])


def _cell_value(column: str, text: str) -> str | int | float | None:
    """Numbers in number columns (as a person would type them), the rest as text."""
    if not text:
        return None
    if column in NUMBER_COLUMNS:
        try:
            return int(text)
        except ValueError:
            return float(text)
    return text


def _drop_down(sheet: Worksheet, index: int, column: str, values: list[str]) -> None:
    letter = get_column_letter(index)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"Valore non ammesso in {column}",
        error=f"Scegli uno tra: {', '.join(values)}",
        showInputMessage=True,
        promptTitle=column,
        prompt=f"Scegli dall'elenco: {', '.join(values)}",
    )
    validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    sheet.add_data_validation(validation)
