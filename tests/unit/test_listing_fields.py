"""A listing's fields are declared once (core.listing_fields): every place that lists them is
derived from the declaration, holds each declared field as declared, and names no field the
declaration lacks."""

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader
from markupsafe import escape
from pydantic.fields import FieldInfo
from sqlmodel import SQLModel

from core.i18n import Text
from core.listing_fields import (
    EDITABLE_FIELDS,
    FIELDS_BY_NAME,
    INDEXED_FIELDS,
    LISTING_FIELDS,
    TEXTS,
    FormInput,
    ListingField,
    ValueType,
    form_sections,
)
from core.models import Location, Organization, Service
from core.settings import PROJECT_ROOT
from importers.collection_templates import (
    BASE_COLUMN_HELP,
    COLUMN_HELP,
    COST_PERIODS,
    NUMBER_COLUMNS,
    TEMPLATE_NAMES,
    template_columns,
)
from importers.records import ServiceRecord
from importers.sources.service_sheet import (
    CERTIFICATE_COLUMNS,
    COLUMN_OF_FIELD,
    HOURS_COLUMNS,
    IDENTITY_COLUMNS,
    ORGANIZATION_COLUMNS,
    PLACE_COLUMNS,
    REQUIRED_COLUMNS,
)
from importers.upsert import LOCATION_FIELDS, SERVICE_FIELDS
from search.documents import BABYSITTER_PRIVATE_FIELDS, index_value, service_document
from service.listings.edits import EDITABLE, ListingEditInvalid, form_reader, parse_listing_form
from service.web.area_common import listing_form_values
from service.web.field_errors import FIELD_LABELS
from service.web.language import template_filters, template_globals

FIELDS = pytest.mark.parametrize("field", LISTING_FIELDS, ids=lambda field: field.name)
EDITABLE_ONLY = pytest.mark.parametrize("field", EDITABLE_FIELDS, ids=lambda field: field.name)
#: the sheet's columns of what is not a plain field of the listing
STRUCTURE_COLUMNS = (
    IDENTITY_COLUMNS | ORGANIZATION_COLUMNS | PLACE_COLUMNS | HOURS_COLUMNS | CERTIFICATE_COLUMNS
)
#: what the record holds besides the declared fields
RECORD_STRUCTURE = {
    "source",
    "merge_key",
    "geocode_precision",
    "geocode_source",
    *STRUCTURE_COLUMNS,
}
#: the index document's keys that are not declared fields: identity, status, organization,
#: place, hours, freshness, the kind's label and the content hash
DOCUMENT_STRUCTURE = {
    "id",
    "status",
    "organization",
    "address",
    "cap",
    "comune",
    "istat_code",
    "_geo",
    "geocode_precision",
    "kind_label",
    "updated_ts",
    "hours_known",
    "open_weekdays",
    "valid_from",
    "valid_to",
    "schedule",
    "content_hash",
}
#: a value of each declared field, as stored, for a listing built by hand
STORED = {
    "kind": "nido",
    "name": "Nido Girasole",
    "sector": "pubblico",
    "description": "Nido a tempo pieno.",
    "age_min_months": 3,
    "age_max_months": 36,
    "capacity": 40,
    "places_available": 2,
    "cost_cents": 42050,
    "cost_period": "mese",
    "phone": "02 0000 1234",
    "email": "info@example.org",
    "website": "https://example.org",
    "languages": "en,fr",
    "disability_support": True,
    "service_area": "015209,015077",
    "how_to_apply": "Domanda online.",
    "nidi_gratis": False,
    "last_verified_at": date(2026, 11, 15),
}


def _service() -> Service:
    return Service(
        id=7,
        organization=Organization(name="Comune di Sesto San Giovanni", kind="comune"),
        location=Location(comune="Sesto San Giovanni", latitude=45.53, longitude=9.23),
        updated_at=datetime(2026, 11, 20, tzinfo=UTC),
        **STORED,
    )


def _edit_form(values: dict[str, str]) -> str:
    environment = Environment(loader=FileSystemLoader(PROJECT_ROOT / "templates"), autoescape=True)
    environment.globals.update(template_globals())
    environment.globals["listing_form_sections"] = form_sections()
    environment.filters.update(template_filters())
    template = environment.get_template("partials/listing_fields.html")
    return template.render(values=values, errors=[])


def test_the_stored_example_covers_every_declared_field() -> None:
    assert set(STORED) == set(FIELDS_BY_NAME)


# ---- the sheet and the collection templates ---------------------------------------------------


@FIELDS
def test_the_sheet_reads_each_field_from_its_declared_column(field: ListingField) -> None:
    assert COLUMN_OF_FIELD[field.name] == field.column
    assert (field.column in REQUIRED_COLUMNS) == field.required


@FIELDS
def test_every_template_has_the_column_with_its_declared_help(field: ListingField) -> None:
    for name in TEMPLATE_NAMES:
        assert field.column in template_columns(name)
        assert COLUMN_HELP[name][field.column].required == field.required
    assert BASE_COLUMN_HELP[field.column] == (field.column_help, field.column_example)


def test_the_sheet_names_no_field_the_declaration_lacks() -> None:
    declared = [name for name in COLUMN_OF_FIELD if name not in STRUCTURE_COLUMNS]
    assert declared == [field.name for field in LISTING_FIELDS]
    columns = set(template_columns("nidi"))
    assert columns == set(COLUMN_OF_FIELD.values())


def test_number_columns_are_the_declared_numbers_and_the_point() -> None:
    numbers = {
        field.column
        for field in LISTING_FIELDS
        if field.type in {ValueType.WHOLE, ValueType.EURO_CENTS}
    }
    assert numbers == {"eta_min_mesi", "eta_max_mesi", "posti_totali", "posti_disponibili"} | {
        "costo_euro"
    }
    assert numbers | {"lat", "lon"} == NUMBER_COLUMNS


def test_the_cost_periods_explained_are_the_declared_choices() -> None:
    assert tuple(COST_PERIODS) == FIELDS_BY_NAME["cost_period"].choice_values


# ---- the importers' record and upsert ---------------------------------------------------------


@FIELDS
def test_the_record_holds_each_field_with_its_declared_bounds(field: ListingField) -> None:
    info: FieldInfo = ServiceRecord.model_fields[field.name]
    assert info.is_required() == field.required
    bounds = {type(item).__name__: item for item in info.metadata}
    if field.type in {ValueType.WHOLE, ValueType.EURO_CENTS}:
        assert (bounds["Ge"].ge, bounds["Le"].le) == (0, field.maximum)
    elif field.maximum is not None and field.type != ValueType.LANGUAGES:
        assert bounds["MaxLen"].max_length == field.maximum


def test_the_record_and_the_upsert_name_no_field_the_declaration_lacks() -> None:
    assert set(ServiceRecord.model_fields) - RECORD_STRUCTURE == set(FIELDS_BY_NAME)
    assert tuple(field.name for field in LISTING_FIELDS) == SERVICE_FIELDS
    assert not set(LOCATION_FIELDS) & set(FIELDS_BY_NAME)


def test_a_cost_per_day_is_accepted_from_a_sheet_as_from_the_form() -> None:
    record = ServiceRecord(
        source="prova",
        external_id="X-1",
        kind="centro_estivo",
        name="Centro estivo",
        organization_name="Ente",
        comune="Sesto San Giovanni",
        latitude=45.53,
        longitude=9.23,
        cost_cents=2500,
        cost_period="giorno",
    )
    assert record.cost_period == "giorno"
    assert parse_listing_form({"cost_period": "giorno"}) == {"cost_period": "giorno"}


@FIELDS
def test_each_field_is_a_column_of_the_listing_table(field: ListingField) -> None:
    table = SQLModel.metadata.tables["service"]
    assert field.name in table.columns


# ---- the index document -----------------------------------------------------------------------


@pytest.mark.parametrize("field", INDEXED_FIELDS, ids=lambda field: field.name)
def test_the_index_document_carries_each_indexed_field(field: ListingField) -> None:
    document = service_document(_service())
    assert document[field.name] == index_value(field, STORED[field.name])


@pytest.mark.parametrize(
    ("name", "indexed"),
    [
        ("languages", ["en", "fr"]),
        ("service_area", ["015209", "015077"]),
        ("last_verified_at", "2026-11-15"),
        ("cost_cents", 42050),
        ("disability_support", True),
    ],
)
def test_lists_of_codes_and_dates_are_indexed_as_lists_and_iso_text(
    name: str, indexed: Any
) -> None:
    assert service_document(_service())[name] == indexed


def test_the_index_document_names_no_field_the_declaration_lacks() -> None:
    document = service_document(_service())
    assert set(document) - DOCUMENT_STRUCTURE == {field.name for field in INDEXED_FIELDS}
    assert set(BABYSITTER_PRIVATE_FIELDS) <= set(FIELDS_BY_NAME)


# ---- the provider's edit form and the editable set --------------------------------------------


def test_the_editable_set_is_the_declared_editable_fields_in_form_order() -> None:
    assert list(EDITABLE) == [field.name for field in EDITABLE_FIELDS]
    assert [field.name for field in EDITABLE_FIELDS] == [
        "description",
        "how_to_apply",
        "age_min_months",
        "age_max_months",
        "capacity",
        "places_available",
        "cost_cents",
        "cost_period",
        "phone",
        "email",
        "website",
        "languages",
        "disability_support",
    ]


@EDITABLE_ONLY
def test_the_edit_form_shows_each_editable_field_with_its_label(field: ListingField) -> None:
    page = _edit_form({})
    assert f'id="campo-{field.name}" name="{field.name}"' in page
    label = escape(str(field.label))
    assert f'<label class="form-label" for="campo-{field.name}">{label}</label>' in page
    assert FIELD_LABELS[field.name] == field.label


def test_the_edit_form_names_no_field_the_declaration_lacks() -> None:
    named = re.findall(r'\bname="([^"]+)"', _edit_form({}))
    assert named == [field.name for field in EDITABLE_FIELDS]


def test_the_form_shows_the_stored_values_as_people_type_them() -> None:
    values = listing_form_values(_service())
    assert list(values) == list(EDITABLE)
    assert (values["cost_cents"], values["disability_support"], values["capacity"]) == (
        "420,5",
        "sì",
        "40",
    )
    page = _edit_form(values)
    assert 'name="cost_cents" value="420,5"' in page
    assert '<option value="mese" selected>' in page


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ({"age_max_months": "216"}, {"age_max_months": 216}),  # 18 years, as imports allow
        ({"capacity": "10000"}, {"capacity": 10_000}),
        ({"description": "  Nido  "}, {"description": "Nido"}),
        ({"cost_cents": "95,50"}, {"cost_cents": 9550}),
        ({"languages": "inglese, francese"}, {"languages": "en,fr"}),
        ({"disability_support": "no"}, {"disability_support": False}),
    ],
)
def test_a_form_value_is_read_by_its_declared_type(
    typed: dict[str, str], read: dict[str, Any]
) -> None:
    assert parse_listing_form(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        {"age_min_months": "217"},  # past LISTING_MAX_AGE_MONTHS
        {"places_available": "10001"},
        {"description": "x" * 4001},
        {"cost_period": "secolo"},
        {"phone": "9" * 121},
    ],
)
def test_a_form_value_beyond_its_declared_bounds_is_refused(typed: dict[str, str]) -> None:
    with pytest.raises(ListingEditInvalid) as refused:
        parse_listing_form(typed)
    assert set(refused.value.problems) == set(typed)


@pytest.mark.parametrize("value_type", [ValueType.DATE, ValueType.COMUNI])
def test_a_type_the_form_cannot_read_cannot_be_made_editable(value_type: ValueType) -> None:
    field = ListingField("prova", value_type, Text("Prova"), "prova", "", form=FormInput(TEXTS))
    with pytest.raises(ValueError, match="no form reader for prova"):
        form_reader(field)
