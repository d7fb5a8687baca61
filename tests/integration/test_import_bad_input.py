"""Bad files and bad rows: clear errors naming file, line and field; nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import import_demo, sheet_row, write_sheet
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import Provenance, ScheduleRow, Service
from importers.pipeline import import_file
from importers.readers import SourceFileError
from importers.sources.service_sheet import ServiceSheetSource

pytestmark = pytest.mark.integration

SOURCE = ServiceSheetSource("comune-di-prova")


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        services = session.exec(select(func.count()).select_from(Service)).one()
        rows = session.exec(select(func.count()).select_from(ScheduleRow)).one()
    return services, rows


def test_binary_file_is_refused_and_nothing_is_lost(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)
    before = _counts(engine)
    corrupt = tmp_path / "servizi.csv"
    corrupt.write_bytes(b"codice,tipo\x00\x00\xff\xfe garbage")

    with pytest.raises(SourceFileError) as error:
        import_file(engine, SOURCE, corrupt)

    assert str(error.value) == (
        "servizi.csv: non è un file CSV di testo (contiene byte nulli): salvalo come CSV UTF-8 "
        "dal foglio di calcolo"
    )
    assert _counts(engine) == before


def test_file_broken_halfway_stores_none_of_its_rows(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)
    before = _counts(engine)
    rows = [sheet_row(f"T-{number}") for number in range(400)]  # > 64 KiB of good rows
    path = write_sheet(tmp_path / "servizi.csv", *rows)
    with path.open("ab") as handle:
        handle.write(sheet_row("T-BAD", nome="Nido \x00\x00").encode() + b"\n")
    assert path.stat().st_size > 64 * 1024

    with pytest.raises(SourceFileError) as error:
        import_file(engine, SOURCE, path)

    assert str(error.value) == (
        "servizi.csv, riga 402: byte nulli nel testo: il file è danneggiato o non è un CSV"
    )
    assert _counts(engine) == before
    with Session(engine) as session:
        stored = session.exec(select(Provenance).where(Provenance.source == SOURCE.name)).all()
    assert stored == []


def test_missing_columns_are_named(engine: Engine, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "servizi.csv", "X-1,nido", header="codice,tipologia")
    with pytest.raises(SourceFileError) as error:
        import_file(engine, SOURCE, path)
    assert str(error.value) == (
        "servizi.csv: mancano le colonne tipo, nome, comune (colonne trovate: codice, tipologia)"
    )


def test_bad_rows_are_rejected_with_their_line_and_field(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)  # brings the gazetteer the place checks use
    path = write_sheet(
        tmp_path / "servizi.csv",
        sheet_row("OK-1"),  # line 2
        sheet_row("BAD-AGE", eta_min_mesi="40", eta_max_mesi="12"),  # line 3
        sheet_row("BAD-LAT", lat="45,5x"),  # line 4
        sheet_row("FAR", lat="41.9028", lon="12.4964"),  # line 5: Rome, not Sesto
        sheet_row("NO-PLACE", comune="Sesto San Giovany", codice_istat="", lat="", lon=""),
        sheet_row("BAD-HOURS", orari="lun-ven 18:00-08:00"),  # line 7
        sheet_row("BAD-KIND", tipo="asilo"),  # line 8
        sheet_row("OK-1", nome="Doppione"),  # line 9
        sheet_row("OK-2", eta_min_mesi="", eta_max_mesi=""),  # line 10
    )

    report = import_file(engine, SOURCE, path)

    assert (report.read, report.inserted, report.rejected, report.flagged) == (9, 3, 6, 1)
    # a point 481 km from its comune is a wrong geocode: replaced, kept, and reported
    assert [str(flag) for flag in report.flags] == [
        "servizi.csv, riga 5, campo «lat/lon»: coordinate 41.9028, 12.4964 a 481 km da Sesto "
        "San Giovanni: sostituite con il centro di Sesto San Giovanni"
    ]
    assert [str(problem) for problem in report.problems] == [
        "servizi.csv, riga 3, campo «eta_max_mesi»: età massima 12 mesi minore dell'età minima "
        "40 mesi",
        "servizi.csv, riga 4, campo «lat»: «45,5x» non è un numero",
        "servizi.csv, riga 6, campo «comune»: comune sconosciuto «Sesto San Giovany» (forse "
        "Sesto San Giovanni?): aggiungi lat e lon o correggi il nome",
        'servizi.csv, riga 7, campo «orari»: orario "18:00-08:00": la chiusura deve essere dopo '
        "l'apertura",
        "servizi.csv, riga 8, campo «tipo»: valore «asilo» non ammesso: usa uno tra 'nido', "
        "'micronido', 'nido_famiglia', 'sezione_primavera', 'centro_prima_infanzia', "
        "'scuola_infanzia', 'centro_estivo', 'pre_scuola', 'post_scuola', 'babysitter' o "
        "'sportello'",
        "servizi.csv, riga 9, campo «codice»: codice «OK-1» già usato alla riga 2",
    ]
    with Session(engine) as session:
        names = session.exec(
            select(Service.name).join(Provenance).where(Provenance.source == SOURCE.name)
        ).all()
    assert sorted(names) == ["Nido di prova", "Nido di prova", "Nido di prova"]


def test_changed_row_updates_in_place(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)
    first = write_sheet(tmp_path / "v1.csv", sheet_row("T-1"), sheet_row("T-2"))
    import_file(engine, SOURCE, first)
    before = _counts(engine)

    second = write_sheet(
        tmp_path / "v2.csv",
        sheet_row("T-1", nome="Nido rinnovato", orari="lun-ven 07:00-19:00; sab 08:00-12:00"),
        sheet_row("T-2"),
    )
    report = import_file(engine, SOURCE, second)

    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    services, schedule_rows = _counts(engine)
    assert services == before[0]
    assert schedule_rows == before[1] + 1  # the Saturday slot; old rows replaced, not kept
    with Session(engine) as session:
        provenance = session.exec(select(Provenance).where(Provenance.external_id == "T-1")).one()
        assert provenance.service.name == "Nido rinnovato"
        assert len(provenance.service.schedule_rows) == 6


def test_babysitter_personal_data_is_minimised(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)
    path = write_sheet(
        tmp_path / "registro.csv",
        sheet_row(
            "BS-2",
            tipo="babysitter",
            nome="Anna Verdi",
            comune="Comune Inventato",
            codice_istat="",
            lat="45.53901",
            lon="9.22123",
        ),
        sheet_row(
            "BS-1",
            tipo="babysitter",
            nome="Giulia Maria Rossi",
            indirizzo="Via Privata 3",
            lat="45.53901",
            lon="9.22123",
            eta_min_mesi="0",
            eta_max_mesi="144",
        ),
    )
    report = import_file(engine, SOURCE, path)
    assert report.inserted == 2, report.problems
    with Session(engine) as session:
        service = (
            session.exec(select(Provenance).where(Provenance.external_id == "BS-1")).one().service
        )
        assert service.name == "Giulia R."
        assert service.organization.name == "Giulia R."
        assert service.location.address is None
        # the centre of Sesto San Giovanni from demo/comuni.csv, not the given point
        assert (service.location.latitude, service.location.longitude) == (45.5342, 9.2364)
        assert service.location.geocode_precision == "comune"
        # outside the gazetteer: the given point, no finer than about a kilometre
        unknown = (
            session.exec(select(Provenance).where(Provenance.external_id == "BS-2")).one().service
        )
        assert (unknown.name, unknown.location.address) == ("Anna V.", None)
        assert (unknown.location.latitude, unknown.location.longitude) == (45.54, 9.22)


def test_rows_gone_from_a_later_file_are_marked_never_deleted(
    engine: Engine, tmp_path: Path
) -> None:
    import_demo(engine)
    import_file(
        engine,
        SOURCE,
        write_sheet(tmp_path / "v1.csv", sheet_row("T-1"), sheet_row("T-2"), sheet_row("T-3")),
    )
    before = _counts(engine)

    # T-2 is gone; T-3 is still there but invalid this time: it is not "gone"
    later = write_sheet(tmp_path / "v2.csv", sheet_row("T-1"), sheet_row("T-3", tipo="asilo"))
    report = import_file(engine, SOURCE, later)

    assert (report.unchanged, report.rejected, report.missing) == (1, 1, 1)
    assert "non più nella fonte 1" in report.summary()
    assert _counts(engine) == before
    with Session(engine) as session:
        missing = {
            p.external_id: p.missing_since
            for p in session.exec(select(Provenance).where(Provenance.source == SOURCE.name))
        }
    assert missing["T-2"] is not None
    assert missing["T-1"] is None and missing["T-3"] is None

    back = import_file(engine, SOURCE, tmp_path / "v1.csv")
    assert back.missing == 0
    with Session(engine) as session:
        assert all(
            p.missing_since is None
            for p in session.exec(select(Provenance).where(Provenance.source == SOURCE.name))
        )


class _InterruptedAfter:
    """The services-sheet source, stopped as by Ctrl+C after `rows` rows."""

    def __init__(self, rows: int) -> None:
        self.name = SOURCE.name
        self._rows = rows

    def rows(self, path, gazetteer, on_progress):  # type: ignore[no-untyped-def]
        for number, row in enumerate(SOURCE.rows(path, gazetteer, on_progress), start=1):
            if number > self._rows:
                raise KeyboardInterrupt
            yield row


def test_interrupted_import_keeps_whole_batches_and_resumes(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)
    before = _counts(engine)
    sheet = write_sheet(tmp_path / "servizi.csv", *(sheet_row(f"T-{n}") for n in range(25)))

    with pytest.raises(KeyboardInterrupt):
        import_file(engine, _InterruptedAfter(17), sheet, batch_size=10)

    services, schedule_rows = _counts(engine)
    assert services == before[0] + 10  # the first batch; the 7 rows of the next are gone
    assert schedule_rows == before[1] + 10 * 5  # each listing whole: its five weekdays

    resumed = import_file(engine, SOURCE, sheet, batch_size=10)
    assert (resumed.unchanged, resumed.inserted, resumed.missing) == (10, 15, 0)
    assert _counts(engine)[0] == before[0] + 25
