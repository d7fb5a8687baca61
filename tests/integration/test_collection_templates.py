"""A comune downloads a template from the site, fills it in and it imports like any sheet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from factories import import_demo
from litestar.testing import TestClient
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance
from core.settings import Settings
from importers.collection_templates import TEMPLATE_NAMES, example_rows
from importers.pipeline import import_file
from importers.sources.service_sheet import ServiceSheetSource
from search.local_meilisearch import MeilisearchEndpoint
from service.app import create_app

pytestmark = pytest.mark.integration


@pytest.fixture
def site(tmp_path: Path, meilisearch: MeilisearchEndpoint) -> TestClient:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        meili_url=meilisearch.url,  # type: ignore[call-arg]
        meili_master_key=meilisearch.api_key,
        outbox_worker="external",  # only templates are served here: no database needed
    )
    return TestClient(create_app(settings, meilisearch))


def test_every_template_is_served(site: TestClient) -> None:
    with site as client:
        page = client.get("/modelli")
        assert page.status_code == 200
        for name in TEMPLATE_NAMES:
            assert f'href="/modelli/{name}.xlsx"' in page.text
            xlsx = client.get(f"/modelli/{name}.xlsx")
            assert xlsx.status_code == 200
            assert xlsx.headers["content-disposition"] == (
                f'attachment; filename="conciliamo-{name}.xlsx"'
            )
            assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Istruzioni", "Servizi"]
            csv = client.get(f"/modelli/{name}.csv")
            assert csv.content.startswith(b"\xef\xbb\xbfcodice;tipo;nome")
        assert client.get("/modelli/altro.xlsx").status_code == 404


def test_a_filled_xlsx_template_imports(site: TestClient, engine: Engine, tmp_path: Path) -> None:
    import_demo(engine)  # the gazetteer
    with site as client:
        content = client.get("/modelli/centri-estivi.xlsx").content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Servizi"]
    header = [cell.value for cell in sheet[1]]
    row = {column: "" for column in header}
    row |= {
        "codice": "CR-CE-2027-01",
        "tipo": "centro_estivo",
        "nome": "Estate al Po",
        "ente_gestore": "Associazione Fiume",
        "comune": "Cremona",
        "cap": "26100",
        "eta_min_mesi": "72",
        "eta_max_mesi": "132",
        "orari": "lun-ven 08:00-17:00",
        "periodi": "2027-06-14/2027-06-18; 2027-06-21/2027-06-25",
        "costo_euro": "95,50",
        "costo_per": "settimana",
    }
    sheet.append([row[column] for column in header])
    filled = tmp_path / "centri-estivi.xlsx"
    workbook.save(filled)

    report = import_file(engine, ServiceSheetSource("comune-cremona"), filled)

    examples = len(example_rows("centri-estivi"))
    assert (report.inserted, report.rejected) == (1, examples)  # example rows are refused
    assert {problem.message for problem in report.problems} == {
        "riga di esempio del modello: cancellala prima di importare"
    }
    with Session(engine) as session:
        service = (
            session.exec(select(Provenance).where(Provenance.external_id == "CR-CE-2027-01"))
            .one()
            .service
        )
        assert (service.kind, service.cost_cents, service.cost_period) == (
            "centro_estivo",
            9550,
            "settimana",
        )
        assert len(service.schedule_rows) == 10  # 5 days × 2 weekly modules
        assert service.location.geocode_precision == "comune"  # no lat/lon: Cremona's centre
