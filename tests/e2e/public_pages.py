"""Every public page, in one list: the axe check and the screenshots both run over it.

To add a page, add a `PublicPage` here. `path` may hold `{service_id}` (the first demo
service); `status` is the HTTP status the page must answer with; `built=False` marks a page
that does not exist yet (its tests are expected to fail until it does: xfail, not strict).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from factories import TODDLER_IN_SESTO

#: a toddler (born November 2025, so 14 months old at the start) in Sesto San Giovanni,
#: Monday to Friday 08:00–16:00 from 11 January 2027
TODDLER_SEARCH = TODDLER_IN_SESTO
RESULTS_PATH = "/?" + urlencode(TODDLER_SEARCH, doseq=True)
#: the same search with an impossible birth year and a misspelt comune: the error summary
INVALID_PATH = "/?" + urlencode(
    {**TODDLER_SEARCH, "birth_year": "1990", "place": "Sesto San Giovany"}, doseq=True
)
NOT_BUILT = "page not built yet"


@dataclass(frozen=True)
class PublicPage:
    name: str  # also the screenshot's file name
    path: str
    status: int = 200
    built: bool = True

    def url(self, service_id: int, language: str = "it") -> str:
        path = self.path.format(service_id=service_id)
        if language == "it":
            return path
        return f"{path}{'&' if '?' in path else '?'}lang={language}"


PUBLIC_PAGES = [
    PublicPage("home", "/"),
    PublicPage("risultati", RESULTS_PATH),
    PublicPage("errori", INVALID_PATH, status=400),
    PublicPage("servizio", "/servizi/{service_id}"),
    PublicPage("modelli", "/modelli"),
    PublicPage("non-trovata", "/pagina-che-non-esiste", status=404),
    PublicPage("sportelli", "/sportelli"),
    PublicPage("accessibilita", "/accessibilita"),
    PublicPage("segnala", "/servizi/{service_id}/segnala"),
    PublicPage("accesso", "/accesso"),
    PublicPage("password-dimenticata", "/password-dimenticata"),
    PublicPage("candidatura-babysitter", "/babysitter/candidatura"),
]


def public_page_params() -> list[object]:
    """`PUBLIC_PAGES` for `pytest.mark.parametrize`, the unbuilt ones marked xfail."""
    return [
        pytest.param(
            page,
            id=page.name,
            marks=[] if page.built else [pytest.mark.xfail(strict=False, reason=NOT_BUILT)],
        )
        for page in PUBLIC_PAGES
    ]
