"""The problems and flags collected while one HSDS listing is mapped."""

from __future__ import annotations

from dataclasses import dataclass, field

from importers.report import RowProblem


@dataclass
class Notes:
    """The problems and flags of one listing, each message starting with what and where."""

    file: str
    line: int
    label: str = ""
    problems: list[RowProblem] = field(default_factory=list)
    flags: list[RowProblem] = field(default_factory=list)

    def reject(self, name: str, message: str) -> None:
        self.problems.append(RowProblem(self.file, self.line, name, f"{self.label}: {message}"))

    def flag(self, name: str, message: str) -> None:
        self.flags.append(RowProblem(self.file, self.line, name, f"{self.label}: {message}"))
