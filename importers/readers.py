"""Streaming CSV reading that sniffs encoding (UTF-8 with or without BOM, else Windows-1252)
and delimiter (, ; tab |), and reports progress by bytes read."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from core.i18n import _

SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
DELIMITERS = ",;\t|"

ProgressCallback = Callable[[int], None]


class SourceFileError(Exception):
    """The whole file cannot be read; nothing from it is stored. The message names the file."""


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]
    field_count_ok: bool = True


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: IO[bytes], on_progress: ProgressCallback | None) -> None:
        self._raw = raw
        self._on_progress = on_progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        if self._on_progress is not None and data:
            self._on_progress(len(data))
        return len(data)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252.
    Reads the bytes once, in chunks: a stray accent deep in a long file still counts."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        try:
            for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def detect_delimiter(sample: str) -> str:
    """The delimiter of the first non-blank line (the header)."""
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(first_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
        return max(counts, key=lambda delimiter: counts[delimiter])


def read_csv_rows(
    path: Path,
    required_columns: Sequence[str],
    on_progress: ProgressCallback | None = None,
) -> Iterator[RawRow]:
    """Yield each data row with its line number; raise SourceFileError for an unusable file.

    The whole file is checked (encoding, NUL bytes, oversized fields, the header) before the
    first row is yielded, so an import that commits in batches never stores part of a file
    that turns out to be broken further down."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as error:
        raise SourceFileError(
            _(
                "{file}: impossibile aprire il file ({reason})",
                file=path.name,
                reason=error.strerror,
            )
        ) from error
    if b"\x00" in head:
        raise SourceFileError(
            _(
                "{file}: non è un file CSV di testo (contiene byte nulli): "
                "salvalo come CSV UTF-8 dal foglio di calcolo",
                file=path.name,
            )
        )
    encoding = detect_encoding(path)
    delimiter = detect_delimiter(head.decode(encoding, errors="replace"))
    for _row in _parse(path, encoding, delimiter, required_columns, None):
        pass
    yield from _parse(path, encoding, delimiter, required_columns, on_progress)


def _parse(
    path: Path,
    encoding: str,
    delimiter: str,
    required_columns: Sequence[str],
    on_progress: ProgressCallback | None,
) -> Iterator[RawRow]:
    with path.open("rb") as handle:
        text = io.TextIOWrapper(
            io.BufferedReader(_CountingReader(handle, on_progress)), encoding=encoding, newline=""
        )
        reader = csv.reader(text, delimiter=delimiter)
        try:
            yield from _rows(path, reader, required_columns)
        except UnicodeDecodeError as error:
            raise SourceFileError(
                _(
                    "{file}: codifica dei caratteri non valida dopo la riga {line} "
                    "({encoding}): salva il file come CSV UTF-8",
                    file=path.name,
                    line=reader.line_num,
                    encoding=encoding,
                )
            ) from error
        except csv.Error as error:
            if "field limit" in str(error):
                limit = f"{csv.field_size_limit():,}".replace(",", ".")
                raise SourceFileError(
                    _(
                        "{file}, riga {line}: un campo supera {limit} "
                        "caratteri: il file è danneggiato o non è un CSV",
                        file=path.name,
                        line=reader.line_num + 1,
                        limit=limit,
                    )
                ) from error
            raise SourceFileError(
                _(
                    "{file}, riga {line}: CSV non leggibile ({reason})",
                    file=path.name,
                    line=reader.line_num,
                    reason=str(error),
                )
            ) from error


def _rows(path: Path, reader: Any, required_columns: Sequence[str]) -> Iterator[RawRow]:
    """`reader` is a `csv.reader`; `line_num` counts physical lines read so far, so a row
    starts on the line after the previous row ended."""
    header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
    if header is None:
        raise SourceFileError(_("{file}: il file è vuoto", file=path.name))
    columns = [name.strip().lower() for name in header]
    missing = [name for name in required_columns if name not in columns]
    if missing:
        raise SourceFileError(
            _(
                "{file}: mancano le colonne {missing} (colonne trovate: {columns})",
                file=path.name,
                missing=", ".join(missing),
                columns=", ".join(columns),
            )
        )
    first_line = reader.line_num + 1
    for cells in reader:
        line, first_line = first_line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if any("\x00" in cell for cell in cells):
            raise SourceFileError(
                _(
                    "{file}, riga {line}: byte nulli nel testo: il file è "
                    "danneggiato o non è un CSV",
                    file=path.name,
                    line=line,
                )
            )
        padded = cells + [""] * (len(columns) - len(cells))
        yield RawRow(
            line=line,
            values={name: value.strip() for name, value in zip(columns, padded, strict=False)},
            field_count_ok=len(cells) == len(columns),
        )
