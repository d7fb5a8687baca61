"""Printing a results page or a service: the content without navigation, form or map
(print.css), saved as PDFs next to the screenshots."""

from __future__ import annotations

import pytest
from harness import SCREENSHOTS_DIR
from playwright.sync_api import Page, expect
from public_pages import RESULTS_PATH

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("name", "path"), [("risultati", RESULTS_PATH), ("servizio", "/servizi/{service_id}")]
)
def test_print_shows_the_content_only(page: Page, service_id: int, name: str, path: str) -> None:
    page.goto(path.format(service_id=service_id))
    page.emulate_media(media="print")
    for hidden in (".site-nav", "#mappa", ".skip-link"):
        if page.locator(hidden).count():
            expect(page.locator(hidden).first).to_be_hidden()
    if name == "risultati":
        expect(page.locator("#ricerca")).to_be_hidden()
        expect(page.locator("li.result").first).to_be_visible()
    else:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator(".actions")).to_be_hidden()
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS_DIR / f"{name}-stampa.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 2000
