"""CSV reading (importers.readers) and the import report (importers.report), on small files."""

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.i18n import _
from importers.readers import RawRow, SourceFileError, read_csv_rows
from importers.report import ImportReport, Outcome, RowProblem


def write(tmp_path: Path, data: bytes, name: str = "servizi.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path: Path, required: tuple[str, ...] = ("nome",)) -> list[RawRow]:
    return list(read_csv_rows(path, required))


def values(path: Path) -> list[dict[str, str]]:
    return [row.values for row in read(path)]


# ---- encodings and delimiters ------------------------------------------------------------------

TEXT = "nome,comune\nNido Arcobaleno,Città di Castello\nAsilo «Il Melo»,Forlì\n"
EXPECTED = [
    {"nome": "Nido Arcobaleno", "comune": "Città di Castello"},
    {"nome": "Asilo «Il Melo»", "comune": "Forlì"},
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_reads_utf8_utf8_with_bom_and_windows_1252(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, TEXT.encode(encoding))
    assert values(path) == EXPECTED  # the BOM does not end up in the first column's name


def test_reads_windows_1252_when_the_accent_is_near_the_end_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "nome,comune\nNido,Città\n".encode("cp1252"))  # ends b"Citt\xe0\n"
    assert values(path) == [{"nome": "Nido", "comune": "Città"}]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_detects_the_delimiter_from_the_header(tmp_path: Path, delimiter: str) -> None:
    buffer = io.StringIO()  # the comma in the name is quoted only when it is the delimiter
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows([["nome", "comune", "cap"], ["Nido, il Melo", "Bergamo", "24121"]])
    path = write(tmp_path, buffer.getvalue().encode())
    assert values(path) == [{"nome": "Nido, il Melo", "comune": "Bergamo", "cap": "24121"}]


def test_quoted_fields_keep_commas_and_doubled_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, b'nome,note\n"Nido, via Roma","Detto ""Il Girasole"""\n')
    assert values(path) == [{"nome": "Nido, via Roma", "note": 'Detto "Il Girasole"'}]


def test_header_names_are_lower_cased_and_stripped_and_values_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, b" Nome ,COMUNE,\tCap \n  Nido  , Bergamo ,24121\n")
    assert values(path) == [{"nome": "Nido", "comune": "Bergamo", "cap": "24121"}]


# ---- rows and line numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected_lines"),
    [
        (b"nome,comune\nA,X\nB,Y\n", [2, 3]),  # the header is line 1
        (b"nome,comune\n\nA,X\n , \n,\n\nB,Y", [3, 7]),  # blank and empty-cell lines skipped
        (b"nome,comune\r\nA,X\r\n\r\nB,Y\r\n", [2, 4]),  # Windows line ends
        (b'nome,note\nA,"uno\ndue\ntre"\nB,x\n', [2, 5]),  # A spans lines 2–4, B on 5
    ],
)
def test_rows_carry_their_physical_line_number(
    tmp_path: Path, data: bytes, expected_lines: list[int]
) -> None:
    assert [row.line for row in read(write(tmp_path, data))] == expected_lines


def test_quoted_newlines_are_kept_in_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, b'nome,note\nA,"uno\r\ndue"\n')
    assert values(path) == [{"nome": "A", "note": "uno\r\ndue"}]


def test_a_multi_line_row_is_numbered_by_its_first_line(tmp_path: Path) -> None:
    rows = read(write(tmp_path, b'nome,note\nA,"uno\ndue\ntre"\n'))
    assert rows[0].line == 2


def test_rows_with_too_few_or_too_many_cells_are_flagged(tmp_path: Path) -> None:
    path = write(tmp_path, b"nome,comune,cap\nA,X\nB,Y,1,extra\nC,Z,2\n")
    assert read(path) == [
        RawRow(2, {"nome": "A", "comune": "X", "cap": ""}, field_count_ok=False),  # padded
        RawRow(3, {"nome": "B", "comune": "Y", "cap": "1"}, field_count_ok=False),  # cut
        RawRow(4, {"nome": "C", "comune": "Z", "cap": "2"}, field_count_ok=True),
    ]


def test_a_header_only_file_has_no_rows(tmp_path: Path) -> None:
    assert read(write(tmp_path, b"nome,comune\n")) == []


def test_progress_reports_every_byte_of_the_file(tmp_path: Path) -> None:
    data = b"nome,comune\n" + b"Nido Arcobaleno,Bergamo\n" * 5000  # 12 + 24 * 5000 bytes
    reported: list[int] = []
    rows = list(read_csv_rows(write(tmp_path, data), ["nome"], reported.append))
    assert len(rows) == 5000
    assert sum(reported) == len(data) == 120_012


# ---- unusable files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "required", "message"),
    [
        (
            b"nome,comune\nA,\x00\x00\n",
            ("nome",),
            "servizi.csv: non è un file CSV di testo (contiene byte nulli): "
            "salvalo come CSV UTF-8 dal foglio di calcolo",
        ),
        (b"", ("nome",), "servizi.csv: il file è vuoto"),
        (
            b"Nome;Indirizzo\nA;via Roma 1\n",
            ("nome", "comune", "cap"),
            "servizi.csv: mancano le colonne comune, cap (colonne trovate: nome, indirizzo)",
        ),
        (  # 12 + 4 bytes, then line 3 is 70 000 × "a" and a NUL at offset 70 016 > 65 536
            b"nome,comune\nA,X\n" + b"a" * 70_000 + b"\x00,Y\nB,Z\n",
            ("nome",),
            "servizi.csv, riga 3: byte nulli nel testo: il file è danneggiato o non è un CSV",
        ),
    ],
    ids=["nul-bytes", "empty", "missing-columns", "nul-after-sniffing"],
)
def test_unusable_files_raise_source_file_error(
    tmp_path: Path, data: bytes, required: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SourceFileError) as raised:
        read(write(tmp_path, data), required)
    assert str(raised.value) == message


def test_a_missing_file_raises_source_file_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError) as raised:
        read(tmp_path / "manca.csv")
    assert str(raised.value) == "manca.csv: impossibile aprire il file (No such file or directory)"


cells = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cells, cells), max_size=8))
def test_anything_csv_writer_writes_reads_back(tmp_path: Path, rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([("nome", "comune"), *rows])
    path = write(tmp_path, buffer.getvalue().encode())
    expected = [
        {"nome": nome.strip(), "comune": comune.strip()}
        for nome, comune in rows
        if nome.strip() or comune.strip()
    ]
    assert values(path) == expected


# ---- import report -------------------------------------------------------------------------------


def report(dry_run: bool = False) -> ImportReport:
    result = ImportReport("miur", "scuole.csv", dry_run=dry_run, read=5)
    for outcome in [Outcome.INSERTED, Outcome.INSERTED, Outcome.UPDATED, Outcome.UNCHANGED]:
        result.count(outcome)
    result.count(Outcome.REJECTED)
    problem = RowProblem("scuole.csv", 7, "cap", _("CAP non valido «{cap}»: ignorato", cap="2012"))
    result.problems.append(problem)
    return result


def test_count_adds_one_to_the_outcome() -> None:
    counted = report()
    assert (counted.inserted, counted.updated, counted.unchanged, counted.rejected) == (2, 1, 1, 1)


@pytest.mark.parametrize(
    ("dry_run", "expected"),
    [
        (
            False,
            "scuole.csv: lette 5, inserite 2, aggiornate 1, invariate 1, scartate 1, segnalate 0",
        ),
        (
            True,
            "scuole.csv: lette 5, inserite 2, aggiornate 1, invariate 1, scartate 1, segnalate 0"
            " (prova: nulla è stato salvato)",
        ),
    ],
)
def test_summary(dry_run: bool, expected: str) -> None:
    assert report(dry_run).summary() == expected


def test_summary_in_english() -> None:
    assert report(dry_run=True).summary("en") == (
        "scuole.csv: read 5, inserted 2, updated 1, unchanged 1, rejected 1, flagged 0"
        " (dry run: nothing was saved)"
    )


def test_row_problem_text() -> None:
    problem = report().problems[0]
    assert str(problem) == "scuole.csv, riga 7, campo «cap»: CAP non valido «2012»: ignorato"
    assert problem.render("en") == (
        "scuole.csv, line 7, field «cap»: invalid postcode (CAP) «2012»: ignored"
    )


def test_a_message_from_elsewhere_is_the_same_in_both_languages() -> None:
    problem = RowProblem("a.csv", 2, "nome", "testo di una libreria")
    assert (problem.message, problem.describe("en")) == ("testo di una libreria",) * 2


def test_write_json(tmp_path: Path) -> None:
    report().write(tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8")) == {
        "source": "miur",
        "file": "scuole.csv",
        "dry_run": False,
        "read": 5,
        "inserted": 2,
        "updated": 1,
        "unchanged": 1,
        "rejected": 1,
        "flagged": 0,
        "merged": 0,
        "missing": 0,
        "duplicates": 0,
        "skipped": 0,
        "flags": [],
        "problems": [
            {
                "file": "scuole.csv",
                "line": 7,
                "field": "cap",
                "message": "CAP non valido «2012»: ignorato",
                "message_en": "invalid postcode (CAP) «2012»: ignored",
            }
        ],
    }


@pytest.mark.parametrize("name", ["problemi.csv", "PROBLEMI.CSV"])
def test_write_csv_lists_the_problems(tmp_path: Path, name: str) -> None:
    report().write(tmp_path / name)
    with (tmp_path / name).open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["file", "line", "field", "message", "message_en"],
            [
                "scuole.csv",
                "7",
                "cap",
                "CAP non valido «2012»: ignorato",
                "invalid postcode (CAP) «2012»: ignored",
            ],
        ]


def test_write_json_is_utf8_whatever_the_locale(tmp_path: Path, monkeypatch) -> None:
    # Path.write_text asks io.text_encoding(None) for the default: simulate a cp1252 locale
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "cp1252")
    report().write(tmp_path / "report.json")
    text = (tmp_path / "report.json").read_bytes().decode("utf-8")
    assert json.loads(text)["problems"][0]["message"] == "CAP non valido «2012»: ignorato"


def test_windows_1252_accent_deep_in_a_long_file_is_read(tmp_path: Path) -> None:
    rows = b"".join(b"Nido %d,Milano\n" % number for number in range(6000))  # > 64 KiB
    path = write(tmp_path, b"nome,comune\n" + rows + "Nido Città,Cantù\n".encode("cp1252"))
    assert values(path)[-1] == {"nome": "Nido Città", "comune": "Cantù"}


def test_blank_lines_before_the_header_do_not_hide_the_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path, b"\n\nnome;comune\nA;Cremona\n")
    assert values(path) == [{"nome": "A", "comune": "Cremona"}]
