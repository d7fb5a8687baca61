"""The gazetteer from the real comuni files (CONCILIAMO_SHARED_DATA), in every format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import Comune, PostalCode
from core.places.gazetteer import Gazetteer
from importers.gazetteer import import_gazetteer
from importers.gazetteer.istat_json import expand_cap

pytestmark = pytest.mark.integration

CAP_FILE = Path("comuni_cap_geocoded/comuni_geocoded.csv")
ISTAT_GEO = Path("comuni_istat_2018_json/italy_geo.json")


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_istat_json_loads_every_comune_once(engine: Engine, shared_data: Path) -> None:
    items = json.loads((shared_data / ISTAT_GEO).read_text(encoding="utf-8"))
    comuni = [item for item in items if str(item.get("istat", "")).isdigit()]

    report = import_gazetteer(engine, shared_data / ISTAT_GEO)

    assert (report.read, report.inserted, report.rejected) == (len(comuni) + 1, len(comuni), 1)
    assert str(report.problems[0]) == (
        "italy_geo.json, riga 7979, campo «istat»: codice ISTAT non valido «Total»"
    )
    with Session(engine) as session:
        milano = session.get(Comune, "015146")  # "15146" in the file: zero-padded here
        assert milano is not None
        assert (milano.name, milano.province, milano.cadastral_code) == ("Milano", "MI", "F205")
        assert (milano.latitude, milano.longitude) == (45.46679408, 9.1903474)
        caps = session.exec(select(PostalCode.cap).where(PostalCode.istat_code == "015146")).all()
        assert len(caps) == 42 and min(caps) == "20121" and max(caps) == "20162"  # the range

    again = import_gazetteer(engine, shared_data / ISTAT_GEO)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(comuni))


def test_cap_file_adds_zones_but_never_moves_a_placed_comune(
    engine: Engine, shared_data: Path
) -> None:
    with (shared_data / CAP_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    import_gazetteer(engine, shared_data / ISTAT_GEO)

    report = import_gazetteer(engine, shared_data / CAP_FILE)

    assert report.read == len(rows)
    assert report.inserted + report.updated + report.unchanged + report.rejected == len(
        {row["codiceComune"] for row in rows}
    )
    with Session(engine) as session:
        cinisello = session.get(Comune, "015077")
        assert cinisello is not None
        # the CAP file puts Cinisello at Monza (45.58, 9.28); the ISTAT centroid stays
        assert (round(cinisello.latitude, 2), round(cinisello.longitude, 2)) == (45.56, 9.21)
        zone = session.get(PostalCode, ("20092", "015077"))
        assert zone is not None and zone.latitude is not None
        assert _count(engine, PostalCode) >= len({(r["cap"], r["codiceComune"]) for r in rows})


def test_place_lookups_use_names_codes_and_accents(engine: Engine, shared_data: Path) -> None:
    import_gazetteer(engine, shared_data / ISTAT_GEO)
    with Session(engine) as session:
        gazetteer = Gazetteer(session)
        assert gazetteer.find("CANTÙ").name == "Cantù"  # type: ignore[union-attr]
        assert gazetteer.find("cantu").istat_code == "013041"  # type: ignore[union-attr]
        assert gazetteer.find("019036").name == "Cremona"  # type: ignore[union-attr]
        assert gazetteer.suggestions("Sesto San Giovany")[0] == "Sesto San Giovanni"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("26100", ["26100"]),
        ("20121-20123", ["20121", "20122", "20123"]),
        ("", []),
        ("2612", []),
        ("20121-19999", ["20121"]),
    ],
)
def test_expand_cap(value: str, expected: list[str]) -> None:
    assert expand_cap(value) == expected


def test_cap_file_rejects_comuni_geocoded_abroad(engine: Engine, shared_data: Path) -> None:
    report = import_gazetteer(engine, shared_data / CAP_FILE)
    olmedo = next(p for p in report.problems if "Olmedo" in p.message)
    with (shared_data / CAP_FILE).open(encoding="utf-8") as handle:
        line = next(n for n, text in enumerate(handle, start=1) if text.startswith("Olmedo;"))
    assert str(olmedo) == (
        f"comuni_geocoded.csv, riga {line}, campo «latitudine/longitudine»: Olmedo: nessuna "
        "coordinata valida in Italia"
    )
