"""The administrators' account pages in a real browser: from the area's navigation to a new
provider, its organization found by typing part of its name and pressing Enter (the form's
first button is the search, so Enter never creates an account by accident); axe-core finds
no serious problem on the list, the new-account form or the account's page."""

from __future__ import annotations

import pytest
from harness import Axe, Screenshot, SignedInPage
from playwright.sync_api import expect

from core.kinds import UserRole

pytestmark = pytest.mark.e2e


def test_an_admin_creates_a_provider_with_the_keyboard(
    signed_in_page: SignedInPage, screenshot: Screenshot, axe: Axe
) -> None:
    page = signed_in_page(UserRole.ADMIN)
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account")
    axe(page)
    screenshot(page, "area-accounts")

    page.get_by_role("link", name="Nuovo account").click()
    page.get_by_label("E-mail").fill("tiglio-blu@example.org")
    page.get_by_label("Nome visualizzato").fill("Tiglio Blu")
    page.get_by_label("gestore", exact=False).check()
    page.get_by_label("Cerca un ente").fill("tiglio")
    page.get_by_label("Cerca un ente").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 ente trovato")
    expect(page.get_by_label("E-mail")).to_have_value("tiglio-blu@example.org")
    axe(page)
    screenshot(page, "area-account-new")

    organization = page.get_by_label("Cooperativa sociale Tiglio Blu")
    organization.focus()
    page.keyboard.press("Space")  # the styled checkbox is drawn by its label
    expect(organization).to_be_checked()
    page.get_by_role("button", name="Crea l'account e invia l'invito").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account tiglio-blu@example.org")
    expect(page.get_by_role("status")).to_contain_text("Account creato")
    expect(page.get_by_label("Cooperativa sociale Tiglio Blu")).to_be_checked()
    axe(page)
    screenshot(page, "area-account")
