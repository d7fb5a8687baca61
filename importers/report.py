"""What an import did, row by row: counts for people, problems with file/line/field for fixing."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from core.i18n import LANGUAGES, SOURCE_LANGUAGE, Text, _, as_text


class Outcome(StrEnum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    #: a new row of this source joined to a service another source brought (same school code)
    MERGED = "merged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class RowProblem:
    """Why a row was rejected (or flagged): the file, the line, the field, a fix.

    `text` is the message in both languages (a `Text`; a plain string or an exception is
    accepted and kept as it is); `message` is its Italian wording.
    """

    file: str
    line: int
    field: str
    text: Text | str | BaseException

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", as_text(self.text))

    @property
    def message(self) -> str:
        return self.describe(SOURCE_LANGUAGE)

    def describe(self, language: str) -> str:
        return as_text(self.text).render(language)

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        return _(
            "{file}, riga {line}, campo «{field}»: {message}",
            file=self.file,
            line=self.line,
            field=self.field,
            message=as_text(self.text),
        ).render(language)

    def __str__(self) -> str:
        return self.render(SOURCE_LANGUAGE)

    def as_dict(self) -> dict[str, object]:
        """The problem for machines: where, and the message in every language we speak."""
        where: dict[str, object] = {"file": self.file, "line": self.line, "field": self.field}
        messages = {_message_key(language): self.describe(language) for language in LANGUAGES}
        return where | messages


def _message_key(language: str) -> str:
    return "message" if language == SOURCE_LANGUAGE else f"message_{language}"


REPORT_COLUMNS = ["file", "line", "field", *(_message_key(language) for language in LANGUAGES)]


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

    def summary(self, language: str = SOURCE_LANGUAGE) -> str:
        parts = [
            _(
                "{file}: lette {read}, inserite {inserted}, aggiornate {updated}, "
                "invariate {unchanged}, scartate {rejected}, segnalate {flagged}",
                file=self.file,
                read=self.read,
                inserted=self.inserted,
                updated=self.updated,
                unchanged=self.unchanged,
                rejected=self.rejected,
                flagged=self.flagged,
            )
        ]
        if self.merged:
            parts.append(_("unite a servizi di altre fonti {count}", count=self.merged))
        if self.duplicates:
            parts.append(_("possibili doppioni da verificare {count}", count=self.duplicates))
        if self.missing:
            parts.append(_("non più nella fonte {count}", count=self.missing))
        if self.skipped:
            parts.append(_("ignorate perché non pertinenti {count}", count=self.skipped))
        text = ", ".join(part.render(language) for part in parts)
        if self.dry_run:
            text += " " + _("(prova: nulla è stato salvato)").render(language)
        return text

    def as_dict(self) -> dict[str, object]:
        counts = {name: value for name, value in asdict(self).items() if name not in _LISTS}
        return counts | {
            "problems": [problem.as_dict() for problem in self.problems],
            "flags": [flag.as_dict() for flag in self.flags],
        }

    def write(self, path: Path) -> None:
        """Write the report as JSON, or as a CSV of the problems when `path` ends in .csv."""
        if path.suffix.lower() == ".csv":
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS)
                writer.writeheader()
                writer.writerows(problem.as_dict() for problem in [*self.problems, *self.flags])
        else:
            text = json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
            path.write_text(text, encoding="utf-8")


_LISTS = {"problems", "flags"}
