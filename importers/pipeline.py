"""read → normalise → validate → upsert → report, the same for every source.

One transaction per file: an unreadable file or an interrupted run stores nothing, and a
rejected row never stops the others. Re-running the same file changes nothing: each service
is keyed by (source, external id) and rewritten only when its content hash changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.i18n import _
from core.places.gazetteer import Gazetteer
from core.places.online_geocoder import CachedGeocoder, GeopyGeocoder
from importers.duplicates import record_duplicate_candidates
from importers.readers import ProgressCallback
from importers.records import ServiceRecord
from importers.report import ImportReport, Outcome, RowProblem
from importers.upsert import ServiceWriter

#: rows committed together; an interrupted import loses at most one batch
BATCH_SIZE = 1000


@dataclass(frozen=True)
class SourceRow:
    """One row as a source understood it: a valid record, the problems that reject it, or
    neither (a row that is not a service of ours, skipped)."""

    line: int
    record: ServiceRecord | None
    problems: list[RowProblem] = field(default_factory=list)
    #: what was corrected or could not be checked in an accepted row (e.g. a far-off point)
    flags: list[RowProblem] = field(default_factory=list)
    #: the row's external id when known, even if the row is rejected
    key: str | None = None


def finished_row(
    line: int,
    built: ServiceRecord | list[RowProblem],
    key: str | None,
    flag: RowProblem | None = None,
) -> SourceRow:
    """A source's row once build_record has run: the record (with its flag), or its problems."""
    if isinstance(built, list):
        return SourceRow(line, None, built, key=key)
    return SourceRow(line, built, flags=[flag] if flag else [], key=key)


class Source(Protocol):
    @property
    def name(self) -> str:
        """Stable identifier, part of every imported service's key."""
        ...

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None
    ) -> Iterator[SourceRow]: ...


def import_file(
    engine: Engine,
    source: Source,
    path: Path,
    *,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
    online_geocoder: GeopyGeocoder | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import one file. Rows are committed in batches of `batch_size`: an interruption loses
    at most the batch under way, never half a listing, and running the same file again
    resumes (what was committed is unchanged and skipped by its content hash). A dry run
    commits nothing. Readers check a whole file before its first row, so a broken file
    stores nothing; rows gone from the file are marked only once it was read to the end."""
    report = ImportReport(source=source.name, file=path.name, dry_run=dry_run)
    # no autoflush: look-ups during the import would flush after every row; the writer keeps
    # its own maps of what it added
    with Session(engine, expire_on_commit=False, autoflush=False) as session:
        writer = ServiceWriter(session, source.name)
        first_line_of: dict[str, int] = {}
        seen: set[str] = set()  # every key in the file, rejected rows included
        try:
            online = CachedGeocoder(session, online_geocoder) if online_geocoder else None
            for row in source.rows(path, Gazetteer(session, online), on_progress):
                report.read += 1
                if row.key:
                    seen.add(row.key)
                if row.record is None and not row.problems:
                    report.skipped += 1
                    continue
                problems = row.problems or _duplicate_problem(row, first_line_of, path.name)
                if row.record is None or problems:
                    report.count(Outcome.REJECTED)
                    report.problems.extend(problems)
                    continue
                report.count(writer.upsert(row.record))
                if row.flags:
                    report.flagged += 1
                    report.flags.extend(row.flags)
                if report.read % batch_size == 0:
                    writer.finish_batch()
                    if not dry_run:
                        session.commit()
            writer.finish_batch()
            report.missing = writer.mark_missing(seen | set(first_line_of))
            report.duplicates = record_duplicate_candidates(session, source.name, writer.touched)
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except BaseException:
            session.rollback()
            raise
    return report


def _duplicate_problem(
    row: SourceRow, first_line_of: dict[str, int], file: str
) -> list[RowProblem]:
    if row.record is None:
        return []
    key = row.record.external_id
    if key in first_line_of:
        return [
            RowProblem(
                file,
                row.line,
                "codice",
                _(
                    "codice «{code}» già usato alla riga {line}",
                    code=key,
                    line=first_line_of[key],
                ),
            )
        ]
    first_line_of[key] = row.line
    return []
