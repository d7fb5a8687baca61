"""The app serves its fingerprinted assets cached for a year and gzipped, and a results page
stays within the page-weight budget: < 200 KB compressed on a first visit (fonts and map tiles
aside), < 30 KB on a later one, with no request to any other host.

The test reads whatever the page links, so it does not depend on the page's markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from factories import DemoSite
from litestar.testing import TestClient

from service.assets import css
from service.assets.manifest import AssetManifest

pytestmark = pytest.mark.integration

RESULTS_PAGE = (
    "/?birth_year=2025&birth_month=11&place=Sesto%20San%20Giovanni"
    "&days=1&days=2&days=3&days=4&days=5&from=08:00&to=16:00&start=2027-01-11"
)
GZIP = {"Accept-Encoding": "gzip"}
FIRST_VISIT_BUDGET = 200 * 1024
LATER_VISIT_BUDGET = 30 * 1024
IMMUTABLE = "max-age=31536000"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
# elements and attributes through which a page makes the browser fetch something
FETCHING_ATTRIBUTES = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
NOT_FETCHED_LINKS = {"alternate", "canonical", "author", "help", "license", "next", "prev"}


@dataclass
class PageResources(HTMLParser):
    """The stylesheets, scripts and images a page loads, and every URL the browser fetches."""

    loaded: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and rel & NOT_FETCHED_LINKS and "stylesheet" not in rel:
            return
        for name in FETCHING_ATTRIBUTES.get(tag, ()):
            if values.get(name):
                urls = [part.split()[0] for part in values[name].split(",") if part.strip()]
                self.fetched.extend(urls if name == "srcset" else [values[name]])
        if (tag == "link" and "stylesheet" in rel) or tag in {"script", "img"}:
            url = values.get("href" if tag == "link" else "src")
            if url:
                self.loaded.append(url)


@dataclass(frozen=True)
class Transfer:
    url: str
    wire_bytes: int  # as sent: compressed when Content-Encoding says so
    body: bytes
    headers: dict[str, str]


def fetch(client: TestClient, url: str) -> Transfer:
    with client.stream("GET", url, headers=GZIP) as response:
        assert response.status_code == 200, f"{url}: {response.status_code}"
        raw = b"".join(response.iter_raw())
        headers = {name.lower(): value for name, value in response.headers.items()}
    body = client.get(url).content
    return Transfer(url, len(raw), body, headers)


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return (not parts.netloc and parts.scheme in {"", "data"}) or parts.netloc == "testserver.local"


def css_references(sheet: Transfer) -> list[str]:
    """Files a stylesheet makes the browser fetch (`url()` and `@import`), as absolute paths."""
    text = sheet.body.decode()
    imports = re.findall(r"""@import\s+(?:url\()?['"]?([^'")\s;]+)""", text)
    absolute = re.findall(r"""url\(\s*['"]?((?:https?:)?//[^'")]+)""", text)
    relative = [urljoin(sheet.url, target) for target in css.referenced_urls(text)]
    return [*imports, *absolute, *relative]


def test_fingerprinted_asset_is_immutable_and_gzipped(demo_client: TestClient) -> None:
    manifest = AssetManifest.load()
    url = manifest.url("site.css")
    assert re.fullmatch(r"/static/site\.[0-9a-f]{8}\.css", url)
    with demo_client.stream("GET", url, headers=GZIP) as response:
        raw = b"".join(response.iter_raw())
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")
        assert response.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in response.headers["vary"].lower()
        cache_control = {part.strip() for part in response.headers["cache-control"].split(",")}
    assert cache_control == {"public", IMMUTABLE, "immutable"}
    plain = demo_client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers  # only when asked
    assert len(raw) < len(plain.content)

    font = demo_client.get(manifest.url("titillium-web-400.woff2"), headers=GZIP)
    assert font.headers["content-type"] == "font/woff2"
    assert "content-encoding" not in font.headers  # woff2 is compressed already
    assert "immutable" in font.headers["cache-control"]


def test_only_built_files_are_served(demo_client: TestClient) -> None:
    for path in ("/static/manifest.json", "/static/site.css", "/static/conciliamo.css"):
        assert demo_client.get(path).status_code == 404, path


@pytest.mark.parametrize("tile_url", ["", "https://tiles.example.org/{z}/{x}/{y}.png"])
def test_results_page_weight_budget(demo_site: DemoSite, tile_url: str) -> None:
    """Without a map and with one (Leaflet's files come in then; its tiles do not count)."""
    with demo_site(tile_url=tile_url) as client:
        _check_results_page_weight(client, with_map=bool(tile_url))


def _check_results_page_weight(demo_client: TestClient, with_map: bool) -> None:
    page = fetch(demo_client, RESULTS_PAGE)
    assert ('id="mappa"' in page.body.decode()) is with_map
    assert page.headers.get("content-encoding") == "gzip"
    resources = PageResources()
    resources.feed(page.body.decode())
    assert resources.loaded, "the results page loads no stylesheet, script or image?"
    others = [url for url in resources.fetched if not same_origin(url)]
    assert not others, f"the page makes the browser ask other hosts: {others}"

    assets = [fetch(demo_client, url) for url in dict.fromkeys(resources.loaded)]
    for sheet in [asset for asset in assets if asset.url.endswith(".css")]:
        referenced = css_references(sheet)
        assert all(same_origin(url) for url in referenced), f"{sheet.url}: {referenced}"
        images = [url for url in referenced if not url.endswith(FONT_SUFFIXES)]
        assets += [fetch(demo_client, url) for url in images if url.startswith("/")]
    assets = [asset for asset in assets if not asset.url.startswith("data:")]

    for asset in assets:
        assert IMMUTABLE in asset.headers["cache-control"], asset.url
        assert "immutable" in asset.headers["cache-control"], asset.url
        if asset.headers["content-type"].startswith(("text/", "application/json")):
            assert len(asset.body) < 500 or asset.headers["content-encoding"] == "gzip"

    weights = {asset.url: asset.wire_bytes for asset in assets}
    first_visit = page.wire_bytes + sum(weights.values())
    assert first_visit < FIRST_VISIT_BUDGET, f"first visit {first_visit} B: {weights}"
    assert page.wire_bytes < LATER_VISIT_BUDGET, f"later visit (HTML only) {page.wire_bytes} B"
