"""Who is signed in: an encrypted session cookie (Litestar's cookie backend, AES-GCM with the
settings' key; Secure in production, HttpOnly, SameSite=Lax) holding the account id, its
session version and an expiry. Raising the account's `session_version` ends every session.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Request
from litestar.middleware.session.client_side import CookieBackendConfig
from sqlmodel import Session

from core.models import User
from core.settings import Settings

COOKIE = "conciliamo_session"
STATE_KEY = "conciliamo_user"


def session_config(settings: Settings) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=settings.session_secret(),
        key=COOKIE,
        max_age=int(settings.session_hours * 3600),
        secure=settings.environment == "production",
        httponly=True,
        samesite="lax",
        exclude=["^/static/", "^/api/"],
    )


def start_session(request: Request[Any, Any, Any], user: User, settings: Settings) -> None:
    """Sign `user` in: a fresh session (nothing of the anonymous one is kept)."""
    request.clear_session()
    request.set_session(
        {
            "uid": user.id,
            "v": user.session_version,
            "exp": int(time.time() + settings.session_hours * 3600),
        }
    )


def end_session(request: Request[Any, Any, Any]) -> None:
    request.clear_session()


def session_user(request: Request[Any, Any, Any], session: Session) -> User | None:
    """The signed-in account, or None (no session, expired, signed out everywhere,
    deactivated). Looked up once per request."""
    state = request.scope.setdefault("state", {})
    if STATE_KEY in state:
        return state[STATE_KEY]  # type: ignore[no-any-return]
    user = None
    data = request.session if "session" in request.scope else {}
    uid, version, expires = data.get("uid"), data.get("v"), data.get("exp")
    if isinstance(uid, int) and isinstance(expires, int) and expires > time.time():
        found = session.get(User, uid)
        if found is not None and found.active and found.session_version == version:
            session.expunge(found)
            user = found
    state[STATE_KEY] = user
    return user
