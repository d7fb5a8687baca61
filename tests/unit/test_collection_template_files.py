"""Collection templates (importers.collection_templates), read back with our own readers."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import SERVICE_SHEET_HEADER
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.kinds import Sector, ServiceKind
from importers.collection_templates import (
    COLUMN_HELP,
    COST_PERIODS,
    DATA_ROWS,
    EXAMPLE_CODE_PREFIX,
    EXAMPLE_MARKER,
    TEMPLATE_KINDS,
    TEMPLATE_NAMES,
    TEXT_COLUMNS,
    example_rows,
    template_columns,
    template_csv,
    template_xlsx,
)
from importers.normalise.preferences import languages_or_empty, names_list, yes_no_or_none
from importers.normalise.schedule_text import parse_periods, parse_weekly_hours
from importers.normalise.values import (
    coordinate_or_none,
    euro_cents_or_none,
    integer_or_none,
    text_or_none,
    verification_date_or_none,
)
from importers.readers import read_csv_rows
from importers.records import ServiceRecord, certificate_date_or_none, public_person_name
from importers.sources.service_sheet import COLUMN_OF_FIELD, REQUIRED_COLUMNS
from importers.xlsx_reader import read_xlsx_rows

SHEET_COLUMNS = SERVICE_SHEET_HEADER.split(",")
EXPECTED_COLUMNS = {
    name: [*SHEET_COLUMNS, "codice_scuola"] if name == "pre-post-scuola" else SHEET_COLUMNS
    for name in TEMPLATE_NAMES
}


def csv_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(template_csv(name).encode("utf-8"))
    return path


def xlsx_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(template_xlsx(name))
    return path


def sheets(name: str) -> tuple[Worksheet, Worksheet]:
    book = load_workbook(io.BytesIO(template_xlsx(name)))
    instructions, data = book.worksheets
    return instructions, data


def test_the_templates_and_their_kinds() -> None:
    assert TEMPLATE_KINDS == {
        "nidi": (
            ServiceKind.NIDO,
            ServiceKind.MICRONIDO,
            ServiceKind.NIDO_FAMIGLIA,
            ServiceKind.SEZIONE_PRIMAVERA,
            ServiceKind.CENTRO_PRIMA_INFANZIA,
            ServiceKind.SCUOLA_INFANZIA,
        ),
        "centri-estivi": (ServiceKind.CENTRO_ESTIVO,),
        "pre-post-scuola": (ServiceKind.PRE_SCUOLA, ServiceKind.POST_SCUOLA),
        "babysitter": (ServiceKind.BABYSITTER,),
        "sportelli": (ServiceKind.SPORTELLO,),
    }
    assert {kind for kinds in TEMPLATE_KINDS.values() for kind in kinds} == set(ServiceKind)


def test_the_services_sheet_columns_are_the_importers() -> None:
    assert list(COLUMN_OF_FIELD.values()) == SHEET_COLUMNS


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_columns_are_the_services_sheet_ones(name: str) -> None:
    assert list(template_columns(name)) == EXPECTED_COLUMNS[name]
    assert list(COLUMN_HELP[name]) == EXPECTED_COLUMNS[name]
    assert {help.column for help in COLUMN_HELP[name].values() if help.required} == set(
        REQUIRED_COLUMNS
    )
    assert all(help.description for help in COLUMN_HELP[name].values())


def test_an_unknown_template_names_the_known_ones() -> None:
    expected = "modello sconosciuto «asili»: usa uno tra nidi, centri-estivi, pre-post-scuola, "
    for make in (template_csv, template_xlsx, template_columns):
        with pytest.raises(KeyError, match=expected + "babysitter, sportelli"):
            make("asili")  # type: ignore[operator]


# ---- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_csv_is_utf8_with_bom_and_semicolons(tmp_path: Path, name: str) -> None:
    data = csv_file(tmp_path, name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n")[0].decode()
    assert header == ";".join(EXPECTED_COLUMNS[name])


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_csv_parses_with_our_csv_reader(tmp_path: Path, name: str) -> None:
    rows = list(read_csv_rows(csv_file(tmp_path, name), REQUIRED_COLUMNS))
    assert 1 <= len(rows) <= 2
    assert [row.values for row in rows] == example_rows(name)
    assert all(row.field_count_ok for row in rows)
    for row in rows:
        assert list(row.values) == EXPECTED_COLUMNS[name]
        assert row.values["codice"].startswith(EXAMPLE_CODE_PREFIX)
        assert row.values["descrizione"].startswith(EXAMPLE_MARKER)
        assert row.values["tipo"] in TEMPLATE_KINDS[name]
        assert row.values["codice_istat"] == "015209"


# ---- XLSX -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_xlsx_reads_back_as_the_csv(tmp_path: Path, name: str) -> None:
    from_csv = list(read_csv_rows(csv_file(tmp_path, name), REQUIRED_COLUMNS))
    from_xlsx = list(read_xlsx_rows(xlsx_file(tmp_path, name), REQUIRED_COLUMNS))
    assert from_xlsx == from_csv


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_xlsx_sheets_header_and_text_columns(name: str) -> None:
    instructions, data = sheets(name)
    assert (instructions.title, data.title) == ("Istruzioni", "Servizi")
    header = [cell.value for cell in data[1]]
    assert header == EXPECTED_COLUMNS[name]
    assert all(cell.font.bold for cell in data[1])
    assert data.freeze_panes == "A2"
    for index, column in enumerate(header, start=1):
        letter = data.cell(1, index).column_letter
        is_text = column in TEXT_COLUMNS
        assert (data.column_dimensions[letter].number_format == "@") is is_text, column
        assert (data.cell(DATA_ROWS + 1, index).number_format == "@") is is_text, column
        assert data.column_dimensions[letter].width >= 10
    assert data.cell(2, header.index("codice_istat") + 1).value == "015209"


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_xlsx_has_drop_down_lists(name: str) -> None:
    _, data = sheets(name)
    header = [cell.value for cell in data[1]]
    lists = {
        str(validation.sqref): validation.formula1
        for validation in data.data_validations.dataValidation
    }
    expected = {
        "tipo": ",".join(TEMPLATE_KINDS[name]),
        "settore": ",".join(Sector),
        "costo_per": ",".join(COST_PERIODS),
    }
    for column, values in expected.items():
        letter = data.cell(1, header.index(column) + 1).column_letter
        assert lists[f"{letter}2:{letter}{DATA_ROWS + 1}"] == f'"{values}"'
    assert all(validation.type == "list" for validation in data.data_validations.dataValidation)
    assert all(validation.showErrorMessage for validation in data.data_validations.dataValidation)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_instructions_list_every_column_and_the_allowed_values(name: str) -> None:
    instructions, _ = sheets(name)
    first_column = [row[0] for row in instructions.iter_rows(values_only=True)]
    for column in EXPECTED_COLUMNS[name]:
        assert column in first_column, column
    for value in [*TEMPLATE_KINDS[name], *Sector, *COST_PERIODS]:
        assert value in first_column, value
    text = instructions_text(name)
    for help in COLUMN_HELP[name].values():
        assert help.description in text
    assert str(instructions["A1"].value).startswith("Conciliamo – modulo di raccolta")


def instructions_text(name: str) -> str:
    instructions, _ = sheets(name)
    return "\n".join(
        str(value) for row in instructions.iter_rows(values_only=True) for value in row if value
    )


def test_summer_centre_instructions_explain_weekly_modules_and_fees() -> None:
    text = instructions_text("centri-estivi")
    assert "«2027-06-14/2027-06-18; 2027-06-21/2027-06-25»" in text
    assert "in costo_per scrivi settimana" in text
    rows = example_rows("centri-estivi")
    assert {row["costo_per"] for row in rows} == {"settimana"}
    for row in rows:  # one Monday–Friday period per weekly module
        for period in parse_periods(row["periodi"]):
            assert (period.start.weekday(), period.end.weekday()) == (0, 4)
            assert (period.end - period.start).days == 4


def test_babysitter_instructions_and_examples_protect_the_person() -> None:
    text = instructions_text("babysitter")
    assert "solo il nome e l'iniziale del cognome" in text
    assert "lascia vuote indirizzo, lat e lon" in text
    assert "mai quelli personali della babysitter" in text
    help_desk = example_rows("sportelli")[0]
    for row in example_rows("babysitter"):
        assert public_person_name(row["nome"]) == row["nome"]
        assert (row["indirizzo"], row["lat"], row["lon"]) == ("", "", "")
        assert (row["telefono"], row["email"]) == (help_desk["telefono"], help_desk["email"])


def test_pre_post_school_rows_name_the_host_school() -> None:
    assert "codice_scuola" in instructions_text("pre-post-scuola")
    assert all(row["codice_scuola"] for row in example_rows("pre-post-scuola"))
    assert "codice_scuola" not in instructions_text("nidi")


# ---- the examples are valid services --------------------------------------------------------

PARSERS: dict[str, Callable[[str], Any]] = {
    "eta_min_mesi": integer_or_none,
    "eta_max_mesi": integer_or_none,
    "posti_totali": integer_or_none,
    "posti_disponibili": integer_or_none,
    "costo_euro": euro_cents_or_none,
    "lat": coordinate_or_none,
    "lon": coordinate_or_none,
    "orari": parse_weekly_hours,
    "periodi": parse_periods,
    "lingue": languages_or_empty,
    "disabilita": yes_no_or_none,
    "nidi_gratis": yes_no_or_none,
    "verificato_il": verification_date_or_none,
    "corso_babysitter_il": certificate_date_or_none,
    "corso_babysitter_scadenza": certificate_date_or_none,
    "primo_soccorso_il": certificate_date_or_none,
    "primo_soccorso_scadenza": certificate_date_or_none,
    # the importer asks the gazetteer; the examples name these two comuni
    "comuni_serviti": lambda cell: tuple(
        {"Sesto San Giovanni": "015209", "Cinisello Balsamo": "015077"}[name]
        for name in names_list(cell)
    ),
}
SESTO_CENTRE = (45.5342, 9.2364)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_example_rows_are_valid_services(name: str) -> None:
    """Parsed as the services-sheet importer does (the gazetteer's part aside: the comune's
    centre stands in for missing coordinates)."""
    for row in example_rows(name):
        fields = {
            field: PARSERS.get(column, text_or_none)(row[column])
            for field, column in COLUMN_OF_FIELD.items()
        }
        fields["organization_kind"] = fields["organization_kind"] or ""
        fields["latitude"] = fields["latitude"] or SESTO_CENTRE[0]
        fields["longitude"] = fields["longitude"] or SESTO_CENTRE[1]
        record = ServiceRecord(source="modello", **fields)
        assert record.kind in TEMPLATE_KINDS[name]
        assert record.slots
        assert record.periods


def test_every_cost_period_is_accepted_by_the_record() -> None:
    for period in COST_PERIODS:
        record = ServiceRecord(
            source="modello",
            external_id="X",
            kind=ServiceKind.NIDO,
            name="Nido",
            organization_name="Nido",
            comune="Sesto San Giovanni",
            latitude=SESTO_CENTRE[0],
            longitude=SESTO_CENTRE[1],
            cost_period=period,
        )
        assert record.cost_period == period
