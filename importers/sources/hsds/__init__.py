"""Open Referral HSDS, the format in which another directory hands us its services.

Told apart by content: an HSDS 1.1 data package (a folder of CSVs, or its datapackage.json;
whichever tables exist are read and joined into the nested 3.0 shape first) or an HSDS 3.0
JSON file (a list of services, or an object whose "services" or "contents" is one). One
listing per (service, location) pair, keyed "<service id>@<location id>"; only "active"
services are published, the others are skipped. HSDS has no childcare kinds: keywords in the
name, then the taxonomy terms, then the description decide, else `default_kind` (--kind).

Weekdays: HSDS 1.1 `weekday` is 1-7 with 1 = Monday (ISO 8601, made explicit in HSDS 1.1.1,
openreferral/specification#164), as in our schedule rows; 0 is refused. HSDS 3.0 gives RFC 5545
`byday` codes (MO…SU). Only weekly schedules become slots; a time zone after opens_at/closes_at
is dropped (times are read as local); a schedule with only a description is read as free text.
The most specific schedules and phones win: service at location, service, location.
Ages: minimum_age/maximum_age are years (a maximum over 18 means no limit); eligibility text
is read by the ages normaliser and, when it is not an age ("adult"), kept in the description.

Modules: `reading` (format detection, 1.1 packages joined, 3.0 JSON), `schedules` (weekly
schedules → opening slots), `mapping` (service and location → record fields), `source`
(`HsdsSource`, one listing per service at a location), `items` and `notes` (shared helpers).
"""

from __future__ import annotations

from importers.sources.hsds.reading import read_services
from importers.sources.hsds.source import KIND_UNKNOWN, HsdsSource

__all__ = ["KIND_UNKNOWN", "HsdsSource", "read_services"]
