"""Files that are not what they claim: a clear message naming the file, and the database
exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import SERVICE_SHEET_HEADER, sheet_row
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import Location, Provenance, ScheduleRow, Service
from importers.pipeline import import_file
from importers.readers import SourceFileError
from importers.sources.service_sheet import ServiceSheetSource

pytestmark = pytest.mark.integration

SOURCE = ServiceSheetSource("comune-di-prova")


def _snapshot(engine: Engine) -> tuple[int, ...]:
    with Session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Service, Location, ScheduleRow, Provenance)
        )


@pytest.fixture
def populated(demo_engine: Engine) -> Engine:
    return demo_engine


def _rows(count: int) -> str:
    return "\n".join([SERVICE_SHEET_HEADER, *(sheet_row(f"T-{n}") for n in range(count))]) + "\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "servizi.csv: il file è vuoto"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "servizi.csv: non è un file CSV di testo "
            "(contiene byte nulli): salvalo come CSV UTF-8 dal foglio di calcolo",
        ),
        (
            b"codice:tipo:nome:comune\nA:nido:Nido:Cremona\n",
            "servizi.csv: mancano le colonne codice, tipo, nome, comune (colonne trovate: "
            "codice:tipo:nome:comune)",
        ),
        (
            _rows(3).encode()[:-40] + b',"' + b"x" * (50 * 1024 * 1024) + b"\n",
            "servizi.csv, riga 5: un campo supera 131.072 caratteri: il file è danneggiato o non "
            "è un CSV",
        ),
    ],
    ids=["empty", "binary-junk", "wrong-delimiter", "50-MB-line"],
)
def test_unusable_file_changes_nothing(
    populated: Engine, tmp_path: Path, content: bytes, message: str
) -> None:
    before = _snapshot(populated)
    path = tmp_path / "servizi.csv"
    path.write_bytes(content)

    with pytest.raises(SourceFileError) as error:
        import_file(populated, SOURCE, path)

    assert str(error.value) == message
    assert _snapshot(populated) == before


def test_truncated_file_keeps_its_whole_rows(populated: Engine, tmp_path: Path) -> None:
    """A download cut off mid-row: the cut row is rejected, the whole ones are stored."""
    path = tmp_path / "servizi.csv"
    text = _rows(3)
    path.write_text(text[: text.rindex(",Sesto San Giovanni,") + 5], encoding="utf-8")

    report = import_file(populated, SOURCE, path)

    assert (report.read, report.inserted, report.rejected) == (3, 2, 1)
    assert report.problems[0].line == 4
    assert report.problems[0].message == (
        "numero di colonne diverso dall'intestazione: controlla separatori e virgolette"
    )
