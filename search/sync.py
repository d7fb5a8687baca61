"""Fill the index from the database: a full rebuild into a fresh index, swapped in atomically,
and a check of database against index (how many listings, and the latest change)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, func, select

from core.kinds import ListingStatus
from core.models import OutboxEntry, Service
from core.outbox_recording import record_changes
from search.client import delete_index_if_exists, ensure_index, index_exists, wait_succeeded
from search.documents import service_document, timestamp_micros
from search.index_settings import apply_index_settings
from search.outbox_delivery import latest_entry_id

BATCH_SIZE = 1000


@dataclass(frozen=True)
class IndexCounts:
    """Published listings in the database and documents in the index, each with the time
    (microseconds since the epoch) of the newest change it holds."""

    database: int
    index: int
    database_latest: int = 0
    index_latest: int = 0

    @property
    def in_sync(self) -> bool:
        return (self.database, self.database_latest) == (self.index, self.index_latest)


def reindex(engine: Engine, client: Client, index_uid: str) -> int:
    """Rebuild `index_uid` from the published services; searches keep working meanwhile.

    Changes made while it runs may reach the old index through the outbox worker and vanish
    with the swap, so afterwards every listing with an outbox entry newer than the start is
    enqueued again."""
    with Session(engine) as session:
        watermark = latest_entry_id(session)
    staging_uid = f"{index_uid}_rebuild_{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    apply_index_settings(client, staging_uid)
    staging = client.index(staging_uid)
    indexed = 0
    try:
        for batch in _published_document_batches(engine):
            wait_succeeded(client, staging.add_documents(batch, primary_key="id"))
            indexed += len(batch)
        ensure_index(client, index_uid)
        wait_succeeded(client, client.swap_indexes([{"indexes": [index_uid, staging_uid]}]))
    finally:
        delete_index_if_exists(client, staging_uid)
    _replay_changes_since(engine, watermark)
    return indexed


def _replay_changes_since(engine: Engine, watermark: int) -> None:
    with Session(engine) as session:
        changed = session.exec(
            select(OutboxEntry.service_id).where(col(OutboxEntry.id) > watermark).distinct()
        ).all()
        record_changes(session, changed)
        session.commit()


def _published_document_batches(engine: Engine) -> Iterator[list[dict[str, object]]]:
    last_id = 0
    with Session(engine) as session:
        while True:
            statement = (
                select(Service)
                .where(Service.status == ListingStatus.PUBLISHED.value, col(Service.id) > last_id)
                .order_by(col(Service.id))
                .limit(BATCH_SIZE)
                .options(
                    selectinload(Service.location),  # type: ignore[arg-type]
                    selectinload(Service.organization),  # type: ignore[arg-type]
                    selectinload(Service.schedule_rows),  # type: ignore[arg-type]
                )
            )
            services = session.exec(statement).all()
            if not services:
                return
            yield [service_document(service) for service in services]
            last_id = services[-1].id or last_id
            session.expunge_all()


def count_published(engine: Engine) -> tuple[int, int]:
    """How many published services, and the newest `updated_at` among them."""
    with Session(engine) as session:
        statement = select(func.count(), func.max(Service.updated_at)).where(
            Service.status == ListingStatus.PUBLISHED.value
        )
        count, latest = session.exec(statement).one()
    return count, timestamp_micros(latest) if latest else 0


def index_document_count(client: Client, index_uid: str) -> tuple[int, int]:
    if not index_exists(client, index_uid):
        return 0, 0
    index = client.index(index_uid)
    newest = index.search(
        "", {"sort": ["updated_ts:desc"], "limit": 1, "attributesToRetrieve": ["updated_ts"]}
    )["hits"]
    count = index.get_stats().number_of_documents
    return count, int(newest[0]["updated_ts"]) if newest else 0


def compare_counts(engine: Engine, client: Client, index_uid: str) -> IndexCounts:
    database, database_latest = count_published(engine)
    index, index_latest = index_document_count(client, index_uid)
    return IndexCounts(database, index, database_latest, index_latest)


@dataclass(frozen=True)
class IndexDifference:
    """Listings the index lacks, documents it should not have, and documents out of date."""

    missing: tuple[int, ...]
    extra: tuple[int, ...]
    stale: tuple[int, ...]
    database: int
    index: int

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def database_hashes(engine: Engine) -> dict[int, str]:
    return {
        int(str(document["id"])): str(document["content_hash"])
        for batch in _published_document_batches(engine)
        for document in batch
    }


def index_hashes(client: Client, index_uid: str) -> dict[int, str]:
    if not index_exists(client, index_uid):
        return {}
    index = client.index(index_uid)
    found: dict[int, str] = {}
    while True:
        page = index.get_documents(
            {"fields": ["id", "content_hash"], "limit": BATCH_SIZE, "offset": len(found)}
        ).results
        for document in page:
            found[int(str(document.id))] = str(getattr(document, "content_hash", ""))
        if len(page) < BATCH_SIZE:
            return found


def compare_contents(engine: Engine, client: Client, index_uid: str) -> IndexDifference:
    """Document by document: exactly the published listings, each as the database has it."""
    expected = database_hashes(engine)
    actual = index_hashes(client, index_uid)
    return IndexDifference(
        missing=tuple(sorted(expected.keys() - actual.keys())),
        extra=tuple(sorted(actual.keys() - expected.keys())),
        stale=tuple(
            sorted(key for key in expected.keys() & actual.keys() if expected[key] != actual[key])
        ),
        database=len(expected),
        index=len(actual),
    )
