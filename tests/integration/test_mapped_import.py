"""A comune's own sheet, with its own headers and free text, through a mapping file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from factories import import_demo
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance
from importers.pipeline import import_file
from importers.readers import SourceFileError
from importers.sources.mapped_sheet import MappedSheetSource, Mapping

pytestmark = pytest.mark.integration

MAPPING = """
source = "comune-cremona-nidi"
kind = "nido"
[columns]
codice = "ID"
nome = "Denominazione"
tipo = "Tipologia"
indirizzo = "Indirizzo"
comune = "Comune"
orari = "Orario di apertura"
eta = "Età accolta"
costo = "Retta mensile"
telefono = "Recapito"
[values.tipo]
"Asilo nido" = "nido"
"Micro-nido" = "micronido"
"""
HEADER = [
    "ID",
    "Denominazione",
    "Tipologia",
    "Indirizzo",
    "Comune",
    "Orario di apertura",
    "Età accolta",
    "Retta mensile",
    "Recapito",
]
ROWS = [
    [
        "CR-01",
        "Asilo nido Il Torrazzo",
        "Asilo nido",
        "Via Palestro 10",
        "Cremona",
        "dal lunedì al venerdì dalle 7.30 alle 16.30",
        "da 3 a 36 mesi",
        "€ 450/mese",
        "0372 000 999",
    ],
    [
        "CR-02",
        "Micro-nido La Viola",
        "Micro-nido",
        "Corso Garibaldi 5",
        "Cremona",
        "lun-ven 8-13; orario prolungato su richiesta",
        "12-36 mesi",
        "in base all'ISEE",
        "",
    ],
    [
        "CR-03",
        "Nido senza orari chiari",
        "Asilo nido",
        "Via Dante 1",
        "Cremona",
        "quando possibile",
        "3-36 mesi",
        "gratuito",
        "",
    ],
]


@pytest.fixture
def mapping(tmp_path: Path) -> Mapping:
    path = tmp_path / "mappatura.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return Mapping.load(path)


def _write_csv_cp1252(path: Path) -> Path:
    """As Excel saves a CSV on an Italian Windows: ';', CRLF, Windows-1252."""
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows([HEADER, *ROWS])
    return path


def _write_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("writer", [_write_csv_cp1252, _write_xlsx], ids=["csv-cp1252", "xlsx"])
def test_mapped_sheet_imports_with_free_text(
    engine: Engine, mapping: Mapping, tmp_path: Path, writer
) -> None:
    import_demo(engine)  # the gazetteer knows Cremona
    path = writer(tmp_path / f"nidi{'.xlsx' if writer is _write_xlsx else '.csv'}")

    report = import_file(engine, MappedSheetSource(mapping), path)

    assert (report.read, report.inserted, report.rejected) == (3, 2, 1)
    assert [str(problem) for problem in report.problems] == [
        f"{path.name}, riga 4, campo «orario di apertura»: " + report.problems[0].message
    ]
    assert "quando possibile" in report.problems[0].message
    with Session(engine) as session:
        services = {
            p.external_id: p.service
            for p in session.exec(
                select(Provenance).where(Provenance.source == "comune-cremona-nidi")
            )
        }
        torrazzo = services["CR-01"]
        assert (torrazzo.kind, torrazzo.age_min_months, torrazzo.age_max_months) == ("nido", 3, 36)
        assert (torrazzo.cost_cents, torrazzo.cost_period) == (45000, "mese")
        hours = {
            (r.weekday, f"{r.opens_at:%H:%M}", f"{r.closes_at:%H:%M}")
            for r in torrazzo.schedule_rows
        }
        assert hours == {(day, "07:30", "16:30") for day in range(1, 6)}
        viola = services["CR-02"]
        assert viola.kind == "micronido"
        assert viola.cost_cents is None
        assert "Retta in base all'ISEE." in viola.description
        assert "Orari:" in viola.description  # «prolungato su richiesta» kept as a note

    again = import_file(engine, MappedSheetSource(mapping), path)
    assert again.unchanged == 2


def test_incomplete_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[columns]\nnome = "Nome"\norario = "Orario"\n', encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        Mapping.load(path)
    assert str(error.value) == (
        "m.toml: mappatura incompleta; colonne sconosciute: orario; mancano: codice, comune; "
        "manca source; serve kind o la colonna tipo"
    )
