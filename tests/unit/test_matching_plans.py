"""Two-service plans when no single service covers the need, judged for the whole family."""

from datetime import date

import pytest
from matching_fixtures import document, hours, need, span, week

from core.kinds import CARE_KINDS
from search.matching import match_need
from search.matching.need import Preferences
from search.matching.plans import MAX_PLANS, subtract


def plan_ids(result) -> list[tuple[int, int]]:
    return [(plan.first.id, plan.second.id) for plan in result.plans]


def test_nido_until_1630_plus_a_babysitter_until_18_covers_the_day() -> None:
    nido = document(1, north=0.01, schedule=week("07:30", "16:30"))
    sitter = document(
        2, north=0.02, kind="babysitter", age_min_months=0, age_max_months=144,
        schedule=week("16:00", "19:00"),
    )  # fmt: skip
    result = match_need([nido, sitter], need(asked=hours("08:00-18:00")))
    [plan] = result.plans
    assert (plan.first.id, plan.second.id) == (1, 2)  # the main service first
    assert plan.ratio == 1.0 and plan.remaining_minutes == 0
    assert plan.added_by_second() == dict.fromkeys(range(1, 6), (span("16:30-18:00"),))
    assert plan.travel_km == pytest.approx(1.11, abs=0.01)


def test_no_plans_when_one_service_covers_everything() -> None:
    docs = [
        document(1, schedule=week("07:30", "18:00")),
        document(2, schedule=week("08:00", "12:00")),
    ]
    assert match_need(docs, need(asked=hours("08:00-18:00"))).plans == []


def test_a_plan_must_add_something_to_its_best_member() -> None:
    # both close at 16:30: together they still cover 85%
    docs = [
        document(1, schedule=week("07:30", "16:30")),
        document(2, schedule=week("08:00", "16:30")),
    ]
    assert match_need(docs, need(asked=hours("08:00-18:00"))).plans == []


def test_summer_weeks_one_centre_then_another() -> None:
    # weeks 1–3 at A (5–23 July), weeks 4–6 at B (26 July – 13 August)
    weeks = tuple(
        date(2027, 7, 5 + 7 * n) if n < 4 else date(2027, 8, 2 + 7 * (n - 4)) for n in range(6)
    )
    a = document(
        1,
        kind="centro_estivo",
        age_min_months=36,
        age_max_months=144,
        schedule=week("08:00", "16:00", valid_from="2027-07-05", valid_to="2027-07-23"),
    )
    b = document(
        2,
        kind="centro_estivo",
        north=0.02,
        age_min_months=36,
        age_max_months=144,
        schedule=week("08:00", "16:00", valid_from="2027-07-26", valid_to="2027-08-13"),
    )
    wanted = need(children=((2020, 3),), asked=hours("08:00-16:00"), start=weeks[0], weeks=weeks)
    result = match_need([a, b], wanted)
    assert [round(m.coverage.ratio, 2) for m in result.matches] == [0.5, 0.5]
    [plan] = result.plans
    assert plan.ratio == 1.0
    [alone] = plan.children
    assert all(share.ratio == 1.0 for share in alone.by_week.values())
    assert sorted(alone.by_week) == list(weeks)
    assert {m.id for m in plan.members} == {1, 2}  # fmt: skip


def test_at_most_three_plans_best_coverage_first_then_shorter_trip() -> None:
    nido = document(1, schedule=week("07:30", "16:30"))
    afternoons = [
        document(10 + n, north=0.005 * (n + 1), kind="post_scuola", age_min_months=0,
                 age_max_months=144, schedule=week("16:30", close))
        for n, close in enumerate(["18:00", "18:00", "17:30", "18:00", "18:00"])
    ]  # fmt: skip
    result = match_need([nido, *afternoons], need(asked=hours("08:00-18:00")))
    assert len(result.plans) == MAX_PLANS
    assert plan_ids(result) == [(1, 10), (1, 11), (1, 13)]  # 12 closes at 17:30: 95%
    assert [plan.ratio for plan in result.plans] == [1.0, 1.0, 1.0]


def test_siblings_placed_at_two_services_close_together() -> None:
    # 14 months and 4 years old; no service takes both. The infanzia 0.5 km from the nido
    # beats the one next door to home that is 3 km from the nido.
    kinds = Preferences(kinds=CARE_KINDS)
    nido = document(1, north=0.03, schedule=week("08:00", "16:00"))
    far = document(2, north=0.0, kind="scuola_infanzia", schedule=week("08:00", "16:00"))
    near = document(3, north=0.035, kind="scuola_infanzia", schedule=week("08:00", "16:00"))
    wanted = need(children=((2025, 6), (2022, 5)), preferences=kinds, asked=hours("08:00-16:00"))
    result = match_need([nido, far, near], wanted)
    assert plan_ids(result)[0] in {(1, 3), (3, 1)}
    assert result.plans[0].travel_km < result.plans[1].travel_km


def test_siblings_without_hours_still_get_plans() -> None:
    nido = document(1, north=0.01)
    infanzia = document(2, north=0.012, kind="scuola_infanzia")
    result = match_need([nido, infanzia], need(children=((2025, 6), (2022, 5))))
    assert len(result.plans) == 1 and result.plans[0].ratio == 1.0


def test_plans_can_be_switched_off() -> None:
    nido = document(1, schedule=week("07:30", "16:30"))
    sitter = document(2, kind="babysitter", age_min_months=0, schedule=week("16:00", "19:00"))
    wanted = need(asked=hours("08:00-18:00"), combinations=False)
    assert match_need([nido, sitter], wanted).plans == []


@pytest.mark.parametrize(
    ("ranges", "minus", "expected"),
    [
        (["08:00-18:00"], ["08:00-16:30"], ["16:30-18:00"]),
        (["08:00-18:00"], ["10:00-12:00"], ["08:00-10:00", "12:00-18:00"]),
        (["08:00-12:00"], ["12:00-18:00"], ["08:00-12:00"]),
        (["08:00-12:00"], ["07:00-13:00"], []),
    ],
)
def test_subtract(ranges, minus, expected) -> None:
    assert subtract([span(r) for r in ranges], [span(m) for m in minus]) == tuple(
        span(e) for e in expected
    )
