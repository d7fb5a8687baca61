"""The problems and flags collected while one HSDS listing is mapped."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.i18n import Text, _, as_text
from importers.report import RowProblem


@dataclass
class Notes:
    """The problems and flags of one listing, each message starting with what and where."""

    file: str
    line: int
    label: Text | str = ""
    problems: list[RowProblem] = field(default_factory=list)
    flags: list[RowProblem] = field(default_factory=list)

    def reject(self, name: str, message: Text | str | BaseException) -> None:
        self.problems.append(RowProblem(self.file, self.line, name, self.labelled(message)))

    def flag(self, name: str, message: Text | str | BaseException) -> None:
        self.flags.append(RowProblem(self.file, self.line, name, self.labelled(message)))

    def labelled(self, message: Text | str | BaseException) -> Text:
        """The message after the listing's label: «service» presso «location»: message."""
        return _("{label}: {message}", label=self.label, message=as_text(message))
