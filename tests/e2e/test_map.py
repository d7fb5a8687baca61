"""The maps draw their tiles from the configured tile server (here the tests' local one), and
only from it: the page watch fails the test on any other host and on a CSP violation."""

from __future__ import annotations

import pytest
from harness import TileServer
from playwright.sync_api import Page, expect
from public_pages import RESULTS_PATH

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "path", [RESULTS_PATH, "/servizi/{service_id}"], ids=["results", "service"]
)
def test_map_tiles_come_from_the_tile_server(
    page: Page, tile_server: TileServer, service_id: int, path: str
) -> None:
    served_before = len(tile_server.requests)
    page.goto(path.format(service_id=service_id))
    expect(page.locator("#mappa .leaflet-tile-loaded").first).to_be_visible()
    assert len(tile_server.requests) > served_before


def test_when_tiles_cannot_load_the_map_steps_aside_for_the_list(page: Page) -> None:
    # every tile comes back broken (as from a tile server that is down behind a proxy)
    page.route(
        "**/*.png",
        lambda route: route.fulfill(status=200, content_type="image/png", body=b"not a png"),
    )
    page.goto(RESULTS_PATH)
    expect(page.locator("#mappa.map-unavailable")).to_be_visible()
    expect(page.locator("#mappa")).to_contain_text("La mappa non è disponibile")
    expect(page.locator("li.result").first).to_be_visible()
    assert page.locator("#mappa .leaflet-tile").count() == 0
