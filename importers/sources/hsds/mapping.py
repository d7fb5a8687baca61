"""An HSDS service at a location → record fields: name, ages, fees, contacts, place, phone."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from core.i18n import _
from core.limits import LISTING_MAX_AGE_MONTHS
from core.places.gazetteer import Gazetteer
from importers.locate import LocateError, locate
from importers.normalise.ages import AgeRangeError, parse_age_range
from importers.normalise.contacts import ContactError, clean_email, split_phones
from importers.normalise.fees import FeeError, parse_fee
from importers.normalise.values import CellError, website_url
from importers.sources.hsds import items
from importers.sources.hsds.items import Item
from importers.sources.hsds.notes import Notes

NO_ORGANIZATION = "Gestore non indicato dalla fonte"
RECORD_PERIODS = ("mese", "settimana", "ora", "anno", "gratuito")


def service_fields(service: Item, sal: Item, notes: Notes) -> Item:
    extra: list[str] = []
    fields: Item = {
        "name": items.text(service.get("name")),
        "organization_name": items.text(items.item(service.get("organization")).get("name"))
        or NO_ORGANIZATION,
        "website": website_url(items.text(service.get("url"))),
        **_ages(service, notes, extra),
        **_fee(service, extra),
    }
    try:
        fields["email"] = clean_email(items.text(service.get("email")))
    except ContactError as error:
        notes.reject("email", error)
    parts = (items.prose(service.get("description")), items.prose(sal.get("description")), *extra)
    fields["description"] = " ".join(part for part in parts if part)[:4000]
    return fields


def _ages(service: Item, notes: Notes, extra: list[str]) -> Item:
    months: dict[str, int | None] = {}
    for name, target in (("minimum_age", "age_min_months"), ("maximum_age", "age_max_months")):
        value = service.get(name)
        try:
            years = None if value in (None, "") else Decimal(str(value).replace(",", "."))
            months[target] = None if years is None else int(years * 12 + Decimal("0.5"))
        except (InvalidOperation, ValueError, OverflowError):  # «tre», NaN, Infinity
            notes.reject(name, _("«{value}» non è un numero di anni", value=value))
    if (months.get("age_max_months") or 0) > LISTING_MAX_AGE_MONTHS:
        months["age_max_months"] = None  # «fino a 99 anni»: no upper limit for us
    text = items.text(service.get("eligibility_description"))
    try:
        if text and not any(value is not None for value in months.values()):
            ages = parse_age_range(text)
            return {"age_min_months": ages.min_months, "age_max_months": ages.max_months}
    except AgeRangeError:
        pass
    extra.extend([f"Destinatari: {text}."] if text else [])
    return months


def _fee(service: Item, extra: list[str]) -> Item:
    text = items.text(service.get("fees_description")) or items.text(service.get("fees"))
    if not text:
        return {}
    try:
        fee = parse_fee(text)
    except FeeError:
        extra.append(f"Costi: {text}.")
        return {}
    if fee.income_based:
        extra.append("Retta in base all'ISEE.")
    if fee.note or fee.period not in (None, *RECORD_PERIODS):
        extra.append(f"Costi: {text}.")
    if fee.period not in (None, *RECORD_PERIODS):
        return {}
    free = fee.period == "gratuito"  # stored as no amount, period «gratuito», like our sheets
    return {"cost_cents": None if free else fee.amount_cents, "cost_period": fee.period}


def place(location: Item, gazetteer: Gazetteer, notes: Notes) -> Item:
    addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
    physical = [a for a in addresses if items.text(a.get("address_type")) in ("", "physical")]
    address = (physical or addresses or [{}])[0]
    city, province = (
        items.text(address.get("city")),
        items.text(address.get("state_province")).upper(),
    )
    cap = items.text(address.get("postal_code"))
    cap = cap if re.fullmatch(r"\d{5}", cap) else ""
    try:
        located = locate(
            gazetteer,
            comune_name=city,
            province=province if re.fullmatch(r"[A-Z]{2}", province) else None,
            cap=cap or None,
            latitude=items.coordinate(location.get("latitude")),
            longitude=items.coordinate(location.get("longitude")),
        )
    except CellError as error:
        notes.reject("latitude/longitude", error)
        return {}
    except LocateError as error:
        notes.reject("city" if error.field == "comune" else "latitude/longitude", error)
        return {}
    if located.flag:
        notes.flag("latitude/longitude", located.flag)
    street = (items.text(address.get("address_1")), items.text(address.get("address_2")))
    return {
        "address": ", ".join(part for part in street if part) or None,
        "cap": cap or located.cap,
        "comune": located.comune.name if located.comune else city,
        "istat_code": located.comune.istat_code if located.comune else None,
        "latitude": located.latitude,
        "longitude": located.longitude,
        "geocode_precision": located.precision,
        "geocode_source": located.source,
    }


def phone(phones: list[Item]) -> str | None:
    numbers = (items.text(phone.get("number")) for phone in phones)
    return next((number for number in numbers if split_phones(number)), None)
