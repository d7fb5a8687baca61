"""The real asset build (node + the npm packages of frontend/) into a temporary directory."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from service.assets import css
from service.assets.build import AssetSources, build_assets

SOURCES = AssetSources()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if shutil.which("node") is None or not SOURCES.node_modules.is_dir():
        pytest.fail("node or frontend/node_modules missing: run `make assets`", pytrace=False)
    out_dir = tmp_path_factory.mktemp("static")
    return out_dir, build_assets(out_dir, SOURCES)


def test_every_logical_asset_is_built(built: tuple[Path, dict[str, str]]) -> None:
    out_dir, manifest = built
    expected = {"site.css", "print.css", "app.js", "map.js", "htmx.js", "leaflet.js"}
    assert expected | {"leaflet.css"} <= set(manifest)
    assert json.loads((out_dir / "manifest.json").read_text()) == manifest
    for logical, name in manifest.items():
        stem, suffix = logical.rsplit(".", 1)
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{8}}\.{suffix}", name)
        assert (out_dir / name).is_file()


def test_the_build_is_deterministic(built: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    out_dir, manifest = built
    assert build_assets(tmp_path, SOURCES) == manifest
    for name in [*manifest.values(), "manifest.json"]:
        assert (tmp_path / name).read_bytes() == (out_dir / name).read_bytes(), name


def test_site_css_has_titillium_web_fonts_and_our_css_last(
    built: tuple[Path, dict[str, str]],
) -> None:
    out_dir, manifest = built
    site = (out_dir / manifest["site.css"]).read_text()
    faces = re.findall(r"@font-face\{[^}]*\}", site)
    titillium = [face for face in faces if '"Titillium Web"' in face]
    assert len(titillium) == 5
    assert all("font-display:swap" in face and ".woff2)" in face for face in titillium)
    weights = sorted(re.search(r"font-weight:(\d+)", face)[1] for face in titillium)  # type: ignore[index]
    assert weights == ["300", "400", "400", "600", "700"]
    assert all("VideoJS" not in face for face in faces)  # unused faces are purged
    # bootstrap-italia's own font-family names the family our @font-face declares
    assert '"Titillium Web"' in site.split("@font-face", 6)[-1].split("}", 1)[1]
    ours = (SOURCES.static / "conciliamo.css").read_text().strip()
    assert site.rstrip().endswith(ours)
    assert "\ufeff" not in site


def test_purged_css_is_a_fraction_of_bootstrap_italia(
    built: tuple[Path, dict[str, str]],
) -> None:
    out_dir, manifest = built
    site = (out_dir / manifest["site.css"]).read_text()
    original = SOURCES.node_modules / "bootstrap-italia/dist/css/bootstrap-italia.min.css"
    assert len(site) < original.stat().st_size / 4


def test_every_url_in_the_stylesheets_resolves_to_a_built_file(
    built: tuple[Path, dict[str, str]],
) -> None:
    out_dir, manifest = built
    for logical in ("site.css", "leaflet.css", "print.css"):
        text = (out_dir / manifest[logical]).read_text()
        assert "sourceMappingURL" not in text
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), logical
        for target in css.referenced_urls(text):
            assert target in manifest.values(), f"{logical} refers to missing {target}"


def test_scripts_carry_no_source_map_reference(built: tuple[Path, dict[str, str]]) -> None:
    out_dir, manifest = built
    for logical in ("htmx.js", "leaflet.js", "app.js", "map.js"):
        assert "sourceMappingURL" not in (out_dir / manifest[logical]).read_text()
