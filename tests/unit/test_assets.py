"""Asset fingerprints, the manifest, the CSS rewrites and what gets compressed: pure code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.assets import css
from service.assets.build import AssetWriter
from service.assets.fingerprint import content_hash, fingerprinted_name
from service.assets.manifest import AssetManifest, MissingAssetError
from service.assets.serving import is_compressible

# sha256(b"body{color:red}") starts with 15c42ab7
RED = b"body{color:red}"


def test_the_hash_goes_before_the_suffix() -> None:
    assert content_hash(RED) == "15c42ab7"
    assert fingerprinted_name("site.css", RED) == "site.15c42ab7.css"
    assert fingerprinted_name("titillium-web-400.woff2", RED) == "titillium-web-400.15c42ab7.woff2"


def test_other_bytes_other_name() -> None:
    assert fingerprinted_name("site.css", RED) != fingerprinted_name("site.css", b"body{}")


@pytest.mark.parametrize("name", ["css/site.css", "site", ".css", ""])
def test_only_plain_file_names_with_a_suffix(name: str) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        fingerprinted_name(name, RED)


def test_writer_is_deterministic_and_drops_stale_files(tmp_path: Path) -> None:
    (tmp_path / "site.00000000.css").write_text("old")
    writer = AssetWriter()
    writer.add("site.css", RED)
    writer.add("app.js", b"// app")
    manifest = writer.write(tmp_path)
    first = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert writer.write(tmp_path) == manifest
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == first
    assert sorted(first) == sorted([*manifest.values(), "manifest.json"])
    assert json.loads(first["manifest.json"]) == {
        "app.js": fingerprinted_name("app.js", b"// app"),
        "site.css": "site.15c42ab7.css",
    }
    assert list(json.loads(first["manifest.json"])) == ["app.js", "site.css"]  # sorted


def test_manifest_urls(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"site.css": "site.15c42ab7.css"}))
    manifest = AssetManifest.load(tmp_path)
    assert manifest.url("site.css") == "/static/site.15c42ab7.css"
    assert manifest.served_file("site.15c42ab7.css") == tmp_path / "site.15c42ab7.css"
    assert manifest.served_file("site.css") is None
    assert manifest.served_file("manifest.json") is None


def test_a_missing_asset_is_named_with_the_fix(tmp_path: Path) -> None:
    manifest = AssetManifest(tmp_path, {"site.css": "site.15c42ab7.css"})
    with pytest.raises(MissingAssetError) as raised:
        manifest.url("leaflet.js")
    assert "no asset 'leaflet.js'" in str(raised.value)
    assert "built: site.css" in str(raised.value)
    assert "run `make assets`" in str(raised.value)


def test_a_missing_manifest_says_run_make_assets(tmp_path: Path) -> None:
    with pytest.raises(MissingAssetError) as raised:
        AssetManifest.load(tmp_path / "static")
    assert str(raised.value) == (
        f"the front-end assets are not built ({tmp_path / 'static' / 'manifest.json'} "
        "does not exist): run `make assets`"
    )


def test_font_face_rule() -> None:
    face = css.FontFace("Titillium Web", 600, "normal", "titillium-web-600.0badcafe.woff2")
    assert face.rule() == (
        '@font-face{font-family:"Titillium Web";font-style:normal;font-weight:600;'
        'font-display:swap;src:url(titillium-web-600.0badcafe.woff2) format("woff2")}'
    )


def test_relative_urls_are_found_and_rewritten() -> None:
    sheet = (
        '.a{background:url(images/layers.png)}.b{background:url("images/x.png")}'
        ".c{behavior:url(#default#VML)}.d{background:url(data:image/png;base64,AAAA)}"
        ".e{background:url(https://example.org/x.png)}"
    )
    assert css.referenced_urls(sheet) == ["images/layers.png", "images/x.png"]
    rewritten = css.rewrite_urls(sheet, {"images/layers.png": "layers.1dbbe9d0.png"})
    assert ".a{background:url(layers.1dbbe9d0.png)}" in rewritten
    assert '.b{background:url("images/x.png")}' in rewritten  # not in the replacements
    assert "url(#default#VML)" in rewritten


def test_source_map_comments_are_dropped() -> None:
    assert css.strip_source_maps("a{}\n/*# sourceMappingURL=x.css.map */") == "a{}\n"
    assert css.strip_source_maps("var a;\n//# sourceMappingURL=x.js.map") == "var a;\n"
    assert css.strip_bom("\ufeffa{}") == "a{}"


def test_variables_read_by_our_css() -> None:
    assert css.referenced_variables(".x{color:var(--bs-primary);margin:var( --gap, 1rem)}") == {
        "--bs-primary",
        "--gap",
    }


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=utf-8", True),
        ("text/css; charset=utf-8", True),
        ("text/javascript; charset=utf-8", True),
        ("application/json", True),
        ("application/vnd.oai.openapi+json", True),
        ("image/svg+xml", True),
        ("font/woff2", False),
        ("image/png", False),
        ("application/octet-stream", False),
        ("", False),
    ],
)
def test_only_text_is_compressed(content_type: str, expected: bool) -> None:
    assert is_compressible(content_type) is expected
