"""A family's search as typed: the query parameters of the page and of the GET API.

Nothing here trusts its input: every value is cut to a length and every list to a count
before anything reads it. `search_parse.parse_search` turns the form into a `CareNeed`.
The URL holds the whole search, so `query_pairs` writes it back (a shareable link, the
language switch, the wider search of an empty result).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from core.limits import MAX_CHILDREN

MAX_FIELD_LENGTH = 200
MAX_LIST_LENGTH = 20
WEEKDAYS = tuple(range(1, 8))

#: presets of the weekly grid: (weekdays, from, to)
PRESETS: dict[str, tuple[tuple[int, ...], str, str]] = {
    "tempo-pieno": ((1, 2, 3, 4, 5), "08:00", "17:00"),
    "mattina": ((1, 2, 3, 4, 5), "08:00", "13:00"),
    "pomeriggio": ((1, 2, 3, 4, 5), "13:00", "18:00"),
}


@dataclass
class ChildForm:
    birth_month: str = ""
    birth_year: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.birth_month or self.birth_year)


@dataclass
class SearchForm:
    """The values as typed, to show them back in the form."""

    children: list[ChildForm] = field(default_factory=lambda: [ChildForm()])
    place: str = ""
    lat: str = ""
    lon: str = ""
    radius_km: str = ""
    days: list[str] = field(default_factory=list)
    #: hours for all the chosen days (the API's `from`/`to`)…
    from_time: str = ""
    to_time: str = ""
    #: …or per weekday (the page's weekly grid): "1" → "08:00"
    day_from: dict[str, str] = field(default_factory=dict)
    day_to: dict[str, str] = field(default_factory=dict)
    preset: str = ""
    start: str = ""
    end: str = ""
    weeks: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    max_cost: str = ""
    language: str = ""
    disability: bool = False
    places_only: bool = False
    partial: bool = False
    sort: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SearchForm:
        def one(name: str) -> str:
            values = params.get(name) or [""]
            return str(values[0]).strip()[:MAX_FIELD_LENGTH]

        def many(name: str, limit: int = MAX_LIST_LENGTH) -> list[str]:
            values = params.get(name) or []
            return [str(value).strip()[:MAX_FIELD_LENGTH] for value in values][:limit]

        def flag(name: str) -> bool:
            return one(name).lower() in {"1", "true", "on", "si", "sì"}

        months, years = many("birth_month", MAX_CHILDREN), many("birth_year", MAX_CHILDREN)
        count = max(len(months), len(years), 1)
        children = [
            ChildForm(
                months[index] if index < len(months) else "",
                years[index] if index < len(years) else "",
            )
            for index in range(count)
        ]
        # later children left blank are no children; the first one always shows
        children = children[:1] + [child for child in children[1:] if not child.is_empty]
        if one("add_child") and len(children) < MAX_CHILDREN:
            children.append(ChildForm())
        form = cls(
            children=children,
            place=one("place"),
            lat=one("lat"),
            lon=one("lon"),
            radius_km=one("radius_km"),
            days=many("days", len(WEEKDAYS)),
            from_time=one("from"),
            to_time=one("to"),
            day_from={str(day): one(f"from_{day}") for day in WEEKDAYS if one(f"from_{day}")},
            day_to={str(day): one(f"to_{day}") for day in WEEKDAYS if one(f"to_{day}")},
            preset=one("preset"),
            start=one("start"),
            end=one("end"),
            weeks=many("weeks"),
            kinds=many("kind"),
            sectors=many("sector"),
            max_cost=one("max_cost"),
            language=one("language"),
            disability=flag("disability"),
            places_only=flag("places"),
            partial=flag("partial"),
            sort=one("sort"),
        )
        return form.with_preset_applied()

    def with_preset_applied(self) -> SearchForm:
        """A preset fills the grid's empty hours (the page's script does it as you choose)."""
        if self.preset not in PRESETS:
            return self
        weekdays, opens, closes = PRESETS[self.preset]
        days = sorted({*self.days, *(str(day) for day in weekdays)}, key=str)
        day_from = {**{str(day): opens for day in weekdays}, **self.day_from}
        day_to = {**{str(day): closes for day in weekdays}, **self.day_to}
        return replace(self, days=days, day_from=day_from, day_to=day_to, preset="")

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                any(not child.is_empty for child in self.children),
                self.place,
                self.lat,
                self.lon,
                self.days,
                self.from_time,
                self.to_time,
                self.day_from,
                self.day_to,
                self.start,
                self.weeks,
            )
        )

    def hours_of(self, day: int) -> tuple[str, str]:
        """What the grid shows for `day`: its own hours, else the hours for all days."""
        key = str(day)
        return self.day_from.get(key, self.from_time), self.day_to.get(key, self.to_time)

    def query_pairs(self) -> list[tuple[str, str]]:
        """The search as URL parameters, in a stable order (empty values left out)."""
        pairs: list[tuple[str, str]] = []
        for child in self.children:
            if not child.is_empty:
                pairs += [("birth_month", child.birth_month), ("birth_year", child.birth_year)]
        singles = {
            "place": self.place,
            "lat": self.lat,
            "lon": self.lon,
            "radius_km": self.radius_km,
            "from": self.from_time,
            "to": self.to_time,
            "start": self.start,
            "end": self.end,
            "max_cost": self.max_cost,
            "language": self.language,
            "sort": self.sort,
        }
        pairs += [(name, value) for name, value in singles.items() if value]
        pairs += [("days", day) for day in self.days]
        for day in WEEKDAYS:
            if str(day) in self.day_from:
                pairs.append((f"from_{day}", self.day_from[str(day)]))
            if str(day) in self.day_to:
                pairs.append((f"to_{day}", self.day_to[str(day)]))
        pairs += [("weeks", week) for week in self.weeks]
        pairs += [("kind", kind) for kind in self.kinds]
        pairs += [("sector", sector) for sector in self.sectors]
        flags = {"disability": self.disability, "places": self.places_only, "partial": self.partial}
        pairs += [(name, "1") for name, value in flags.items() if value]
        return pairs

    def url(self, **changes: object) -> str:
        """This search's page URL, with some fields changed (`radius_km="10"`)."""
        form = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        return f"/?{urlencode(form.query_pairs())}"
