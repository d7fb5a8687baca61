"""What the browser tests do on a page, by role and label as a person using a screen reader
would find things."""

from __future__ import annotations

import csv
import re

from playwright.sync_api import Locator, Page, expect

from service.cli.main import DEMO_DIR

#: the weekday checkboxes' names: the full names, or the abbreviations they had at first
WEEKDAY_NAMES = [
    ("Lunedì", "Lun"),
    ("Martedì", "Mar"),
    ("Mercoledì", "Mer"),
    ("Giovedì", "Gio"),
    ("Venerdì", "Ven"),
    ("Sabato", "Sab"),
    ("Domenica", "Dom"),
]


def field(page: Page, label: str) -> Locator:
    """The form field whose label starts with `label` (a hint may follow it)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\b")).first


def weekday_checkbox(page: Page, number: int) -> Locator:
    """The checkbox of weekday `number` (1 = Monday) in the "Giorni" fieldset."""
    full, short = WEEKDAY_NAMES[number - 1]
    days = page.get_by_role("group", name="Giorni", exact=True)
    return days.get_by_role("checkbox", name=re.compile(rf"^\s*({full}|{short})\s*$"))


def tick_weekday(page: Page, number: int) -> None:
    """Tick weekday `number` as a person does: by clicking its name (a styled checkbox may
    be drawn by its label, which then takes the click)."""
    full, short = WEEKDAY_NAMES[number - 1]
    days = page.get_by_role("group", name="Giorni", exact=True)
    checkbox = weekday_checkbox(page, number)
    if not checkbox.is_checked():
        days.get_by_text(re.compile(rf"^\s*({full}|{short})\s*$")).first.click()
    expect(checkbox).to_be_checked()


def search_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Cerca", exact=True)


def fill_toddler_search(page: Page) -> None:
    """The search of public_pages.TODDLER_SEARCH, typed into the home form."""
    field(page, "Mese di nascita").select_option("11")
    field(page, "Anno di nascita").fill("2025")
    field(page, "Comune o indirizzo").fill("Sesto San Giovanni")
    for number in range(1, 6):
        tick_weekday(page, number)
    field(page, "Dalle ore").fill("08:00")
    field(page, "Alle ore").fill("16:00")
    field(page, "A partire dal").fill("2027-01-11")


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def switch_language(page: Page, language: str) -> None:
    """Follow the language switch: "English" (hreflang=en) or "Italiano" (hreflang=it)."""
    name = {"en": "English", "it": "Italiano"}[language]
    link = page.get_by_role("link", name=name, exact=True)
    expect(link).to_have_attribute("hreflang", language)
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator, max_presses: int = 80) -> None:
    """Press Tab until `target` has the focus (fails after `max_presses`)."""
    for _ in range(max_presses):
        if is_focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached with {max_presses} presses of Tab")


def type_time(page: Page, target: Locator, hours: int, minutes: int) -> None:
    """Type a time into the focused `target` with the keyboard, whatever the browser's clock:
    24-hour first; if that left it empty (a 12-hour field waiting for AM/PM), again from the
    hours segment with AM or PM."""
    page.keyboard.type(f"{hours:02}{minutes:02}")
    if target.input_value() == f"{hours:02}:{minutes:02}":
        return
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(f"{hours % 12 or 12:02}{minutes:02}{'P' if hours >= 12 else 'A'}")


def type_date(page: Page, target: Locator, year: int, month: int, day: int) -> None:
    """Type a date into the focused `target` with the keyboard, whatever the browser's date
    order: day/month/year as in Italy first; if the field is month-first (Chromium without
    its Italian locale), again from the first segment."""
    page.keyboard.type(f"{day:02}{month:02}{year}")
    if target.input_value() == f"{year}-{month:02}-{day:02}":
        return
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(f"{month:02}{day:02}{year}")


def result_links(page: Page) -> Locator:
    return page.locator("li.result h3 a")


def demo_toddler_services_in_sesto() -> set[str]:
    """Names of the demo nidi and micronidi of Sesto San Giovanni, read from the demo data."""
    with (DEMO_DIR / "servizi.csv").open(encoding="utf-8-sig", newline="") as file:
        return {
            row["nome"]
            for row in csv.DictReader(file)
            if row["tipo"] in {"nido", "micronido"} and row["comune"] == "Sesto San Giovanni"
        }
