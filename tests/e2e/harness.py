"""What the browser tests share besides fixtures: the screen sizes and the fixtures' types.
A plain module (not the conftest), so test files import it by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from core.settings import PROJECT_ROOT

SCREENSHOTS_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

#: `new_page(**context_options)`: a page in a fresh browser context, watched
NewPage = Callable[..., Page]
#: `axe(page)`: run axe-core on the page; fails on serious or critical violations
Axe = Callable[[Page], dict[str, Any]]
#: `screenshot(page, name)`: full-page PNGs at every viewport
Screenshot = Callable[[Page, str], list[Path]]
#: `signed_in_page(role, service_code=None, **context_options)`: a page signed in as a new
#: account of `role` (a provider of the organization of demo listing `service_code`)
SignedInPage = Callable[..., Page]


@dataclass
class TileServer:
    url: str  # the {z}/{x}/{y} template for Settings.tile_url
    origin: str
    requests: list[str] = field(default_factory=list)
