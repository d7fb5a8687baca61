"""Every change to a listing leaves an outbox entry in the same transaction.

A session listener notes the services whose rows (service, schedule, location,
organization) were added, changed or deleted in each flush and inserts one entry per
service on the same connection, so the entry commits or rolls back with the change. Code
that writes with bulk Core statements calls `record_changes` itself.

`install_listeners()` registers those listeners; `core.db.create_db_engine` calls it, so
every session of every engine the application makes records its changes.

A worker in the same process need not wait for its next poll: `on_commit(callback)` calls
`callback` after every commit that wrote outbox entries (never after a rollback).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from core.models import Location, Organization, OutboxEntry, ScheduleRow, Service

#: the session.info key marking a transaction that wrote outbox entries
_WROTE = "conciliamo_outbox_written"
_commit_callbacks: list[Callable[[], None]] = []


def record_changes(session: OrmSession, service_ids: Iterable[int]) -> None:
    """Enqueue `service_ids` for the index, in `session`'s transaction."""
    ids = sorted(set(service_ids))
    if not ids:
        return
    now = datetime.now(UTC)
    session.connection().execute(
        insert(OutboxEntry), [{"service_id": sid, "created_at": now} for sid in ids]
    )
    session.info[_WROTE] = True


def on_commit(callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback` (quick, thread-safe: it runs in the committing thread) after each
    commit that enqueued changes; returns what unregisters it."""
    _commit_callbacks.append(callback)
    return lambda: _commit_callbacks.remove(callback)


def _announce_committed_changes(session: OrmSession) -> None:
    if session.info.pop(_WROTE, False):
        for callback in list(_commit_callbacks):
            callback()


def _forget_rolled_back_changes(session: OrmSession) -> None:
    session.info.pop(_WROTE, None)


def _changed_services(session: OrmSession) -> set[int]:
    ids: set[int] = set()
    locations: set[int] = set()
    organizations: set[int] = set()
    for item in chain(session.new, session.dirty, session.deleted):
        if isinstance(item, Service) and item.id is not None:
            ids.add(item.id)
        elif isinstance(item, ScheduleRow) and item.service_id is not None:
            ids.add(item.service_id)
        elif isinstance(item, Location) and item.id is not None and item not in session.new:
            locations.add(item.id)
        elif isinstance(item, Organization) and item.id is not None and item not in session.new:
            organizations.add(item.id)
    connection = session.connection()
    for column, keys in (
        (col(Service.location_id), locations),
        (col(Service.organization_id), organizations),
    ):
        if keys:
            query = select(col(Service.id)).where(column.in_(keys))
            ids.update(sid for sid in connection.execute(query).scalars() if sid is not None)
    return ids


def _enqueue_flushed_changes(session: OrmSession, _context: Any) -> None:
    record_changes(session, _changed_services(session))


_LISTENERS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("after_flush", _enqueue_flushed_changes),
    ("after_commit", _announce_committed_changes),
    ("after_rollback", _forget_rolled_back_changes),
)


def install_listeners() -> None:
    """Make every ORM session record listing changes in the outbox (idempotent)."""
    for name, listener in _LISTENERS:
        if not event.contains(OrmSession, name, listener):
            event.listen(OrmSession, name, listener)
