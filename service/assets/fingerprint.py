"""Content-hash file names: `site.css` with these bytes becomes `site.3fa2c1d9.css`."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

HASH_LENGTH = 8


def content_hash(data: bytes) -> str:
    """The first `HASH_LENGTH` hex digits of the SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def fingerprinted_name(logical_name: str, data: bytes) -> str:
    """`site.css` → `site.<hash>.css`: the hash goes before the last suffix."""
    path = PurePosixPath(logical_name)
    if path.name != logical_name or not path.suffix or not path.stem:
        raise ValueError(f"an asset name is a plain file name with a suffix: {logical_name!r}")
    return f"{path.stem}.{content_hash(data)}{path.suffix}"
