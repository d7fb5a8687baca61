"""Index settings, rebuilds and count checks against a real Meilisearch."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from factories import import_demo, sheet_row, write_sheet
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.kinds import ListingStatus
from core.models import Service
from importers.pipeline import import_file
from importers.sources.service_sheet import ServiceSheetSource
from search.client import IndexTaskFailed, index_exists, wait_succeeded
from search.index_settings import SERVICES_INDEX_SETTINGS, apply_index_settings
from search.sync import compare_counts, reindex
from service.cli.main import DEMO_DIR

pytestmark = pytest.mark.integration


def test_settings_are_applied_idempotently(meili_client: Client, index_prefix: str) -> None:
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    apply_index_settings(meili_client, uid)
    settings = meili_client.index(uid).get_settings()
    assert set(settings["filterableAttributes"]) == set(
        SERVICES_INDEX_SETTINGS["filterableAttributes"]
    )
    assert settings["synonyms"]["tata"] == ["baby sitter", "babysitter"]
    assert settings["synonyms"]["babysitter"] == ["tata"]  # both ways


def test_failed_task_raises(meili_client: Client, index_prefix: str) -> None:
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    bad_geo = [{"id": 1, "_geo": {"lat": "not a number", "lng": 9.0}}]
    with pytest.raises(IndexTaskFailed, match="failed"):
        wait_succeeded(meili_client, meili_client.index(uid).add_documents(bad_geo))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_reindex_swaps_in_a_full_index_and_counts_match(
    engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    uid = f"{index_prefix}_services"
    import_demo(engine)
    assert reindex(engine, meili_client, uid) == 72
    assert compare_counts(engine, meili_client, uid).in_sync

    with Session(engine) as session:
        service = session.exec(select(Service).where(Service.kind == "sportello")).first()
        assert service is not None
        service.status = ListingStatus.SUSPENDED.value
        session.add(service)
        session.commit()
    counts = compare_counts(engine, meili_client, uid)
    assert (counts.database, counts.index, counts.in_sync) == (71, 72, False)

    assert reindex(engine, meili_client, uid) == 71
    assert compare_counts(engine, meili_client, uid).in_sync
    # the staging index is gone after the swap
    staging = [
        i.uid
        for i in meili_client.get_indexes({"limit": 1000})["results"]
        if i.uid.startswith(f"{uid}_rebuild_")
    ]
    assert staging == []
    assert index_exists(meili_client, uid)
    document = meili_client.index(uid).search("Girasole")["hits"][0]
    assert document["name"] == "Nido comunale Girasole"
    assert document["open_weekdays"] == [1, 2, 3, 4, 5]
    assert (document["valid_from"], document["valid_to"]) == (20260901, 20270731)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_check_sees_a_changed_listing_even_when_counts_match(
    engine: Engine, meili_client: Client, index_prefix: str, tmp_path: Path
) -> None:
    uid = f"{index_prefix}_services"
    import_demo(engine)
    reindex(engine, meili_client, uid)
    assert compare_counts(engine, meili_client, uid).in_sync

    changed = write_sheet(
        tmp_path / "servizi.csv", *_demo_rows_with("DEMO-SSG-NIDO-01", orari="lun-ven 08:00-12:00")
    )
    report = import_file(engine, ServiceSheetSource("demo"), changed)
    assert (report.updated, report.unchanged) == (1, 71)

    counts = compare_counts(engine, meili_client, uid)
    assert (counts.database, counts.index) == (72, 72)
    assert counts.database_latest > counts.index_latest
    assert not counts.in_sync
    reindex(engine, meili_client, uid)
    assert compare_counts(engine, meili_client, uid).in_sync


def _demo_rows_with(code: str, **changes: str) -> list[str]:
    """The demo sheet's rows, with one row's columns changed."""
    with (DEMO_DIR / "servizi.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines = []
    for row in rows:
        if row["codice"] == code:
            row.update(changes)
        lines.append(sheet_row(row["codice"], **row))
    return lines
