"""The outbox keeps the index equal to the database: changes are recorded in their own
transaction, delivered in order, survive Meilisearch going down, and a reindex never loses
what changed while it ran. Real Meilisearch, real SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import time as clock
from pathlib import Path

import pytest
from factories import TODAY, import_demo, make_settings
from litestar.testing import TestClient
from meilisearch import Client
from real_services import TEST_MASTER_KEY
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.kinds import ListingStatus
from core.models import Location, Organization, OutboxEntry, ScheduleRow, Service
from core.outbox_recording import on_commit
from core.settings import PROJECT_ROOT
from search import sync
from search.client import make_client
from search.index_settings import apply_index_settings
from search.local_meilisearch import (
    LocalMeilisearch,
    MeilisearchEndpoint,
    find_binary,
    free_port,
)
from search.outbox_delivery import (
    ADVISORY_NAMESPACE,
    OutboxWorker,
    deliver_all,
    deliver_pending,
    outbox_lag,
)
from search.sync import compare_contents, reindex
from service.app import create_app

pytestmark = pytest.mark.integration

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def pending(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(OutboxEntry.service_id)
                .where(col(OutboxEntry.delivered_at).is_(None))
                .order_by(col(OutboxEntry.id))
            )
        )


def first_service_id(engine: Engine, kind: str = "nido") -> int:
    with Session(engine) as session:
        found = session.exec(select(Service.id).where(Service.kind == kind).order_by(Service.id))
        return int(found.first() or 0)


def edit_listings(engine: Engine) -> tuple[int, int, int]:
    """Rename one nido, move another's hours, delete a third; return their ids."""
    with Session(engine) as session:
        nidi = session.exec(
            select(Service).where(Service.kind == "nido").order_by(Service.id)
        ).all()
        renamed, rescheduled, deleted = nidi[0], nidi[1], nidi[2]
        renamed.name = "Nido rinominato dal gestore"
        for row in rescheduled.schedule_rows:
            row.closes_at = clock(19, 0)
        session.delete(deleted)
        session.commit()
        return int(renamed.id or 0), int(rescheduled.id or 0), int(deleted.id or 0)


@BOTH
def test_import_and_edits_reach_the_index_through_the_outbox(
    engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    import_demo(engine)
    assert len(pending(engine)) == 72  # one entry per imported listing
    assert deliver_all(engine, meili_client, uid).indexed == 72
    assert compare_contents(engine, meili_client, uid).in_sync
    assert pending(engine) == []

    renamed, rescheduled, deleted = edit_listings(engine)
    assert sorted(pending(engine)) == sorted({renamed, rescheduled, deleted})
    assert not compare_contents(engine, meili_client, uid).in_sync

    delivery = deliver_all(engine, meili_client, uid)
    assert (delivery.indexed, delivery.removed) == (2, 1)
    difference = compare_contents(engine, meili_client, uid)
    assert difference.in_sync and difference.index == 71
    document = meili_client.index(uid).get_document(renamed)
    assert document.name == "Nido rinominato dal gestore"


@BOTH
def test_location_organization_and_status_changes_are_recorded(engine: Engine) -> None:
    import_demo(engine)
    with Session(engine) as session:
        session.execute(text("UPDATE outbox SET delivered_at = created_at"))
        session.commit()
        service = session.get_one(Service, first_service_id(engine))
        location = session.get_one(Location, service.location_id)
        location.address = "Via Nuova 1"
        organization = session.get_one(Organization, service.organization_id)
        sharing = session.exec(
            select(func.count()).where(Service.organization_id == organization.id)
        ).one()
        organization.name = "Ente rinominato"
        session.commit()
    assert len(set(pending(engine))) == sharing  # every service of the organization
    with Session(engine) as session:
        session.execute(text("UPDATE outbox SET delivered_at = created_at"))
        service = session.get_one(Service, first_service_id(engine))
        service.status = ListingStatus.SUSPENDED.value
        session.commit()
    assert pending(engine) == [first_service_id(engine)]


@BOTH
def test_a_rolled_back_change_leaves_no_entry(engine: Engine) -> None:
    import_demo(engine)
    before = len(pending(engine))
    with Session(engine) as session:
        service = session.get_one(Service, first_service_id(engine))
        service.name = "mai salvato"
        session.add(
            ScheduleRow(service_id=service.id, weekday=6, opens_at=clock(8), closes_at=clock(9))
        )
        session.flush()
        session.rollback()
    assert len(pending(engine)) == before


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_listing_held_by_another_worker_is_left_to_it(
    engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    import_demo(engine)
    held = first_service_id(engine)
    with engine.connect() as other_worker:  # holds the listing, as a worker mid-delivery would
        other_worker.execute(
            text("SELECT pg_advisory_xact_lock(:n, :id)"), {"n": ADVISORY_NAMESPACE, "id": held}
        )
        delivered = deliver_all(engine, meili_client, uid)
        assert delivered.entries == 71 and pending(engine) == [held]
        other_worker.rollback()
    assert deliver_all(engine, meili_client, uid).entries == 1
    assert compare_contents(engine, meili_client, uid).in_sync


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_entries_locked_by_another_worker_are_skipped_not_waited_for(
    engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    import_demo(engine)
    with engine.connect() as other_worker:
        locked = other_worker.execute(
            text("SELECT id FROM outbox ORDER BY id LIMIT 10 FOR UPDATE")
        ).all()
        started = time.monotonic()
        assert deliver_pending(engine, meili_client, uid).entries == 62
        assert time.monotonic() - started < 30  # did not block on the locked rows
        other_worker.rollback()
    assert len(locked) == 10 and len(pending(engine)) == 10


@BOTH
def test_reindex_replays_changes_made_while_it_ran(
    engine: Engine, meili_client: Client, index_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    import_demo(engine)
    deliver_all(engine, meili_client, uid)
    batches = sync._published_document_batches

    def batches_with_a_concurrent_edit(engine_: Engine):  # type: ignore[no-untyped-def]
        yield from batches(engine_)
        # after the rebuild read the database, before the swap: an edit, delivered by the
        # worker to the index that the swap is about to replace
        edit_listings(engine_)
        deliver_all(engine_, meili_client, uid)

    monkeypatch.setattr(sync, "_published_document_batches", batches_with_a_concurrent_edit)
    reindex(engine, meili_client, uid)
    monkeypatch.undo()
    assert not compare_contents(engine, meili_client, uid).in_sync  # the swap lost the edit
    assert len(pending(engine)) == 3  # … but the reindex enqueued it again
    deliver_all(engine, meili_client, uid)
    assert compare_contents(engine, meili_client, uid).in_sync


@BOTH
def test_index_converges_after_meilisearch_is_killed(
    engine: Engine, tmp_path: Path, index_prefix: str
) -> None:
    """Start Meilisearch, import, kill it, change/add/delete listings, restart it: the
    worker, which kept retrying, brings the index to exactly the database contents."""
    configured = os.environ.get("MEILI_BIN")
    binary = find_binary(Path(configured) if configured else None, PROJECT_ROOT / "var")
    local = LocalMeilisearch(binary, tmp_path / "meili", free_port(), TEST_MASTER_KEY)
    endpoint = local.start()
    client = make_client(endpoint.url, endpoint.api_key)
    uid = f"{index_prefix}_services"
    apply_index_settings(client, uid)
    import_demo(engine)
    worker = OutboxWorker(engine, client, uid, poll_seconds=0.05, max_backoff_seconds=0.5)
    worker.start()
    try:
        _wait_for(lambda: outbox_lag(engine).pending == 0)
        assert compare_contents(engine, client, uid).in_sync

        assert local.process is not None
        os.kill(local.process.pid, signal.SIGKILL)
        local.process.wait()
        edit_listings(engine)
        with Session(engine) as session:  # and a new listing
            template = session.get_one(Service, first_service_id(engine, "micronido"))
            session.add(
                Service(
                    kind="micronido",
                    name="Micronido aggiunto a Meilisearch spento",
                    location_id=template.location_id,
                    organization_id=template.organization_id,
                )
            )
            session.commit()
        time.sleep(1.0)  # the worker tries, fails, backs off
        assert outbox_lag(engine).pending == 4

        local.start()
        _wait_for(lambda: outbox_lag(engine).pending == 0)
    finally:
        worker.stop()
        local.stop()
    local.start()
    try:
        difference = compare_contents(engine, client, uid)
        assert difference.in_sync, difference
        assert difference.index == difference.database == 72  # 72 - 1 deleted + 1 added
    finally:
        local.stop()


def _wait_for(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@BOTH
def test_commits_that_enqueue_changes_are_announced(engine: Engine) -> None:
    """The hook a worker in the same process uses to skip its poll: called after a commit
    that wrote outbox entries, not after one that wrote none, nor after a rollback."""
    import_demo(engine)
    calls: list[str] = []
    unhook = on_commit(lambda: calls.append("commit"))
    try:
        with Session(engine) as session:
            session.get_one(Service, first_service_id(engine)).name = "annunciato"
            session.commit()
        assert calls == ["commit"]
        with Session(engine) as session:
            session.get_one(Service, first_service_id(engine)).name = "mai salvato"
            session.flush()
            session.rollback()
            session.commit()  # nothing left to write
        with Session(engine) as session:
            session.exec(select(OutboxEntry)).first()
            session.commit()
        assert calls == ["commit"]
    finally:
        unhook()
    with Session(engine) as session:
        session.get_one(Service, first_service_id(engine)).name = "dopo"
        session.commit()
    assert calls == ["commit"]


def test_a_commit_wakes_the_worker_thread_before_its_poll(
    engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    """With an hour between polls, an edit is still delivered: the commit woke the thread."""
    uid = f"{index_prefix}_services"
    apply_index_settings(meili_client, uid)
    import_demo(engine)
    deliver_all(engine, meili_client, uid)
    worker = OutboxWorker(engine, meili_client, uid, poll_seconds=3600)
    worker.start()
    try:
        time.sleep(0.5)  # the thread's first round (nothing pending) is over: it waits now
        renamed, *_ = edit_listings(engine)
        _wait_for(lambda: pending(engine) == [], timeout=60)
    finally:
        worker.stop()
    assert meili_client.index(uid).get_document(renamed).name == "Nido rinominato dal gestore"


def test_worker_thread_stops_promptly(engine: Engine, meili_client: Client) -> None:
    worker = OutboxWorker(engine, meili_client, "unused", poll_seconds=0.05)
    worker.start()
    started = time.monotonic()
    worker.stop()
    assert time.monotonic() - started < 5
    assert not any(t.name == "outbox-worker" and t.is_alive() for t in threading.enumerate())


@BOTH
def test_the_app_delivers_edits_in_process_and_health_shows_the_backlog(
    engine: Engine,
    database_url: str,
    meilisearch: MeilisearchEndpoint,
    meili_client: Client,
    index_prefix: str,
    tmp_path: Path,
) -> None:
    settings = make_settings(
        tmp_path, database_url, meilisearch.url, meilisearch.api_key, index_prefix
    ).model_copy(update={"outbox_worker": "in-process", "outbox_poll_seconds": 0.05})
    apply_index_settings(meili_client, settings.services_index)
    import_demo(engine)
    search = {"birth_year": "2025", "birth_month": "11", "place": "Sesto San Giovanni"}
    with TestClient(create_app(settings, meilisearch, today=lambda: TODAY)) as client:
        _wait_for(lambda: client.get("/health").json()["outbox"]["pending"] == 0)
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json()["database"] == health.json()["search"] == "ok"

        renamed, _rescheduled, deleted = edit_listings(engine)

        def names() -> set[str]:
            results = client.get("/api/v1/services", params=search).json()["results"]
            return {result["name"] for result in results}

        _wait_for(lambda: "Nido rinominato dal gestore" in names(), timeout=10)
        ids = {
            result["id"]
            for result in client.get("/api/v1/services", params=search).json()["results"]
        }
        assert renamed in ids and deleted not in ids
    assert compare_contents(engine, meili_client, settings.services_index).in_sync
