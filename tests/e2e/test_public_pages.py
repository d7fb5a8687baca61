"""Every public page (the one list in public_pages.py): no serious or critical axe-core
violation at desktop and phone width, and a screenshot of each at both widths."""

from __future__ import annotations

import pytest
from harness import VIEWPORTS, Axe, Screenshot
from playwright.sync_api import Page
from public_pages import PublicPage, public_page_params

pytestmark = pytest.mark.e2e


def open_public_page(
    page: Page, public_page: PublicPage, service_id: int, language: str = "it"
) -> None:
    response = page.goto(public_page.url(service_id, language))
    assert response is not None
    assert response.status == public_page.status, f"{public_page.path} answered {response.status}"


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("public_page", public_page_params())
def test_no_serious_accessibility_violations(
    page: Page, axe: Axe, public_page: PublicPage, service_id: int, language: str
) -> None:
    open_public_page(page, public_page, service_id, language)
    assert page.locator("html").get_attribute("lang") == language
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        axe(page)


@pytest.mark.parametrize("public_page", public_page_params())
def test_screenshots(
    page: Page, screenshot: Screenshot, public_page: PublicPage, service_id: int
) -> None:
    open_public_page(page, public_page, service_id)
    for path in screenshot(page, public_page.name):
        assert path.stat().st_size > 1000, f"{path} is empty"
