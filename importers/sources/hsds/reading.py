"""Read HSDS services in the nested 3.0 shape: 3.0 JSON as is, 1.1 data package CSVs joined."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.i18n import _, as_text
from importers.readers import ProgressCallback, SourceFileError, read_csv_rows
from importers.sources.hsds import items
from importers.sources.hsds.items import Item

#: HSDS 1.1 resource → (default file, columns it must have)
TABLES = {
    "service": ("services.csv", ("id", "name", "status")),
    "organization": ("organizations.csv", ("id", "name")),
    "location": ("locations.csv", ("id",)),
    "service_at_location": ("services_at_location.csv", ("service_id", "location_id")),
    "regular_schedule": ("regular_schedules.csv", ("weekday",)),
    "eligibility": ("eligibility.csv", ("service_id", "eligibility")),
    "phone": ("phones.csv", ("number",)),
    "physical_address": ("physical_addresses.csv", ("location_id", "city")),
    "service_taxonomy": ("services_taxonomy.csv", ("service_id", "taxonomy_id")),
    "taxonomy": ("taxonomy.csv", ("id", "name")),
}
LINKS = ("service_id", "location_id", "service_at_location_id", "organization_id", "contact_id")


def read_services(
    path: Path, on_progress: ProgressCallback | None
) -> Iterator[tuple[str, int, Any]]:
    """(file, line, service in the 3.0 shape) for a 1.1 package or a 3.0 JSON file."""
    if path.is_dir():
        return _read_package(path, path / "datapackage.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFileError(
            _(
                "{file}: non è un JSON HSDS leggibile ({error}): passa il file JSON HSDS 3.0 "
                "o la cartella (o il datapackage.json) del pacchetto HSDS 1.1",
                file=path.name,
                error=as_text(error),
            )
        ) from error
    if on_progress is not None:
        on_progress(path.stat().st_size)
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        return _read_package(path.parent, path)
    services = next(
        (data[key] for key in ("services", "contents") if isinstance(data, dict) and key in data),
        data,
    )
    if isinstance(data, dict) and items.text(data.get("total_pages")) not in ("", "0", "1"):
        raise SourceFileError(  # the other pages' listings would be marked as gone
            _(
                "{file}: è una pagina di {pages} di una risposta HSDS: "
                "unisci tutte le pagine in un solo file",
                file=path.name,
                pages=data["total_pages"],
            )
        )
    if not isinstance(services, list):
        raise SourceFileError(
            _(
                "{file}: attesa una lista di servizi HSDS 3.0 (o un oggetto con "
                "«services» o «contents»)",
                file=path.name,
            )
        )
    return ((path.name, number, service) for number, service in enumerate(services, start=1))


def _read_package(root: Path, package: Path) -> Iterator[tuple[str, int, Item]]:
    files = {name: default for name, (default, _columns) in TABLES.items()}
    if package.is_file():
        try:
            resources = json.loads(package.read_text(encoding="utf-8-sig"))["resources"]
            files |= {r["name"]: r["path"] for r in resources if r.get("name") in TABLES}
            if any(Path(f).is_absolute() or ".." in Path(f).parts for f in files.values()):
                raise ValueError(_("percorsi fuori dalla cartella del pacchetto"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise SourceFileError(
                _(
                    "{file}: datapackage non leggibile ({error})",
                    file=package.name,
                    error=as_text(error),
                )
            ) from error
    if not (root / files["service"]).is_file():
        raise SourceFileError(
            _(
                "{file}: manca {services}: non è un pacchetto HSDS 1.1",
                file=root.name,
                services=files["service"],
            )
        )
    tables = {
        name: [raw.values for raw in read_csv_rows(root / files[name], TABLES[name][1])]
        for name in TABLES
        if name != "service" and (root / files[name]).is_file()
    }
    package_tables = _Package(tables)
    for raw in read_csv_rows(root / files["service"], TABLES["service"][1]):
        yield files["service"], raw.line, package_tables.service(raw.values)


@dataclass
class _Package:
    """HSDS 1.1 tables, joined into nested 3.0-shaped services."""

    tables: dict[str, list[dict[str, str]]]
    groups: dict[tuple[str, str], dict[str, list[dict[str, str]]]] = field(default_factory=dict)

    def by(self, table: str, column: str, value: str) -> list[dict[str, str]]:
        if (table, column) not in self.groups:
            grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
            for row in self.tables.get(table, []):
                grouped[row.get(column, "")].append(row)
            self.groups[table, column] = grouped
        return self.groups[table, column].get(value, []) if value else []

    def only(self, table: str, column: str, value: str) -> list[dict[str, str]]:
        """Rows linked to that record alone (not also to a location, a service…)."""
        rows = self.by(table, column, value)
        return [row for row in rows if not any(row.get(o) for o in LINKS if o != column)]

    def service(self, row: dict[str, str]) -> Item:
        sid = row.get("id", "")
        organization = next(iter(self.by("organization", "id", row.get("organization_id", ""))), {})
        taxonomy_ids = [
            link["taxonomy_id"] for link in self.by("service_taxonomy", "service_id", sid)
        ]
        taxonomy_ids += [part.strip() for part in row.get("taxonomy_ids", "").split(",")]
        eligibility = self.by("eligibility", "service_id", sid)
        return row | {
            "eligibility_description": "; ".join(e["eligibility"] for e in eligibility),
            "organization": organization
            | {"phones": self.only("phone", "organization_id", organization.get("id", ""))},
            "attributes": [
                {"taxonomy_term": term}
                for tid in taxonomy_ids
                for term in self.by("taxonomy", "id", tid)
            ],
            "schedules": self.only("regular_schedule", "service_id", sid),
            "phones": self.only("phone", "service_id", sid),
            "service_at_locations": [
                self.service_at_location(sal, sid)
                for sal in self.by("service_at_location", "service_id", sid)
            ],
        }

    def service_at_location(self, sal: dict[str, str], sid: str) -> Item:
        lid = sal.get("location_id", "")

        def linked(table: str) -> list[dict[str, str]]:
            own = self.by(table, "service_at_location_id", sal.get("id", ""))
            return own + [
                row
                for row in self.by(table, "service_id", sid)
                if row.get("location_id") == lid and not row.get("service_at_location_id")
            ]

        location = next(iter(self.by("location", "id", lid)), {"id": lid})
        return sal | {
            "schedules": linked("regular_schedule"),
            "phones": linked("phone"),
            "location": location
            | {
                "addresses": self.by("physical_address", "location_id", lid),
                "schedules": self.only("regular_schedule", "location_id", lid),
                "phones": self.only("phone", "location_id", lid),
            },
        }
