"""What a family does on the site, end to end in a real browser over the demo data: search for
a toddler, open a result, switch language, use only the keyboard, make a mistake, do without
JavaScript."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import (
    demo_toddler_services_in_sesto,
    field,
    fill_toddler_search,
    result_links,
    search_button,
    switch_language,
    tab_to,
    type_date,
    type_time,
    weekday_checkbox,
)
from harness import NewPage
from playwright.sync_api import Page, expect
from public_pages import RESULTS_PATH, TODDLER_SEARCH

pytestmark = pytest.mark.e2e

#: Italian words of the interface that an English page must not show
ITALIAN_UI = ["Cerca", "Mese di nascita", "Anno di nascita", "Comune o indirizzo", "Dalle ore"]


def query_values(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def assert_url_holds_the_toddler_search(url: str) -> None:
    query = query_values(url)
    values = {value for listed in query.values() for value in listed}
    for name, expected in TODDLER_SEARCH.items():
        if isinstance(expected, list):
            assert any(sorted(listed) == expected for listed in query.values()), (name, query)
        else:
            assert expected in values, (name, expected, query)


def assert_first_result_is_a_nido_of_sesto(page: Page) -> str:
    links = result_links(page)
    expect(links.first).to_be_visible()
    name = links.first.inner_text().strip()
    assert name in demo_toddler_services_in_sesto(), name
    return name


def test_search_for_a_toddler_by_comune_and_hours(page: Page) -> None:
    page.goto("/")
    fill_toddler_search(page)
    search_button(page).click()
    expect(page.locator("#risultati-titolo")).to_be_visible()
    assert_first_result_is_a_nido_of_sesto(page)
    page.wait_for_url(re.compile(r"\?"))
    assert_url_holds_the_toddler_search(page.url)


def test_a_results_url_can_be_shared(page: Page, new_page: NewPage) -> None:
    page.goto(RESULTS_PATH)
    first = assert_first_result_is_a_nido_of_sesto(page)
    elsewhere = new_page()
    elsewhere.goto(page.url)
    assert assert_first_result_is_a_nido_of_sesto(elsewhere) == first


def test_open_a_result(page: Page) -> None:
    page.goto(RESULTS_PATH)
    first = result_links(page).first
    name = first.inner_text().strip()
    first.click()
    expect(page).to_have_url(re.compile(r"/servizi/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Orari", exact=True)).to_be_visible()


@pytest.mark.parametrize("path", ["/", RESULTS_PATH], ids=["home", "results"])
def test_switch_language_leaves_no_italian_interface(page: Page, path: str) -> None:
    page.goto(path)
    switch_language(page, "en")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    for words in ITALIAN_UI:
        expect(page.get_by_text(words, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Vai al contenuto")).to_have_count(0)
    if path != "/":
        heading = page.locator("#risultati-titolo")
        expect(heading).to_be_visible()
        expect(heading).not_to_contain_text(re.compile(r"servizi? trovat|vicino a|Nessun"))
    switch_language(page, "it")
    expect(search_button(page)).to_be_visible()


def test_keyboard_only(page: Page) -> None:
    """From the top of the page with Tab, typing, Space on checkboxes and Enter to submit,
    then Tab to the first result and Enter to open it."""
    page.goto("/")
    keyboard = page.keyboard
    tab_to(page, field(page, "Mese di nascita"))
    keyboard.type("novembre")
    expect(field(page, "Mese di nascita")).to_have_value("11")
    tab_to(page, field(page, "Anno di nascita"))
    keyboard.type("2025")
    tab_to(page, field(page, "Comune o indirizzo"))
    keyboard.type("Sesto San Giovanni")
    for number in range(1, 6):
        tab_to(page, weekday_checkbox(page, number))
        keyboard.press("Space")
        expect(weekday_checkbox(page, number)).to_be_checked()
    for label, (hours, minutes) in [("Dalle ore", (8, 0)), ("Alle ore", (16, 0))]:
        tab_to(page, field(page, label))
        type_time(page, field(page, label), hours, minutes)
        expect(field(page, label)).to_have_value(f"{hours:02}:{minutes:02}")
    tab_to(page, field(page, "A partire dal"))
    type_date(page, field(page, "A partire dal"), 2027, 1, 11)
    expect(field(page, "A partire dal")).to_have_value("2027-01-11")
    tab_to(page, search_button(page))
    keyboard.press("Enter")

    expect(page.locator("#risultati-titolo")).to_be_visible()
    name = assert_first_result_is_a_nido_of_sesto(page)
    tab_to(page, result_links(page).first, max_presses=150)
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_invalid_input_then_correct_it(page: Page) -> None:
    page.goto("/")
    fill_toddler_search(page)
    field(page, "Anno di nascita").fill("1990")
    search_button(page).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Anno di nascita"))).to_be_visible()
    expect(page.locator("li.result")).to_have_count(0)
    summary.get_by_role("link", name=re.compile("Anno di nascita")).click()
    expect(field(page, "Anno di nascita")).to_be_focused()
    field(page, "Anno di nascita").fill("2025")
    search_button(page).click()
    expect(page.locator(".error-summary")).to_have_count(0)
    assert_first_result_is_a_nido_of_sesto(page)


def test_without_javascript_the_server_renders_the_results(new_page: NewPage) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/")
    fill_toddler_search(page)
    with page.expect_navigation():
        search_button(page).click()
    expect(page.locator("#risultati-titolo")).to_be_visible()
    assert_first_result_is_a_nido_of_sesto(page)
    assert_url_holds_the_toddler_search(page.url)
