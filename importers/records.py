"""The normalised form every source produces before anything touches the database.

Validation lives here, once, with messages (Italian first, English too) naming the field, so
every source rejects bad rows the same way.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.i18n import Text, _, as_text
from core.kinds import GeocodePrecision, Sector, ServiceKind
from core.listing_fields import FIELDS_BY_NAME, ValueType
from importers.normalise.schedule_text import OpeningSlot, Period
from importers.normalise.values import CellError, date_or_none, text_or_none
from importers.report import RowProblem

# Italy's extreme points, with a small margin: anything outside is a wrong coordinate.
ITALY_LATITUDE = (35.2, 47.2)
ITALY_LONGITUDE = (6.5, 18.6)

ShortText = Annotated[str, Field(max_length=300)]
#: what a record checks beyond a field's length, by the field's declared type
_PATTERNS = {
    ValueType.EMAIL: r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    ValueType.WEBSITE: r"^https?://\S+$",
}
#: the value an empty cell stands for, by the field's declared type (otherwise None)
_EMPTY: dict[ValueType, object] = {
    ValueType.LONG_TEXT: "",
    ValueType.LANGUAGES: (),
    ValueType.COMUNI: (),
}


def declared(name: str) -> Any:
    """The record's field for a declared listing field (`core.listing_fields`): its default,
    length or bounds, and pattern. Kind and sector are checked by their enum types."""
    field = FIELDS_BY_NAME[name]
    limits: dict[str, Any] = {}
    if field.type in {ValueType.WHOLE, ValueType.EURO_CENTS}:
        limits |= {"ge": 0, "le": field.maximum}
    elif field.type != ValueType.LANGUAGES and field.maximum is not None:  # (texts typed)
        limits["max_length"] = field.maximum
    if field.type == ValueType.CHOICE:
        limits["pattern"] = "^(" + "|".join(field.choice_values) + ")$"
    elif field.type in _PATTERNS:
        limits["pattern"] = _PATTERNS[field.type]
    if field.required:
        return Field(min_length=1, **limits)
    return Field(default=_EMPTY.get(field.type), **limits)


class ServiceRecord(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    source: str
    external_id: str = Field(min_length=1, max_length=128)
    kind: ServiceKind
    name: str = declared("name")
    organization_name: str = Field(min_length=1, max_length=300)
    organization_kind: str = Field(default="", max_length=40)
    sector: Sector | None = None
    description: str = declared("description")
    age_min_months: int | None = declared("age_min_months")
    age_max_months: int | None = declared("age_max_months")
    address: ShortText | None = None
    cap: str | None = Field(default=None, pattern=r"^\d{5}$")
    comune: str = Field(min_length=1, max_length=120)
    istat_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    latitude: float
    longitude: float
    geocode_precision: GeocodePrecision = GeocodePrecision.ADDRESS
    geocode_source: str = Field(default="fonte", max_length=32)
    slots: tuple[OpeningSlot, ...] = ()
    periods: tuple[Period, ...] = ()
    capacity: int | None = declared("capacity")
    places_available: int | None = declared("places_available")
    cost_cents: int | None = declared("cost_cents")
    cost_period: str | None = declared("cost_period")
    phone: str | None = declared("phone")
    email: str | None = declared("email")
    website: str | None = declared("website")
    last_verified_at: date | None = declared("last_verified_at")
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], ...] = declared("languages")
    disability_support: bool | None = declared("disability_support")
    #: babysitters: the ISTAT codes of the comuni they work in
    service_area: tuple[Annotated[str, Field(pattern=r"^\d{6}$")], ...] = declared("service_area")
    #: "come iscriversi": how a family applies
    how_to_apply: str = declared("how_to_apply")
    #: takes part in Regione Lombardia's "Nidi Gratis" measure; None: not known
    nidi_gratis: bool | None = declared("nidi_gratis")
    #: the same key from another source means the same service (e.g. "miur:<school code>")
    merge_key: str | None = Field(default=None, max_length=64)
    #: babysitters: the registry course and the paediatric first-aid course, when attended
    #: and until when valid (core.models.RegistryEntry)
    registry_course_on: date | None = None
    registry_course_expires_on: date | None = None
    first_aid_on: date | None = None
    first_aid_expires_on: date | None = None

    @model_validator(mode="after")
    def _certificates_expire_after_attended(self) -> ServiceRecord:
        for attended, expires in CERTIFICATE_PAIRS:
            start, end = getattr(self, attended), getattr(self, expires)
            if start is not None and end is not None and end < start:
                raise ValueError(
                    _(
                        "la scadenza {end} viene prima della data del corso {start}",
                        end=end.isoformat(),
                        start=start.isoformat(),
                    )
                )
        return self

    @model_validator(mode="before")
    @classmethod
    def _minimise_babysitter(cls, data: Any) -> Any:
        """A babysitter is a person: only first name and initial, no address, and a point no
        finer than about a kilometre, whatever the source holds."""
        if not isinstance(data, dict) or data.get("kind") != ServiceKind.BABYSITTER:
            return data
        name = public_person_name(str(data.get("name") or ""))
        minimised = {
            **data,
            "name": name,
            "organization_name": name,
            "address": None,
            "geocode_precision": GeocodePrecision.COMUNE,
        }
        if data.get("geocode_precision") != GeocodePrecision.COMUNE:  # not a comune centre
            for axis in ("latitude", "longitude"):
                if isinstance(data.get(axis), float | int):
                    minimised[axis] = round(float(data[axis]), 2)
        return minimised

    @field_validator("latitude")
    @classmethod
    def _latitude_in_italy(cls, value: float) -> float:
        low, high = ITALY_LATITUDE
        if not low <= value <= high:
            raise ValueError(
                _(
                    "latitudine {value} fuori dall'Italia (attesa tra {low} e {high})",
                    value=value,
                    low=low,
                    high=high,
                )
            )
        return value

    @field_validator("longitude")
    @classmethod
    def _longitude_in_italy(cls, value: float) -> float:
        low, high = ITALY_LONGITUDE
        if not low <= value <= high:
            raise ValueError(
                _(
                    "longitudine {value} fuori dall'Italia (attesa tra {low} e {high})",
                    value=value,
                    low=low,
                    high=high,
                )
            )
        return value

    @field_validator("age_max_months")
    @classmethod
    def _age_range_ordered(cls, value: int | None, info: ValidationInfo) -> int | None:
        minimum = info.data.get("age_min_months")
        if value is not None and minimum is not None and minimum > value:
            raise ValueError(
                _(
                    "età massima {maximum} mesi minore dell'età minima {minimum} mesi",
                    maximum=value,
                    minimum=minimum,
                )
            )
        return value

    @field_validator("places_available")
    @classmethod
    def _places_within_capacity(cls, value: int | None, info: ValidationInfo) -> int | None:
        capacity = info.data.get("capacity")
        if value is not None and capacity is not None and value > capacity:
            raise ValueError(
                _(
                    "posti disponibili {available} più dei posti totali {capacity}",
                    available=value,
                    capacity=capacity,
                )
            )
        return value

    def content_hash(self) -> str:
        payload = self.model_dump_json(exclude={"source"})
        return hashlib.sha256(payload.encode()).hexdigest()


#: a babysitter's certifications: (attended on, valid until)
CERTIFICATE_PAIRS = (
    ("registry_course_on", "registry_course_expires_on"),
    ("first_aid_on", "first_aid_expires_on"),
)
CERTIFICATE_FIELDS = tuple(name for pair in CERTIFICATE_PAIRS for name in pair)
CERTIFICATE_YEARS = (1990, 2100)


def certificate_date_or_none(value: str | None) -> date | None:
    """A certification's date, attended or valid until (so possibly in the future)."""
    day = date_or_none(value)
    if day is None:
        return None
    cleaned = (text_or_none(value) or "").split(" ")[0].split("T")[0]
    low, high = CERTIFICATE_YEARS
    if not low <= day.year <= high:
        raise CellError(_("la data {value} non è plausibile per un corso", value=cleaned))
    return day


def public_person_name(full_name: str) -> str:
    """«Giulia Rossi» → «Giulia R.»; «Giulia R.» and «Giulia» stay as they are."""
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    return f"{words[0]} {words[-1][0].upper()}."


def build_record(
    fields: dict[str, Any], *, file: str, line: int, column_names: dict[str, str] | None = None
) -> ServiceRecord | list[RowProblem]:
    """Validate `fields` into a record, or explain each invalid field in the source's words."""
    try:
        return ServiceRecord(**fields)
    except ValidationError as error:
        names = column_names or {}
        return [
            RowProblem(
                file=file,
                line=line,
                field=names.get(str(issue["loc"][0]), str(issue["loc"][0]))
                if issue["loc"]
                else "*",
                text=_issue_text(issue),
            )
            for issue in error.errors()
        ]


def _issue_text(issue: Any) -> Text:
    """What pydantic found wrong with a field, as a message for people (Italian first)."""
    kind = issue["type"]
    context = issue.get("ctx") or {}
    given = issue.get("input")
    if kind == "value_error":
        return as_text(context.get("error", issue["msg"]))
    if kind in {"missing", "string_too_short"}:
        return _("valore obbligatorio mancante")
    if kind == "string_too_long":
        return _(
            "testo troppo lungo (massimo {max_length} caratteri)",
            max_length=context.get("max_length"),
        )
    if kind == "string_pattern_mismatch":
        return _("valore non valido «{value}»", value=given)
    if kind == "enum":
        return _(
            "valore «{value}» non ammesso: usa uno tra {choices}",
            value=given,
            choices=_choices(str(context.get("expected", ""))),
        )
    if kind in {"int_parsing", "float_parsing", "int_from_float"}:
        return _("«{value}» non è un numero valido", value=given)
    if kind == "greater_than_equal":
        return _(
            "valore {value} fuori intervallo: deve essere almeno {bound}",
            value=given,
            bound=context.get("ge"),
        )
    if kind == "less_than_equal":
        return _(
            "valore {value} fuori intervallo: deve essere al massimo {bound}",
            value=given,
            bound=context.get("le"),
        )
    return as_text(issue["msg"])


def _choices(expected: str) -> Text | str:
    """Pydantic's "'a', 'b' or 'c'" with the last "or" in the reader's language."""
    others, separator, last = expected.rpartition(" or ")
    if not separator:
        return expected
    return _("{others} o {last}", others=others, last=last)
