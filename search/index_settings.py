"""The services index settings, as code. Applying them twice changes nothing."""

from __future__ import annotations

from typing import Any

from meilisearch import Client

from search.client import ensure_index, wait_succeeded

#: articles, prepositions (plain and articulated) and conjunctions people type in searches
ITALIAN_STOP_WORDS = sorted(
    {
        *["il", "lo", "la", "l", "i", "gli", "le", "un", "uno", "una"],
        *["di", "a", "da", "in", "con", "su", "per", "tra", "fra"],
        *["del", "dello", "della", "dei", "degli", "delle", "dell"],
        *["al", "allo", "alla", "ai", "agli", "alle", "all"],
        *["dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall"],
        *["nel", "nello", "nella", "nei", "negli", "nelle", "nell"],
        *["sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull"],
        *["e", "ed", "o", "od", "che"],
    }
)


def synonyms_both_ways(one_way: dict[str, list[str]]) -> dict[str, list[str]]:
    """Meilisearch synonyms are one-way: add every reverse pair (asilo → nido, nido → asilo)."""
    table: dict[str, set[str]] = {}
    for word, others in one_way.items():
        for other in others:
            table.setdefault(word, set()).add(other)
            table.setdefault(other, set()).add(word)
    return {word: sorted(others) for word, others in sorted(table.items())}


SERVICES_INDEX_SETTINGS: dict[str, Any] = {
    "searchableAttributes": [
        "name",
        "kind_label",
        "comune",
        "organization",
        "address",
        "description",
    ],
    "filterableAttributes": [
        "id",
        "_geo",
        "kind",
        "status",
        "sector",
        "comune",
        "istat_code",
        "age_min_months",
        "age_max_months",
        "open_weekdays",
        "hours_known",
        "valid_from",
        "valid_to",
        "registry_ok_until",
        "places_available",
        "languages",
        "disability_support",
        "service_area",
        *(f"opens_{day}" for day in range(1, 8)),
        *(f"closes_{day}" for day in range(1, 8)),
    ],
    "sortableAttributes": ["_geo", "name", "places_available", "cost_cents", "updated_ts"],
    "synonyms": synonyms_both_ways(
        {
            "asilo": ["nido", "asilo nido"],
            "asilo nido": ["nido"],
            "materna": ["scuola dell'infanzia", "scuola materna"],
            "scuola materna": ["scuola dell'infanzia"],
            "grest": ["centro estivo", "centro ricreativo diurno"],
            "cre": ["centro estivo", "centro ricreativo diurno"],
            "doposcuola": ["post-scuola", "post scuola"],
            "prescuola": ["pre-scuola", "pre scuola"],
            "tata": ["babysitter", "baby sitter"],
            "sportello": ["sportello famiglia-lavoro", "sportello famiglia lavoro"],
        }
    ),
    "stopWords": ITALIAN_STOP_WORDS,
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
    "pagination": {"maxTotalHits": 5000},
}


def apply_index_settings(client: Client, index_uid: str) -> None:
    ensure_index(client, index_uid)
    task = client.index(index_uid).update_settings(SERVICES_INDEX_SETTINGS)
    wait_succeeded(client, task)
