"""The Conciliamo services sheet: one row per service, Italian headers.

It is the format of our demo data and of the collection template a comune fills in. Its
columns (`COLUMN_OF_FIELD`, see demo/README.md) are a listing's declared fields
(`core.listing_fields`: tipo, nome, settore, descrizione, eta_min_mesi … verificato_il), each
read by its type, with the columns of the structures around them: codice; ente_gestore and
tipo_ente; indirizzo, cap, comune, codice_istat, lat, lon; orari and periodi; for
babysitters, corso_babysitter_il, corso_babysitter_scadenza, primo_soccorso_il,
primo_soccorso_scadenza (the registry course and the paediatric first-aid course: attended
on, valid until). Required: codice, tipo, nome, comune.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.i18n import Text, _
from core.kinds import GeocodePrecision, ServiceKind
from core.listing_fields import FIELDS_BY_NAME, LISTING_FIELDS, ValueType
from core.places.gazetteer import Gazetteer, alternatives
from importers.locate import LocateError, locate
from importers.normalise.preferences import languages_or_empty, names_list, yes_no_or_none
from importers.normalise.schedule_text import ScheduleTextError, parse_periods, parse_weekly_hours
from importers.normalise.values import (
    CellError,
    coordinate_or_none,
    euro_cents_or_none,
    integer_or_none,
    text_or_none,
    verification_date_or_none,
)
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback, RawRow
from importers.records import build_record, certificate_date_or_none
from importers.report import RowProblem
from importers.tables import read_table_rows

#: the code of the example rows in our collection templates
EXAMPLE_CODE_PREFIX = "ESEMPIO-"
#: the columns of what is not a plain field of the listing (core.listing_fields declares
#: those): record field → column
IDENTITY_COLUMNS = {"external_id": "codice"}
ORGANIZATION_COLUMNS = {"organization_name": "ente_gestore", "organization_kind": "tipo_ente"}
PLACE_COLUMNS = {
    "address": "indirizzo",
    "cap": "cap",
    "comune": "comune",
    "istat_code": "codice_istat",
    "latitude": "lat",
    "longitude": "lon",
}
HOURS_COLUMNS = {"slots": "orari", "periods": "periodi"}
#: a babysitter's certifications (optional)
CERTIFICATE_COLUMNS = {
    "registry_course_on": "corso_babysitter_il",
    "registry_course_expires_on": "corso_babysitter_scadenza",
    "first_aid_on": "primo_soccorso_il",
    "first_aid_expires_on": "primo_soccorso_scadenza",
}
#: where those columns sit in the sheet: before the declared field named, or (None) last
STRUCTURE_COLUMNS_BEFORE: tuple[tuple[str | None, dict[str, str]], ...] = (
    ("kind", IDENTITY_COLUMNS),
    ("sector", ORGANIZATION_COLUMNS),
    ("capacity", PLACE_COLUMNS | HOURS_COLUMNS),
    (None, CERTIFICATE_COLUMNS),
)
#: the structures' fields a row must have (with the declared fields marked required)
REQUIRED_STRUCTURE_FIELDS = frozenset({"external_id", "comune"})


def _column_of_field() -> dict[str, str]:
    before = dict(STRUCTURE_COLUMNS_BEFORE)
    table: dict[str, str] = {}
    for field in LISTING_FIELDS:
        table |= before.get(field.name, {})
        table[field.name] = field.column
    return table | before[None]


#: record field → column, in the sheet's order, so problems name the column the person sees
COLUMN_OF_FIELD = _column_of_field()
REQUIRED_COLUMNS = tuple(
    column
    for name, column in COLUMN_OF_FIELD.items()
    if name in REQUIRED_STRUCTURE_FIELDS
    or (name in FIELDS_BY_NAME and FIELDS_BY_NAME[name].required)
)
#: how a cell of each declared type is read
CELL_READERS: dict[ValueType, Callable[[str | None], Any]] = {
    ValueType.TEXT: text_or_none,
    ValueType.LONG_TEXT: lambda text: text_or_none(text) or "",
    ValueType.CHOICE: text_or_none,  # the record checks the value
    ValueType.WHOLE: integer_or_none,
    ValueType.EURO_CENTS: euro_cents_or_none,
    ValueType.YES_NO: yes_no_or_none,
    ValueType.LANGUAGES: languages_or_empty,
    ValueType.COMUNI: names_list,  # then looked up in the gazetteer
    ValueType.DATE: verification_date_or_none,
    ValueType.PHONE: text_or_none,
    ValueType.EMAIL: text_or_none,  # the record checks the address
    ValueType.WEBSITE: text_or_none,
}


@dataclass(frozen=True)
class ServiceSheetSource:
    name: str = "scheda-servizi"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for raw in read_table_rows(path, REQUIRED_COLUMNS, on_progress):
            yield self.parse_row(raw, path.name, gazetteer)

    def parse_row(self, raw: RawRow, file: str, gazetteer: Gazetteer) -> SourceRow:
        problems: list[RowProblem] = []
        if not raw.field_count_ok:
            problems.append(
                RowProblem(
                    file,
                    raw.line,
                    "*",
                    _(
                        "numero di colonne diverso "
                        "dall'intestazione: controlla separatori e virgolette"
                    ),
                )
            )
        cells = raw.values
        area_flags: list[RowProblem] = []

        def cell(column: str, parse: Callable[[str | None], Any] = text_or_none) -> Any:
            try:
                return parse(cells.get(column))
            except (CellError, ScheduleTextError) as error:
                problems.append(RowProblem(file, raw.line, column, error))
                return None

        text_columns = IDENTITY_COLUMNS | ORGANIZATION_COLUMNS | PLACE_COLUMNS
        fields: dict[str, Any] = {
            name: cell(column)
            for name, column in text_columns.items()
            if name not in {"latitude", "longitude"}
        }
        fields |= {
            field.name: cell(field.column, CELL_READERS[field.type]) for field in LISTING_FIELDS
        }
        fields |= {
            "source": self.name,
            "organization_name": fields["organization_name"] or fields["name"],
            "organization_kind": fields["organization_kind"] or "",
            **{
                field: cell(column, certificate_date_or_none)
                for field, column in CERTIFICATE_COLUMNS.items()
            },
            "slots": cell("orari", lambda text: parse_weekly_hours(text or "")),
            "periods": cell("periodi", lambda text: parse_periods(text or "")),
            # a code typed into a number cell loses its leading zeros: 6055 is CAP 06055
            "cap": _zero_padded(fields["cap"], 5),
            "istat_code": _zero_padded(fields["istat_code"], 6),
        }
        for field in LISTING_FIELDS:
            if field.type == ValueType.COMUNI:
                fields[field.name] = _service_area(
                    fields[field.name], gazetteer, area_flags, file, raw.line, field.column
                )
        if str(fields["external_id"] or "").upper().startswith(EXAMPLE_CODE_PREFIX):
            problems.append(
                RowProblem(
                    file,
                    raw.line,
                    "codice",
                    _("riga di esempio del modello: cancellala prima di importare"),
                )
            )
        latitude, longitude = cell("lat", coordinate_or_none), cell("lon", coordinate_or_none)
        precision = GeocodePrecision.ADDRESS
        school_code = text_or_none(cells.get("codice_scuola"))
        if school_code and latitude is None and not fields.get("address"):
            site = gazetteer.school_site(school_code)
            if site is None:
                problems.append(
                    RowProblem(
                        file,
                        raw.line,
                        "codice_scuola",
                        _(
                            "scuola «{school_code}» sconosciuta: importa prima il registro MIUR "
                            "(conciliamo import sedi-scolastiche) o scrivi indirizzo e comune",
                            school_code=school_code,
                        ),
                    )
                )
            else:  # pre/post-scuola at a school: the school's address and point
                fields |= {
                    "address": site.address,
                    "comune": site.comune,
                    "cap": site.cap,
                    "istat_code": site.istat_code,
                }
                latitude, longitude = site.latitude, site.longitude
                precision = GeocodePrecision(site.geocode_precision)
        flags: list[RowProblem] = list(area_flags)
        if not any(problem.field in {"lat", "lon", "codice_scuola"} for problem in problems):
            location_problems, flags = _locate(
                fields, latitude, longitude, gazetteer, file, raw.line, precision
            )
            problems.extend(location_problems)
        key = fields.get("external_id")
        if problems:
            return SourceRow(raw.line, None, problems, key=key)
        record = build_record(fields, file=file, line=raw.line, column_names=COLUMN_OF_FIELD)
        if isinstance(record, list):
            return SourceRow(raw.line, None, record, key=key)
        return SourceRow(raw.line, record, flags=flags, key=key)


def _service_area(
    names: tuple[str, ...] | None,
    gazetteer: Gazetteer,
    flags: list[RowProblem],
    file: str,
    line: int,
    column: str,
) -> tuple[str, ...]:
    """The ISTAT codes of the comuni a babysitter works in; an unknown name is left out and
    flagged (the listing is still useful: her own comune is where she is placed)."""
    codes: list[str] = []
    for name in names or ():
        comune = gazetteer.find(name)
        if comune is None:
            flags.append(RowProblem(file, line, column, unknown_comune(gazetteer, name)))
        elif comune.istat_code not in codes:
            codes.append(comune.istat_code)
    return tuple(codes)


def unknown_comune(gazetteer: Gazetteer, name: str) -> Text:
    hint = gazetteer.suggestions(name)
    if hint:
        return _(
            "comune sconosciuto «{comune}» (forse {suggestions}?): ignorato",
            comune=name,
            suggestions=alternatives(hint),
        )
    return _("comune sconosciuto «{comune}»: ignorato", comune=name)


def _zero_padded(code: str | None, width: int) -> str | None:
    return code.zfill(width) if code and code.isdigit() and len(code) < width else code


def _locate(
    fields: dict[str, Any],
    latitude: float | None,
    longitude: float | None,
    gazetteer: Gazetteer,
    file: str,
    line: int,
    precision: GeocodePrecision = GeocodePrecision.ADDRESS,
) -> tuple[list[RowProblem], list[RowProblem]]:
    """Fill in the point, ISTAT code and CAP; returns (problems that reject, flags)."""
    comune_name = fields.get("comune") or ""
    code = fields.get("istat_code")
    if code and gazetteer.find(code) is not None:
        comune_name = code
    if fields.get("kind") == ServiceKind.BABYSITTER and gazetteer.find(comune_name):
        latitude = longitude = None  # a person's home is never published: the comune's centre
    try:
        located = locate(
            gazetteer,
            comune_name=comune_name,
            cap=fields.get("cap"),
            latitude=latitude,
            longitude=longitude,
            precision=precision,
            address=fields.get("address"),
        )
    except LocateError as error:
        return [RowProblem(file, line, error.field, error)], []
    fields |= {
        "latitude": located.latitude,
        "longitude": located.longitude,
        "geocode_precision": located.precision,
        "geocode_source": located.source,
    }
    if located.comune is not None:
        fields["comune"] = located.comune.name
        fields["istat_code"] = fields.get("istat_code") or located.comune.istat_code
        fields["cap"] = fields.get("cap") or located.cap
    flags = [RowProblem(file, line, "lat/lon", located.flag)] if located.flag else []
    return [], flags
