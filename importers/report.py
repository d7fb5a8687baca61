"""What an import did, row by row: counts for people, problems with file/line/field for fixing."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path


class Outcome(StrEnum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    #: a new row of this source joined to a service another source brought (same school code)
    MERGED = "merged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class RowProblem:
    """Why a row was rejected (or flagged): the file, the line, the field, a fix."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, riga {self.line}, campo «{self.field}»: {self.message}"


@dataclass
class ImportReport:
    source: str
    file: str
    dry_run: bool = False
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    merged: int = 0
    #: accepted rows with something corrected or unverifiable, listed in `flags`
    flagged: int = 0
    #: listings of this source that the file no longer has (marked, never deleted)
    missing: int = 0
    #: pairs of listings from different sources that may be one place, for review
    duplicates: int = 0
    #: rows that are not services of ours (e.g. a youth centre in a list of summer centres)
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    flags: list[RowProblem] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def summary(self) -> str:
        mode = " (prova: nulla è stato salvato)" if self.dry_run else ""
        return (
            f"{self.file}: lette {self.read}, inserite {self.inserted}, aggiornate {self.updated}, "
            f"invariate {self.unchanged}, scartate {self.rejected}, segnalate {self.flagged}"
            + (f", unite a servizi di altre fonti {self.merged}" if self.merged else "")
            + (f", possibili doppioni da verificare {self.duplicates}" if self.duplicates else "")
            + (f", non più nella fonte {self.missing}" if self.missing else "")
            + (f", ignorate perché non pertinenti {self.skipped}" if self.skipped else "")
            + mode
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def write(self, path: Path) -> None:
        """Write the report as JSON, or as a CSV of the problems when `path` ends in .csv."""
        if path.suffix.lower() == ".csv":
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=["file", "line", "field", "message"])
                writer.writeheader()
                writer.writerows(asdict(problem) for problem in [*self.problems, *self.flags])
        else:
            text = json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
            path.write_text(text, encoding="utf-8")
