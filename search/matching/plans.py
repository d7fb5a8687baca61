"""Two services together, when no single one covers the need: "Nido Arcobaleno 8:00–16:30 +
Babysitter Giulia 16:30–18:00", "centro estivo A for weeks 1–3 + B for weeks 4–6", or one
sibling at the nido and the other at the scuola dell'infanzia next door.

A plan is judged for the whole family: each child counts the hours covered by the plan's
services that take that child, and the family's share is the worst child's. A plan is only
proposed when it does better than every single service; among plans, more coverage first,
then the shorter trip between the two services, then the nearer pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from search.matching.coverage import Coverage, schedule_coverage
from search.matching.distance import geodesic_km
from search.matching.need import CareNeed, TimeRange
from search.matching.ranking import Match

MAX_PLANS = 3
#: the best single matches considered as plan members (pairs grow with its square)
POOL_SIZE = 30


@dataclass(frozen=True)
class Plan:
    first: Match
    second: Match
    #: per child: the coverage of the plan's services that take the child (None: no hours)
    children: tuple[Coverage | None, ...]
    #: the family's share of the hours: the worst child's
    ratio: float
    travel_km: float

    @property
    def members(self) -> tuple[Match, Match]:
        return self.first, self.second

    @property
    def remaining_minutes(self) -> int:
        return max((c.missing for c in self.children if c is not None), default=0)

    def added_by_second(self) -> dict[int, tuple[TimeRange, ...]]:
        """Per weekday, the hours the second service adds to the first's (typical day)."""
        first = self.first.coverage
        second = self.second.coverage
        if first is None or second is None:
            return {}
        return {
            day: gained
            for day, ranges in second.typical.items()
            if (gained := subtract(ranges, first.typical.get(day, ())))
        }


def subtract(ranges: Sequence[TimeRange], minus: Sequence[TimeRange]) -> tuple[TimeRange, ...]:
    """The parts of `ranges` outside every range of `minus`."""
    left = list(ranges)
    for cut in minus:
        kept: list[TimeRange] = []
        for piece in left:
            if cut.end <= piece.start or piece.end <= cut.start:
                kept.append(piece)
                continue
            if piece.start < cut.start:
                kept.append(TimeRange(piece.start, cut.start))
            if cut.end < piece.end:
                kept.append(TimeRange(cut.end, piece.end))
        left = kept
    return tuple(left)


def family_ratio(match: Match, need: CareNeed) -> float:
    """What one service alone does for the whole family (0 when a child cannot go)."""
    if len(match.accepted_children) < len(need.children):
        return 0.0
    return match.coverage_ratio


def _child_coverage(members: Sequence[Match], child: int, need: CareNeed) -> Coverage | bool | None:
    """The coverage for `child` by the members that take the child; False if none does."""
    taking = [m for m in members if child in m.accepted_children]
    if not taking:
        return False
    if not need.has_hours:
        return None
    if len(taking) == 1:
        return taking[0].coverage
    return schedule_coverage([row for m in taking for row in m.rows], need)


def evaluate_plan(first: Match, second: Match, need: CareNeed) -> Plan | None:
    coverages: list[Coverage | None] = []
    for child in range(len(need.children)):
        coverage = _child_coverage((first, second), child, need)
        if coverage is False:
            return None
        coverages.append(coverage)  # type: ignore[arg-type]
    ratio = min((c.ratio if c is not None else 1.0) for c in coverages)
    if first.coverage_ratio < second.coverage_ratio:
        first, second = second, first
    travel = geodesic_km(
        first.document["_geo"]["lat"],
        first.document["_geo"]["lng"],
        second.document["_geo"]["lat"],
        second.document["_geo"]["lng"],
    )
    return Plan(first, second, tuple(coverages), ratio, travel)


def _upper_bound(first: Match, second: Match) -> float:
    return min(1.0, first.coverage_ratio + second.coverage_ratio)


def propose_plans(matches: Sequence[Match], need: CareNeed) -> list[Plan]:
    """Up to three plans of two services that together beat every single service."""
    if not need.combinations or not matches or (not need.has_hours and len(need.children) < 2):
        return []
    best_single = max(family_ratio(match, need) for match in matches)
    if best_single >= 1.0:
        return []
    pool = list(matches[:POOL_SIZE])
    pairs = sorted(
        combinations(pool, 2),
        key=lambda pair: -_upper_bound(*pair) if len(need.children) == 1 else 0.0,
    )
    plans: list[Plan] = []
    for first, second in pairs:
        single_child = len(need.children) == 1
        if (
            single_child
            and len(plans) >= MAX_PLANS
            and _upper_bound(first, second) < plans[-1].ratio
        ):
            break  # pairs come by bound: none of the rest can enter the best three
        plan = evaluate_plan(first, second, need)
        if plan is None or plan.ratio <= best_single:
            continue
        if plan.ratio <= max(family_ratio(first, need), family_ratio(second, need)):
            continue
        plans.append(plan)
        plans.sort(key=_plan_order)
        del plans[MAX_PLANS:]
    return plans[:MAX_PLANS]


def _plan_order(plan: Plan) -> tuple[float, float, float, int, int]:
    return (
        -plan.ratio,
        round(plan.travel_km, 1),
        plan.first.distance.km + plan.second.distance.km,
        plan.first.id,
        plan.second.id,
    )
