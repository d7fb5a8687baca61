"""Which candidates fit a need, and in what order.

A service fits when it takes at least one of the children at the start date, lies within
the distance from the nearest of the family's places, passes the preferences, and (when
hours are asked) covers some of them. Full coverage always comes first; then the score:

    score = 0.55 × coverage + 0.25 × nearness + 0.10 × places + 0.10 × affordability

- coverage: share of the requested minutes covered (1 when no hours are asked);
- nearness: 1 at the family's door, 0 at the maximum distance;
- places: 1 with places free, 0.5 when unknown, 0 when full;
- affordability: 300 / (300 + monthly cost in euros): 1 when free, 0.5 at €300, 0.5 when
  unknown (an hourly rate is paid for the hours the service covers in a typical week);
- with siblings, a service that takes more of them gets up to 0.10 more.
Ties go to the nearer service, then the lower id, so the order never depends on the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from search.matching.age import AgeFit, age_fits
from search.matching.coverage import Coverage, Opening, openings, schedule_coverage
from search.matching.distance import Distance, may_be_within, nearest
from search.matching.need import CareNeed

WEIGHTS = {"coverage": 0.55, "nearness": 0.25, "places": 0.10, "affordability": 0.10}
SIBLING_BONUS = 0.10
AFFORDABLE_HALF_CENTS = 30_000
#: listings priced per year, week or day, brought to a month for comparison
WEEKS_PER_MONTH = 52 / 12
MONTHLY_FACTORS = {"mese": 1.0, "anno": 1 / 12, "settimana": WEEKS_PER_MONTH, "giorno": 21.0}


@dataclass(frozen=True)
class Match:
    document: Mapping[str, Any]
    distance: Distance
    ages: tuple[AgeFit, ...]
    coverage: Coverage | None
    rows: tuple[Opening, ...]
    score: float
    #: what it would cost the family per month, when that can be told
    monthly_cost_cents: float | None = None

    @property
    def id(self) -> int:
        return int(self.document["id"])

    @property
    def distance_km(self) -> float:
        return self.distance.km

    @property
    def accepted_children(self) -> tuple[int, ...]:
        return tuple(fit.child for fit in self.ages if fit.verdict.accepted)

    @property
    def is_full(self) -> bool:
        return self.coverage is None or self.coverage.is_full

    @property
    def coverage_ratio(self) -> float:
        return 1.0 if self.coverage is None else self.coverage.ratio


def monthly_cost_cents(document: Mapping[str, Any], coverage: Coverage | None) -> float | None:
    """What the listing would cost the family per month; an hourly rate (babysitters) is paid
    for the hours it covers in a typical week (None when that cannot be told)."""
    cents, period = document.get("cost_cents"), document.get("cost_period")
    if period == "gratuito" or cents == 0:
        return 0.0
    if cents is None:
        return None
    if period == "ora":
        if coverage is None:
            return None
        weekly_minutes = sum(r.minutes for ranges in coverage.typical.values() for r in ranges)
        return cents * weekly_minutes / 60 * WEEKS_PER_MONTH
    factor = MONTHLY_FACTORS.get(period or "")
    return None if factor is None else cents * factor


def passes_preferences(document: Mapping[str, Any], need: CareNeed) -> bool:
    wanted = need.preferences
    if document.get("kind") not in wanted.kinds:
        return False
    if wanted.sectors and document.get("sector") not in wanted.sectors:
        return False
    if wanted.places_available_only and not (document.get("places_available") or 0) > 0:
        return False
    if wanted.disability_support and document.get("disability_support") is not True:
        return False
    return not wanted.languages or bool(set(wanted.languages) & speaks(document))


def speaks(document: Mapping[str, Any]) -> set[str]:
    """The languages a service speaks: Italian, and those it lists."""
    return {"it", *(document.get("languages") or ())}


def within_budget(monthly_cents: float | None, need: CareNeed) -> bool:
    """Unknown costs stay in (the explanation says so); known ones must fit the budget."""
    budget = need.preferences.max_monthly_cost_cents
    return budget is None or monthly_cents is None or monthly_cents <= budget


def score(
    match_coverage: float,
    distance_km: float,
    document: Mapping[str, Any],
    need: CareNeed,
    accepted: int,
    monthly: float | None,
) -> float:
    nearness = max(0.0, 1.0 - distance_km / need.radius_km) if need.radius_km else 0.0
    places = document.get("places_available")
    places_score = 0.5 if places is None else (1.0 if places > 0 else 0.0)
    affordability = (
        0.5 if monthly is None else AFFORDABLE_HALF_CENTS / (AFFORDABLE_HALF_CENTS + monthly)
    )
    value = (
        WEIGHTS["coverage"] * match_coverage
        + WEIGHTS["nearness"] * nearness
        + WEIGHTS["places"] * places_score
        + WEIGHTS["affordability"] * affordability
    )
    if len(need.children) > 1:
        value += SIBLING_BONUS * (accepted - 1) / (len(need.children) - 1)
    return round(value, 6)


def evaluate(document: Mapping[str, Any], need: CareNeed) -> Match | None:
    """The match of one candidate, or None when it does not fit."""
    if not passes_preferences(document, need):
        return None
    ages = tuple(age_fits(document, need.children, need.start_date))
    accepted = sum(1 for fit in ages if fit.verdict.accepted)
    if not accepted:
        return None
    if not may_be_within(document, need.places, need.radius_km):
        return None
    rows = openings(document.get("schedule") or ())
    coverage = None
    if need.has_hours:
        if not document.get("hours_known"):
            return None  # kept out of hour matches until the hours are known
        coverage = schedule_coverage(rows, need)
        assert coverage is not None
        if coverage.covered == 0 or (not coverage.is_full and not need.include_partial):
            return None
    monthly = monthly_cost_cents(document, coverage)
    if not within_budget(monthly, need):
        return None
    distance = nearest(document, need.places)
    if distance.km > need.radius_km:
        return None
    ratio = 1.0 if coverage is None else coverage.ratio
    return Match(
        document,
        distance,
        ages,
        coverage,
        rows,
        score(ratio, distance.km, document, need, accepted, monthly),
        monthly,
    )


def order_key(match: Match) -> tuple[bool, float, float, int]:
    return (not match.is_full, -match.score, match.distance.km, match.id)


class Order(StrEnum):
    """How people may sort the matches: best fit (the default), nearest, cheapest."""

    FIT = "fit"
    DISTANCE = "distance"
    COST = "cost"


def sort_matches(matches: list[Match], order: Order) -> list[Match]:
    """`rank`'s order (best fit), or nearest first, or cheapest first (unknown costs last)."""
    if order is Order.DISTANCE:
        return sorted(matches, key=lambda m: (m.distance.km, m.id))
    if order is Order.COST:
        return sorted(
            matches,
            key=lambda m: (m.monthly_cost_cents is None, m.monthly_cost_cents or 0, *order_key(m)),
        )
    return sorted(matches, key=order_key)


def rank(candidates: Iterable[Mapping[str, Any]], need: CareNeed) -> list[Match]:
    """Every fitting candidate, full coverage first, then by score."""
    matches = [match for doc in candidates if (match := evaluate(doc, need)) is not None]
    matches.sort(key=order_key)
    return matches
