"""How soon a provider's edit is visible in search, through the outbox (issue 6: within 2 s).

For each dataset size: a synthetic Lombard services sheet (bench/synthetic_sheet.py) imported
into a fresh database and indexed into a fresh Meilisearch; the real app served by uvicorn in
its own process with the outbox worker in-process (`outbox_worker=in-process`, the default
poll interval), as a deployment runs it; a provider account linked to the organizations of
the sampled listings, signed in over HTTP with a real CSRF token. Then, one at a time, the
provider's edit form is posted over HTTP (a new description word and a new number of places
available; or, for the weekly grid, a later Monday closing time) and, from the moment the
POST answers, the public search API and Meilisearch itself are polled every ~20 ms until the
change shows. The latency is split with the worker's own timestamps (a timing hook in the
app's process) and Meilisearch's task and batch timestamps. The figures go into a Markdown
section of --out (see bench/README.md).

A benchmark, not a test: it measures and reports, it never asserts a timing.

    .venv/bin/python bench/edit_visibility.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import shlex
import string
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from statistics import median
from tempfile import TemporaryDirectory
from typing import Any

import httpx
from import_throughput import (
    GAZETTEER_FILE,
    _loads,
    add_data_options,
    fresh_database,
    fresh_meilisearch,
    log,
    machine,
    outcome,
    timed,
    warn_unexpected,
    write_results,
)
from match_latency import (
    SOURCES_ENV,
    _born,
    code_lines,
    commit,
    percentile,
    snapshot_sources,
)
from match_latency import (
    app_server as serve_app,
)
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select
from synthetic_sheet import write_sheet

from core.db import migrate
from core.kinds import ServiceKind, UserRole
from core.models import OutboxEntry, Service
from core.settings import Settings
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.service_sheet import ServiceSheetSource
from search.client import make_client
from search.local_meilisearch import LocalMeilisearch
from search.outbox_delivery import latest_entry_id
from search.sync import reindex
from service.accounts.users import create_user

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INDEX_PREFIX = "bench"  # as match_latency.app_server sets it
INDEX_UID = f"{INDEX_PREFIX}_services"  # Settings.services_index for that prefix
SHEET_SOURCE = "bench"
#: the app's "today" and the families' first day: the sheet is the 2026-27 school year
BENCH_TODAY = date(2026, 11, 23)
FIRST_DAY = date(2027, 1, 11)  # a Monday
TARGET_SECONDS = 2.0  # issue 6
WARMUP_EDITS = 2  # per kind of edit, not counted
PAUSE_SECONDS = (0.2, 1.2)  # before each edit: edits fall anywhere in the worker's cycle
PROVIDER_EMAIL = "gestore.bench@example.org"
PROVIDER_PASSWORD = "una frase lunga per il gestore del benchmark"  # noqa: S105 (throwaway)
#: the care kinds sampled: a school-year schedule, places, ages (no babysitters: their
#: description is not indexed; no centri estivi: summer weeks only; no sportelli)
SAMPLED_KINDS = tuple(
    kind.value
    for kind in ServiceKind
    if kind not in {ServiceKind.BABYSITTER, ServiceKind.CENTRO_ESTIVO, ServiceKind.SPORTELLO}
)
CLIENT_TIMEOUT_S = 60
MARKER_LETTERS = 12

RESULTS_HEADER = """# Edit visibility — results

Written by `bench/edit_visibility.py` (how to run it and what it measures:
`bench/README.md`). Each run replaces the section of its database, between its
`<!-- edit:… -->` markers; everything outside the markers is written by hand and kept.
These figures describe one machine on one day: nothing asserts them.
"""

#: the app in a process of its own, configured through the environment, with a timing hook
#: in the outbox worker: when a round delivers something, one JSON line with its start, when
#: it began building documents (after reading the outbox and the listings), the Meilisearch
#: tasks it sent (and when the worker saw each done) and its end. The service code is not
#: changed: the hook wraps three names of search.outbox_delivery.
SERVER_CODE = """\
import json
import sys
import threading
import time
from datetime import date

import uvicorn

import search.outbox_delivery as outbox
from search.local_meilisearch import MeilisearchEndpoint
from service.app import create_app
from core.settings import Settings

port, today, hook_path = int(sys.argv[1]), date.fromisoformat(sys.argv[2]), sys.argv[3]
state = threading.local()
deliver_pending, wait_succeeded = outbox.deliver_pending, outbox.wait_succeeded
service_document = outbox.service_document


def timed_document(service):
    if getattr(state, "building", None) is None:
        state.building = time.time()
    return service_document(service)


def timed_wait(client, task, **options):
    sent = time.time()
    wait_succeeded(client, task, **options)
    state.tasks.append({"uid": task.task_uid, "sent": sent, "done": time.time()})


def timed_deliver(*args, **options):
    state.building, state.tasks, started = None, [], time.time()
    delivery = deliver_pending(*args, **options)
    if delivery.entries:
        record = {
            "started": started,
            "building": state.building,
            "tasks": state.tasks,
            "ended": time.time(),
            "entries": delivery.entries,
            "indexed": delivery.indexed,
            "removed": delivery.removed,
        }
        with open(hook_path, "a", encoding="utf-8") as hook:
            hook.write(json.dumps(record) + "\\n")
    return delivery


outbox.deliver_pending, outbox.wait_succeeded = timed_deliver, timed_wait
outbox.service_document = timed_document
settings = Settings(_env_file=None)
endpoint = MeilisearchEndpoint(settings.meili_url, settings.meili_master_key)
app = create_app(settings, endpoint, today=lambda: today)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


# ---- forms, as a browser submits them ----------------------------------------------------


class FormFields(HTMLParser):
    """The fields the form with `action` submits (its first submit button pressed):
    inputs (checkboxes only when checked), textareas, the selected option of each select."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields: dict[str, str] = {}
        self._inside = False
        self._pressed = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._inside = named.get("action") == self.action
        if not self._inside:
            return
        name = named.get("name", "")
        if tag == "input" and name:
            kind = named.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in named:
                return
            if kind not in {"submit", "button", "reset", "image"}:
                self.fields[name] = named.get("value", "on" if kind == "checkbox" else "")
        elif tag == "button" and named.get("type", "submit") == "submit" and not self._pressed:
            self._pressed = True
            if name:
                self.fields[name] = named.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.fields[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._first_option.setdefault(self._select, named.get("value", ""))
            if "selected" in named:
                self.fields[self._select] = named.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option.get(self._select, ""))
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data


def form_fields(page: str, action: str) -> dict[str, str]:
    reader = FormFields(action)
    reader.feed(page)
    if "_csrf_token" not in reader.fields:
        raise RuntimeError(f"no form posting to {action} (with a CSRF token) on the page")
    # a browser sends a textarea's text without the newline that follows its opening tag
    return {name: value.removeprefix("\n") for name, value in reader.fields.items()}


def get_form(client: httpx.Client, path: str) -> dict[str, str]:
    page = client.get(path)
    page.raise_for_status()
    return form_fields(page.text, path)


def sign_in(client: httpx.Client) -> None:
    fields = get_form(client, "/accesso")
    fields |= {"email": PROVIDER_EMAIL, "password": PROVIDER_PASSWORD}
    answer = client.post("/accesso", data=fields)
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in refused ({answer.status_code}): {answer.text[:500]}")


# ---- the listings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    id: int
    kind: str
    organization_id: int
    latitude: float
    longitude: float
    age_months: int
    capacity: int
    places_available: int | None
    #: Monday's only range, or None when Monday is closed or split
    monday: tuple[int, int] | None

    def search_params(self, hours: tuple[int, int] | None = None) -> list[tuple[str, str]]:
        """A family's search that finds this listing: a child of an age it takes, at its
        door (0.5 km), care from FIRST_DAY, its kind; Monday hours when given."""
        born = _born(FIRST_DAY, self.age_months)
        params = [
            ("birth_year", str(born["birth_year"])),
            ("birth_month", str(born["birth_month"])),
            ("lat", f"{self.latitude:.6f}"),
            ("lon", f"{self.longitude:.6f}"),
            ("radius_km", "0.5"),
            ("start", FIRST_DAY.isoformat()),
            ("kind", self.kind),
            ("partial", "1"),
        ]
        if hours:
            params += [("days", "1"), ("from", _clock(hours[0])), ("to", _clock(hours[1]))]
        return params


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _age_months(service: Service) -> int:
    if service.kind == ServiceKind.SCUOLA_INFANZIA:
        return 48  # the school-year rule: a child in the middle of its range
    low = service.age_min_months if service.age_min_months is not None else 12
    high = service.age_max_months if service.age_max_months is not None else low + 24
    return (low + high) // 2


def _monday(service: Service) -> tuple[int, int] | None:
    rows = [row for row in service.schedule_rows if row.weekday == 1]
    if len(rows) != 1:
        return None
    row = rows[0]
    if (row.valid_from and row.valid_from > FIRST_DAY) or (
        row.valid_to and row.valid_to < FIRST_DAY
    ):
        return None
    return row.opens_at.hour * 60 + row.opens_at.minute, row.closes_at.hour * 60 + (
        row.closes_at.minute
    )


def candidate_listings(engine: Engine, count: int, seed: int) -> list[Listing]:
    """`count` published care listings drawn with `seed`, with a capacity and a location."""
    with Session(engine) as session:
        ids = list(
            session.exec(
                select(Service.id).where(
                    Service.status == "published",
                    col(Service.kind).in_(SAMPLED_KINDS),
                    col(Service.capacity) > 0,
                )
            )
        )
        chosen = random.Random(seed).sample(ids, min(count, len(ids)))  # noqa: S311
        services = session.exec(
            select(Service)
            .where(col(Service.id).in_(chosen))
            .options(
                selectinload(Service.location),  # type: ignore[arg-type]
                selectinload(Service.schedule_rows),  # type: ignore[arg-type]
            )
        ).all()
        by_id = {service.id: service for service in services}
        listings = []
        for service_id in chosen:
            service = by_id[service_id]
            assert service.id is not None and service.capacity is not None
            listings.append(
                Listing(
                    service.id,
                    service.kind,
                    service.organization_id or 0,
                    service.location.latitude or 0.0,
                    service.location.longitude or 0.0,
                    _age_months(service),
                    service.capacity,
                    service.places_available,
                    _monday(service),
                )
            )
        return listings


def api_result(client: httpx.Client, params: list[tuple[str, str]], service_id: int) -> Any:
    """The listing's result in the public search API's answer (None when not in it)."""
    answer = client.get("/api/v1/services", params=params)
    answer.raise_for_status()
    return next((r for r in answer.json()["results"] if r["id"] == service_id), None)


def found_by_family(client: httpx.Client, listing: Listing) -> bool:
    result = api_result(client, listing.search_params(), listing.id)
    return result is not None and result["places_available"] == listing.places_available


def schedule_flips(client: httpx.Client, listing: Listing) -> bool:
    """The family's Monday search covers all of the listing's Monday now, and not half an
    hour more (what the schedule edit adds)."""
    if listing.monday is None or listing.monday[1] > 23 * 60:
        return False
    opens, closes = listing.monday
    now = api_result(client, listing.search_params((opens, closes)), listing.id)
    later = api_result(client, listing.search_params((opens, closes + 30)), listing.id)
    return bool(now and now["full_coverage"] and later and not later["full_coverage"])


# ---- watching the search -------------------------------------------------------------------


@dataclass(frozen=True)
class Watch:
    """One poller's view of one edit: seconds from the POST's answer to the first answer
    that shows the change (None: not within the timeout)."""

    seconds: float | None
    wall: float | None  # time.time() of that answer
    polls: int
    request_ms: tuple[float, ...]


def watch(check: Callable[[], bool], since: float, interval: float, timeout: float) -> Watch:
    """Ask `check` every `interval` seconds (start to start) from `since` (perf_counter)."""
    request_ms: list[float] = []
    next_start = since
    while True:
        delay = next_start - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        started = time.perf_counter()
        seen = check()
        answered, wall = time.perf_counter(), time.time()
        request_ms.append((answered - started) * 1000)
        if seen:
            return Watch(answered - since, wall, len(request_ms), tuple(request_ms))
        if answered - since > timeout:
            return Watch(None, None, len(request_ms), tuple(request_ms))
        next_start = started + interval


def meili_sees(client: httpx.Client, body: dict[str, Any], check: Callable[[Any], bool]) -> bool:
    answer = client.post(f"/indexes/{INDEX_UID}/search", json=body)
    answer.raise_for_status()
    return any(check(hit) for hit in answer.json()["hits"])


# ---- one edit --------------------------------------------------------------------------------


@dataclass
class Edit:
    kind: str  # "listing" or "schedule"
    service_id: int
    post_ms: float
    api: Watch
    meili: Watch
    answered_wall: float  # time.time() when the POST answered
    delivery: dict[str, Any] = field(default_factory=dict)
    tasks: list[dict[str, Any]] = field(default_factory=list)

    def split(self) -> dict[str, float]:
        """Seconds of each step, from the POST's answer (wall clocks of this machine)."""
        if not self.delivery or not self.tasks:
            return {}
        task = self.tasks[-1]  # one per round here; the last one ends the visibility
        first = self.tasks[0]
        parts = {
            "poll wait": self.delivery["started"] - self.answered_wall,
            "worker: read outbox + listing": (self.delivery["building"] or first["enqueued"])
            - self.delivery["started"],
            "worker: build + send document": first["enqueued"]
            - (self.delivery["building"] or first["enqueued"]),
            "Meilisearch: queued": first["started"] - first["enqueued"],
            "Meilisearch: indexing": task["finished"] - first["started"],
        }
        if self.api.wall is not None:
            parts["seen by the app's API"] = self.api.wall - task["finished"]
        if self.meili.wall is not None:
            parts["seen by raw Meilisearch"] = self.meili.wall - task["finished"]
        parts["worker: sees task done, marks delivered"] = self.delivery["ended"] - task["finished"]
        return parts


def _marker(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(MARKER_LETTERS))


class Editor:
    """The signed-in provider's browser, two pollers and the app's hook file."""

    def __init__(
        self, app_url: str, meilisearch: LocalMeilisearch, hook: Path, args: argparse.Namespace
    ) -> None:
        self.browser = httpx.Client(base_url=app_url, timeout=CLIENT_TIMEOUT_S)
        self.family = httpx.Client(base_url=app_url, timeout=CLIENT_TIMEOUT_S)
        self.meili = httpx.Client(
            base_url=meilisearch.url,
            timeout=CLIENT_TIMEOUT_S,
            headers={"Authorization": f"Bearer {meilisearch.master_key}"},
        )
        self.hook, self.hook_lines = hook, 0
        self.args = args
        self.rng = random.Random(args.seed)  # noqa: S311 (test data, not secrets)
        self.pollers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="poller")

    def close(self) -> None:
        self.pollers.shutdown()
        for client in (self.browser, self.family, self.meili):
            client.close()

    def _post(self, path: str, fields: dict[str, str]) -> tuple[float, float, float]:
        started = time.perf_counter()
        answer = self.browser.post(path, data=fields)
        answered, wall = time.perf_counter(), time.time()
        if answer.status_code != 303:
            raise RuntimeError(f"POST {path} answered {answer.status_code}: {answer.text[:800]}")
        return (answered - started) * 1000, answered, wall

    def _watch_both(
        self, since: float, api_check: Callable[[], bool], meili_check: Callable[[], bool]
    ) -> tuple[Watch, Watch]:
        interval, timeout = self.args.interval_ms / 1000, self.args.timeout
        api = self.pollers.submit(watch, api_check, since, interval, timeout)
        meili = self.pollers.submit(watch, meili_check, since, interval, timeout)
        return api.result(), meili.result()

    def edit_listing(self, listing: Listing) -> Edit:
        """A new sentence with a unique word in the description, and a new number of places
        available."""
        time.sleep(self.rng.uniform(*PAUSE_SECONDS))
        path = f"/area/servizi/{listing.id}"
        fields = get_form(self.browser, path)
        marker = _marker(self.rng)
        places = self.rng.choice(
            [n for n in range(listing.capacity + 1) if n != listing.places_available]
        )
        fields["description"] = f"{fields['description']} Aggiornamento {marker}.".strip()
        fields["places_available"] = str(places)
        params = listing.search_params()
        body = {
            "q": marker,
            "filter": f"id = {listing.id}",
            "attributesToRetrieve": ["id", "description"],
            "limit": 1,
        }
        post_ms, since, wall = self._post(path, fields)
        api, meili = self._watch_both(
            since,
            lambda: (
                (api_result(self.family, params, listing.id) or {}).get("places_available")
                == places
            ),
            lambda: meili_sees(self.meili, body, lambda hit: marker in hit["description"]),
        )
        return self._finish(Edit("listing", listing.id, post_ms, api, meili, wall))

    def edit_schedule(self, listing: Listing) -> Edit:
        """Monday's closing time half an hour later, in the weekly grid."""
        assert listing.monday is not None
        time.sleep(self.rng.uniform(*PAUSE_SECONDS))
        path = f"/area/servizi/{listing.id}/orari"
        fields = get_form(self.browser, path)
        opens, closes = listing.monday
        later = closes + 30
        closing = [name for name, value in fields.items() if re.fullmatch(r"p\d+_to_1_1", name)]
        changed = 0
        for name in closing:
            if fields[name] == _clock(closes):
                fields[name], changed = _clock(later), changed + 1
        if changed != 1:
            raise RuntimeError(f"listing {listing.id}: Monday's closing time not in the grid")
        params = listing.search_params((opens, later))
        body = {"q": "", "filter": f"id = {listing.id} AND closes_1 = {later}", "limit": 1}
        post_ms, since, wall = self._post(path, fields)
        api, meili = self._watch_both(
            since,
            lambda: bool((api_result(self.family, params, listing.id) or {}).get("full_coverage")),
            lambda: meili_sees(self.meili, body, lambda hit: hit["id"] == listing.id),
        )
        return self._finish(Edit("schedule", listing.id, post_ms, api, meili, wall))

    def _finish(self, edit: Edit) -> Edit:
        """The worker's round that delivered the edit, and its Meilisearch tasks."""
        deadline = time.monotonic() + self.args.timeout
        while True:
            lines = self.hook.read_text(encoding="utf-8").splitlines() if self.hook.exists() else []
            fresh = [json.loads(line) for line in lines[self.hook_lines :]]
            if any(record["ended"] > edit.answered_wall for record in fresh):
                break
            if time.monotonic() > deadline:
                log(f"WARNING: no delivery recorded for the edit of {edit.service_id}")
                return edit
            time.sleep(0.05)
        self.hook_lines = len(lines)
        rounds = [record for record in fresh if record["ended"] > edit.answered_wall]
        if len(fresh) > 1:
            log(f"note: {len(fresh)} delivery rounds since the last edit (expected 1)")
        edit.delivery = rounds[0]
        for sent in edit.delivery["tasks"]:
            task = self.meili.get(f"/tasks/{sent['uid']}").json()
            edit.tasks.append(
                {
                    "uid": task["uid"],
                    "type": task["type"],
                    "status": task["status"],
                    "enqueued": _instant(task["enqueuedAt"]),
                    "started": _instant(task["startedAt"]),
                    "finished": _instant(task["finishedAt"]),
                    "duration": task.get("duration"),
                    "batch": task.get("batchUid"),
                    "trace": self._batch_trace(task.get("batchUid")),
                }
            )
        return edit

    def _batch_trace(self, batch: int | None) -> dict[str, float]:
        """Seconds of the steps of Meilisearch's batch, three levels deep (its progressTrace:
        "processing tasks > indexing > extracting words" …)."""
        if batch is None:
            return {}
        answer = self.meili.get(f"/batches/{batch}")
        if answer.status_code != 200:
            return {}
        trace = answer.json().get("stats", {}).get("progressTrace", {})
        return {
            step: seconds
            for step, text in trace.items()
            if step.count(" > ") == 2 and (seconds := _duration(text)) is not None
        }


DURATION_UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def _duration(text: str) -> float | None:
    """ "12.34ms", "56.7µs", "1.2s" (Meilisearch's progressTrace) as seconds."""
    found = re.fullmatch(r"([0-9.]+)(ns|µs|us|ms|s)", text.strip())
    return float(found[1]) * DURATION_UNITS[found[2]] if found else None


def _instant(text: str) -> float:
    """An RFC 3339 time from Meilisearch (nanoseconds) as seconds since the epoch."""
    found = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text)
    if found is None:
        raise ValueError(f"not an RFC 3339 time: {text}")
    zone = "+00:00" if found[3] == "Z" else found[3]
    fraction = f"{found[2] or '0':0<9}"[:9]
    whole = datetime.fromisoformat(found[1] + zone).timestamp()
    return whole + int(fraction) / 1e9


# ---- the app in its own process ----------------------------------------------------------------


@contextlib.contextmanager
def app_server(
    engine: Engine, meilisearch: LocalMeilisearch, workdir: Path, poll_seconds: float | None
) -> Iterator[tuple[str, int, Path]]:
    """match_latency's app server with the in-process outbox worker and the timing hook."""
    hook = workdir / "deliveries.jsonl"
    settings_env = {
        "CONCILIAMO_OUTBOX_WORKER": "in-process",
        # the pollers ask the search API ~50 times a second: not one family's pace
        "CONCILIAMO_SEARCH_RATE_LIMIT": "1000000",
    }
    if poll_seconds is not None:
        settings_env["CONCILIAMO_OUTBOX_POLL_SECONDS"] = str(poll_seconds)
    try:
        with serve_app(engine, meilisearch, workdir, settings_env, SERVER_CODE, (str(hook),)) as (
            url,
            pid,
        ):
            log("the outbox worker runs in-process")
            yield url, pid, hook
    finally:
        log_path = workdir / "app.log"
        lines = log_path.read_text(errors="replace").splitlines() if log_path.exists() else []
        warnings = [line for line in lines if "outbox delivery failed" in line]
        if warnings:
            log(f"WARNING: the worker logged {len(warnings)} failed rounds: {warnings[0]}")


# ---- one dataset size --------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    documents: int
    import_note: str
    phases: dict[str, float]
    edits: list[Edit] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    load: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None


def prepare(
    engine: Engine, client: Any, size: int, args: argparse.Namespace, workdir: Path
) -> tuple[int, str, dict[str, float]]:
    italy_geo = args.shared_data / GAZETTEER_FILE
    phases: dict[str, float] = {}
    path = workdir / "servizi_bench.csv"
    _, timing = timed(
        f"generate {size:,} rows", lambda: write_sheet(path, size, italy_geo, args.seed)
    )
    phases["generate"] = timing.seconds
    migrate(engine)
    _, timing = timed("gazetteer import", lambda: import_gazetteer(engine, italy_geo))
    phases["gazetteer"] = timing.seconds
    source = ServiceSheetSource(SHEET_SOURCE)
    report, timing = timed("sheet import", lambda: import_file(engine, source, path))
    warn_unexpected(report, "inserted")
    phases["import"] = timing.seconds
    with Session(engine) as session:
        watermark = latest_entry_id(session)
    documents, timing = timed("reindex", lambda: reindex(engine, client, INDEX_UID))
    phases["index"] = timing.seconds
    # the import left one outbox entry per listing; the rebuilt index holds them all, so they
    # are marked delivered (what `serve`'s deliver_all at start-up would do, with far more work)
    with Session(engine) as session:
        session.execute(
            update(OutboxEntry)
            .where(col(OutboxEntry.id) <= watermark, col(OutboxEntry.delivered_at).is_(None))
            .values(delivered_at=datetime.now(UTC))
        )
        session.commit()
    return documents, outcome(report), phases


def choose_listings(
    app_url: str, engine: Engine, args: argparse.Namespace, size: int
) -> tuple[list[Listing], list[Listing], dict[str, int]]:
    """Listings the family's search finds at their door (for the listing edits), and among
    the rest those whose Monday the schedule edit can extend (for the schedule edits)."""
    wanted_listing = args.edits + WARMUP_EDITS
    wanted_schedule = args.schedule_edits + WARMUP_EDITS if args.schedule_edits else 0
    pool = candidate_listings(engine, 20 * (wanted_listing + wanted_schedule), args.seed + size)
    listings: list[Listing] = []
    schedules: list[Listing] = []
    skipped = {"not found at its door": 0, "Monday not extensible": 0}
    with httpx.Client(base_url=app_url, timeout=CLIENT_TIMEOUT_S) as family:
        for listing in pool:
            if len(listings) < wanted_listing:
                if found_by_family(family, listing):
                    listings.append(listing)
                else:
                    skipped["not found at its door"] += 1
            elif len(schedules) < wanted_schedule:
                if schedule_flips(family, listing):
                    schedules.append(listing)
                else:
                    skipped["Monday not extensible"] += 1
            else:
                break
    log(
        f"{len(listings)} listings for the form, {len(schedules)} for the grid (skipped: {skipped})"
    )
    return listings, schedules, skipped


def make_provider(engine: Engine, listings: list[Listing]) -> None:
    organizations = tuple(sorted({listing.organization_id for listing in listings}))
    with Session(engine) as session:
        create_user(
            session,
            PROVIDER_EMAIL,
            UserRole.PROVIDER,
            PROVIDER_PASSWORD,
            display_name="Gestore del benchmark",
            organization_ids=organizations,
        )


def measure_size(
    args: argparse.Namespace, size: int, workdir: Path, context: dict[str, Any]
) -> SizeResult:
    with (
        fresh_database(args.database, workdir, args.postgres_url) as engine,
        fresh_meilisearch(workdir) as meilisearch,
    ):
        client = make_client(meilisearch.url, meilisearch.master_key)
        documents, note, phases = prepare(engine, client, size, args, workdir)
        if "machine" not in context:
            context["machine"] = machine(engine, client)
        result = SizeResult(size, documents, note, phases)
        with app_server(engine, meilisearch, workdir, args.poll_seconds) as (url, _pid, hook):
            listings, schedules, result.skipped = choose_listings(url, engine, args, size)
            make_provider(engine, listings + schedules)
            editor = Editor(url, meilisearch, hook, args)
            try:
                sign_in(editor.browser)
                load_before = os.getloadavg()
                for number, listing in enumerate(listings):
                    edit = editor.edit_listing(listing)
                    _progress(size, "listing", number, edit)
                    if number >= WARMUP_EDITS:
                        result.edits.append(edit)
                for number, listing in enumerate(schedules):
                    edit = editor.edit_schedule(listing)
                    _progress(size, "schedule", number, edit)
                    if number >= WARMUP_EDITS:
                        result.edits.append(edit)
                result.load = (load_before, os.getloadavg())
            finally:
                editor.close()
    return result


def _progress(size: int, kind: str, number: int, edit: Edit) -> None:
    def seconds(watch: Watch) -> str:
        return "—" if watch.seconds is None else f"{watch.seconds:.3f} s"

    split = edit.split()
    log(
        f"{size:,} {kind} edit {number + 1}{' (warm-up)' if number < WARMUP_EDITS else ''} "
        f"of {edit.service_id}: POST {edit.post_ms:.0f} ms; API {seconds(edit.api)}, "
        f"Meilisearch {seconds(edit.meili)}; "
        + ", ".join(f"{name} {value * 1000:.0f}" for name, value in split.items())
        + " ms"
    )


# ---- the report --------------------------------------------------------------------------------

PATHS = (("app's public API", "api"), ("raw Meilisearch", "meili"))
EDIT_TITLES = {
    "listing": "listing form (description + places)",
    "schedule": "weekly grid (Monday closes later)",
}


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value * 1000:,.0f}"


def _stats(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    if not ordered:
        return math.nan, math.nan, math.nan
    return percentile(ordered, 0.5), percentile(ordered, 0.95), ordered[-1]


def latency_table(results: list[SizeResult]) -> list[str]:
    table = [
        "| services | edit | path | n | p50 ms | p95 ms | max ms | within 2 s | not seen | "
        "poll request p50 ms | POST p50 ms |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for kind, edit_title in EDIT_TITLES.items():
            edits = [edit for edit in result.edits if edit.kind == kind]
            if not edits:
                continue
            for path_title, attribute in PATHS:
                watches = [getattr(edit, attribute) for edit in edits]
                seen = [w.seconds for w in watches if w.seconds is not None]
                p50, p95, top = _stats(seen)
                within = sum(1 for s in seen if s <= TARGET_SECONDS)
                requests = sorted(ms for w in watches for ms in w.request_ms)
                table.append(
                    f"| {result.size:,} | {edit_title} | {path_title} | {len(edits)} | "
                    f"{_ms(p50)} | {_ms(p95)} | {_ms(top)} | {within / len(edits):.0%} | "
                    f"{len(edits) - len(seen)} | {percentile(requests, 0.5):.1f} | "
                    f"{median(edit.post_ms for edit in edits):.0f} |"
                )
    return table


def split_table(results: list[SizeResult]) -> list[str]:
    names: list[str] = []
    for result in results:
        for edit in result.edits:
            names += [name for name in edit.split() if name not in names]
    table = [
        "| services | edit | n | " + " | ".join(names) + " |",
        "|---:|---|---:|" + "---:|" * len(names),
    ]
    for result in results:
        for kind, edit_title in EDIT_TITLES.items():
            splits = [edit.split() for edit in result.edits if edit.kind == kind]
            splits = [split for split in splits if split]
            if not splits:
                continue
            cells = []
            for name in names:
                p50, p95, _top = _stats([split[name] for split in splits if name in split])
                cells.append(f"{_ms(p50)} / {_ms(p95)}")
            table.append(
                f"| {result.size:,} | {edit_title} | {len(splits)} | " + " | ".join(cells) + " |"
            )
    return table


def task_lines(results: list[SizeResult]) -> list[str]:
    lines = []
    for result in results:
        tasks = [task for edit in result.edits for task in edit.tasks]
        if not tasks:
            continue
        indexing = [task["finished"] - task["started"] for task in tasks]
        queued = [task["started"] - task["enqueued"] for task in tasks]
        p50, p95, top = _stats(indexing)
        q50, q95, _ = _stats(queued)
        types = sorted({f"{task['type']} ({task['status']})" for task in tasks})
        batches = len({task["batch"] for task in tasks if task["batch"] is not None})
        lines.append(
            f"{result.size:,} services: {len(tasks)} tasks ({', '.join(types)}) in {batches} "
            f"batches; processing (startedAt → finishedAt) p50 {_ms(p50)} ms, p95 {_ms(p95)} ms, "
            f"max {_ms(top)} ms; queued (enqueuedAt → startedAt) p50 {_ms(q50)} ms, "
            f"p95 {_ms(q95)} ms."
        )
    return lines


def trace_lines(results: list[SizeResult], top: int = 6) -> list[str]:
    """The slowest steps inside Meilisearch's batches, by their median over the edits."""
    lines = []
    for result in results:
        traces = [task["trace"] for edit in result.edits for task in edit.tasks if task["trace"]]
        if not traces:
            continue
        steps = {step for trace in traces for step in trace}
        medians = {step: median(trace.get(step, 0.0) for trace in traces) for step in steps}
        slowest = sorted(steps, key=lambda step: -medians[step])[:top]
        cells = [
            f"{step.split(' > ', 1)[1]} {_ms(medians[step])} "
            f"(p95 {_ms(_stats([trace.get(step, 0.0) for trace in traces])[1])})"
            for step in slowest
        ]
        lines.append(f"{result.size:,} services ({len(traces)} batches): " + "; ".join(cells))
    return lines


def dataset_table(results: list[SizeResult]) -> list[str]:
    table = [
        "| services | documents indexed | import s | index s | import outcome | skipped "
        "while sampling | load average during the edits (before → after) |",
        "|---:|---:|---:|---:|---|---|---|",
    ]
    for result in results:
        skipped = ", ".join(f"{name} {count}" for name, count in result.skipped.items())
        load = f"{_loads(result.load[0])} → {_loads(result.load[1])}" if result.load else "—"
        table.append(
            f"| {result.size:,} | {result.documents:,} | {result.phases['import']:.0f} | "
            f"{result.phases['index']:.0f} | {result.import_note} | {skipped} | {load} |"
        )
    return table


def dominant(splits: list[dict[str, float]]) -> str:
    """The step with the largest median among those before the change is in the index."""
    steps = [
        "poll wait",
        "worker: read outbox + listing",
        "worker: build + send document",
        "Meilisearch: queued",
        "Meilisearch: indexing",
    ]
    medians = {step: median(split[step] for split in splits if step in split) for step in steps}
    step = max(medians, key=lambda name: medians[name])
    return f"{step} ({medians[step] * 1000:,.0f} ms at the median)"


def verdict(results: list[SizeResult]) -> list[str]:
    lines = []
    for result in results:
        for kind, edit_title in EDIT_TITLES.items():
            edits = [edit for edit in result.edits if edit.kind == kind]
            if not edits:
                continue
            seen = [e.api.seconds for e in edits if e.api.seconds is not None]
            p50, p95, top = _stats(seen)
            within = sum(1 for s in seen if s <= TARGET_SECONDS)
            if within == len(edits):
                met = "**met**: every edit"
            elif not math.isnan(p95) and p95 <= TARGET_SECONDS and len(seen) == len(edits):
                met = "**met at p95, not for every edit**"
            else:
                met = "**not met**"
            splits = [split for split in (e.split() for e in edits) if split]
            cause = f"; the largest step: {dominant(splits)}" if splits else ""
            lines.append(
                f"{result.size:,} services, {edit_title}: {within} of {len(edits)} edits "
                f"({within / len(edits):.0%}) visible in the public search API within "
                f"{TARGET_SECONDS:.0f} s — {met}; p50 {_ms(p50)} ms, p95 {_ms(p95)} ms, "
                f"max {_ms(top)} ms{cause}."
            )
    return lines


def render_section(
    args: argparse.Namespace, results: list[SizeResult], context: list[str], poll: float
) -> str:
    command = shlex.join([os.path.relpath(sys.executable), *sys.argv])
    sizes = " / ".join(f"{r.size:,}" for r in results)
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[args.database]
    return "\n".join(
        [
            f"## {title} — {sizes} synthetic services",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}`",
            "",
            "### Against the target",
            "",
            f"Target (issue 6): a provider's edit to a published field is visible in search "
            f"within {TARGET_SECONDS:.0f} s. Outbox worker in-process, polling every "
            f"{poll:g} s.",
            "",
            *(f"- {line}" for line in verdict(results)),
            "",
            "### Latency from the POST's answer to the first search that shows the change",
            "",
            f"Edits one at a time, each on a different listing, after {WARMUP_EDITS} warm-up "
            "edits of each kind (not counted), each after a random pause of "
            f"{PAUSE_SECONDS[0]:g}–{PAUSE_SECONDS[1]:g} s so it falls anywhere in the worker's "
            "cycle. The provider's browser loads the form (for its CSRF token and its "
            "fields), changes it and posts it; the clock starts when the `303` answers (the "
            "change is committed). Then two pollers start at once, each every "
            f"{args.interval_ms:g} ms (start to start) on its own persistent connection: "
            "*the app's public API* is `GET /api/v1/services` as a family asks it — a child "
            "of an age the listing takes, at its door (0.5 km), from "
            f"{FIRST_DAY.isoformat()}, its kind, partial coverage — until the listing's "
            "result shows the new places available (listing form) or full coverage of the "
            "longer Monday (weekly grid); *raw Meilisearch* is a search of the index for the new "
            "description's unique word (listing form) or for `closes_1` at the new time "
            "(weekly grid), filtered to the listing. A latency is the moment the first "
            "answer showing the change arrived, so it includes that request (*poll request* "
            "column) and up to one interval of polling.",
            "",
            *latency_table(results),
            "",
            "### Where the time goes (p50 / p95 ms)",
            "",
            "From the worker's own clock (a timing hook in the app's process wraps "
            "`search.outbox_delivery.deliver_pending`, `service_document` and `wait_succeeded`; "
            "the service code is unchanged) and Meilisearch's task timestamps (`GET /tasks/{uid}`: "
            "`enqueuedAt`, `startedAt`, `finishedAt`), all wall clocks of this machine. "
            "*Poll wait*: from the POST's answer until the worker's round that delivers it "
            "starts (it can begin a few ms before the answer reaches the client: the commit "
            "precedes the answer). *Read outbox + listing*: until the first document is "
            "built. *Build + send*: until Meilisearch enqueues the task. *Queued* and "
            "*indexing*: Meilisearch. *Seen by …*: from `finishedAt` to the poller's first "
            "answer showing it. The last column is not on the path to visibility: the worker "
            "waits for the task (polling it every 20 ms) before marking the entry delivered "
            "and taking the next round.",
            "",
            *split_table(results),
            "",
            "Meilisearch's tasks for these edits (one `documentAdditionOrUpdate` per edit):",
            "",
            *(f"- {line}" for line in task_lines(results)),
            "",
            "Inside those batches, the slowest steps (Meilisearch's `progressTrace` from "
            "`GET /batches/{uid}`, three levels deep; median ms over the edits, p95 in "
            "brackets):",
            "",
            *(f"- {line}" for line in trace_lines(results)),
            "",
            "### Data",
            "",
            "The synthetic sheet (`synthetic_sheet.py`, seed "
            f'{args.seed}) imported with `import_file(engine, ServiceSheetSource("bench"), …)` '
            "after the gazetteer, then indexed with `reindex` into a fresh Meilisearch "
            "(`LocalMeilisearch`, so `--max-indexing-memory 512MiB`); the import's outbox "
            "entries, which the rebuilt index already holds, are then marked delivered. "
            "Listings are drawn with the seed among the published care services with a capacity "
            "(no babysitters, centri estivi or sportelli) and kept when the family's search "
            "at their door finds them (for the grid: when Monday has one range and the search "
            "for half an hour more is partial now). The provider's account "
            "(`create_user`) is linked to their organizations.",
            "",
            *dataset_table(results),
            "",
            "### Set-up",
            "",
            *(f"- {line}" for line in context),
            "",
        ]
    )


# ---- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000], help="services per dataset"
    )
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="sqlite")
    parser.add_argument("--edits", type=int, default=40, help="listing-form edits per size")
    parser.add_argument(
        "--schedule-edits", type=int, default=10, help="weekly-grid edits per size (0: none)"
    )
    parser.add_argument(
        "--interval-ms", type=float, default=20.0, help="polling interval of the search"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="give up on an edit after this many seconds"
    )
    parser.add_argument(
        "--poll-seconds",
        type=float,
        default=None,
        help="the outbox worker's poll interval (default: the setting's default)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "bench" / "EDIT_RESULTS.md",
        help="Markdown report",
    )
    add_data_options(parser)
    parser.add_argument("--seed", type=int, default=2026, help="seed of the sheet and edits")
    return parser.parse_args(argv)


def run_on_snapshot() -> int:
    """match_latency's copy of the measured packages, and this script run again on it."""
    with TemporaryDirectory(prefix="conciliamo-edit-sources-") as temporary:
        sources = Path(temporary)
        snapshot_sources(sources)
        paths = [str(sources), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, SOURCES_ENV: str(sources), "PYTHONPATH": os.pathsep.join(paths)}
        process = subprocess.Popen([sys.executable, *sys.argv], env=env)  # noqa: S603
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return process.wait()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sources = Path(os.environ.get(SOURCES_ENV, PROJECT_ROOT))
    load_at_start, commit_at_start = os.getloadavg(), commit()
    poll = (
        args.poll_seconds
        if args.poll_seconds is not None
        else Settings.model_fields["outbox_poll_seconds"].default
    )
    context: dict[str, Any] = {}
    results = []
    for size in args.sizes:
        with TemporaryDirectory(prefix="conciliamo-edit-bench-") as temporary:
            results.append(measure_size(args, size, Path(temporary), context))
    libraries = ("litestar", "uvicorn", "httpx")
    lines = [
        "App: `service.app.create_app(settings, endpoint)` served by uvicorn "
        f"{version('uvicorn')} in its own process (one worker, access log off), "
        f"`outbox_worker=in-process` with `outbox_poll_seconds={poll:g}`"
        + (" (the default)" if args.poll_seconds is None else " (set by --poll-seconds)")
        + f", the app's today fixed at {BENCH_TODAY.isoformat()}; the search rate limit "
        "raised for the pollers (they ask ~50 times a second). The worker thread shares the "
        "app's process (and GIL) with the requests the pollers send.",
        "The provider signs in through `/accesso` (CSRF token from the page, session "
        "cookie) and posts the forms as a browser does: every field of the form as the page "
        "shows it, with the changes, and the page's token.",
        f"Load average (1, 5, 15 min) at start {_loads(load_at_start)}, at end "
        f"{_loads(os.getloadavg())}: other engineers' test runs share the 2 CPUs.",
        *context.get("machine", []),
        "Web and client: " + ", ".join(f"{name} {version(name)}" for name in libraries),
        *code_lines(sources, commit_at_start),
    ]
    section = render_section(args, results, lines, poll)
    write_results(args.out, args.database, section, marker="edit", header=RESULTS_HEADER)
    print(section)
    log(f"written to {args.out}")


if __name__ == "__main__":
    if os.environ.get(SOURCES_ENV):
        main()
    else:
        sys.exit(run_on_snapshot())
