"""Run PurgeCSS (the npm package, through `frontend/purge.mjs`) on a stylesheet."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class AssetBuildError(RuntimeError):
    """The assets cannot be built; the message says what to install or fix."""


@dataclass(frozen=True)
class PurgeRequest:
    css: Path
    content: Sequence[str]  # glob patterns of the files whose class names are kept
    safelist: Sequence[str] = ()  # regular expressions of selectors kept anyway
    keep_variables: Sequence[str] = field(default=())  # custom properties read elsewhere


def purge_css(request: PurgeRequest, frontend_dir: Path) -> str:
    """The purged CSS text of `request.css`, computed by node in `frontend_dir`."""
    node = shutil.which("node")
    if node is None:
        raise AssetBuildError("node is not on PATH: install Node.js 20 to build the assets")
    script = frontend_dir / "purge.mjs"
    if not (frontend_dir / "node_modules" / "purgecss").is_dir():
        raise AssetBuildError(
            f"PurgeCSS is not installed in {frontend_dir / 'node_modules'}: run `make assets`"
        )
    options = {
        "css": [str(request.css)],
        "content": list(request.content),
        "safelist": {
            "standard": list(request.safelist),
            "variables": [f"^{variable}$" for variable in sorted(request.keep_variables)],
        },
    }
    completed = subprocess.run(  # noqa: S603 - our own script, arguments built here
        [node, str(script)],
        input=json.dumps(options),
        capture_output=True,
        text=True,
        cwd=frontend_dir,
        check=False,
    )
    if completed.returncode != 0:
        raise AssetBuildError(f"PurgeCSS failed on {request.css}:\n{completed.stderr.strip()}")
    return completed.stdout
