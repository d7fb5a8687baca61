"""The reserved area in a real browser: a provider signs in through /accesso and changes the
hours of their micronido with the keyboard; an operator runs an assisted search; axe-core
finds no serious problem on the sign-in page and the area's pages."""

from __future__ import annotations

import re

import pytest
from browsing import field, result_links, search_button, tick_weekday, type_time
from harness import VIEWPORTS, Axe, Screenshot, SignedInPage
from playwright.sync_api import Page, expect

from core.kinds import UserRole

pytestmark = pytest.mark.e2e

TRENINO = "DEMO-SSG-MICRO-01"  # Micronido Il Trenino: lun-ven 08:00-16:00, the school year
TRENINO_NAME = "Micronido Il Trenino"


def open_trenino_listing(page: Page) -> None:
    """From /area, open the listing as a provider does: by its name."""
    page.get_by_role("link", name=TRENINO_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TRENINO_NAME)


def fill_toddler_need(page: Page) -> None:
    """The child and hours of browsing.fill_toddler_search, without its place: the console
    asks for the home and work addresses instead."""
    field(page, "Mese di nascita").select_option("11")
    field(page, "Anno di nascita").fill("2025")
    for number in range(1, 6):
        tick_weekday(page, number)
    field(page, "Dalle ore").fill("08:00")
    field(page, "Alle ore").fill("16:00")
    field(page, "A partire dal").fill("2027-01-11")


def test_a_provider_changes_monday_hours_with_the_keyboard(
    signed_in_page: SignedInPage, screenshot: Screenshot, axe: Axe
) -> None:
    page = signed_in_page(UserRole.PROVIDER, TRENINO)
    expect(page.get_by_role("link", name=TRENINO_NAME)).to_be_visible()
    axe(page)
    screenshot(page, "area-provider")

    open_trenino_listing(page)
    service_id = int(re.findall(r"/area/servizi/(\d+)", page.url)[0])
    axe(page)
    screenshot(page, "area-listing")

    page.get_by_role("link", name="Modifica gli orari").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Orari di «{TRENINO_NAME}»")
    school_year = page.locator("#periodo-1")
    expect(school_year.locator("legend")).to_have_text(
        "Periodo 1: dal 1° settembre 2026 al 31 luglio 2027"
    )
    monday_until = school_year.get_by_label("Lunedì: alle ore", exact=True)
    expect(monday_until).to_have_value("16:00")
    axe(page)
    screenshot(page, "area-schedule")
    page.set_viewport_size(VIEWPORTS["phone"])
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    page.set_viewport_size(VIEWPORTS["desktop"])  # the grid scrolls inside, not the page

    # a second period is added without JavaScript's help (a submit button), left blank
    page.get_by_role("button", name="Aggiungi un periodo").click()
    expect(page.locator("#periodo-2 legend")).to_have_text("Periodo 2: nuovo periodo")
    monday_until = page.locator("#periodo-1").get_by_label("Lunedì: alle ore", exact=True)
    monday_until.focus()
    type_time(page, monday_until, 16, 30)
    expect(monday_until).to_have_value("16:30")
    page.keyboard.press("Enter")  # the form's first button saves

    expect(page.get_by_role("status")).to_contain_text("Orari salvati")
    expect(page.locator("#periodo-1").get_by_label("Lunedì: alle ore", exact=True)).to_have_value(
        "16:30"
    )
    expect(page.locator("#periodo-2")).to_have_count(0)  # the blank period was not kept
    axe(page)

    page.get_by_role("link", name="Vedi la scheda pubblica").click()
    expect(page).to_have_url(re.compile(rf"/servizi/{service_id}$"))
    schedule = page.locator("table.schedule")
    expect(schedule.get_by_role("row", name=re.compile("^Lunedì"))).to_contain_text("08:00–16:30")
    expect(schedule.get_by_role("row", name=re.compile("^Martedì"))).to_contain_text("08:00–16:00")


def test_a_wrong_time_is_named_and_nothing_is_saved(signed_in_page: SignedInPage, axe: Axe) -> None:
    page = signed_in_page(UserRole.PROVIDER, TRENINO)
    open_trenino_listing(page)
    page.get_by_role("link", name="Modifica gli orari").click()
    wednesday_until = page.locator("#periodo-1").get_by_label("Mercoledì: alle ore", exact=True)
    kept = wednesday_until.input_value()
    wednesday_until.focus()
    type_time(page, wednesday_until, 7, 0)  # before it opens
    page.get_by_role("button", name="Salva gli orari").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Periodo 1, Mercoledì: alle ore")
    summary.get_by_role("link", name=re.compile("Mercoledì: alle ore")).click()
    expect(page).to_have_url(re.compile(r"#campo-p1_to_3_1$"))
    expect(wednesday_until).to_have_attribute("aria-invalid", "true")
    axe(page)
    page.goto(page.url.split("#")[0])  # a GET: the stored hours again
    expect(
        page.locator("#periodo-1").get_by_label("Mercoledì: alle ore", exact=True)
    ).to_have_value(kept)


def test_the_sign_in_page_and_the_operators_area_pass_axe(
    page: Page, signed_in_page: SignedInPage, axe: Axe, screenshot: Screenshot
) -> None:
    page.goto("/accesso")
    expect(field(page, "E-mail")).to_be_visible()
    axe(page)
    operator = signed_in_page(UserRole.OPERATOR)
    expect(operator.get_by_role("navigation", name="Area riservata")).to_be_visible()
    axe(operator)
    screenshot(operator, "area-operator")


def test_an_operator_runs_an_assisted_search(
    signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    page = signed_in_page(UserRole.OPERATOR)
    page.goto("/area/consulenza")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fill_toddler_need(page)
    field(page, "Indirizzo di lavoro").fill("Cinisello Balsamo")
    search_button(page).click()
    expect(result_links(page).first).to_be_visible()
    expect(page.get_by_label("Note dell'operatore")).to_be_visible()
    screenshot(page, "area-assisted-search")
