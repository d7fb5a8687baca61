"""Secrets Conciliamo makes for itself in development: generated once, written atomically,
readable by us only (the managed Meilisearch key, the session key)."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

MIN_SECRET_LENGTH = 16


def load_or_create_secret(path: Path) -> str:
    if path.exists():
        secret = path.read_text().strip()
        if len(secret) >= MIN_SECRET_LENGTH:
            return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w") as handle:  # mkstemp creates it with mode 0600
        handle.write(secret)
    Path(temporary).replace(path)
    return secret
