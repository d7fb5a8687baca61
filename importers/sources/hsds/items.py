"""Loosely typed HSDS values read safely: text, objects, lists of objects, coordinates."""

from __future__ import annotations

import re
from typing import Any

from importers.normalise.values import coordinate_or_none, text_or_none

Item = dict[str, Any]


def first(*candidates: Any) -> list[Item]:
    """The first non-empty list of objects: the most specific schedules or phones."""
    for candidate in candidates:
        items = [item for item in candidate if isinstance(item, dict)] if candidate else []
        if items:
            return items
    return []


def item(value: Any) -> Item:
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str:
    return "" if value is None or isinstance(value, bool) else " ".join(str(value).split())


def name(service: Item) -> str:
    return text(service.get("name")) or text(service.get("id"))


def prose(value: Any) -> str:
    return text_or_none(re.sub(r"<[^>]+>", " ", text(value))) or ""


def coordinate(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return coordinate_or_none(text(value))
