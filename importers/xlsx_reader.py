"""Streaming XLSX reading with the same contract as `importers.readers.read_csv_rows`.

The workbook is opened with openpyxl in read-only mode, so rows are parsed one at a time and
a large sheet never sits in memory. The data sheet is the one named by `sheet`, else the first
worksheet whose header row holds every required column: an «Istruzioni» sheet placed first, as
in our collection templates, is skipped.

Cells become the text a person sees in the spreadsheet (see `cell_text`), so the sources parse
XLSX and CSV rows with the same code. A code typed into a cell formatted as Text keeps its
leading zeros (``015209``); typed into a number cell, Excel itself has already dropped them, so
the templates format the code columns as Text.

Progress is reported in **bytes of the file read from disk** (compressed bytes, as stored in
the .xlsx), like the CSV reader, so a progress bar sized to the file's size works for both. It
is called between rows, never from inside openpyxl; the total never exceeds the file size and
is topped up to exactly the file size when the last row has been read. Bytes read while opening
the workbook (the shared strings table, often a large part of the file) are reported before the
first row.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from core.i18n import _
from importers.readers import ProgressCallback, RawRow, SourceFileError

#: every OLE2 compound file (old .xls, and any password-encrypted Office file) starts so
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: the stream an encrypted OOXML package is stored in, as named in the OLE2 directory
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
SCAN_BYTES = 1024 * 1024
SAVE_AS_XLSX = _(
    "aprilo nel foglio di calcolo e salvalo come «Cartella di lavoro di Excel (.xlsx)»"
)


def read_xlsx_rows(
    path: Path,
    required_columns: Sequence[str],
    on_progress: ProgressCallback | None = None,
    sheet: str | None = None,
) -> Iterator[RawRow]:
    """Yield each non-empty data row with its spreadsheet row number; raise SourceFileError
    (in Italian, naming the file) for an unusable file. Like the CSV reader this is a
    generator: nothing is opened until the first row is asked for.

    `field_count_ok` is False when a row has values to the right of the last header column."""
    try:
        handle = path.open("rb", buffering=0)
    except OSError as error:
        raise SourceFileError(
            _(
                "{file}: impossibile aprire il file ({reason})",
                file=path.name,
                reason=error.strerror,
            )
        ) from error
    with handle:
        size = _check_signature(path, handle)
        counter = _CountingFile(handle, size)
        workbook = _load(path, counter, handle)
        try:
            _report(counter, on_progress)
            yield from _sheet_rows(path, workbook, required_columns, sheet, counter, on_progress)
        finally:
            workbook.close()
        rest = counter.unreported_total()
        if on_progress is not None and rest:
            on_progress(rest)


def cell_text(value: object) -> str:
    """The text a person sees in a cell: 12 not 12.0, 45.53852 with a decimal point,
    dates as 2027-06-14 (with " HH:MM" only when a time of day is set), times as 07:30,
    durations as 1:30, booleans as sì/no, an empty cell as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {value:%H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        sign = "-" if minutes < 0 else ""
        hours, minutes = divmod(abs(minutes), 60)
        return f"{sign}{hours}:{minutes:02d}"
    return str(value)


def _number_text(value: float) -> str:
    """At most 15 significant digits, as Excel shows them (no 0.30000000000000004), in plain
    decimal notation (no 1e-05), without a trailing .0."""
    if not math.isfinite(value):
        return str(value)
    text = format(Decimal(f"{value:.15g}"), "f")
    return "0" if Decimal(text) == 0 else text


# ---- opening -------------------------------------------------------------------------------


def _check_signature(path: Path, handle: io.RawIOBase) -> int:
    """The file's size, after rejecting empty files and OLE2 files (old .xls, encrypted)."""
    head = handle.read(len(OLE2_SIGNATURE)) or b""
    size = handle.seek(0, io.SEEK_END)
    if size == 0:
        raise SourceFileError(_("{file}: il file è vuoto", file=path.name))
    if head == OLE2_SIGNATURE:
        if _contains(handle, ENCRYPTED_STREAM):
            raise SourceFileError(
                _(
                    "{file}: il file è protetto da password: aprilo in Excel, togli la "
                    "password (File › Informazioni › Proteggi cartella di lavoro › Crittografa "
                    "con password) e salvalo di nuovo",
                    file=path.name,
                )
            )
        raise SourceFileError(
            _(
                "{file}: non è un file Excel .xlsx valido (è nel vecchio formato .xls): {fix}",
                file=path.name,
                fix=SAVE_AS_XLSX,
            )
        )
    handle.seek(0)
    return size


def _contains(handle: io.RawIOBase, needle: bytes) -> bool:
    handle.seek(0)
    tail = b""
    while chunk := handle.read(SCAN_BYTES):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def _load(path: Path, counter: _CountingFile, handle: io.RawIOBase) -> Any:
    try:
        with _quiet():
            return load_workbook(counter, read_only=True, data_only=True)
    except Exception as error:  # anything openpyxl or zipfile raise on a bad package
        if _is_ods(handle):
            message = _(
                "{file}: non è un file Excel .xlsx valido (è un foglio OpenDocument .ods): {fix}",
                file=path.name,
                fix=SAVE_AS_XLSX,
            )
        else:
            message = _(
                "{file}: non è un file Excel .xlsx valido: {fix}", file=path.name, fix=SAVE_AS_XLSX
            )
        raise SourceFileError(message) from error


def _is_ods(handle: io.RawIOBase) -> bool:
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            return archive.read("mimetype").strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False


@contextmanager
def _quiet() -> Iterator[None]:
    """openpyxl warns about things a person cannot act on (unsupported extensions, missing
    default styles, ...): silence its warnings, only while openpyxl itself runs."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="openpyxl")
        yield


class _CountingFile:
    """A seekable binary file for zipfile that counts bytes read, for progress."""

    def __init__(self, raw: io.RawIOBase, size: int) -> None:
        self._raw = raw
        self._size = size
        self._pending = 0
        self._reported = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size) or b""
        self._pending += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def take(self) -> int:
        """Bytes read since the last call, so that all calls together never pass the size."""
        amount = min(self._pending, self._size - self._reported)
        self._pending = 0
        self._reported += amount
        return amount

    def unreported_total(self) -> int:
        amount = self._size - self._reported
        self._reported = self._size
        return amount


def _report(counter: _CountingFile, on_progress: ProgressCallback | None) -> None:
    if on_progress is not None:
        amount = counter.take()
        if amount:
            on_progress(amount)


# ---- sheets and rows -----------------------------------------------------------------------


@dataclass
class _OpenSheet:
    title: str
    rows: Generator[tuple[int, Sequence[object]], None, None]
    header_line: int
    columns: list[str]


def _sheet_rows(
    path: Path,
    workbook: Any,
    required_columns: Sequence[str],
    sheet: str | None,
    counter: _CountingFile,
    on_progress: ProgressCallback | None,
) -> Iterator[RawRow]:
    data = _data_sheet(path, workbook, required_columns, sheet)
    try:
        yield from _data_rows(path, data, counter, on_progress)
    finally:
        _close(data)


def _data_rows(
    path: Path, data: _OpenSheet, counter: _CountingFile, on_progress: ProgressCallback | None
) -> Iterator[RawRow]:
    width = len(data.columns)
    line = data.header_line
    while True:
        try:
            with _quiet():
                line, cells = next(data.rows)
        except StopIteration:
            break
        except Exception as error:  # only openpyxl and zipfile run inside next()
            raise _damaged(path, data.title, line, error) from error
        _report(counter, on_progress)
        texts = [cell_text(value).strip() for value in cells]
        if not any(texts):
            continue
        padded = texts + [""] * (width - len(texts))
        yield RawRow(
            line=line,
            values=dict(zip(data.columns, padded, strict=False)),
            field_count_ok=not any(padded[width:]),
        )


def _data_sheet(
    path: Path, workbook: Any, required_columns: Sequence[str], sheet: str | None
) -> _OpenSheet:
    worksheets = list(workbook.worksheets)
    titles = ", ".join(f"«{worksheet.title}»" for worksheet in worksheets)
    if sheet is not None:
        chosen = _named(worksheets, sheet)
        if chosen is None:
            raise SourceFileError(
                _(
                    "{file}: non c'è il foglio «{sheet}» (fogli: {sheets})",
                    file=path.name,
                    sheet=sheet,
                    sheets=titles,
                )
            )
        opened = _open(path, chosen)
        if opened is None:
            raise SourceFileError(
                _(
                    "{file}, foglio «{sheet}»: il foglio è vuoto",
                    file=path.name,
                    sheet=chosen.title,
                )
            )
        missing = [name for name in required_columns if name not in opened.columns]
        if missing:
            _close(opened)
            raise SourceFileError(
                _(
                    "{file}, foglio «{sheet}»: mancano le colonne {missing} "
                    "(colonne trovate: {columns})",
                    file=path.name,
                    sheet=opened.title,
                    missing=", ".join(missing),
                    columns=", ".join(opened.columns),
                )
            )
        return opened
    headers: list[tuple[str, list[str]]] = []
    for worksheet in worksheets:
        opened = _open(path, worksheet)
        if opened is None:
            continue
        if all(name in opened.columns for name in required_columns):
            return opened
        _close(opened)
        headers.append((opened.title, opened.columns))
    if not headers:
        raise SourceFileError(_("{file}: il file è vuoto", file=path.name))
    # name the sheet that comes closest, so the message helps even with an instructions sheet
    title, columns = max(
        headers, key=lambda header: sum(name in header[1] for name in required_columns)
    )
    missing = [name for name in required_columns if name not in columns]
    raise SourceFileError(
        _(
            "{file}: nessun foglio ha le colonne {required} "
            "(fogli: {sheets}; nel foglio «{sheet}» mancano {missing}, "
            "colonne trovate: {columns})",
            file=path.name,
            required=", ".join(required_columns),
            sheets=titles,
            sheet=title,
            missing=", ".join(missing),
            columns=", ".join(columns),
        )
    )


def _named(worksheets: list[Any], sheet: str) -> Any:
    for worksheet in worksheets:
        if worksheet.title == sheet:
            return worksheet
    wanted = sheet.strip().casefold()
    return next((ws for ws in worksheets if ws.title.strip().casefold() == wanted), None)


def _open(path: Path, worksheet: Any) -> _OpenSheet | None:
    """The sheet positioned after its header (the first non-empty row), or None if empty."""
    worksheet.reset_dimensions()  # a wrong <dimension> written by some tools would cut rows
    rows = _numbered(worksheet)
    line = 0
    while True:
        try:
            with _quiet():
                line, cells = next(rows)
        except StopIteration:
            return None
        except Exception as error:  # only openpyxl and zipfile run inside next()
            raise _damaged(path, worksheet.title, line, error) from error
        names = [cell_text(value).strip().lower() for value in cells]
        if any(names):
            while not names[-1]:
                names.pop()
            return _OpenSheet(worksheet.title, rows, line, names)


def _numbered(worksheet: Any) -> Generator[tuple[int, Sequence[object]], None, None]:
    """(spreadsheet row number, cell values). Without dimensions openpyxl yields an empty
    tuple for each row missing from the file, so counting from 1 gives the row number."""
    cells = worksheet.iter_rows(values_only=True)
    try:
        yield from enumerate(cells, start=1)
    finally:
        close = getattr(cells, "close", None)
        if close is not None:
            close()  # releases the sheet's stream in the archive


def _close(opened: _OpenSheet) -> None:
    opened.rows.close()


def _damaged(path: Path, title: str, line: int, error: Exception) -> SourceFileError:
    where = _("dopo la riga {line}", line=line) if line else _("all'inizio")
    return SourceFileError(
        _(
            "{file}, foglio «{sheet}»: file Excel danneggiato, illeggibile {where}: {fix}",
            file=path.name,
            sheet=title,
            where=where,
            fix=SAVE_AS_XLSX,
        )
    )
