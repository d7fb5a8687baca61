"""Each match explains itself: as data, and as one sentence in Italian or English."""

from datetime import date

import pytest
from matching_fixtures import document, hours, need, week

from search.matching import match_need
from search.matching.explain import Weekdays, explanation, explanation_data, percent
from search.matching.need import FamilyPlace, PlaceRole
from search.matching.ranking import evaluate

#: 0.0117° of latitude north of home ≈ 1.30 km
KM_1_3 = 0.0117


def explain(doc, wanted, language="it") -> str:
    match = evaluate(doc, wanted)
    assert match is not None
    return explanation(match).render(language)


def test_the_example_sentence_of_the_brief() -> None:
    doc = document(1, north=KM_1_3, schedule=week("07:30", "16:30"), places_available=3)
    wanted = need(asked=hours("08:00-18:00"))  # born June 2025: 14 months on 7 Sept 2026
    assert explain(doc, wanted) == (
        "Copre lun–ven 8:00–16:30 delle tue 8:00–18:00 (85%) · 1,3 km · "
        "accetta bambini di 14 mesi · 3 posti liberi"
    )
    assert explain(doc, wanted, "en") == (
        "Covers Mon–Fri 8:00–16:30 of your 8:00–18:00 (85%) · 1.3 km · "
        "takes children aged 14 months · 3 places free"
    )


def test_full_coverage_and_days_told_in_groups() -> None:
    schedule = week("07:30", "18:00") + week("08:00", "13:00", weekdays=(6,))
    asked = hours("08:00-17:00") | hours("08:00-12:00", weekdays=(6,))
    doc = document(1, north=0.004, schedule=schedule, places_available=1)
    assert explain(doc, need(asked=asked)) == (
        "Copre tutte le tue ore: lun–ven 8:00–17:00; sab 8:00–12:00 · 440 m · "
        "accetta bambini di 14 mesi · 1 posto libero"
    )
    assert explain(doc, need(asked=asked), "en").startswith(
        "Covers all your hours: Mon–Fri 8:00–17:00; Sat 8:00–12:00 · 440 m"
    )


def test_days_without_any_coverage_are_said() -> None:
    asked = hours("08:00-16:00", weekdays=(1, 3))
    doc = document(1, schedule=week("08:00", "16:00", weekdays=(1,)), places_available=0)
    assert explain(doc, need(asked=asked)) == (
        "Copre lun 8:00–16:00 delle tue 8:00–16:00; mer nessuna delle tue 8:00–16:00 (50%) · "
        "0 m · accetta bambini di 14 mesi · nessun posto libero"
    )


def test_hours_and_ages_to_be_checked() -> None:
    doc = document(1, kind="centro_estivo", age_min_months=None, age_max_months=None)
    assert explain(doc, need()) == "Orari da verificare · 0 m · età da verificare"
    assert explain(doc, need(), "en") == "Hours to be checked · 0 m · ages to be checked"


def test_comune_level_points_are_not_measured_in_metres() -> None:
    near = document(1, geocode_precision="comune", north=0.002)
    far = document(2, geocode_precision="comune", north=0.03, comune="Monza")
    assert explain(near, need()).startswith("Orari da verificare · a Sesto San Giovanni ·")
    assert explain(far, need(), "en").startswith(
        "Hours to be checked · 3.3 km from the centre of Monza"
    )


def test_anticipatari_are_told_so() -> None:
    doc = document(1, kind="scuola_infanzia", schedule=week("08:00", "16:00"))
    wanted = need(children=((2024, 3),), asked=hours("08:00-16:00"), start=date(2026, 9, 7))
    assert "accetta bambini di 29 mesi (anticipatari)" in explain(doc, wanted)
    assert "(early entry)" in explain(doc, wanted, "en")


def test_siblings_ages_are_listed_the_readers_way() -> None:
    doc = document(1, age_min_months=3, age_max_months=72)
    wanted = need(children=((2025, 6), (2022, 5)))
    assert "accetta bambini di 14 e 51 mesi" in explain(doc, wanted)
    assert "takes children aged 14 and 51 months" in explain(doc, wanted, "en")


@pytest.mark.parametrize(
    ("ratio", "it", "en"),
    [(0.85, "85%", "85%"), (0.996, "99%", "99%"), (0.001, "1%", "1%"), (1.0, "100%", "100%")],
)
def test_percent_never_rounds_partial_to_none_or_all(ratio: float, it: str, en: str) -> None:
    assert (percent(ratio).render("it"), percent(ratio).render("en")) == (it, en)


@pytest.mark.parametrize(
    ("days", "it", "en"),
    [((1, 2, 3, 4, 5), "lun–ven", "Mon–Fri"), ((1, 3), "lun, mer", "Mon, Wed"),
     ((6, 7), "sab, dom", "Sat, Sun"), ((1, 2, 3, 5), "lun, mar, mer, ven", "Mon, Tue, Wed, Fri")],
)  # fmt: skip
def test_weekdays(days, it: str, en: str) -> None:
    assert (Weekdays(days).render("it"), Weekdays(days).render("en")) == (it, en)


def test_explanation_as_data() -> None:
    doc = document(1, north=KM_1_3, schedule=week("07:30", "16:30"), places_available=3)
    [match] = match_need([doc], need(asked=hours("08:00-18:00"))).matches
    data = explanation_data(match)
    assert data["coverage"]["ratio"] == 0.85
    assert data["coverage"]["by_weekday"] == dict.fromkeys(["1", "2", "3", "4", "5"], 0.85)
    assert data["coverage"]["typical_hours"]["1"] == [{"from": "8:00", "to": "16:30"}]
    assert data["ages"] == [{"child": 0, "months": 14, "verdict": "accepted"}]
    assert data["distance_from"] == "home"
    assert data["distance_km"] == pytest.approx(1.3, abs=0.01)
    assert data["places_available"] == 3


def test_a_babysitter_in_the_familys_comune_says_so() -> None:
    sitter = document(1, kind="babysitter", age_min_months=0, service_area=["015209"])
    home = FamilyPlace(45.0, 9.0, PlaceRole.HOME, "Via Roma 1", "015209", "Sesto San Giovanni")
    wanted = need(places=(home,))
    assert explain(sitter, wanted).startswith("Orari da verificare · lavora a Sesto San Giovanni")
    assert " · works in Sesto San Giovanni · " in explain(sitter, wanted, "en")
