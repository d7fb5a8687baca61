"""A sheet with other headers (CSV or XLSX), read through a small TOML mapping file.

    source = "comune-cremona"          # part of every row's key
    kind = "nido"                      # when no column says the kind
    [columns]                          # our column = their header
    codice = "ID"
    nome = "Denominazione"
    comune = "Comune"
    orari = "Orario di apertura"       # free text: «dalle 7.30 alle 16.30», «lun-ven 8-16»
    eta = "Età accolta"                # free text: «da 3 a 36 mesi», «3-6 anni»
    costo = "Retta"                    # free text: «€ 450/mese», «gratuito», «in base all'ISEE»
    [values.tipo]                      # their words → our kinds
    "Asilo nido" = "nido"

Any column of the services sheet (demo/README.md) can be mapped; `orari`, `eta` and `costo`
also take free text, read by the normalisers. Problems name *their* headers.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.i18n import _, as_text
from core.places.gazetteer import Gazetteer
from importers.normalise.ages import AgeRangeError, parse_age_range
from importers.normalise.fees import FeeError, parse_fee
from importers.normalise.free_hours import FreeHoursError, parse_free_hours
from importers.normalise.schedule_text import (
    ScheduleTextError,
    format_weekly_hours,
    parse_weekly_hours,
)
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback, RawRow, SourceFileError
from importers.report import RowProblem
from importers.sources.service_sheet import COLUMN_OF_FIELD, ServiceSheetSource
from importers.tables import read_table_rows

SHEET_COLUMNS = frozenset(COLUMN_OF_FIELD.values())
FREE_TEXT_COLUMNS = frozenset({"eta", "costo"})
REQUIRED = ("codice", "nome", "comune")


@dataclass(frozen=True)
class Mapping:
    source: str
    columns: dict[str, str]
    kind: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise SourceFileError(
                _("{file}: mappatura non leggibile ({error})", file=path.name, error=as_text(error))
            ) from error
        columns = {str(k): str(v).strip().lower() for k, v in dict(data.get("columns", {})).items()}
        unknown = sorted(set(columns) - SHEET_COLUMNS - FREE_TEXT_COLUMNS)
        missing = [name for name in REQUIRED if name not in columns]
        if (
            unknown
            or missing
            or not data.get("source")
            or not (columns.get("tipo") or data.get("kind"))
        ):
            raise SourceFileError(
                _(
                    "{file}: mappatura incompleta{unknown}{missing}{source}{kind}",
                    file=path.name,
                    unknown=_("; colonne sconosciute: {columns}", columns=", ".join(unknown))
                    if unknown
                    else "",
                    missing=_("; mancano: {columns}", columns=", ".join(missing))
                    if missing
                    else "",
                    source=_("; manca source") if not data.get("source") else "",
                    kind=_("; serve kind o la colonna tipo")
                    if not (columns.get("tipo") or data.get("kind"))
                    else "",
                )
            )
        values = {
            str(c): {str(k).lower(): str(v) for k, v in dict(m).items()}
            for c, m in dict(data.get("values", {})).items()
        }
        return cls(str(data["source"]), columns, data.get("kind"), values)


@dataclass(frozen=True)
class MappedSheetSource:
    mapping: Mapping

    @property
    def name(self) -> str:
        return self.mapping.source

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        sheet = ServiceSheetSource(self.mapping.source)
        required = [self.mapping.columns[name] for name in REQUIRED]
        for raw in read_table_rows(path, required, on_progress):
            translated, problems = self.translate(raw, path.name)
            row = sheet.parse_row(translated, path.name, gazetteer)
            yield replace(
                row,
                record=None if problems else row.record,
                problems=[*problems, *map(self._their_header, row.problems)],
                flags=[*map(self._their_header, row.flags)],
            )

    def translate(self, raw: RawRow, file: str) -> tuple[RawRow, list[RowProblem]]:
        """Their row in our columns; free text read by the normalisers."""
        theirs = raw.values
        ours = {name: theirs.get(header, "") for name, header in self.mapping.columns.items()}
        for name, words in self.mapping.values.items():
            ours[name] = words.get(ours.get(name, "").strip().lower(), ours.get(name, ""))
        ours.setdefault("tipo", self.mapping.kind or "")
        ours["tipo"] = ours["tipo"] or self.mapping.kind or ""
        problems: list[RowProblem] = []
        notes: list[str] = []
        for name, reader in (("orari", _hours), ("eta", _ages), ("costo", _fee)):
            text = ours.pop(name, "") if name != "orari" else ours.get(name, "")
            if not text.strip():
                continue
            try:
                ours |= reader(text, notes)
            except (FreeHoursError, AgeRangeError, FeeError) as error:
                problems.append(RowProblem(file, raw.line, self.mapping.columns[name], error))
                ours["orari"] = "" if name == "orari" else ours.get("orari", "")
        if notes:
            ours["descrizione"] = " ".join([ours.get("descrizione", ""), *notes]).strip()
        return replace(raw, values=ours), problems

    def _their_header(self, problem: RowProblem) -> RowProblem:
        header = self.mapping.columns.get(problem.field)
        return replace(problem, field=header) if header else problem


def _hours(text: str, notes: list[str]) -> dict[str, str]:
    try:
        return {"orari": format_weekly_hours(parse_weekly_hours(text))}
    except ScheduleTextError:
        hours = parse_free_hours(text)
    notes.extend(f"Orari: {note}." for note in hours.notes)
    return {"orari": format_weekly_hours(hours.slots)}


def _ages(text: str, notes: list[str]) -> dict[str, str]:
    ages = parse_age_range(text)
    return {
        "eta_min_mesi": "" if ages.min_months is None else str(ages.min_months),
        "eta_max_mesi": "" if ages.max_months is None else str(ages.max_months),
    }


def _fee(text: str, notes: list[str]) -> dict[str, str]:
    fee = parse_fee(text)
    if fee.income_based:
        notes.append("Retta in base all'ISEE.")
    if fee.note:
        notes.append(f"Costo: {fee.note}.")
    amount = "" if fee.amount_cents is None else f"{fee.amount_cents / 100:.2f}"
    return {"costo_euro": amount if fee.period != "gratuito" else "", "costo_per": fee.period or ""}
