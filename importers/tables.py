"""Read a table a person hands us, CSV or XLSX, told apart by content (an .xlsx is a zip)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from core.i18n import _
from importers.readers import ProgressCallback, RawRow, SourceFileError, read_csv_rows
from importers.xlsx_reader import read_xlsx_rows

ZIP_MAGIC = b"PK\x03\x04"


def read_table_rows(
    path: Path, required_columns: Sequence[str], on_progress: ProgressCallback | None = None
) -> Iterator[RawRow]:
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise SourceFileError(
            _(
                "{file}: impossibile aprire il file ({reason})",
                file=path.name,
                reason=error.strerror,
            )
        ) from error
    if magic == ZIP_MAGIC or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx_rows(path, required_columns, on_progress)
    return read_csv_rows(path, required_columns, on_progress)
