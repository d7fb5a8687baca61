"""What every page and the search form promise, read the way assistive technology reads them:
the page language, the skip link, labelled fields, the results' structure, the error summary."""

from __future__ import annotations

import re

import pytest
from browsing import (
    field,
    fill_toddler_search,
    html_lang,
    result_links,
    search_button,
    switch_language,
    weekday_checkbox,
)
from harness import NewPage
from playwright.sync_api import Page, expect
from public_pages import RESULTS_PATH

pytestmark = pytest.mark.e2e


def test_pages_are_italian_by_default(page: Page) -> None:
    page.goto("/")
    assert html_lang(page) == "it"


def test_language_switch_to_english_and_back(page: Page) -> None:
    page.goto("/")
    switch_language(page, "en")
    assert html_lang(page) == "en"
    switch_language(page, "it")
    assert html_lang(page) == "it"


def test_lang_parameter_gives_english(page: Page) -> None:
    page.goto("/?lang=en")
    assert html_lang(page) == "en"


def test_skip_link_is_the_first_focusable_element(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Vai al contenuto", exact=True)
    expect(skip).to_be_focused()
    expect(skip).to_have_attribute("href", "#contenuto")
    expect(page.locator("#contenuto")).to_have_count(1)


def test_home_form_fields_have_labels(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("combobox", name="Mese di nascita")).to_be_visible()
    for label in ("Anno di nascita", "Comune o indirizzo", "Entro km", "A partire dal"):
        expect(field(page, label)).to_be_visible()
    for label in ("Dalle ore", "Alle ore"):
        expect(field(page, label)).to_be_visible()
    expect(page.get_by_role("group", name="Giorni", exact=True)).to_be_visible()
    for number in range(1, 8):
        expect(weekday_checkbox(page, number)).to_have_count(1)
    expect(search_button(page)).to_be_visible()


def test_results_are_a_list_of_linked_services(page: Page) -> None:
    page.goto(RESULTS_PATH)
    heading = page.locator("#risultati-titolo")
    expect(heading).to_be_visible()
    section = page.locator("section").filter(has=heading)
    expect(section).to_have_attribute("aria-labelledby", "risultati-titolo")
    links = result_links(page)
    assert links.count() > 0
    for index in range(links.count()):
        expect(links.nth(index)).to_have_attribute("href", re.compile(r"^/servizi/\d+$"))


@pytest.mark.parametrize(
    ("changes", "expected_fields"),
    [
        pytest.param({"Anno di nascita": "1990"}, {"birth_year"}, id="birth-year-1990"),
        pytest.param({"Dalle ore": "16:00", "Alle ore": "08:00"}, set(), id="to-before-from"),
    ],
)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_invalid_input_shows_an_error_summary_linked_to_the_fields(
    new_page: NewPage, javascript: bool, changes: dict[str, str], expected_fields: set[str]
) -> None:
    page = new_page(java_script_enabled=javascript)
    page.goto("/")
    fill_toddler_search(page)
    for label, value in changes.items():
        field(page, label).fill(value)
    search_button(page).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.get_by_role("link")
    expect(links.first).to_be_visible()
    hrefs = [links.nth(index).get_attribute("href") or "" for index in range(links.count())]
    assert all(re.fullmatch(r"#campo-[\w-]+", href) for href in hrefs), hrefs
    assert {href.removeprefix("#campo-") for href in hrefs} >= expected_fields
    for index, href in enumerate(hrefs):
        links.nth(index).click()
        expect(page.locator(href)).to_be_focused()
