"""Addresses through an online geocoder, rate-limited and cached in the database.

The geocoding web service itself cannot be reached from here, so this test stands a small
stand-in for it in geopy's place (the only thing not real); the database, the cache, the
import pipeline and the fallbacks are the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import import_demo, sheet_row, write_sheet
from geopy.location import Location as GeopyLocation
from geopy.point import Point
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import GeocodeCache, Provenance
from importers.pipeline import import_file
from importers.sources.service_sheet import ServiceSheetSource

pytestmark = pytest.mark.integration


ANSWERS = {
    "Via Roma 1": (45.53301, 9.23412),  # in Sesto
    "Via Lontana 2": (41.9028, 12.4964),  # an answer in Rome: not believed
}


class StandInGeocoder:
    """Answers like geopy's Nominatim for three addresses of Sesto San Giovanni."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def geocode(self, query: str, **_: object) -> GeopyLocation | None:
        self.queries.append(query)
        street = query.split(",")[0]
        if street not in ANSWERS:
            return None
        latitude, longitude = ANSWERS[street]
        return GeopyLocation(f"{street}, Sesto San Giovanni", Point(latitude, longitude), {})


def test_addresses_are_geocoded_once_and_checked(engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)
    sheet = write_sheet(
        tmp_path / "servizi.csv",
        sheet_row("G-1", indirizzo="Via Roma 1", lat="", lon=""),
        sheet_row("G-2", indirizzo="Via Lontana 2", lat="", lon=""),
        sheet_row("G-3", indirizzo="Via Sconosciuta 3", lat="", lon=""),
    )
    geocoder = StandInGeocoder()
    source = ServiceSheetSource("comune-sesto")

    report = import_file(engine, source, sheet, online_geocoder=geocoder)

    assert report.inserted == 3
    assert geocoder.queries == [
        "Via Roma 1, 20099 Sesto San Giovanni, Italia",
        "Via Lontana 2, 20099 Sesto San Giovanni, Italia",
        "Via Sconosciuta 3, 20099 Sesto San Giovanni, Italia",
    ]
    with Session(engine) as session:
        located = {
            p.external_id: p.service.location
            for p in session.exec(select(Provenance).where(Provenance.source == "comune-sesto"))
        }
        assert (located["G-1"].latitude, located["G-1"].longitude) == (45.53301, 9.23412)
        assert (located["G-1"].geocode_precision, located["G-1"].geocode_source) == (
            "address",
            "nominatim",
        )
        for far_or_unknown in ("G-2", "G-3"):  # the comune's centre instead
            assert (located[far_or_unknown].latitude, located[far_or_unknown].longitude) == (
                45.5342,
                9.2364,
            )
            assert located[far_or_unknown].geocode_precision == "comune"
        assert session.exec(select(func.count()).select_from(GeocodeCache)).one() == 3

    changed = write_sheet(
        tmp_path / "servizi.csv",
        sheet_row("G-1", indirizzo="Via Roma 1", lat="", lon="", nome="Nido rinnovato"),
        sheet_row("G-2", indirizzo="Via Lontana 2", lat="", lon=""),
        sheet_row("G-3", indirizzo="Via Sconosciuta 3", lat="", lon=""),
    )
    again = import_file(engine, source, changed, online_geocoder=geocoder)
    assert (again.updated, again.unchanged) == (1, 2)
    assert len(geocoder.queries) == 3  # every answer came from the cache
