"""Pure text transformations of stylesheets and scripts for the asset build."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_SOURCE_MAP_COMMENT = re.compile(r"/\*# sourceMappingURL=[^*]*\*/|^//# sourceMappingURL=.*$", re.M)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_VARIABLE_USE = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class FontFace:
    """One `@font-face` rule: a family at a weight and style, served from `url`."""

    family: str
    weight: int
    style: str
    url: str

    def rule(self) -> str:
        return (
            f'@font-face{{font-family:"{self.family}";font-style:{self.style};'
            f"font-weight:{self.weight};font-display:swap;"
            f'src:url({self.url}) format("woff2")}}'
        )


def font_face_rules(faces: Iterable[FontFace]) -> str:
    return "\n".join(face.rule() for face in faces)


def strip_source_maps(text: str) -> str:
    """Drop `sourceMappingURL` comments: we do not ship the maps, so browsers must not ask."""
    return _SOURCE_MAP_COMMENT.sub("", text)


def strip_bom(text: str) -> str:
    return text.removeprefix("\ufeff")


def referenced_urls(css: str) -> list[str]:
    """Every `url(...)` target that is a relative file (not `data:`, `#fragment` or absolute)."""
    return [
        target
        for _quote, target in _URL.findall(css)
        if not target.startswith(("data:", "#", "/", "http:", "https:"))
    ]


def rewrite_urls(css: str, replacements: Mapping[str, str]) -> str:
    """Replace `url(old)` targets found in `replacements`; leave any other `url()` alone."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        return f"url({replacements[target]})" if target in replacements else match.group(0)

    return _URL.sub(replace, css)


def referenced_variables(css: str) -> set[str]:
    """The custom properties `css` reads with `var(--name)`, so purging must keep them."""
    return set(_VARIABLE_USE.findall(css))
