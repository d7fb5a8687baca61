"""The plan an operator hands to a family: which services, and which asked hours they still
leave open. Pure functions over the matching engine's results (no I/O)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from search.matching.coverage import Coverage
from search.matching.need import TimeRange
from search.matching.plans import Plan, subtract
from search.matching.ranking import Match

#: the results ticked for the plan when the operator has not chosen
DEFAULT_TOP = 3
#: ids are database integers (PostgreSQL's `integer` ends at 2,147,483,647)
MAX_ID_DIGITS = 9

WeeklyRanges = Mapping[int, tuple[TimeRange, ...]]


def open_gaps(
    asked: WeeklyRanges, coverages: Iterable[Coverage | None]
) -> dict[int, tuple[TimeRange, ...]]:
    """Per weekday (1 = Monday), the asked hours that none of the chosen services covers.

    A service's hours are those of its typical day (`Coverage.typical`: the first date each
    weekday is needed). A service without a coverage (no hours were asked) covers nothing
    here; weekdays fully covered are left out."""
    covered: dict[int, list[TimeRange]] = defaultdict(list)
    for coverage in coverages:
        if coverage is None:
            continue
        for weekday, ranges in coverage.typical.items():
            covered[weekday].extend(ranges)
    return {
        weekday: left
        for weekday, ranges in sorted(asked.items())
        if ranges and (left := subtract(ranges, covered[weekday]))
    }


def default_choice(matches: Sequence[Match], plans: Sequence[Plan]) -> list[int]:
    """The services ticked at first: the top results and the first plan's two."""
    chosen = [match.id for match in matches[:DEFAULT_TOP]]
    if plans:
        chosen += [member.id for member in plans[0].members if member.id not in chosen]
    return chosen


def chosen_ids(values: Iterable[str], limit: int = 20) -> list[int]:
    """The `servizi` of the query as ids, in order, without repeats or garbage."""
    ids: list[int] = []
    for value in values:
        if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
            if int(value) in ids or len(ids) >= limit:
                continue
            ids.append(int(value))
    return ids
