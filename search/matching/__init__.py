"""The matching engine: pure functions from a family's need and candidate search documents
to ranked, explained matches and two-service plans. No I/O (search.query fetches)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from search.matching.need import CareNeed
from search.matching.plans import Plan, propose_plans
from search.matching.ranking import Match, rank


@dataclass(frozen=True)
class MatchResult:
    matches: list[Match]
    plans: list[Plan]


def match_need(candidates: Iterable[Mapping[str, Any]], need: CareNeed) -> MatchResult:
    matches = rank(candidates, need)
    return MatchResult(matches, propose_plans(matches, need))
