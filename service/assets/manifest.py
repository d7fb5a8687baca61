"""The asset manifest: logical name (`site.css`) → fingerprinted file (`site.3fa2c1d9.css`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

# the repository root (as core.settings has it; not imported, so the build needs only the
# standard library and runs in the Docker assets stage before any dependency is installed)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = PROJECT_ROOT / "build" / "static"
MANIFEST_NAME = "manifest.json"
URL_PREFIX = "/static"


class MissingAssetError(LookupError):
    """An asset (or the whole manifest) is not built; the message says to run `make assets`."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "asset missing: run `make assets`"


class AssetManifest:
    """The built assets of one directory, and the URLs the templates use for them."""

    def __init__(self, directory: Path, files: Mapping[str, str], prefix: str = URL_PREFIX):
        self.directory = directory
        self.files = dict(files)
        self.prefix = prefix.rstrip("/")
        self._served = {name: directory / name for name in self.files.values()}

    @classmethod
    def load(cls, directory: Path = BUILD_DIR, prefix: str = URL_PREFIX) -> AssetManifest:
        path = directory / MANIFEST_NAME
        try:
            files = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise MissingAssetError(
                f"the front-end assets are not built ({path} does not exist): run `make assets`"
            ) from None
        if not isinstance(files, dict):
            raise MissingAssetError(f"{path} is not an asset manifest: run `make assets`")
        return cls(directory, files, prefix)

    def url(self, logical_name: str) -> str:
        """`url("site.css")` → `/static/site.<hash>.css`; the Jinja global `asset`."""
        try:
            return f"{self.prefix}/{self.files[logical_name]}"
        except KeyError:
            known = ", ".join(sorted(self.files)) or "none"
            raise MissingAssetError(
                f"no asset {logical_name!r} in {self.directory / MANIFEST_NAME} "
                f"(built: {known}): run `make assets`"
            ) from None

    def served_file(self, file_name: str) -> Path | None:
        """The path of a fingerprinted file this manifest lists, else None (so: 404)."""
        return self._served.get(file_name)
