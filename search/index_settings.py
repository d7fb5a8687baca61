"""The services index settings, as code. Applying them twice changes nothing."""

from __future__ import annotations

from typing import Any

from meilisearch import Client

from search.client import ensure_index, wait_succeeded

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
        "places_available",
    ],
    "sortableAttributes": ["_geo", "name", "places_available", "cost_cents", "updated_ts"],
    "synonyms": {
        "asilo": ["nido"],
        "asilo nido": ["nido"],
        "nido": ["asilo"],
        "materna": ["scuola dell'infanzia"],
        "scuola materna": ["scuola dell'infanzia"],
        "grest": ["centro estivo"],
        "doposcuola": ["post-scuola"],
        "tata": ["babysitter"],
    },
    "stopWords": [
        "il",
        "lo",
        "la",
        "i",
        "gli",
        "le",
        "di",
        "del",
        "della",
        "dei",
        "e",
        "a",
        "in",
        "per",
        "con",
    ],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
    "pagination": {"maxTotalHits": 5000},
}


def apply_index_settings(client: Client, index_uid: str) -> None:
    ensure_index(client, index_uid)
    task = client.index(index_uid).update_settings(SERVICES_INDEX_SETTINGS)
    wait_succeeded(client, task)
