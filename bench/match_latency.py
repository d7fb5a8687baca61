"""Latency of `POST /api/v1/match` over real HTTP, next to the raw Meilisearch floor (issue 4).

For each dataset size: a synthetic Lombard services sheet (bench/synthetic_sheet.py, dense
around Milan) imported into a fresh database and indexed into a fresh Meilisearch (import
and index timed apart); the real app served by uvicorn in a subprocess; then, for needs
drawn with a fixed seed around Lombardy's populated places, the latency of the match API at
concurrency 1 and 16, and of the very requests `search.query.fetch_candidates` sends to
Meilisearch for those needs (recorded as it sends them), with the same HTTP client.
Last, an in-process split of the time (fetch / match / present) and a cProfile of one slow
1-child need. The figures go into a Markdown section of --out (see bench/README.md).

A benchmark, not a test: it measures and reports, it never asserts a timing.

    .venv/bin/python bench/match_latency.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import io
import itertools
import json
import math
import os
import pstats
import random
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPConnection
from importlib.metadata import version
from pathlib import Path
from statistics import mean, median
from tempfile import TemporaryDirectory
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import httpx
import msgspec
from import_throughput import (
    GAZETTEER_FILE,
    _loads,
    add_data_options,
    fresh_database,
    fresh_meilisearch,
    log,
    machine,
    outcome,
    process_memory_mib,
    timed,
    warn_unexpected,
    write_results,
)
from meilisearch import Client
from meilisearch._httprequests import HttpRequests
from sqlalchemy.engine import Engine
from sqlmodel import Session
from synthetic_sheet import load_comuni, place, write_sheet

from core.db import migrate
from core.places.geocoder import Geocoder
from core.settings import Settings
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.service_sheet import ServiceSheetSource
from search.client import make_client
from search.local_meilisearch import LocalMeilisearch, free_port
from search.matching import match_need
from search.matching.need import CareNeed
from search.query import (
    fetch_candidates,
    find_services,
)
from search.sync import reindex
from service.web.match_api import match_json, plan_json
from service.web.need_request import NeedRequest, to_need

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MEASURED_PACKAGES = ("importers", "search", "service")
#: set in the run that measures the copy of the sources (see run_on_snapshot)
SOURCES_ENV = "CONCILIAMO_BENCH_SOURCES"
INDEX_PREFIX = "bench"
INDEX_UID = f"{INDEX_PREFIX}_services"  # Settings.services_index for that prefix
SHEET_SOURCE = "bench"
#: the app's "today": the synthetic sheet's periods are the 2026-27 school year
BENCH_TODAY = date(2026, 11, 23)
CONCURRENCIES = (1, 16)
#: the targets of issue 4
TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0
TARGET_SIZE = 100_000
PROFILE_RUNS = 10
PROFILE_BUDGET_S = 8.0  # fewer runs when one takes long
PROFILE_TOP = 15
PROFILE_OWN_TOP = 10
IDENTITY = {"Accept-Encoding": "identity"}
CLIENT_TIMEOUT_S = 900
MiB = 2**20

RESULTS_HEADER = """# Match latency — results

Written by `bench/match_latency.py` (how to run it and what it measures: `bench/README.md`).
Each run replaces the section of its database, between its `<!-- match:… -->` markers;
everything outside the markers is written by hand and kept. These figures describe one
machine on one day: nothing asserts them.
"""

#: the app in a process of its own (the client must not share its GIL); the configuration
#: comes through the environment, so the Meilisearch key is not on the command line
SERVER_CODE = """\
import sys
from datetime import date

import uvicorn

from search.local_meilisearch import MeilisearchEndpoint
from service.app import create_app
from core.settings import Settings

port, today = int(sys.argv[1]), date.fromisoformat(sys.argv[2])
settings = Settings(_env_file=None)
endpoint = MeilisearchEndpoint(settings.meili_url, settings.meili_master_key)
app = create_app(settings, endpoint, today=lambda: today)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""


# ---- the needs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    children: int
    combinations: bool


SCENARIOS = (
    Scenario("a", "1 child, no combinations", 1, False),
    Scenario("b", "1 child, combinations", 1, True),
    Scenario("c", "2 children, combinations", 2, True),
    Scenario("d", "2 children, no combinations", 2, False),
)

#: (months at the start date, weight): mostly nido age, then scuola dell'infanzia, school
AGE_BANDS = (((4, 35), 50), ((36, 71), 30), ((72, 130), 20))
#: (km, weight): the API's default of 5 km most of the time
RADII = ((5.0, 70), (3.0, 15), (10.0, 15))
WORK_SHARE = 0.5  # needs that give a workplace too (in central Milan) besides home
MILAN_WORK = (45.4642, 9.19, 0.03)  # centre and σ in degrees of the workplaces


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _age(rng: random.Random) -> int:
    ((low, high),) = rng.choices([band for band, _ in AGE_BANDS], [w for _, w in AGE_BANDS])
    return rng.randint(low, high)


def _born(start: date, months: int) -> dict[str, int]:
    """Birth year and month of a child `months` old (at least) on `start`."""
    total = start.year * 12 + (start.month - 1) - months - 1  # a month of margin
    return {"birth_year": total // 12, "birth_month": total % 12 + 1}


def draw_needs(count: int, children: int, seed: int, italy_geo: Path) -> list[dict[str, Any]]:
    """`count` JSON needs with `children` children, the same for the same seed: home where
    the services are (80 % around Milan), half with a workplace in central Milan, a Monday
    start between January and May 2027, Monday–Friday hours, all care kinds."""
    rng = random.Random(seed * 100 + children)  # noqa: S311 (test data, not secrets)
    metro, others = load_comuni(italy_geo)
    needs = []
    for _ in range(count):
        _comune, latitude, longitude = place(rng, metro, others)
        start = date(2027, 1, 11) + timedelta(weeks=rng.randrange(0, 20))
        ages = sorted({_age(rng) for _ in range(children)})
        while len(ages) < children:  # twins are rare: draw again
            ages = sorted({*ages, _age(rng)})
        opens = rng.randrange(7 * 60 + 30, 9 * 60 + 1, 30)
        closes = rng.randrange(16 * 60, 18 * 60 + 31, 30)
        need: dict[str, Any] = {
            "children": [_born(start, months) for months in ages],
            "home": {"latitude": latitude, "longitude": longitude},
            "start_date": start.isoformat(),
            "hours": [{"days": [1, 2, 3, 4, 5], "from": _clock(opens), "to": _clock(closes)}],
            "max_distance_km": rng.choices([r for r, _ in RADII], [w for _, w in RADII])[0],
        }
        if rng.random() < WORK_SHARE:
            centre_lat, centre_lon, sigma = MILAN_WORK
            need["work"] = {
                "latitude": round(rng.gauss(centre_lat, sigma), 5),
                "longitude": round(rng.gauss(centre_lon, sigma), 5),
            }
        needs.append(need)
    return needs


def scenario_payloads(base: list[dict[str, Any]], scenario: Scenario) -> list[dict[str, Any]]:
    return [{**need, "combinations": scenario.combinations} for need in base]


def care_needs(
    engine: Engine, settings: Settings, payloads: list[dict[str, Any]]
) -> list[CareNeed]:
    """The engine's needs, exactly as the API builds them."""
    needs = []
    with Session(engine) as session:
        geocoder = Geocoder(settings, session)
        for payload in payloads:
            need = to_need(NeedRequest.model_validate(payload), geocoder, BENCH_TODAY)
            if isinstance(need, list):
                raise ValueError(f"invalid benchmark need {payload}: {need}")
            needs.append(need)
    return needs


# ---- the raw Meilisearch searches ---------------------------------------------------------


@dataclass(frozen=True)
class RawSearch:
    """The requests fetch_candidates sends to Meilisearch for one need: (path, JSON body)."""

    requests: tuple[tuple[str, bytes], ...]
    candidates: int  # what fetch_candidates returned
    answer_bytes: int  # of all its requests' answers

    @property
    def queries(self) -> int:
        """Searches in all: a multi-search request holds several."""
        return sum(len(json.loads(body).get("queries", [None])) for _, body in self.requests)


@contextlib.contextmanager
def recording_sdk_posts() -> Iterator[list[tuple[str, bytes]]]:
    """Every POST the Meilisearch SDK sends meanwhile, serialised as the SDK does it
    (HttpRequests.send_request: json.dumps of the body), and still sent."""
    posts: list[tuple[str, bytes]] = []
    original = HttpRequests.send_request

    def recording(
        self: HttpRequests,
        http_method: Callable[..., Any],
        path: str,
        body: Any = None,
        content_type: str | None = None,
        *,
        serializer: type[json.JSONEncoder] | None = None,
    ) -> Any:
        if http_method.__name__ == "post":
            data = body if isinstance(body, bytes) else json.dumps(body, cls=serializer).encode()
            posts.append((f"/{path}", data))
        return original(self, http_method, path, body, content_type, serializer=serializer)

    with mock.patch.object(HttpRequests, "send_request", recording):
        yield posts


def plan_raw_searches(sdk: Client, client: httpx.Client, need: CareNeed) -> RawSearch:
    """Run search.query.fetch_candidates once and keep the requests it sends, whatever the
    code of the day puts in them (filter, sort, limit, fields, paging or multi-search). The
    timed runs send those bodies and read the answers without decoding them."""
    with recording_sdk_posts() as posts:
        candidates = fetch_candidates(sdk, INDEX_UID, need)
    size = 0
    for path, body in posts:
        response = client.post(path, content=body)
        response.raise_for_status()
        size += len(response.content)
    return RawSearch(tuple(posts), len(candidates), size)


def describe_requests(search: RawSearch) -> str:
    """What one need's fetch sends, in a few words (from its first request)."""
    path, body = search.requests[0]
    sent = json.loads(body)
    queries = sent.get("queries", [sent])
    limits = sorted({query.get("limit", 20) for query in queries})
    fields = queries[0].get("attributesToRetrieve")
    return (
        f"`POST {path}`"
        + (f" with {len(queries)} queries" if "queries" in sent else "")
        + f", limit {'/'.join(map(str, limits))}"
        + (f", {len(fields)} fields" if fields else ", all fields")
        + f", sort `{queries[0].get('sort')}`"
    )


# ---- load ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    need: int
    seconds: float
    ok: bool
    body: bytes


@dataclass(frozen=True)
class CpuClock:
    """CPU seconds used so far by the app server, Meilisearch and this process."""

    pids: dict[str, int]

    def read(self) -> dict[str, float]:
        ticks = os.sysconf("SC_CLK_TCK")
        used = {}
        for name, pid in self.pids.items():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[name] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        return used


@dataclass
class Load:
    """One measurement: `concurrency` threads sending `len(samples)` requests."""

    samples: list[Sample]
    wall_seconds: float
    concurrency: int
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)

    @property
    def latencies_ms(self) -> list[float]:
        return sorted(sample.seconds * 1000 for sample in self.samples)

    def percentile(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    @property
    def per_second(self) -> float:
        return len(self.samples) / self.wall_seconds if self.wall_seconds > 0 else math.nan

    @property
    def errors(self) -> int:
        return sum(1 for sample in self.samples if not sample.ok)

    def by_need(self) -> dict[int, list[float]]:
        grouped: dict[int, list[float]] = {}
        for sample in self.samples:
            grouped.setdefault(sample.need, []).append(sample.seconds * 1000)
        return grouped


def percentile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


Send = Callable[[Any, int], tuple[bool, bytes]]


def run_load(
    open_client: Callable[[], Any],
    send: Send,
    order: Sequence[int],
    concurrency: int,
    cpu: CpuClock,
    max_seconds: float | None = None,
) -> Load:
    """The needs of `order`, in turn, from `concurrency` threads, each with its own persistent
    client (connected before the clock starts); no new request starts after `max_seconds`."""
    counter = itertools.count()
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)
    results: list[list[Sample]] = [[] for _ in range(concurrency)]
    failures: list[BaseException] = []
    deadline = [math.inf]

    def worker(slot: int) -> None:
        client = None
        try:
            client = open_client()
            barrier.wait()
            while not failures:
                with lock:
                    number = next(counter)
                if number >= len(order) or time.perf_counter() > deadline[0]:
                    return
                need = order[number]
                started = time.perf_counter()
                ok, body = send(client, need)
                results[slot].append(Sample(need, time.perf_counter() - started, ok, body))
        except BaseException as error:  # reported from the main thread
            failures.append(error)
            barrier.abort()
        finally:
            if client is not None:
                client.close()

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(concurrency)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait()
    cpu_before, started = cpu.read(), time.perf_counter()
    if max_seconds is not None:
        deadline[0] = started + max_seconds
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu_after = cpu.read()
    if failures:
        raise RuntimeError(f"a load thread failed: {failures[0]!r}") from failures[0]
    samples = [sample for slot in results for sample in slot]
    return Load(
        samples,
        wall,
        concurrency,
        {
            name: (cpu_after[name] - cpu_before[name]) * 1000 / max(len(samples), 1)
            for name in cpu_after
            if name in cpu_before
        },
    )


def in_turn(needs: int, total: int) -> list[int]:
    return [number % needs for number in range(total)]


def httpx_client(base_url: str, headers: dict[str, str], warm_path: str) -> Callable[[], Any]:
    """A persistent client, connected by one cheap request (the health check)."""

    def open_client() -> httpx.Client:
        client = httpx.Client(base_url=base_url, headers=headers, timeout=CLIENT_TIMEOUT_S)
        client.get(warm_path).raise_for_status()
        return client

    return open_client


def match_sender(payloads: list[dict[str, Any]]) -> Send:
    bodies = [json.dumps(payload).encode() for payload in payloads]

    def send(client: httpx.Client, need: int) -> tuple[bool, bytes]:
        response = client.post(
            "/api/v1/match", content=bodies[need], headers={"Content-Type": "application/json"}
        )
        return response.status_code == 200, response.content

    return send


def raw_sender(searches: list[RawSearch]) -> Send:
    def send(client: httpx.Client, need: int) -> tuple[bool, bytes]:
        for path, body in searches[need].requests:
            response = client.post(path, content=body)
            if response.status_code != 200:
                return False, response.content
        return True, b""

    return send


def http_client_sender(headers: dict[str, str], searches: list[RawSearch]) -> Send:
    def send(connection: HTTPConnection, need: int) -> tuple[bool, bytes]:
        ok = True
        for path, body in searches[need].requests:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = ok and response.status == 200
        return ok, b""

    return send


# ---- the app in its own process -------------------------------------------------------------


@contextlib.contextmanager
def app_server(
    engine: Engine,
    meilisearch: LocalMeilisearch,
    workdir: Path,
    settings_env: dict[str, str] | None = None,
    server_code: str = SERVER_CODE,
    server_args: tuple[str, ...] = (),
) -> Iterator[Any]:
    """uvicorn serving create_app(settings, endpoint) on a free port, until the block ends.
    `settings_env` adds to (or overrides) the settings given through the environment;
    `server_code` runs with the port, the app's today and `server_args` as its arguments."""
    port = free_port()
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CONCILIAMO_", "MEILI_")) and name != "DATABASE_URL"
    }
    env = {
        **inherited,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "MEILI_URL": meilisearch.url,
        "MEILI_MASTER_KEY": meilisearch.master_key,
        "CONCILIAMO_INDEX_PREFIX": INDEX_PREFIX,
        "CONCILIAMO_OUTBOX_WORKER": "external",  # no background worker competes
        "CONCILIAMO_DATA_DIR": str(workdir / "data"),
        "CONCILIAMO_GEOCODER": "offline",
        **(settings_env or {}),
    }
    log_path = workdir / "app.log"
    with log_path.open("ab") as app_log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", server_code, str(port), BENCH_TODAY.isoformat(), *server_args],
            cwd=workdir,
            env=env,
            stdout=app_log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the app exited with {process.returncode}:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not answer /healthz within 60 s; see {log_path}")
            time.sleep(0.1)
        log(f"app (pid {process.pid}) serving at {url}")
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---- one dataset size --------------------------------------------------------------------


@dataclass
class Row:
    """One line of the latency table: a scenario at one concurrency, app and raw."""

    size: int
    scenario: Scenario
    concurrency: int
    match: Load
    raw: Load
    matches: float  # the API's "count", on average
    returned: float  # matches in the answer (at most `limit`)
    plans: float
    answer_kib: float


@dataclass
class Split:
    """In-process, concurrency 1: where one need's time goes, in milliseconds."""

    scenario: Scenario
    fetch: list[float]
    match: list[float]
    present: list[float]
    total_ms: list[float]


@dataclass
class SizeResult:
    size: int
    documents: int
    import_note: str
    phases: dict[str, float]
    rows: list[Row] = field(default_factory=list)
    #: per number of children: requests per need → needs, searches per need → needs,
    #: candidates per need, KiB of Meilisearch's answers per need, what the requests are
    raw_requests: dict[int, Counter[int]] = field(default_factory=dict)
    raw_queries: dict[int, Counter[int]] = field(default_factory=dict)
    raw_candidates: dict[int, list[int]] = field(default_factory=dict)
    raw_kib: dict[int, list[float]] = field(default_factory=dict)
    raw_example: dict[int, str] = field(default_factory=dict)
    client_check: list[tuple[str, Load]] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    meilisearch_memory: dict[str, float] = field(default_factory=dict)
    profile: str = ""
    profile_own: str = ""
    profile_engine: str = ""
    profile_note: str = ""


def _summary(load: Load) -> str:
    return (
        f"p50 {load.percentile(0.5):.1f} ms, p95 {load.percentile(0.95):.1f} ms, "
        f"{load.per_second:.1f}/s"
    )


def _answers(load: Load) -> tuple[float, float, float, float]:
    bodies = [msgspec.json.decode(sample.body) for sample in load.samples if sample.ok]
    if not bodies:
        return math.nan, math.nan, math.nan, math.nan
    return (
        mean(body["count"] for body in bodies),
        mean(len(body["matches"]) for body in bodies),
        mean(len(body["plans"]) for body in bodies),
        mean(len(sample.body) for sample in load.samples) / 1024,
    )


def measure_size(
    args: argparse.Namespace, size: int, workdir: Path, context: dict[str, Any]
) -> SizeResult:
    italy_geo = args.shared_data / GAZETTEER_FILE
    with (
        fresh_database(args.database, workdir, args.postgres_url) as engine,
        fresh_meilisearch(workdir) as meilisearch,
    ):
        client = make_client(meilisearch.url, meilisearch.master_key)
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
        documents, timing = timed("reindex", lambda: reindex(engine, client, INDEX_UID))
        phases["index"] = timing.seconds
        if "machine" not in context:
            context["machine"] = machine(engine, client)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=engine.url.render_as_string(hide_password=False),
            meili_url=meilisearch.url,
            meili_master_key=meilisearch.master_key,
            index_prefix=INDEX_PREFIX,
            data_dir=workdir / "data",
            geocoder="offline",
        )
        base = {
            children: draw_needs(args.needs, children, args.seed, italy_geo)
            for children in sorted({scenario.children for scenario in SCENARIOS})
        }
        result = SizeResult(size, documents, outcome(report), phases)
        with app_server(engine, meilisearch, workdir) as (app_url, app_pid):
            process = meilisearch.process
            assert process is not None
            cpu = CpuClock({"app": app_pid, "meilisearch": process.pid, "client": os.getpid()})
            measure_latency(args, result, base, engine, settings, meilisearch, app_url, cpu)
        profile_slowest(result, client, engine, settings, base)
        result.meilisearch_memory = process_memory_mib(process.pid)
    return result


def measure_latency(
    args: argparse.Namespace,
    result: SizeResult,
    base: dict[int, list[dict[str, Any]]],
    engine: Engine,
    settings: Settings,
    meilisearch: LocalMeilisearch,
    app_url: str,
    cpu: CpuClock,
) -> None:
    meili_headers = {
        **IDENTITY,
        "Authorization": f"Bearer {meilisearch.master_key}",
        "Content-Type": "application/json",
    }
    open_meili = httpx_client(meilisearch.url, meili_headers, "/health")
    open_app = httpx_client(app_url, IDENTITY, "/healthz")
    # the candidate searches of each need, paged once as fetch_candidates pages
    searches: dict[int, list[RawSearch]] = {}
    planner, sdk = open_meili(), make_client(meilisearch.url, meilisearch.master_key)
    try:
        for children, payloads in base.items():
            needs = care_needs(engine, settings, payloads)
            searches[children] = [plan_raw_searches(sdk, planner, need) for need in needs]
            result.raw_example[children] = describe_requests(searches[children][0])
            result.raw_kib[children] = [search.answer_bytes / 1024 for search in searches[children]]
            result.raw_requests[children] = Counter(len(s.requests) for s in searches[children])
            result.raw_queries[children] = Counter(s.queries for s in searches[children])
            result.raw_candidates[children] = [s.candidates for s in searches[children]]
            log(
                f"{children} child(ren): {result.raw_example[children]}; candidates per need "
                f"median {median(result.raw_candidates[children]):.0f}, "
                f"max {max(result.raw_candidates[children])}; requests per need "
                f"{dict(sorted(result.raw_requests[children].items()))}, searches per need "
                f"{dict(sorted(result.raw_queries[children].items()))}"
            )
    finally:
        planner.close()
    # warm-up: the needs in turn through the app and straight to Meilisearch
    for scenario in SCENARIOS:
        payloads = scenario_payloads(base[scenario.children], scenario)
        every = in_turn(len(payloads), len(payloads))
        run_load(open_app, match_sender(payloads), every, 1, cpu, args.warmup_seconds)
        warm_raw = raw_sender(searches[scenario.children])
        run_load(open_meili, warm_raw, every, 1, cpu, args.warmup_seconds)
    log(f"warmed up ({args.needs} needs × {len(SCENARIOS)} scenarios, capped by time)")
    for scenario in SCENARIOS:
        payloads = scenario_payloads(base[scenario.children], scenario)
        send_match = match_sender(payloads)
        send_raw = raw_sender(searches[scenario.children])
        for concurrency in CONCURRENCIES:
            order = in_turn(len(payloads), args.requests)
            match = run_load(open_app, send_match, order, concurrency, cpu, args.max_seconds)
            # the very needs the app answered, as many times as it takes to reach --requests
            issued = order[: len(match.samples)]  # handed out in order, each one answered
            again = issued * max(1, math.ceil(args.requests / max(len(issued), 1)))
            raw = run_load(open_meili, send_raw, again, concurrency, cpu, args.max_seconds / 2)
            counts = _answers(match)
            result.rows.append(Row(result.size, scenario, concurrency, match, raw, *counts))
            log(
                f"{result.size:,} ({scenario.key}) {scenario.title}, c{concurrency}: match "
                f"{_summary(match)}; raw {_summary(raw)}"
                + (f"; {match.errors} errors" if match.errors else "")
            )
            if match.errors:
                bad = next(sample for sample in match.samples if not sample.ok)
                log(f"  first error: {bad.body[:300]!r}")
    result.client_check = check_clients(args, meilisearch, searches[1], cpu)
    result.splits = [
        split_time(scenario, engine, settings, meilisearch, base, args.max_seconds / 3)
        for scenario in SCENARIOS
    ]


def check_clients(
    args: argparse.Namespace,
    meilisearch: LocalMeilisearch,
    searches: list[RawSearch],
    cpu: CpuClock,
) -> list[tuple[str, Load]]:
    """The raw searches of the 1-child needs at concurrency 1 through three clients: what the
    client itself costs, and what asking for gzip on the loopback costs."""
    auth = {"Authorization": f"Bearer {meilisearch.master_key}", "Content-Type": "application/json"}
    address = urlsplit(meilisearch.url)
    host, port = address.hostname or "127.0.0.1", address.port

    def open_http_client() -> HTTPConnection:
        connection = HTTPConnection(host, port, timeout=CLIENT_TIMEOUT_S)
        connection.request("GET", "/health")
        connection.getresponse().read()
        return connection

    clients: list[tuple[str, Callable[[], Any], Send]] = [
        (
            "httpx.Client, Accept-Encoding: identity (used above)",
            httpx_client(meilisearch.url, {**IDENTITY, **auth}, "/health"),
            raw_sender(searches),
        ),
        (
            "http.client.HTTPConnection, identity",
            open_http_client,
            http_client_sender({**IDENTITY, **auth}, searches),
        ),
        (
            "httpx.Client, default Accept-Encoding (gzip, deflate…)",
            httpx_client(meilisearch.url, auth, "/health"),
            raw_sender(searches),
        ),
    ]
    checked = []
    order = in_turn(len(searches), len(searches) * 2)
    for name, open_client, send in clients:
        load = run_load(open_client, send, order, 1, cpu, args.max_seconds / 4)
        log(f"client check, {name}: {_summary(load)}")
        checked.append((name, load))
    return checked


def split_time(
    scenario: Scenario,
    engine: Engine,
    settings: Settings,
    meilisearch: LocalMeilisearch,
    base: dict[int, list[dict[str, Any]]],
    max_seconds: float,
) -> Split:
    """Each need once (until `max_seconds` have passed) in this process: fetch_candidates
    (the SDK client the app uses), match_need, and building + encoding the answer as the
    handler does."""
    client = make_client(meilisearch.url, meilisearch.master_key)
    payloads = scenario_payloads(base[scenario.children], scenario)
    needs = care_needs(engine, settings, payloads)
    split = Split(scenario, [], [], [], [])
    deadline = time.perf_counter() + max_seconds
    for payload, need in zip(payloads, needs, strict=True):
        started = time.perf_counter()
        candidates = fetch_candidates(client, INDEX_UID, need)
        fetched = time.perf_counter()
        found = match_need(candidates, need)
        matched = time.perf_counter()
        limit = int(payload.get("limit", 50))
        msgspec.json.encode(
            {
                "count": len(found.matches),
                "matches": [match_json(m, "it") for m in found.matches[:limit]],
                "plans": [plan_json(plan, need, "it") for plan in found.plans],
            }
        )
        done = time.perf_counter()
        split.fetch.append((fetched - started) * 1000)
        split.match.append((matched - fetched) * 1000)
        split.present.append((done - matched) * 1000)
        split.total_ms.append((done - started) * 1000)
        if done > deadline:
            break
    return split


def profile_slowest(
    result: SizeResult,
    client: Client,
    engine: Engine,
    settings: Settings,
    base: dict[int, list[dict[str, Any]]],
) -> None:
    """cProfile of find_services for the 1-child need slowest through the API at
    concurrency 1 (by its median), combinations on as the API's default."""
    row = next(
        r
        for r in result.rows
        if r.scenario.children == 1 and r.scenario.combinations and r.concurrency == 1
    )
    medians = {need: median(times) for need, times in row.match.by_need().items()}
    slowest = max(medians, key=lambda need: medians[need])
    payload = scenario_payloads(base[1], row.scenario)[slowest]
    (need,) = care_needs(engine, settings, [payload])
    warm_start = time.perf_counter()
    found = find_services(client, INDEX_UID, need)  # warm
    once = time.perf_counter() - warm_start
    runs = max(3, min(PROFILE_RUNS, round(PROFILE_BUDGET_S / max(once, 1e-3))))
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        find_services(client, INDEX_UID, need)
        walls.append((time.perf_counter() - started) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        find_services(client, INDEX_UID, need)
    profiler.disable()
    result.profile = _stats_text(profiler, "cumulative", PROFILE_TOP)
    result.profile_own = _stats_text(profiler, "tottime", PROFILE_OWN_TOP)
    result.profile_engine = _stats_text(
        profiler, "cumulative", r"search/matching/", PROFILE_OWN_TOP
    )
    candidates = len(fetch_candidates(client, INDEX_UID, need))
    result.profile_note = (
        f"Need #{slowest} of scenario ({row.scenario.key}), {result.size:,} services: "
        f"{candidates:,} candidates, {len(found.matches):,} matches, {len(found.plans)} plans; "
        f"{json.dumps(payload)}. Through the API at concurrency 1 its median was "
        f"{medians[slowest]:.1f} ms (the scenario's p50 {row.match.percentile(0.5):.1f} ms); "
        f"find_services in this process, without the profiler: median {median(walls):.1f} ms "
        f"of {runs} runs; the profile below is {runs} runs under cProfile "
        "(which slows Python code about twice)."
    )
    log(f"profiled need #{slowest}: find_services median {median(walls):.1f} ms")


def _stats_text(profiler: cProfile.Profile, order: str, *restrictions: str | int) -> str:
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(*restrictions)
    text = stream.getvalue()
    for prefix in sorted(_path_prefixes(), key=len, reverse=True):
        text = text.replace(prefix, "")
    lines = text.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join([lines[0].strip(), "", *lines[start:]])


def _path_prefixes() -> set[str]:
    """Where the profiled files live (the copy of the sources, the project, site-packages,
    the standard library): left out of the listings."""
    prefixes = {str(PROJECT_ROOT) + "/", str(Path(os.__file__).parent) + "/"}
    if os.environ.get(SOURCES_ENV):
        prefixes.add(os.environ[SOURCES_ENV] + "/")
    return prefixes | {path + "/" for path in sys.path if path.endswith("site-packages")}


# ---- the report --------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f}"


def _ratio(numerator: float, denominator: float) -> str:
    return "—" if not denominator or math.isnan(denominator) else f"{numerator / denominator:.1f}×"


def latency_table(results: list[SizeResult]) -> list[str]:
    table = [
        "| services | need | conc. | n | match p50 | p95 | p99 | req/s | raw n | raw p50 | p95 | "
        "p99 | req/s | ratio p50 | ratio p95 | matches (avg) | returned | plans | answer KiB | "
        "CPU ms/req app · Meili · client |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
        "|---:|---:|---|",
    ]
    for result in results:
        for row in result.rows:
            m, r = row.match, row.raw
            cpu = " · ".join(
                f"{m.cpu_ms_per_request.get(name, math.nan):.1f}"
                for name in ("app", "meilisearch", "client")
            )
            errors = f" ({m.errors} errors)" if m.errors else ""
            table.append(
                f"| {row.size:,} | ({row.scenario.key}) {row.scenario.title} | "
                f"{row.concurrency} | {len(m.samples)} | {_ms(m.percentile(0.5))} | "
                f"{_ms(m.percentile(0.95))} | {_ms(m.percentile(0.99))} | "
                f"{m.per_second:.2f}{errors} | {len(r.samples)} | "
                f"{_ms(r.percentile(0.5))} | {_ms(r.percentile(0.95))} | "
                f"{_ms(r.percentile(0.99))} | {r.per_second:.1f} | "
                f"{_ratio(m.percentile(0.5), r.percentile(0.5))} | "
                f"{_ratio(m.percentile(0.95), r.percentile(0.95))} | {row.matches:,.0f} | "
                f"{row.returned:.0f} | {row.plans:.1f} | {row.answer_kib:.0f} | {cpu} |"
            )
    return table


def dataset_table(results: list[SizeResult]) -> list[str]:
    table = [
        "| services | documents | generate CSV s | gazetteer s | import s | index s | "
        "import + index s | import outcome | Meilisearch memory at the end |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for result in results:
        p = result.phases
        memory = ", ".join(f"{k} {v:,.0f} MiB" for k, v in result.meilisearch_memory.items())
        table.append(
            f"| {result.size:,} | {result.documents:,} | {p['generate']:.1f} | "
            f"{p['gazetteer']:.1f} | {p['import']:.1f} | {p['index']:.1f} | "
            f"{p['import'] + p['index']:.1f} | {result.import_note} | {memory} |"
        )
    return table


def candidates_lines(results: list[SizeResult]) -> list[str]:
    def spread(counts: Counter[int], unit: str) -> str:
        return ", ".join(f"{n} {unit}: {needs}" for n, needs in sorted(counts.items()))

    lines = []
    for result in results:
        for children, candidates in sorted(result.raw_candidates.items()):
            ordered, kib = sorted(candidates), sorted(result.raw_kib[children])
            lines.append(
                f"{result.size:,} services, {children} child{'ren' if children > 1 else ''}: "
                f"{result.raw_example[children]}. Needs by requests — "
                f"{spread(result.raw_requests[children], 'request(s)')}; by searches in them — "
                f"{spread(result.raw_queries[children], 'search(es)')}. Candidates per need "
                f"median {percentile(ordered, 0.5):,.0f}, p95 {percentile(ordered, 0.95):,.0f}, "
                f"max {ordered[-1]:,}; Meilisearch's answers per need median "
                f"{percentile(kib, 0.5):,.0f} KiB, max {kib[-1]:,.0f} KiB."
            )
    return lines


def client_table(results: list[SizeResult]) -> list[str]:
    table = [
        "| services | client (raw searches of the 1-child needs, concurrency 1) | p50 | p95 | "
        "client CPU ms/req |",
        "|---:|---|---:|---:|---:|",
    ]
    for result in results:
        for name, load in result.client_check:
            table.append(
                f"| {result.size:,} | {name} | {_ms(load.percentile(0.5))} | "
                f"{_ms(load.percentile(0.95))} | "
                f"{load.cpu_ms_per_request.get('client', math.nan):.1f} |"
            )
    return table


def split_table(results: list[SizeResult]) -> list[str]:
    def cell(values: list[float]) -> str:
        ordered = sorted(values)
        return f"{percentile(ordered, 0.5):.1f} / {percentile(ordered, 0.95):.1f}"

    table = [
        "| services | need | fetch_candidates | match_need | build + encode answer | "
        "sum | API p50 / p95 (c1) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for split in result.splits:
            row = next(
                r for r in result.rows if r.scenario is split.scenario and r.concurrency == 1
            )
            table.append(
                f"| {result.size:,} | ({split.scenario.key}) {split.scenario.title} | "
                f"{cell(split.fetch)} | {cell(split.match)} | {cell(split.present)} | "
                f"{cell(split.total_ms)} | {_ms(row.match.percentile(0.5))} / "
                f"{_ms(row.match.percentile(0.95))} |"
            )
    return table


def verdict(results: list[SizeResult]) -> list[str]:
    at_target = [r for r in results if r.size == TARGET_SIZE]
    measured = at_target[0] if at_target else max(results, key=lambda r: r.size)
    caveat = (
        ""
        if at_target
        else f" (the target is set at {TARGET_SIZE:,} services; this run's largest size was "
        f"{measured.size:,}, so it does not settle it)"
    )
    lines = []
    for row in measured.rows:
        if row.scenario.children != 1 or row.concurrency != 1:
            continue
        p95 = row.match.percentile(0.95)
        met = "**met**" if p95 < TARGET_P95_MS else "**not met**"
        lines.append(
            f"p95 of a 1-child match ({row.scenario.title}) at {measured.size:,} services, "
            f"concurrency 1: {p95:.1f} ms against {TARGET_P95_MS:.0f} ms — {met}{caveat}."
        )
    for result in results:
        within: list[str] = []
        outside: list[str] = []
        for row in result.rows:
            ratio_50 = row.match.percentile(0.5) / row.raw.percentile(0.5)
            ratio_95 = row.match.percentile(0.95) / row.raw.percentile(0.95)
            label = f"({row.scenario.key}) c{row.concurrency} {ratio_50:.1f}×/{ratio_95:.1f}×"
            (within if max(ratio_50, ratio_95) <= TARGET_RATIO else outside).append(label)
        met = "**met**" if not outside else "**not met**"
        lines.append(
            f"Within {TARGET_RATIO:.0f}× the raw Meilisearch floor at {result.size:,} services "
            f"(p50 and p95): {met} — {len(within)} of {len(result.rows)} rows within"
            + (f"; outside: {', '.join(outside)}" if outside else "")
            + "."
        )
    return lines


def render_section(args: argparse.Namespace, results: list[SizeResult], context: list[str]) -> str:
    command = shlex.join([os.path.relpath(sys.executable), *sys.argv])
    largest = max(results, key=lambda r: r.size)
    sizes = " / ".join(f"{r.size:,}" for r in results)
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[args.database]
    return "\n".join(
        [
            f"## {title} — {sizes} synthetic services",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}`",
            "",
            "### Against the targets",
            "",
            "Targets (issue 4): p95 of a 1-child match at 100k services under "
            f"{TARGET_P95_MS:.0f} ms at concurrency 1 on 2 cores, and match latency within "
            f"{TARGET_RATIO:.0f}× the raw Meilisearch floor.",
            "",
            *(f"- {line}" for line in verdict(results)),
            "",
            "### Latency (ms), POST /api/v1/match against the raw Meilisearch floor",
            "",
            f"{args.needs} needs per scenario, taken in turn. Each line: up to "
            f"{args.requests} timed requests (*n*), and no new one after {args.max_seconds:.0f} s "
            f"({args.max_seconds / 2:.0f} s for raw; so slow lines have fewer), after a warm-up "
            "(the needs in turn through each path "
            f"for up to {args.warmup_seconds:.0f} s per scenario; each load thread's connection "
            "is opened by a health check before the clock starts). *Raw* sends, for the very "
            "needs the app answered on that line (repeated up to the same count), exactly the "
            "requests `fetch_candidates` sends to Meilisearch, recorded at the SDK's HTTP layer "
            "while it ran once for each need: the same path and body (filter, sort, limits, "
            "fields, paging or multi-search: whatever the code measured sends; listed under "
            "the table). It reads the answers but does not decode them; one raw sample is "
            "the whole fetch of one need, all its requests. *Ratio* is match ÷ raw. "
            "*Matches* is the API's `count` (all matches), "
            "*returned* is how many are in the answer (`limit` 50). CPU ms per request are for "
            "the app server, Meilisearch and this client process, from /proc. On 2 cores their "
            "sum bounds the throughput.",
            "",
            *latency_table(results),
            "",
            "What each need's fetch sends, and the candidates it brings back (after "
            "`fetch_candidates` drops duplicates):",
            "",
            *(f"- {line}" for line in candidates_lines(results)),
            "",
            "### Import and index",
            "",
            "Seconds of wall time: the synthetic sheet (`synthetic_sheet.py`, seed "
            f'{args.seed}) imported with `import_file(engine, ServiceSheetSource("bench"), …)` '
            "after the gazetteer, then indexed with `reindex` (a fresh Meilisearch started by "
            "`LocalMeilisearch`, so `--max-indexing-memory 512MiB`).",
            "",
            *dataset_table(results),
            "",
            "### In-process split (concurrency 1, p50 / p95 ms)",
            "",
            "Each need once in the benchmark's process, against the same Meilisearch: "
            "`fetch_candidates` through the SDK client the app uses (`make_client`: HTTP, "
            "JSON decoding), `match_need` (ranking and plans), and building the answer with "
            "the handler's `match_json` / `plan_json` and encoding it with msgspec. The rest "
            "of the API's time is HTTP, validation, `to_need` and the thread hand-off.",
            "",
            *split_table(results),
            "",
            "### The client",
            "",
            "Each load thread has its own persistent `httpx.Client` with "
            "`Accept-Encoding: identity` (the app does not compress; Meilisearch does when "
            "asked, which costs time on the loopback). The same searches through other "
            "clients:",
            "",
            *client_table(results),
            "",
            f"### Where the time goes ({largest.size:,} services)",
            "",
            largest.profile_note,
            "",
            f"Top {PROFILE_TOP} by cumulative time:",
            "",
            "```text",
            largest.profile,
            "```",
            "",
            f"Top {PROFILE_OWN_TOP} by own time (tottime):",
            "",
            "```text",
            largest.profile_own,
            "```",
            "",
            f"The matching engine alone (`search/matching/`), top {PROFILE_OWN_TOP} by "
            "cumulative time:",
            "",
            "```text",
            largest.profile_engine,
            "```",
            "",
            "### Set-up",
            "",
            *(f"- {line}" for line in context),
            "",
        ]
    )


# ---- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000], help="services per dataset"
    )
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="sqlite")
    parser.add_argument("--needs", type=int, default=40, help="needs drawn per scenario")
    parser.add_argument(
        "--requests", type=int, default=240, help="timed requests per scenario and concurrency"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=45.0,
        help="no new timed request after this many seconds of one line (slow large datasets)",
    )
    parser.add_argument(
        "--warmup-seconds", type=float, default=10.0, help="warm-up per scenario and path"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "bench" / "MATCH_RESULTS.md",
        help="Markdown report",
    )
    add_data_options(parser)
    parser.add_argument("--seed", type=int, default=2026, help="seed of the sheet and needs")
    return parser.parse_args(argv)


def commit() -> str:
    """The commit checked out (`git rev-parse`, read-only: others commit in this checkout)."""
    try:
        return subprocess.run(  # noqa: S603
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def sources_digest(root: Path) -> str:
    """A digest of the measured packages' Python sources under `root`."""
    digest = hashlib.blake2b(digest_size=6)
    for package in MEASURED_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshot_sources(target: Path) -> None:
    """A copy of the measured packages (templates and the built front-end assets linked:
    create_app needs build/static/manifest.json), so that a run measures one version of the
    code even while people edit the checkout."""
    for package in MEASURED_PACKAGES:
        shutil.copytree(
            PROJECT_ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    (target / "templates").symlink_to(PROJECT_ROOT / "templates")
    (target / "build").symlink_to(PROJECT_ROOT / "build")


def run_on_snapshot() -> int:
    """Run this script again with the snapshot first on PYTHONPATH: the benchmark's process
    and the app's (which inherits it) import the same copy."""
    with TemporaryDirectory(prefix="conciliamo-match-sources-") as temporary:
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


def code_lines(sources: Path, commit_at_start: str) -> list[str]:
    import core.settings

    loaded_from = Path(core.settings.__file__).resolve().parents[1]
    measured = sources_digest(sources)
    live = sources_digest(PROJECT_ROOT)
    lines = [
        f"Code: commit {commit_at_start} checked out at the start; measured: a copy of "
        f"{', '.join(MEASURED_PACKAGES)} taken at the start (digest {measured}; the app and "
        "this process both import it"
        + ("" if loaded_from == sources.resolve() else f" — NOT SO: loaded from {loaded_from}")
        + "). It may hold changes not yet committed."
    ]
    commit_at_end = commit()
    if live != measured or commit_at_end != commit_at_start:
        lines.append(
            f"The checkout changed during the run (commit {commit_at_end}, digest {live} at the "
            "end): the figures are for the copy."
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sources = Path(os.environ.get(SOURCES_ENV, PROJECT_ROOT))
    load_at_start, commit_at_start = os.getloadavg(), commit()
    context: dict[str, Any] = {}
    results = []
    for size in args.sizes:
        with TemporaryDirectory(prefix="conciliamo-match-bench-") as temporary:
            results.append(measure_size(args, size, Path(temporary), context))
    libraries = ("litestar", "uvicorn", "httpx", "msgspec", "geopy")
    lines = [
        "App: `service.app.create_app(settings, endpoint)` served by uvicorn "
        f"{version('uvicorn')} in its own process (one worker, asyncio loop and h11 — no "
        "uvloop/httptools installed, as with `conciliamo serve`; access log off), "
        "`outbox_worker=external`, the app's today fixed at "
        f"{BENCH_TODAY.isoformat()} (the synthetic sheet is the 2026-27 school year).",
        "Needs: home drawn like the services (80 % around Milan, the rest in the provincial "
        f"capitals), {WORK_SHARE:.0%} with a workplace in central Milan too, radius 5 km "
        "(70 %), 3 km or 10 km, a Monday start from January to May 2027, Monday–Friday from "
        "07:30–09:00 to 16:00–18:30, ages mostly nido (50 %), then 3–5 (30 %) and 6–10 "
        "(20 %), all care kinds, partial coverage included (the API's defaults).",
        f"Load average (1, 5, 15 min) at start {_loads(load_at_start)}, at end "
        f"{_loads(os.getloadavg())}: other engineers' test runs share the 2 CPUs, so the "
        "figures are noisy, the tails (p99 of a few hundred requests) most of all.",
        *context.get("machine", []),
        "Web and client: " + ", ".join(f"{name} {version(name)}" for name in libraries),
        *code_lines(sources, commit_at_start),
    ]
    section = render_section(args, results, lines)
    write_results(args.out, args.database, section, marker="match", header=RESULTS_HEADER)
    print(section)
    log(f"written to {args.out}")


if __name__ == "__main__":
    if os.environ.get(SOURCES_ENV):
        main()
    else:
        sys.exit(run_on_snapshot())
