"""Why a service fits: the explanation as data, and as one sentence in Italian or English.

"Copre lun–ven 8:00–16:30 delle tue 8:00–18:00 (85%) · 1,3 km · accetta bambini di
14 mesi · 3 posti liberi". Words go through the message catalog (core.i18n), numbers
and weekday names through Babel's locale data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from core.i18n import SOURCE_LANGUAGE, Text, Verbatim, _
from core.kinds import GeocodePrecision, ServiceKind
from search.matching.age import AgeFit, AgeVerdict
from search.matching.coverage import Coverage
from search.matching.need import CareNeed, TimeRange
from search.matching.plans import Plan
from search.matching.ranking import Match

SEPARATOR = " · "


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def ranges_label(ranges: Sequence[TimeRange]) -> str:
    return ", ".join(f"{clock(piece.start)}–{clock(piece.end)}" for piece in ranges)


def weekday_name(weekday: int, language: str) -> str:
    """Short weekday names from the locale ("lun", "Mon"); 1 = Monday."""
    names = get_day_names("abbreviated", locale=language)
    return str(names[weekday - 1]).rstrip(".")


class Weekdays(Text):
    """ "lun–ven", "Mon–Fri", "lun, mer": weekday names in the reader's language."""

    __slots__ = ()

    def __init__(self, weekdays: Sequence[int]) -> None:
        super().__init__("", weekdays=tuple(sorted(set(weekdays))))

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        days: tuple[int, ...] = self.values["weekdays"]  # type: ignore[assignment]
        if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
            return f"{weekday_name(days[0], language)}–{weekday_name(days[-1], language)}"
        return ", ".join(weekday_name(day, language) for day in days)


class Number(Text):
    """A number written the reader's way: 1,3 in Italian, 1.3 in English."""

    __slots__ = ()

    def __init__(self, value: float, pattern: str = "#,##0.#", percent: bool = False) -> None:
        super().__init__("", value=value, pattern=pattern, percent=percent)

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        value, pattern = self.values["value"], str(self.values["pattern"])
        if self.values["percent"]:
            return format_percent(value, format=pattern, locale=language)  # type: ignore[arg-type]
        return format_decimal(value, format=pattern, locale=language)  # type: ignore[arg-type]


def percent(ratio: float) -> Number:
    """Partial coverage never reads as none or all of it (0.996 → 99%, 0.004 → 1%)."""
    if 0 < ratio < 1:
        ratio = min(max(ratio, 0.01), 0.99)
    return Number(ratio, "#,##0%", percent=True)


def distance_text(distance_km: float, document: Mapping[str, Any]) -> Text:
    """Metres or kilometres; a point known only as its comune's centre (babysitters,
    comune-level geocoding) is not a place to measure metres to."""
    if distance_km < 1:
        measured: Text = _("{metres} m", metres=Number(round(distance_km * 1000, -1), "#,##0"))
    else:
        measured = _("{km} km", km=Number(distance_km, "#,##0.0"))
    if document.get("geocode_precision") != GeocodePrecision.COMUNE:
        return measured
    comune = Verbatim(str(document.get("comune", "")))
    if distance_km < 1:
        return _("a {comune}", comune=comune)
    return _("{distance} dal centro di {comune}", distance=measured, comune=comune)


@dataclass(frozen=True)
class DayGroup:
    weekdays: tuple[int, ...]
    asked: tuple[TimeRange, ...]
    covered: tuple[TimeRange, ...]


def day_groups(coverage: Coverage) -> list[DayGroup]:
    """Consecutive weekdays asking and getting the same hours, told together."""
    groups: list[DayGroup] = []
    for weekday in sorted(coverage.typical):
        asked = coverage.asked[weekday]
        covered = coverage.typical[weekday]
        last = groups[-1] if groups else None
        if (
            last is not None
            and last.asked == asked
            and last.covered == covered
            and last.weekdays[-1] == weekday - 1
        ):
            groups[-1] = DayGroup((*last.weekdays, weekday), asked, covered)
        else:
            groups.append(DayGroup((weekday,), asked, covered))
    return groups


def coverage_text(coverage: Coverage) -> Text:
    groups = day_groups(coverage)
    if coverage.is_full:
        asked = [
            _("{days} {hours}", days=Weekdays(g.weekdays), hours=ranges_label(g.asked))
            for g in groups
        ]
        return _("Copre tutte le tue ore: {hours}", hours=Joined(asked, "; "))
    pieces = [
        _(
            "{days} {covered} delle tue {asked}",
            days=Weekdays(g.weekdays),
            covered=ranges_label(g.covered),
            asked=ranges_label(g.asked),
        )
        if g.covered
        else _(
            "{days} nessuna delle tue {asked}",
            days=Weekdays(g.weekdays),
            asked=ranges_label(g.asked),
        )
        for g in groups
    ]
    return _("Copre {days} ({percent})", days=Joined(pieces, "; "), percent=percent(coverage.ratio))


class Joined(Text):
    """Texts joined by a separator, each in the reader's language."""

    __slots__ = ()

    def __init__(self, parts: Sequence[Text], separator: str = SEPARATOR) -> None:
        super().__init__("", parts=tuple(parts), separator=separator)

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        parts: tuple[Text, ...] = self.values["parts"]  # type: ignore[assignment]
        return str(self.values["separator"]).join(part.render(language) for part in parts)


class ListOf(Text):
    """A list the reader's way: "14 e 40", "14 and 40"."""

    __slots__ = ()

    def __init__(self, items: Sequence[str]) -> None:
        super().__init__("", items=tuple(items))

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        items: tuple[str, ...] = self.values["items"]  # type: ignore[assignment]
        return format_list(list(items), locale=language)


def ages_text(ages: Sequence[AgeFit], kind: str) -> Text | None:
    accepted = [fit for fit in ages if fit.verdict.accepted]
    if kind == ServiceKind.SPORTELLO:
        return None
    if all(fit.verdict is AgeVerdict.UNKNOWN for fit in accepted):
        return _("età da verificare")
    months = ListOf([str(fit.months) for fit in accepted])
    if any(fit.verdict is AgeVerdict.ANTICIPATARIO for fit in accepted):
        return _("accetta bambini di {months} mesi (anticipatari)", months=months)
    return _("accetta bambini di {months} mesi", months=months)


def places_text(places: int | None) -> Text | None:
    if places is None:
        return None
    if places == 0:
        return _("nessun posto libero")
    if places == 1:
        return _("1 posto libero")
    return _("{count} posti liberi", count=places)


def explanation(match: Match) -> Joined:
    """The sentence that explains `match`, in either language (render it)."""
    document = match.document
    parts: list[Text] = []
    if match.coverage is not None:
        parts.append(coverage_text(match.coverage))
    elif not document.get("hours_known") and document.get("kind") != ServiceKind.SPORTELLO:
        parts.append(_("Orari da verificare"))
    if match.distance.in_service_area:
        where = Verbatim(match.distance.place.comune or str(document.get("comune", "")))
        parts.append(_("lavora a {comune}", comune=where))
    else:
        parts.append(distance_text(match.distance.km, document))
    for optional in (
        ages_text(match.ages, str(document.get("kind"))),
        places_text(document.get("places_available")),
    ):
        if optional is not None:
            parts.append(optional)
    return Joined(parts)


def explanation_data(match: Match) -> dict[str, Any]:
    """The same explanation as data, for programs (the API) and the page's coverage bars."""
    coverage = match.coverage
    return {
        "coverage": None
        if coverage is None
        else {
            "ratio": round(coverage.ratio, 4),
            "covered_minutes": coverage.covered,
            "requested_minutes": coverage.requested,
            "by_weekday": {
                str(day): round(share.ratio, 4)
                for day, share in sorted(coverage.by_weekday.items())
            },
            "by_week": {
                monday.isoformat(): round(share.ratio, 4)
                for monday, share in sorted(coverage.by_week.items())
            },
            "typical_hours": {
                str(day): [{"from": clock(piece.start), "to": clock(piece.end)} for piece in ranges]
                for day, ranges in sorted(coverage.typical.items())
            },
        },
        "hours_known": bool(match.document.get("hours_known")),
        "distance_km": round(match.distance.km, 3),
        "distance_from": match.distance.place.role.value,
        "in_service_area": match.distance.in_service_area,
        "location_precision": match.document.get("geocode_precision"),
        "ages": [
            {"child": fit.child, "months": fit.months, "verdict": fit.verdict.value}
            for fit in match.ages
        ],
        "places_available": match.document.get("places_available"),
        "score": match.score,
    }


class DayMonth(Text):
    """ "5 lug", "5 Jul": a date the reader's way, without the year."""

    __slots__ = ()

    def __init__(self, day: date) -> None:
        super().__init__("", day=day)

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        return format_date(self.values["day"], format="d MMM", locale=language)  # type: ignore[arg-type]


def _first_hours(ranges_by_day: Mapping[int, Sequence[TimeRange]]) -> str:
    for day in sorted(ranges_by_day):
        if ranges_by_day[day]:
            return ranges_label(ranges_by_day[day])
    return ""


def _weeks_text(weeks: Sequence[date]) -> Text:
    return Joined([DayMonth(monday) for monday in sorted(weeks)], ", ")


def _member_text(match: Match, when: Text | str, siblings: bool) -> Text:
    name = Verbatim(str(match.document.get("name", "")))
    if siblings:
        months = ListOf([str(fit.months) for fit in match.ages if fit.verdict.accepted])
        return _("{name} ({months} mesi) {when}", name=name, months=months, when=when)
    return _("{name} {when}", name=name, when=when)


def plan_explanation(plan: Plan, need: CareNeed) -> Joined:
    """ "Nido Arcobaleno 8:00–16:30 + Babysitter Giulia R. 16:30–18:00 · 1,1 km tra i due ·
    copre tutte le tue ore"; summer plans name the weeks each service takes."""
    first, second = plan.first, plan.second
    whens: tuple[Text | str, Text | str]
    if need.weeks and first.coverage is not None and second.coverage is not None:
        own = [w for w, share in first.coverage.by_week.items() if share.covered]
        added = [
            w
            for w, share in second.coverage.by_week.items()
            if share.covered and first.coverage.by_week[w].ratio < 1
        ]
        whens = (
            _("settimane del {weeks}", weeks=_weeks_text(own)),
            _("settimane del {weeks}", weeks=_weeks_text(added)),
        )
    elif first.coverage is not None:
        whens = (_first_hours(first.coverage.typical), _first_hours(plan.added_by_second()))
    else:
        whens = ("", "")
    siblings = len(need.children) > 1
    parts: list[Text] = [
        _(
            "{first} + {second}",
            first=_member_text(first, whens[0], siblings),
            second=_member_text(second, whens[1], siblings),
        ),
        _("{distance} tra i due", distance=distance_text(plan.travel_km, {})),
    ]
    if plan.ratio >= 1:
        parts.append(
            _("insieme coprono tutte le tue ore")
            if need.has_hours
            else _("accolgono tutti i bambini")
        )
    else:
        parts.append(
            _(
                "insieme coprono il {percent}; restano scoperte {hours} ore",
                percent=percent(plan.ratio),
                hours=Number(plan.remaining_minutes / 60, "#,##0.#"),
            )
        )
    return Joined(parts)
