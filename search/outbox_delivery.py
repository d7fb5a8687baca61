"""Deliver listing changes from the outbox to the search index.

A batch of pending entries is taken with `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one
writer anyway) and each of their services with a transaction-scoped advisory lock, so two
workers never handle the same listing at once: whoever holds it reads the listing's current
state *after* taking the lock and finishes its Meilisearch task before letting go, hence a
listing's documents reach the index in the order of its changes. Entries are marked
delivered only after Meilisearch reports the task succeeded; when Meilisearch is down the
transaction rolls back and the entries wait for the next round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from meilisearch import Client
from sqlalchemy import delete, func, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from core.kinds import ListingStatus
from core.models import OutboxEntry, Service
from core.outbox_recording import on_commit
from search.client import wait_succeeded
from search.documents import service_document

log = logging.getLogger(__name__)

BATCH_SIZE = 500
#: delivered entries are kept this long, so a reindex can replay what changed while it ran
RETENTION = timedelta(days=1)
#: first key of the advisory locks on listings ("Conc")
ADVISORY_NAMESPACE = 0x436F6E63
_CLAIM = text(
    "SELECT sid FROM unnest(CAST(:ids AS integer[])) AS sid "
    "WHERE pg_try_advisory_xact_lock(:namespace, sid)"
)


@dataclass(frozen=True)
class Delivery:
    entries: int = 0
    indexed: int = 0
    removed: int = 0

    def __add__(self, other: Delivery) -> Delivery:
        return Delivery(
            self.entries + other.entries,
            self.indexed + other.indexed,
            self.removed + other.removed,
        )


@dataclass(frozen=True)
class OutboxLag:
    pending: int
    #: age of the oldest undelivered entry, in seconds (0 when none)
    oldest_seconds: float


def _claim(session: Session, service_ids: list[int]) -> set[int]:
    """The listings this worker may deliver now (PostgreSQL: those no other worker holds)."""
    if session.get_bind().dialect.name != "postgresql":
        return set(service_ids)
    rows = session.connection().execute(
        _CLAIM, {"ids": service_ids, "namespace": ADVISORY_NAMESPACE}
    )
    return {int(row[0]) for row in rows}


def deliver_pending(
    engine: Engine, client: Client, index_uid: str, batch_size: int = BATCH_SIZE
) -> Delivery:
    """Deliver one batch of pending entries; the number delivered (0: nothing to do)."""
    with Session(engine) as session:
        entries = session.exec(
            select(OutboxEntry)
            .where(col(OutboxEntry.delivered_at).is_(None))
            .order_by(col(OutboxEntry.id))
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        if not entries:
            return Delivery()
        claimed = _claim(session, sorted({entry.service_id for entry in entries}))
        if not claimed:
            return Delivery()
        services = session.exec(
            select(Service)
            .where(
                col(Service.id).in_(claimed),
                Service.status == ListingStatus.PUBLISHED.value,
            )
            .options(
                selectinload(Service.location),  # type: ignore[arg-type]
                selectinload(Service.organization),  # type: ignore[arg-type]
                selectinload(Service.schedule_rows),  # type: ignore[arg-type]
            )
        ).all()
        documents = [service_document(service) for service in services]
        gone = sorted(claimed - {service.id for service in services if service.id})
        index = client.index(index_uid)
        if documents:
            wait_succeeded(client, index.add_documents(documents, primary_key="id"))
        if gone:
            ids = ", ".join(map(str, gone))
            wait_succeeded(client, index.delete_documents(filter=f"id IN [{ids}]"))
        handled = [entry.id for entry in entries if entry.service_id in claimed]
        session.execute(
            update(OutboxEntry)
            .where(col(OutboxEntry.id).in_(handled))
            .values(delivered_at=datetime.now(UTC))
        )
        session.commit()
        return Delivery(len(handled), len(documents), len(gone))


def deliver_all(engine: Engine, client: Client, index_uid: str) -> Delivery:
    """Deliver until nothing is pending (or only listings other workers hold)."""
    total = Delivery()
    while (batch := deliver_pending(engine, client, index_uid)).entries:
        total += batch
    return total


def prune_delivered(engine: Engine, older_than: timedelta = RETENTION) -> int:
    cutoff = datetime.now(UTC) - older_than
    with Session(engine) as session:
        result = session.execute(delete(OutboxEntry).where(col(OutboxEntry.delivered_at) < cutoff))
        session.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def outbox_lag(engine: Engine) -> OutboxLag:
    with Session(engine) as session:
        pending, oldest = session.exec(
            select(func.count(), func.min(OutboxEntry.created_at)).where(
                col(OutboxEntry.delivered_at).is_(None)
            )
        ).one()
    if oldest is None:
        return OutboxLag(0, 0.0)
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return OutboxLag(pending, max(0.0, (datetime.now(UTC) - oldest).total_seconds()))


def latest_entry_id(session: Session) -> int:
    return int(session.exec(select(func.max(OutboxEntry.id))).one() or 0)


class OutboxWorker:
    """Polls the outbox and delivers; backs off while Meilisearch or the database fail.
    `wake()` ends a poll's wait at once: the app calls it after its own commits."""

    def __init__(
        self,
        engine: Engine,
        client: Client,
        index_uid: str,
        poll_seconds: float = 0.5,
        max_backoff_seconds: float = 30.0,
    ) -> None:
        self._engine = engine
        self._client = client
        self._index_uid = index_uid
        self._poll = poll_seconds
        self._max_backoff = max_backoff_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._unhook: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Deliver until `stop()`; the `conciliamo worker` command and the thread run this."""
        backoff = self._poll
        last_prune = datetime.min.replace(tzinfo=UTC)
        while not self._stop.is_set():
            try:
                delivered = deliver_pending(self._engine, self._client, self._index_uid)
                if datetime.now(UTC) - last_prune > timedelta(hours=1):
                    prune_delivered(self._engine)
                    last_prune = datetime.now(UTC)
            except Exception as error:
                log.warning("outbox delivery failed, retrying in %.1f s: %s", backoff, error)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            backoff = self._poll
            if not delivered.entries:
                self._wake.wait(self._poll)
                self._wake.clear()

    def wake(self) -> None:
        """Deliver now rather than at the next poll (a commit enqueued changes)."""
        self._wake.set()

    def start(self) -> None:
        """Run in a thread of this process, woken by this process's commits."""
        self._unhook = on_commit(self.wake)
        self._thread = threading.Thread(target=self.run, name="outbox-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._unhook is not None:
            self._unhook()
            self._unhook = None
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
