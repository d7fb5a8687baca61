"""The language of a page: Italian by default, English on request, never mixed.

`?lang=en` (or `it`) chooses it and is remembered in a cookie, so the links of the page keep
it; the language switch links to the same URL with the other `lang`. One ASGI middleware
sets it for the whole request, and everything a template shows renders through it:
`_("…{name}…", name=…)` in templates (the same Italian message ids as the code, same
catalog), the `tr` filter for a `Text` made elsewhere (an error message, an explanation).
"""

from __future__ import annotations

from contextvars import ContextVar
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from babel.numbers import format_decimal
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.i18n import LANGUAGES, SOURCE_LANGUAGE, Language, Text, translations

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: the switch repeats the query it was given, bounded like the form's fields
MAX_LINK_PAIRS = 80
MAX_LINK_FIELD = 200
LANGUAGE_NAMES: dict[Language, str] = {"it": "Italiano", "en": "English"}

_current: ContextVar[Language] = ContextVar("conciliamo_language", default=SOURCE_LANGUAGE)


def current_language() -> Language:
    return _current.get()


def choose_language(query_string: bytes, cookie_header: str | None) -> tuple[Language, bool]:
    """The page's language, and whether it was asked for in the URL (then remembered)."""
    for name, value in parse_qsl(query_string.decode("latin-1")):
        if name == "lang" and value in LANGUAGES:
            return value, True  # type: ignore[return-value]
    if cookie_header:
        cookie = SimpleCookie()
        try:
            cookie.load(cookie_header)
        except Exception:  # a malformed cookie header is no language choice
            return SOURCE_LANGUAGE, False
        morsel = cookie.get(COOKIE)
        if morsel and morsel.value in LANGUAGES:
            return morsel.value, False  # type: ignore[return-value]
    return SOURCE_LANGUAGE, False


def language_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        language, asked = _language_of(scope)

        async def remember(message: Message) -> None:
            if asked and message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add(
                    "Set-Cookie",
                    f"{COOKIE}={language}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax",
                )
            await send(message)

        token = _current.set(language)
        try:
            await app(scope, receive, remember)
        finally:
            _current.reset(token)

    return middleware


def use_language_of(scope: Scope) -> Language:
    """Set the language from the request itself, for the responses made before the
    middleware runs (the router's 404 for an unknown path)."""
    language, _asked = _language_of(scope)
    _current.set(language)
    return language


def _language_of(scope: Scope) -> tuple[Language, bool]:
    cookie = dict(scope.get("headers", [])).get(b"cookie")
    return choose_language(
        scope.get("query_string", b""), cookie.decode("latin-1") if cookie else None
    )


def gettext(msgid: str, /, **values: Any) -> str:
    """A message of ours in the page's language (templates call it `_`)."""
    return Text(msgid, **values).render(current_language())


def ngettext(singular: str, plural: str, count: int, /, **values: Any) -> str:
    """`ngettext("{count} servizio", "{count} servizi", n)`: the form for `count`."""
    template = translations(current_language()).ngettext(singular, plural, count)
    return template.format_map({"count": count, **values})


def render_text(value: object) -> str:
    """The `tr` filter: a `Text` from the code rendered in the page's language."""
    if isinstance(value, Text):
        return value.render(current_language())
    return "" if value is None else str(value)


def url_in_language(path: str, query_string: str, language: str) -> str:
    """The same page in `language`: the query kept, `lang` replaced."""
    pairs = [
        (name[:MAX_LINK_FIELD], value[:MAX_LINK_FIELD])
        for name, value in parse_qsl(query_string)[:MAX_LINK_PAIRS]
        if name != "lang"
    ]
    return f"{path}?{urlencode([*pairs, ('lang', language)])}"


def format_km(value: float) -> str:
    """The `km` filter: 2, 2,5 (it) or 2.5 (en) — at most one decimal."""
    return format_decimal(value, format="#,##0.#", locale=current_language())


def template_filters() -> dict[str, Any]:
    return {"tr": render_text, "km": format_km}


def template_globals() -> dict[str, Any]:
    return {
        "_": gettext,
        "ngettext": ngettext,
        "current_language": current_language,
        "url_in_language": url_in_language,
        "LANGUAGE_NAMES": LANGUAGE_NAMES,
    }
