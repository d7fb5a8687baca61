"""What JavaScript adds to the search, each in a real browser: presets, siblings (with and
without JavaScript), "use my location", the comune autocomplete and sorting in place."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import field, result_links, search_button, weekday_checkbox
from harness import NewPage
from playwright.sync_api import Page, expect
from public_pages import RESULTS_PATH

pytestmark = pytest.mark.e2e

#: a point in the centre of Sesto San Giovanni (the demo gazetteer's)
SESTO = {"latitude": 45.5342, "longitude": 9.2364}


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_preset_fills_the_days_and_hours(page: Page) -> None:
    page.goto("/")
    preset = field(page, "Orari tipici")
    preset.select_option("tempo-pieno")
    for day in range(1, 6):
        expect(weekday_checkbox(page, day)).to_be_checked()
    for day in (6, 7):
        expect(weekday_checkbox(page, day)).not_to_be_checked()
    expect(field(page, "Dalle ore")).to_have_value("08:00")
    expect(field(page, "Alle ore")).to_have_value("17:00")
    expect(preset).to_have_value("")  # the URL will hold the days and hours, not the preset


def _two_children(page: Page) -> None:
    months = page.get_by_label("Mese di nascita")
    years = page.get_by_label("Anno di nascita")
    expect(months).to_have_count(2)
    months.nth(0).select_option("11")
    years.nth(0).fill("2025")
    months.nth(1).select_option("3")
    years.nth(1).fill("2021")
    field(page, "Comune o indirizzo").fill("Sesto San Giovanni")
    field(page, "A partire dal").fill("2027-01-11")
    search_button(page).click()
    expect(page.locator("#risultati-titolo")).to_be_visible()
    assert query(page)["birth_year"] == ["2025", "2021"]


def test_add_a_sibling_in_place(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Aggiungi un fratello o una sorella").click()
    expect(page.get_by_role("group", name="2° figlio")).to_be_visible()
    assert "add_child" not in page.url  # no round trip
    _two_children(page)


def test_add_a_sibling_without_javascript(new_page: NewPage) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_role("button", name="Aggiungi un fratello o una sorella").click()
    expect(page.get_by_role("group", name="2° figlio")).to_be_visible()
    expect(page.locator("#risultati")).to_have_count(0)  # adding a child is not a search
    _two_children(page)


def test_use_my_location(new_page: NewPage) -> None:
    page = new_page(geolocation=SESTO, permissions=["geolocation"])
    page.goto("/")
    page.get_by_role("button", name="Usa la mia posizione").click()
    expect(page.locator("#stato-posizione")).to_contain_text("Posizione trovata")
    expect(page.locator("#campo-lat")).to_have_value("45.53420")
    field(page, "Mese di nascita").select_option("11")
    field(page, "Anno di nascita").fill("2025")
    search_button(page).click()
    expect(page.locator("#risultati-titolo")).to_contain_text("45.53420, 9.23640")
    expect(result_links(page).first).to_be_visible()


def test_the_comune_field_suggests_comuni(page: Page) -> None:
    page.goto("/")
    field(page, "Comune o indirizzo").press_sequentially("Cini", delay=30)
    expect(page.locator('#comuni-suggeriti option[value="Cinisello Balsamo"]')).to_have_count(1)


def test_sorting_updates_the_results_in_place(page: Page) -> None:
    page.goto(RESULTS_PATH)
    page.evaluate("window.__samePage = true")  # lost if the browser loaded a new page
    page.get_by_role("navigation", name="Ordina i risultati").get_by_role(
        "link", name="distanza"
    ).click()
    page.wait_for_url(lambda url: "sort=distance" in url)
    expect(page.locator('.sort a[aria-current="true"]')).to_have_text("distanza")
    assert page.evaluate("window.__samePage === true")
    distances = page.locator("li.result .distance").all_inner_texts()
    assert len(distances) > 1
