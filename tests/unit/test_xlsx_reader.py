"""XLSX reading (importers.xlsx_reader), on small workbooks built with openpyxl."""

import re
import warnings
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from importers.readers import RawRow, SourceFileError
from importers.xlsx_reader import OLE2_SIGNATURE, cell_text, read_xlsx_rows

SAVE_AS = "aprilo nel foglio di calcolo e salvalo come «Cartella di lavoro di Excel (.xlsx)»"

Rows = list[list[Any]]


def workbook(path: Path, sheets: dict[str, Rows], text_columns: tuple[int, ...] = ()) -> Path:
    """A workbook with the given sheets in order; cells of `text_columns` (1-based) are
    formatted as Text, as our templates do."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for column in text_columns:
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column, min_row=1):
                cell.number_format = "@"
    book.save(path)
    return path


def read(
    path: Path, required: tuple[str, ...] = ("nome",), sheet: str | None = None
) -> list[RawRow]:
    return list(read_xlsx_rows(path, required, sheet=sheet))


def values(path: Path, sheet: str | None = None) -> list[dict[str, str]]:
    return [row.values for row in read(path, sheet=sheet)]


def error_of(path: Path, required: tuple[str, ...] = ("nome",), sheet: str | None = None) -> str:
    with pytest.raises(SourceFileError) as caught:
        read(path, required, sheet)
    return str(caught.value)


def rewrite_member(path: Path, member: str, change: Callable[[str], str]) -> None:
    """Rewrite one XML part of a saved workbook, keeping the others as they are."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[member] = change(parts[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# ---- cell values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12, "12"),
        (12.0, "12"),
        (-3, "-3"),
        (45.53852, "45.53852"),
        (95.5, "95.5"),
        (0.1 + 0.2, "0.3"),
        (0.00001, "0.00001"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
        (True, "sì"),
        (False, "no"),
        (datetime(2027, 6, 14), "2027-06-14"),
        (datetime(2027, 6, 14, 8, 30), "2027-06-14 08:30"),
        (date(2027, 6, 14), "2027-06-14"),
        (time(7, 30), "07:30"),
        (timedelta(hours=1, minutes=30), "1:30"),
        (timedelta(hours=26), "26:00"),
        ("Nido «Il Melo»", "Nido «Il Melo»"),
        ("#N/A", "#N/A"),
    ],
)
def test_cell_text_is_what_a_person_sees(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_reads_each_cell_type_as_text(tmp_path: Path) -> None:
    header = ["nome", "posti", "costo", "lat", "apertura", "dalle", "durata", "attivo", "note"]
    row = [
        "  Nido Arcobaleno ",
        40,
        95.5,
        45.53852,
        datetime(2027, 6, 14),
        time(7, 30),
        timedelta(hours=1, minutes=30),
        True,
        None,
    ]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": [header, row]})
    assert values(path) == [
        {
            "nome": "Nido Arcobaleno",
            "posti": "40",
            "costo": "95.5",
            "lat": "45.53852",
            "apertura": "2027-06-14",
            "dalle": "07:30",
            "durata": "1:30",
            "attivo": "sì",
            "note": "",
        }
    ]


def test_codes_typed_as_text_keep_their_leading_zeros(tmp_path: Path) -> None:
    rows: Rows = [
        ["nome", "codice_istat", "cap"],
        ["Nido", "015209", "00184"],
        ["Asilo", 15209, 184],
    ]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows}, text_columns=(2, 3))
    assert values(path) == [
        {"nome": "Nido", "codice_istat": "015209", "cap": "00184"},
        # a number cell has no leading zeros left to keep: the templates use Text cells
        {"nome": "Asilo", "codice_istat": "15209", "cap": "184"},
    ]


def test_header_names_are_stripped_and_lower_cased(tmp_path: Path) -> None:
    rows: Rows = [[" Nome ", "COMUNE", None, None], ["Nido", "Forlì"]]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows})
    assert read(path, ("nome", "comune")) == [
        RawRow(line=2, values={"nome": "Nido", "comune": "Forlì"}, field_count_ok=True)
    ]


def test_short_rows_are_padded_and_values_beyond_the_header_flagged(tmp_path: Path) -> None:
    rows: Rows = [["nome", "comune", "cap"], ["Nido"], ["Asilo", "Forlì", "47121", "in più"]]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows})
    assert read(path) == [
        RawRow(line=2, values={"nome": "Nido", "comune": "", "cap": ""}, field_count_ok=True),
        RawRow(
            line=3,
            values={"nome": "Asilo", "comune": "Forlì", "cap": "47121"},
            field_count_ok=False,
        ),
    ]


# ---- sheets, rows and line numbers ---------------------------------------------------------


def test_an_instructions_sheet_before_the_data_is_skipped(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {
        "Istruzioni": [["Conciliamo – modulo di raccolta"], [], ["Colonna", "Descrizione"]],
        "Servizi": [["codice", "nome"], ["N-1", "Nido"]],
    }
    path = workbook(tmp_path / "modulo.xlsx", sheets)
    assert read(path, ("codice", "nome")) == [RawRow(2, {"codice": "N-1", "nome": "Nido"})]


def test_an_explicit_sheet_is_read_even_when_an_earlier_one_matches(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {
        "2025": [["nome"], ["Vecchio"]],
        "2026": [["nome"], ["Nuovo"]],
    }
    path = workbook(tmp_path / "servizi.xlsx", sheets)
    assert values(path) == [{"nome": "Vecchio"}]
    assert values(path, sheet="2026") == [{"nome": "Nuovo"}]


def test_the_sheet_name_may_differ_in_case_and_spaces(tmp_path: Path) -> None:
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": [["nome"], ["Nido"]]})
    assert values(path, sheet=" servizi") == [{"nome": "Nido"}]


def test_line_is_the_spreadsheet_row_number_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    rows: Rows = [
        [],
        [None, None],
        ["nome", "comune"],  # header on row 3
        ["Nido", "Forlì"],
        [],
        ["  ", None],  # only blanks: empty
        ["Asilo", "Cesena"],
    ]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows})
    assert [(row.line, row.values["nome"]) for row in read(path)] == [(4, "Nido"), (7, "Asilo")]


def test_formatted_but_empty_cells_are_empty_rows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": [["nome"], ["Nido"]]})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nome"])
    sheet.append(["Nido"])
    for row in range(3, 50):
        sheet.cell(row, 1).number_format = "@"
    book.save(path)
    assert [row.line for row in read(path)] == [2]


def test_a_wrong_dimension_in_the_file_does_not_cut_rows(tmp_path: Path) -> None:
    rows: Rows = [["nome"], ["Nido"], ["Asilo"], ["Micronido"]]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows})
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', xml),
    )
    assert values(path) == [{"nome": "Nido"}, {"nome": "Asilo"}, {"nome": "Micronido"}]


def test_the_file_name_need_not_end_in_xlsx(tmp_path: Path) -> None:
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": [["nome"], ["Nido"]]})
    upload = path.rename(tmp_path / "upload-1234.tmp")
    assert values(upload) == [{"nome": "Nido"}]


def test_openpyxl_warnings_do_not_reach_the_user(tmp_path: Path) -> None:
    path = tmp_path / "servizi.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nome", "quando"])
    sheet.append(["Nido", 1e10])
    sheet["B2"].number_format = "yyyy-mm-dd"  # a date out of range: openpyxl warns on reading
    book.save(path)
    rewrite_member(  # an extension openpyxl does not support: it warns too
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            "</worksheet>",
            '<extLst><ext uri="{00000000-0000-0000-0000-000000000000}"/></extLst></worksheet>',
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert values(path) == [{"nome": "Nido", "quando": "#VALUE!"}]


@pytest.mark.parametrize("count", [1, 3000])
def test_progress_is_in_bytes_and_adds_up_to_the_file_size(tmp_path: Path, count: int) -> None:
    rows: Rows = [["nome", "comune"], *([f"Nido {number}", "Forlì"] for number in range(count))]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows})
    reported: list[int] = []
    assert len(list(read_xlsx_rows(path, ("nome",), reported.append))) == count
    assert reported
    assert all(amount > 0 for amount in reported)
    assert sum(reported) == path.stat().st_size


# ---- unusable files -------------------------------------------------------------------------


def test_a_missing_file(tmp_path: Path) -> None:
    message = error_of(tmp_path / "assente.xlsx")
    assert message == "assente.xlsx: impossibile aprire il file (No such file or directory)"


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vuoto.xlsx"
    path.write_bytes(b"")
    assert error_of(path) == "vuoto.xlsx: il file è vuoto"


def test_a_workbook_with_only_empty_sheets(tmp_path: Path) -> None:
    path = workbook(tmp_path / "vuoto.xlsx", {"Foglio1": [], "Foglio2": [[None, "  "]]})
    assert error_of(path) == "vuoto.xlsx: il file è vuoto"


def test_a_text_file_is_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "servizi.xlsx"
    path.write_text("nome;comune\nNido;Forlì\n", encoding="utf-8")
    assert error_of(path) == f"servizi.xlsx: non è un file Excel .xlsx valido: {SAVE_AS}"


def test_a_zip_that_is_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "servizi.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("servizi.csv", "nome\nNido\n")
    assert error_of(path) == f"servizi.xlsx: non è un file Excel .xlsx valido: {SAVE_AS}"


def test_an_opendocument_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "servizi.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert error_of(path) == (
        f"servizi.xlsx: non è un file Excel .xlsx valido (è un foglio OpenDocument .ods): {SAVE_AS}"
    )


def test_a_password_protected_workbook(tmp_path: Path) -> None:
    # Excel stores an encrypted workbook in an OLE2 container with an EncryptedPackage stream
    path = tmp_path / "servizi.xlsx"
    directory_entry = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE2_SIGNATURE + bytes(2000) + directory_entry + bytes(5000))
    assert error_of(path) == (
        "servizi.xlsx: il file è protetto da password: aprilo in Excel, togli la password "
        "(File › Informazioni › Proteggi cartella di lavoro › Crittografa con password) e "
        "salvalo di nuovo"
    )


def test_an_old_xls_workbook(tmp_path: Path) -> None:
    path = tmp_path / "servizi.xls"
    path.write_bytes(OLE2_SIGNATURE + bytes(5000) + "Workbook".encode("utf-16-le"))
    assert error_of(path) == (
        f"servizi.xls: non è un file Excel .xlsx valido (è nel vecchio formato .xls): {SAVE_AS}"
    )


def test_no_sheet_has_the_required_columns(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {
        "Istruzioni": [["Conciliamo – modulo di raccolta"]],
        "Servizi": [["codice", "Nome", "indirizzo"], ["N-1", "Nido", "Via Roma 1"]],
        "Vuoto": [],
    }
    path = workbook(tmp_path / "modulo.xlsx", sheets)
    assert error_of(path, ("codice", "nome", "comune")) == (
        "modulo.xlsx: nessun foglio ha le colonne codice, nome, comune "
        "(fogli: «Istruzioni», «Servizi», «Vuoto»; nel foglio «Servizi» mancano comune, "
        "colonne trovate: codice, nome, indirizzo)"
    )


def test_no_sheet_has_the_required_columns_names_the_first_when_none_comes_close(
    tmp_path: Path,
) -> None:
    sheets: dict[str, Rows] = {"Foglio1": [["a", "b"]], "Foglio2": [["c"]]}
    path = workbook(tmp_path / "modulo.xlsx", sheets)
    assert error_of(path, ("nome",)) == (
        "modulo.xlsx: nessun foglio ha le colonne nome (fogli: «Foglio1», «Foglio2»; "
        "nel foglio «Foglio1» mancano nome, colonne trovate: a, b)"
    )


def test_an_explicit_sheet_that_does_not_exist(tmp_path: Path) -> None:
    path = workbook(tmp_path / "modulo.xlsx", {"Istruzioni": [["x"]], "Servizi": [["nome"]]})
    assert error_of(path, sheet="Dati") == (
        "modulo.xlsx: non c'è il foglio «Dati» (fogli: «Istruzioni», «Servizi»)"
    )


def test_an_explicit_sheet_without_the_required_columns(tmp_path: Path) -> None:
    path = workbook(tmp_path / "modulo.xlsx", {"Servizi": [["codice", "comune"], ["N-1", "Forlì"]]})
    assert error_of(path, ("codice", "nome"), sheet="Servizi") == (
        "modulo.xlsx, foglio «Servizi»: mancano le colonne nome (colonne trovate: codice, comune)"
    )


def test_an_explicit_sheet_that_is_empty(tmp_path: Path) -> None:
    path = workbook(tmp_path / "modulo.xlsx", {"Servizi": [["nome"], ["Nido"]], "Nuovi": []})
    assert error_of(path, sheet="Nuovi") == "modulo.xlsx, foglio «Nuovi»: il foglio è vuoto"


def test_a_damaged_sheet_is_reported_after_the_rows_read(tmp_path: Path) -> None:
    rows: Rows = [["nome"], ["Nido"], ["Asilo"]]
    path = workbook(tmp_path / "servizi.xlsx", {"Servizi": rows})
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml[: xml.index('<row r="3"')] + '<row r="3"><c r="A3" t="inlineStr"><is>',
    )
    read_so_far: list[int] = []
    with pytest.raises(SourceFileError) as caught:
        for row in read_xlsx_rows(path, ("nome",)):
            read_so_far.append(row.line)
    assert read_so_far == [2]
    assert str(caught.value) == (
        f"servizi.xlsx, foglio «Servizi»: file Excel danneggiato, illeggibile dopo la riga 2: "
        f"{SAVE_AS}"
    )


def test_nothing_is_opened_until_the_first_row_is_asked_for(tmp_path: Path) -> None:
    rows = read_xlsx_rows(tmp_path / "assente.xlsx", ("nome",))  # no error yet
    with pytest.raises(SourceFileError):
        next(rows)
