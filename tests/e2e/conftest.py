"""Browser tests: Playwright drives Debian's Chromium against the real server.

The live server is the real app (`create_app`) over the imported and indexed demo data, on a
real Meilisearch, served by uvicorn in a background thread; a tiny local tile server answers
every map tile. Every page a test opens is watched: a request to any other host, a console
error (Content-Security-Policy violations included) or a 4xx/5xx answer to one of our own
assets fails the test.

Chromium comes from `make browser` (/usr/bin/chromium, or CHROMIUM_BIN); axe-core from
`make assets` (frontend/node_modules, or AXE_CORE_JS). Without them the tests are skipped with
the reason on a laptop and fail when CI is set.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from factories import (
    TEST_PASSWORD,
    TODAY,
    import_demo,
    make_account,
    make_settings,
    organization_of,
)
from harness import (
    SCREENSHOTS_DIR,
    VIEWPORTS,
    Axe,
    NewPage,
    Screenshot,
    SignedInPage,
    TileServer,
)
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    sync_playwright,
)
from real_services import service_unavailable
from sqlmodel import Session, select

from core.db import create_db_engine, migrate
from core.kinds import UserRole
from core.models import Service
from core.settings import PROJECT_ROOT
from search.client import make_client
from search.local_meilisearch import MeilisearchEndpoint, free_port
from search.sync import compare_counts, reindex
from service.app import create_app

CHROMIUM_BIN = Path(os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium"))
#: without the background-networking flags Chromium hangs on a closed network
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_CORE_JS = Path(
    os.environ.get("AXE_CORE_JS", PROJECT_ROOT / "frontend/node_modules/axe-core/axe.min.js")
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# ---- The servers -------------------------------------------------------------------------


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG, made here so no image file has to be shipped."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


TILE_PNG = _png(256, 256, (226, 232, 226))


@pytest.fixture(scope="session")
def tile_server() -> Iterator[TileServer]:
    """Answers every /{z}/{x}/{y}.png with the same small PNG, so maps work offline."""
    served: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.append(self.path)
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 3 and parts[2].endswith(".png"):
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(TILE_PNG)))
                self.send_header("Cache-Control", "max-age=3600")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(TILE_PNG)
            else:
                self.send_error(404)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Tiles)
    thread = threading.Thread(target=server.serve_forever, name="tile-server", daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"
    yield TileServer(url=origin + "/{z}/{x}/{y}.png", origin=origin, requests=served)
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class LiveServer:
    url: str
    first_service_id: int
    #: the live server's database, for tests that prepare rows (accounts) before browsing
    database_url: str = ""


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory,
    meilisearch: MeilisearchEndpoint,
    tile_server: TileServer,
) -> Iterator[LiveServer]:
    """The real app over the demo data (SQLite + real Meilisearch) on a free port."""
    data_dir = tmp_path_factory.mktemp("e2e-site")
    database_url = f"sqlite:///{data_dir / 'conciliamo.db'}"
    engine = create_db_engine(database_url)
    migrate(engine)
    report = import_demo(engine)
    assert report.rejected == 0, report.problems
    settings = make_settings(
        data_dir, database_url, meilisearch.url, meilisearch.api_key, f"e2e{uuid.uuid4().hex[:8]}"
    ).model_copy(update={"tile_url": tile_server.url})
    meili = make_client(meilisearch.url, meilisearch.api_key)
    reindex(engine, meili, settings.services_index)
    assert compare_counts(engine, meili, settings.services_index).in_sync
    with Session(engine) as session:
        first_service_id: int = session.exec(select(Service.id).order_by(Service.id)).first()
    engine.dispose()

    app = create_app(settings, meilisearch, today=lambda: TODAY)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the live server did not start (see the log above)", pytrace=False)
        time.sleep(0.05)
    yield LiveServer(
        url=f"http://127.0.0.1:{port}",
        first_service_id=first_service_id,
        database_url=database_url,
    )
    server.should_exit = True
    thread.join(timeout=10)


# ---- The browser -------------------------------------------------------------------------


def _chromium_works(binary: Path) -> str | None:
    """None when `binary --version` runs, else why not."""
    if not binary.is_file():
        return f"{binary} does not exist"
    try:
        subprocess.run(
            [str(binary), "--headless", "--no-sandbox", "--version"],
            check=True,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"{binary} does not run: {error}"
    return None


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (or CHROMIUM_BIN), headless, without any network of its own."""
    problem = _chromium_works(CHROMIUM_BIN)
    if problem:
        service_unavailable(
            f"no Chromium for the browser tests: {problem}; run `make browser` "
            "(as root it installs Debian's chromium with apt; else `sudo apt-get install "
            "chromium`) or set CHROMIUM_BIN"
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM_BIN), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class PageWatch:
    """What the pages of one browser context did that a test must not accept."""

    allowed_origins: set[str]
    own_origin: str
    requests: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    error_documents: set[str] = field(default_factory=set)  # 400 and 404 pages are pages

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"}:
            origin = f"{parts.scheme.replace('ws', 'http')}://{parts.netloc}"
            if origin not in self.allowed_origins:
                self.found.append(f"third-party request: {request.method} {request.url}")

    def on_response(self, response: Response) -> None:
        if not response.url.startswith(self.own_origin + "/") or response.status < 400:
            return
        request = response.request
        if request.resource_type == "document" or request.headers.get("hx-request") == "true":
            # a page (or the part of one htmx swaps in) answering 400 or 404 on purpose
            self.error_documents.add(response.url)
        else:
            self.found.append(
                f"asset answered {response.status}: {response.request.resource_type} {response.url}"
            )

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def on_page_error(self, error: Exception) -> None:
        self.found.append(f"uncaught JavaScript error: {error}")

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("console", self.on_console)
        context.on("weberror", lambda web_error: self.on_page_error(web_error.error))

    def problems(self) -> list[str]:
        problems = list(self.found)
        for text, url in self.console_errors:
            if text.startswith("Failed to load resource") and (
                url in self.error_documents or urlsplit(url).path == "/favicon.ico"
            ):
                # the browser's note on a page served as 404 or 400 on purpose, or on the
                # /favicon.ico it asks for by itself when a page names no icon
                continue
            kind = "CSP violation" if "Content Security Policy" in text else "console error"
            problems.append(f"{kind}: {text}" + (f" ({url})" if url else ""))
        return problems


CALL_PASSED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep the call's outcome on the item, so page teardown knows whether the test passed."""
    report = yield
    if report.when == "call":
        item.stash[CALL_PASSED] = report.passed and not hasattr(report, "wasxfail")
    return report


@pytest.fixture
def new_page(
    browser: Browser,
    live_server: LiveServer,
    tile_server: TileServer,
    request: pytest.FixtureRequest,
) -> Iterator[NewPage]:
    """Make a watched page in a fresh context (keyword arguments go to `new_context`).

    Desktop size, Italian browser (locale it-IT) and base URL the live server unless told
    otherwise. At the end the test fails if any page went to another host, logged a console
    error or CSP violation, or got a 4xx/5xx for one of our own assets."""
    watches: list[PageWatch] = []
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        options = {
            "base_url": live_server.url,
            "viewport": VIEWPORTS["desktop"],
            "locale": "it-IT",
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        watch = PageWatch(
            allowed_origins={live_server.url, tile_server.origin}, own_origin=live_server.url
        )
        watch.watch(context)
        contexts.append(context)
        watches.append(watch)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems()]
    if problems and request.node.stash.get(CALL_PASSED, False):
        pytest.fail("the pages did what they must not:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A watched desktop page on the live server (see `new_page`)."""
    return new_page()


@pytest.fixture
def service_id(live_server: LiveServer) -> int:
    """The id of the first demo service."""
    return live_server.first_service_id


# ---- axe-core and screenshots ------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_CORE_JS.is_file():
        service_unavailable(
            f"axe-core not found at {AXE_CORE_JS}: run `make assets` (npm ci --prefix frontend) "
            "or set AXE_CORE_JS to an axe.min.js"
        )
    return AXE_CORE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source: str) -> Axe:
    """`axe(page)` runs axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the page as it is now and
    fails listing every serious or critical violation with its nodes; returns axe's results.

    axe is evaluated through the DevTools protocol: the page's CSP forbids inline scripts, so
    `add_script_tag` would be blocked, but `evaluate` is not subject to it."""

    def run(page: Page) -> dict[str, Any]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        results: dict[str, Any] = page.evaluate(
            """tags => window.axe.run(document, {
                   runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
            AXE_TAGS,
        )
        serious = [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]
        if serious:
            pytest.fail(
                f"axe-core: {len(serious)} serious or critical violation(s) on {page.url}\n"
                + "\n".join(_describe_violation(violation) for violation in serious),
                pytrace=False,
            )
        return results

    return run


def _describe_violation(violation: dict[str, Any]) -> str:
    lines = [
        f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
    ]
    for node in violation["nodes"]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
        if summary:
            lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


@pytest.fixture
def screenshot() -> Screenshot:
    """`screenshot(page, name)` saves full-page PNGs at desktop (1280×800) and phone (390×844)
    widths as test-artifacts/screenshots/<name>-<desktop|phone>.png; returns their paths. The
    page is left at desktop size."""

    def take(page: Page, name: str) -> list[Path]:
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        paths = []
        for width_name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            path = SCREENSHOTS_DIR / f"{name}-{width_name}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            paths.append(path)
        page.set_viewport_size(VIEWPORTS["desktop"])
        return paths

    return take


# ---- signing in ----------------------------------------------------------------------------


@pytest.fixture
def signed_in_page(new_page: NewPage, live_server: LiveServer) -> SignedInPage:
    """`signed_in_page(role, service_code=None)`: a watched page signed in through the real
    form at /accesso (typed with the keyboard) as a new account of `role`, linked to the
    organization of the demo listing `service_code` (a provider's); the page is left on /area.
    """

    def sign_in(role: UserRole, service_code: str | None = None, **options: Any) -> Page:
        engine = create_db_engine(live_server.database_url)
        try:
            organizations = (organization_of(engine, service_code),) if service_code else ()
            email = f"{role.value}-{uuid.uuid4().hex[:8]}@example.org"
            make_account(engine, email, role, organizations)
        finally:
            engine.dispose()
        page = new_page(**options)
        page.goto("/accesso")
        page.get_by_label("E-mail").focus()
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(TEST_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/area/?$"))
        return page

    return sign_in
