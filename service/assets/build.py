"""Build `build/static/`: purged bootstrap-italia + Titillium Web + our CSS, Leaflet, htmx.

Every output is named by its content hash and listed in `manifest.json`. Same inputs give the
same bytes. Files of earlier builds that the new manifest does not list are removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from service.assets import css
from service.assets.fingerprint import fingerprinted_name
from service.assets.manifest import BUILD_DIR, MANIFEST_NAME, PROJECT_ROOT
from service.assets.purge import AssetBuildError, PurgeRequest, purge_css

# selectors added at run time (Leaflet, htmx), which no template or script spells out
SAFELIST = ("^leaflet-", "^htmx-")
# (file in bootstrap-italia's dist/fonts/Titillium_Web, weight, style)
TITILLIUM_FACES = (
    ("300", 300, "normal"),
    ("regular", 400, "normal"),
    ("italic", 400, "italic"),
    ("600", 600, "normal"),
    ("700", 700, "normal"),
)
TITILLIUM_FILE = "titillium-web-v10-latin-ext_latin-{variant}.woff2"


@dataclass(frozen=True)
class AssetSources:
    """Where the build reads from; tests point it at small fixture trees."""

    frontend: Path = PROJECT_ROOT / "frontend"
    static: Path = PROJECT_ROOT / "service" / "static"
    templates: Path = PROJECT_ROOT / "templates"

    @property
    def node_modules(self) -> Path:
        return self.frontend / "node_modules"


class AssetWriter:
    """Collects fingerprinted outputs in memory; `write` puts them and the manifest on disk."""

    def __init__(self) -> None:
        self.outputs: dict[str, tuple[str, bytes]] = {}

    def add(self, logical_name: str, data: bytes) -> str:
        """Register an output; returns its fingerprinted file name."""
        name = fingerprinted_name(logical_name, data)
        self.outputs[logical_name] = (name, data)
        return name

    def manifest(self) -> dict[str, str]:
        return {logical: name for logical, (name, _data) in sorted(self.outputs.items())}

    def write(self, out_dir: Path) -> dict[str, str]:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, data in self.outputs.values():
            target = out_dir / name
            if not target.exists() or target.read_bytes() != data:
                _write_atomically(target, data)
        manifest = self.manifest()
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        _write_atomically(out_dir / MANIFEST_NAME, text.encode())
        keep = {*manifest.values(), MANIFEST_NAME}
        for stale in out_dir.iterdir():
            if stale.is_file() and stale.name not in keep:
                stale.unlink()
        return manifest


def build_assets(out_dir: Path = BUILD_DIR, sources: AssetSources | None = None) -> dict[str, str]:
    """Build every asset into `out_dir`; returns the manifest (logical → file name)."""
    sources = sources or AssetSources()
    _require(sources.node_modules, "the npm packages are not installed")
    writer = AssetWriter()
    writer.add("site.css", site_css(sources, writer).encode())
    writer.add("print.css", _read(sources.static / "print.css").encode())
    writer.add("app.js", _read(sources.static / "app.js").encode())
    writer.add("map.js", _read(sources.static / "map.js").encode())
    writer.add("htmx.js", _script(sources.node_modules / "htmx.org" / "dist" / "htmx.min.js"))
    leaflet = sources.node_modules / "leaflet" / "dist"
    writer.add("leaflet.js", _script(leaflet / "leaflet.js"))
    writer.add("leaflet.css", _stylesheet_with_images(leaflet / "leaflet.css", writer).encode())
    return writer.write(out_dir)


def site_css(sources: AssetSources, writer: AssetWriter) -> str:
    """Titillium Web `@font-face`, the purged bootstrap-italia, then our `conciliamo.css`."""
    ours = _read(sources.static / "conciliamo.css")
    bootstrap = sources.node_modules / "bootstrap-italia" / "dist"
    purged = purge_css(
        PurgeRequest(
            css=bootstrap / "css" / "bootstrap-italia.min.css",
            content=[
                str(sources.templates / "**" / "*.html"),
                str(sources.static / "*.js"),
            ],
            safelist=SAFELIST,
            keep_variables=sorted(
                css.referenced_variables(ours)
                | css.referenced_variables(_read(sources.static / "print.css"))
            ),
        ),
        sources.frontend,
    )
    fonts = titillium_faces(bootstrap / "fonts" / "Titillium_Web", writer)
    parts = [css.font_face_rules(fonts), css.strip_source_maps(css.strip_bom(purged)), ours]
    return "\n".join(part.strip() for part in parts) + "\n"


def titillium_faces(font_dir: Path, writer: AssetWriter) -> list[css.FontFace]:
    faces = []
    for variant, weight, style in TITILLIUM_FACES:
        source = font_dir / TITILLIUM_FILE.format(variant=variant)
        _require(source, "a Titillium Web font of bootstrap-italia is missing")
        suffix = "" if style == "normal" else f"-{style}"
        name = writer.add(f"titillium-web-{weight}{suffix}.woff2", source.read_bytes())
        faces.append(css.FontFace("Titillium Web", weight, style, name))
    return faces


def _stylesheet_with_images(path: Path, writer: AssetWriter) -> str:
    """The stylesheet with each relative `url(images/x.png)` copied and fingerprinted."""
    text = css.strip_source_maps(_read(path))
    replacements = {}
    for target in _unique(css.referenced_urls(text)):
        image = path.parent / target
        _require(image, f"{path.name} refers to {target}")
        replacements[target] = writer.add(image.name, image.read_bytes())
    return css.rewrite_urls(text, replacements)


def _script(path: Path) -> bytes:
    return css.strip_source_maps(_read(path)).rstrip().encode() + b"\n"


def _read(path: Path) -> str:
    _require(path, "an asset source is missing")
    return path.read_text(encoding="utf-8")


def _require(path: Path, what: str) -> None:
    if not path.exists():
        raise AssetBuildError(f"{what}: {path} does not exist. Run `make assets`.")


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def describe(manifest: Mapping[str, str], out_dir: Path) -> str:
    """One line per asset: logical name, file, size."""
    lines = [
        f"{logical:<32} {name:<40} {(out_dir / name).stat().st_size:>8} B"
        for logical, name in manifest.items()
    ]
    return "\n".join(lines)
