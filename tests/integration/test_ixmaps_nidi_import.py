"""Nidi of San Benedetto del Tronto, an iXmaps "Map" JSON (CONCILIAMO_SHARED_DATA)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.nidi_ixmaps import IxmapsNidiSource

pytestmark = pytest.mark.integration

NIDI = Path("nidi_san_benedetto_tronto_2012/Nidi.json")


def test_imports_the_four_nidi_field_by_field(engine: Engine, shared_data: Path) -> None:
    import_gazetteer(engine, shared_data / "comuni_istat_2018_json/italy_geo.json")
    data = json.loads((shared_data / NIDI).read_text(encoding="utf-8"))
    features = [f for layer in data["layers"] for f in layer["features"]]

    report = import_file(engine, IxmapsNidiSource(), shared_data / NIDI)

    assert (report.read, report.inserted, report.rejected, report.flagged) == (
        len(features),
        len(features),
        0,
        0,
    )
    session = Session(engine)
    services = {p.service.name: p.service for p in session.exec(select(Provenance))}
    primavera = services['Sezione Primavera comunale c/o scuola dell\'infanzia "A.Marchegiani"']
    assert (primavera.kind, primavera.sector) == ("sezione_primavera", "pubblico")
    assert (primavera.age_min_months, primavera.age_max_months) == (24, 36)
    assert primavera.location.address == "Via G. Impastato, 12"
    assert (primavera.location.cap, primavera.location.comune) == (
        "63074",
        "San Benedetto del Tronto",
    )
    assert primavera.location.istat_code == "044066"
    assert (primavera.location.latitude, primavera.location.longitude) == (42.951191, 13.873935)
    assert primavera.phone == "0735 590356"
    assert primavera.email is None  # a named official's personal address: left out
    principe = services['Nido d\'infanzia convenzionato "Il Piccolo Principe"']
    assert (principe.kind, principe.sector) == ("nido", "privato_accreditato")
    assert principe.organization.name == "Gestore non indicato dalla fonte"
    # every name is free of HTML entities
    assert all("&#x" not in name for name in services)
    assert {html.unescape(f["properties"]["name"])[:20] for f in features} == {
        name[:20] for name in services
    }

    session.close()
    again = import_file(engine, IxmapsNidiSource(), shared_data / NIDI)
    assert again.unchanged == len(features)
