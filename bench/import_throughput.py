"""Import throughput of Conciliamo, measured on a fresh database and a fresh Meilisearch.

One run: the gazetteer (comuni_istat_2018_json), the real geocoded MIUR file (import, then
reindex), and a synthetic services sheet of --rows rows (import, reindex, idempotent
re-import), each phase timed with time.perf_counter(); then the peak memory of this process
and of Meilisearch. The figures go into a Markdown section of --out (one section per
database, replaced on each run; see bench/README.md).

A benchmark, not a test: it measures and reports, it never asserts a timing.

    .venv/bin/python bench/import_throughput.py --rows 100000 --database sqlite
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import secrets
import shlex
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TypeVar

from meilisearch import Client
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from synthetic_sheet import write_sheet

from core.db import create_db_engine, migrate
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.report import ImportReport
from importers.sources.miur_infanzia import MiurInfanziaSource
from importers.sources.service_sheet import ServiceSheetSource
from search.client import make_client
from search.local_meilisearch import LocalMeilisearch, find_binary, free_port
from search.sync import reindex

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GAZETTEER_FILE = Path("comuni_istat_2018_json") / "italy_geo.json"
MIUR_FILE = Path("miur_infanzia_lombardia_geocoded") / "scuole_infanzia_lombardia_geocoded.csv"
INDEX_UID = "bench_services"
MEASURED_PACKAGES = ("importers/", "search/", "service/")
SHEET_SOURCE = "bench"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DATABASE_TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
RESULTS_HEADER = """# Import throughput — results

Written by `bench/import_throughput.py` (how to run it and what it measures:
`bench/README.md`). Each run replaces the section of its database, between its
`<!-- bench:… -->` markers; everything outside the markers is written by hand and kept.
These figures describe one machine on one day: nothing asserts them.
"""

T = TypeVar("T")
STARTED = time.perf_counter()


# ---- measuring ---------------------------------------------------------------------------


def python_peak_rss_mib() -> float:
    """This process's peak resident set so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process (not of Meilisearch or PostgreSQL)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Timing:
    seconds: float  # wall clock, time.perf_counter()
    cpu_seconds: float  # this process only: far below `seconds` means waiting
    peak_rss_mib: float  # this process's peak RSS when the step ended (it only grows)

    def __add__(self, other: Timing) -> Timing:
        return Timing(
            self.seconds + other.seconds,
            self.cpu_seconds + other.cpu_seconds,
            max(self.peak_rss_mib, other.peak_rss_mib),
        )


@dataclass(frozen=True)
class Phase:
    """One measured step: `rows` rows (or documents) in `timing.seconds`."""

    name: str
    rows: int | None
    timing: Timing
    note: str = ""

    @property
    def rows_per_second(self) -> float | None:
        seconds = self.timing.seconds
        return self.rows / seconds if self.rows and seconds > 0 else None


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def timed(label: str, action: Callable[[], T]) -> tuple[T, Timing]:
    log(f"{label} …")
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = action()
    timing = Timing(time.perf_counter() - wall, cpu_seconds() - cpu, python_peak_rss_mib())
    log(
        f"{label}: {timing.seconds:.2f}s wall, {timing.cpu_seconds:.2f}s CPU, "
        f"peak RSS {timing.peak_rss_mib:.0f} MiB"
    )
    return result, timing


def outcome(report: ImportReport) -> str:
    """The non-zero counts of an import report."""
    counts = {
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "merged": report.merged,
        "rejected": report.rejected,
        "flagged": report.flagged,
        "missing": report.missing,
        # possible duplicates across sources, where the importer records them
        "possible duplicates": getattr(report, "duplicates", 0),
    }
    return ", ".join(f"{name} {count:,}" for name, count in counts.items() if count)


def warn_unexpected(report: ImportReport, expected: str) -> None:
    """The synthetic sheet should be all `expected`: say so loudly if not (never fail)."""
    if getattr(report, expected) == report.read:
        return
    log(f"WARNING: expected every row {expected}, got: {outcome(report)}")
    for problem in [*report.problems, *report.flags][:10]:
        log(f"  - {problem}")


# ---- fresh services ----------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(kind: str, workdir: Path, admin_url: str) -> Iterator[Engine]:
    """An empty database: an SQLite file in `workdir`, or a PostgreSQL database created for
    this run and dropped at the end."""
    if kind == "sqlite":
        engine = create_db_engine(f"sqlite:///{workdir / 'bench.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    admin = create_db_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"conciliamo_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def fresh_meilisearch(workdir: Path) -> Iterator[LocalMeilisearch]:
    """Meilisearch on a free port with its data in `workdir`, started as Conciliamo starts
    its own (LocalMeilisearch: --max-indexing-memory 512MiB), stopped at the end."""
    configured = os.environ.get("MEILI_BIN")
    local = LocalMeilisearch(
        binary=find_binary(Path(configured) if configured else None, PROJECT_ROOT / "var"),
        meili_dir=workdir / "meilisearch",
        port=free_port(),
        master_key=secrets.token_urlsafe(32),
    )
    local.start()
    try:
        yield local
    finally:
        local.stop()


def process_memory_mib(pid: int) -> dict[str, float]:
    """VmHWM (peak) and VmRSS (now) of a process, from /proc (Linux only; else empty)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {
        name: int(fields[name].split()[0]) / 1024 for name in ("VmHWM", "VmRSS") if name in fields
    }


# ---- the phases --------------------------------------------------------------------------


def bench_schema_and_gazetteer(engine: Engine, shared_data: Path) -> list[Phase]:
    _, migrate_time = timed("migrate (empty schema)", lambda: migrate(engine))
    path = shared_data / GAZETTEER_FILE
    report, gazetteer_time = timed("gazetteer import", lambda: import_gazetteer(engine, path))
    return [
        Phase("schema: Alembic migrations", None, migrate_time),
        Phase("gazetteer: comuni_istat_2018_json", report.read, gazetteer_time, outcome(report)),
    ]


def bench_miur(engine: Engine, client: Client, shared_data: Path) -> list[Phase]:
    path = shared_data / MIUR_FILE
    report, import_time = timed(
        "MIUR import", lambda: import_file(engine, MiurInfanziaSource(), path)
    )
    indexed, index_time = timed("reindex", lambda: reindex(engine, client, INDEX_UID))
    return [
        Phase("MIUR geocoded: import", report.read, import_time, outcome(report)),
        Phase("MIUR geocoded: reindex", indexed, index_time, f"{indexed:,} documents"),
        Phase(
            "MIUR geocoded: end to end", report.read, import_time + index_time, "import + reindex"
        ),
    ]


def bench_sheet(
    engine: Engine, client: Client, rows: int, seed: int, shared_data: Path, workdir: Path
) -> list[Phase]:
    path = workdir / "servizi_bench.csv"
    italy_geo = shared_data / GAZETTEER_FILE
    _, generate_time = timed(
        f"generate {rows:,} rows", lambda: write_sheet(path, rows, italy_geo, seed)
    )
    size = f"{path.stat().st_size / 2**20:.1f} MiB CSV, seed {seed}"
    source = ServiceSheetSource(SHEET_SOURCE)
    first, import_time = timed("sheet import", lambda: import_file(engine, source, path))
    warn_unexpected(first, "inserted")
    indexed, index_time = timed("reindex", lambda: reindex(engine, client, INDEX_UID))
    again, again_time = timed("sheet re-import", lambda: import_file(engine, source, path))
    warn_unexpected(again, "unchanged")
    return [
        Phase("sheet: generate synthetic CSV", rows, generate_time, size),
        Phase("sheet: import", first.read, import_time, outcome(first)),
        Phase("sheet: reindex", indexed, index_time, f"{indexed:,} documents (all published)"),
        Phase("sheet: end to end", first.read, import_time + index_time, "import + reindex"),
        Phase("sheet: re-import, same file", again.read, again_time, outcome(again)),
    ]


# ---- the report --------------------------------------------------------------------------


def _proc_lines(name: str) -> list[str]:
    path = Path("/proc") / name
    return path.read_text().splitlines() if path.exists() else []


def _code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    git = ["git", "-C", str(PROJECT_ROOT)]
    try:
        commit = subprocess.run(  # noqa: S603
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(  # noqa: S603
            [*git, "status", "--porcelain", "--", *MEASURED_PACKAGES],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    dirty = f" + uncommitted changes in {', '.join(MEASURED_PACKAGES)}" if changed else ""
    return f"commit {commit}{dirty}"


def _code_line(at_start: str, at_end: str) -> str:
    if at_start == at_end:
        return f"Code: {at_start}"
    return f"Code: {at_start} at the start, {at_end} at the end: it changed during the run"


def machine(engine: Engine, client: Client) -> list[str]:
    models = [line for line in _proc_lines("cpuinfo") if line.startswith("model name")]
    memory = [line for line in _proc_lines("meminfo") if line.startswith("MemTotal")]
    ram_kib = int(memory[0].split()[1]) if memory else 0
    if engine.dialect.name == "sqlite":
        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with engine.connect() as connection:
            database = f"PostgreSQL {connection.execute(text('SHOW server_version')).scalar()}"
    libraries = ("SQLAlchemy", "sqlmodel", "pydantic", "psycopg", "meilisearch")
    return [
        f"CPU: {os.cpu_count()} (nproc {len(os.sched_getaffinity(0))}), "
        f"{models[0].split(':', 1)[1].strip() if models else platform.processor()}",
        f"RAM: {ram_kib / 2**20:.1f} GiB; {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}; {database}; "
        f"Meilisearch {client.get_version()['pkgVersion']}",
        "Libraries: " + ", ".join(f"{name} {version(name)}" for name in libraries),
    ]


def _loads(loads: tuple[float, float, float]) -> str:
    return " / ".join(f"{load:.2f}" for load in loads)


def render_section(database: str, rows: int, phases: list[Phase], context: list[str]) -> str:
    command = shlex.join([os.path.relpath(sys.executable), *sys.argv])
    table = [
        "| phase | rows | seconds | rows/s | CPU s (Python) | peak RSS so far (MiB) | notes |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for phase in phases:
        rate, timing = phase.rows_per_second, phase.timing
        table.append(
            f"| {phase.name} | {f'{phase.rows:,}' if phase.rows else '—'} | "
            f"{timing.seconds:.2f} | {f'{rate:,.0f}' if rate else '—'} | "
            f"{timing.cpu_seconds:.2f} | {timing.peak_rss_mib:,.0f} | {phase.note} |"
        )
    return "\n".join(
        [
            f"## {DATABASE_TITLES[database]} — {rows:,} synthetic rows",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}`",
            "",
            *table,
            "",
            *(f"- {line}" for line in context),
            "",
        ]
    )


def write_results(
    out: Path, database: str, section: str, marker: str = "bench", header: str = RESULTS_HEADER
) -> None:
    """Replace this database's section between its `<!-- {marker}:… -->` markers, or append
    it (to a new file starting with `header`)."""
    begin, end = f"<!-- {marker}:{database}:begin -->", f"<!-- {marker}:{database}:end -->"
    current = out.read_text(encoding="utf-8") if out.exists() else header
    block = f"{begin}\n{section}{end}"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        updated = head + block + rest.split(end, 1)[1]
    else:
        updated = f"{current.rstrip()}\n\n{block}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(updated, encoding="utf-8")


# ---- main --------------------------------------------------------------------------------


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--shared-data and --postgres-url, as every benchmark takes them."""
    parser.add_argument(
        "--shared-data",
        type=Path,
        default=Path(os.environ.get("CONCILIAMO_SHARED_DATA", PROJECT_ROOT.parent / "shared/data")),
        help="the open-data folder (default: $CONCILIAMO_SHARED_DATA, else ../shared/data)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CONCILIAMO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="an admin connection; the run creates and drops its own database there",
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic sheet rows")
    parser.add_argument("--database", choices=sorted(DATABASE_TITLES), default="sqlite")
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "bench" / "RESULTS.md", help="Markdown report"
    )
    add_data_options(parser)
    parser.add_argument("--seed", type=int, default=2026, help="synthetic sheet seed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    load_at_start, code_at_start = os.getloadavg(), _code_version()
    with TemporaryDirectory(prefix="conciliamo-bench-") as temporary:
        workdir = Path(temporary)
        with (
            fresh_database(args.database, workdir, args.postgres_url) as engine,
            fresh_meilisearch(workdir) as meilisearch,
        ):
            client = make_client(meilisearch.url, meilisearch.master_key)
            log(f"{args.database} database and Meilisearch at {meilisearch.url} ready")
            phases = bench_schema_and_gazetteer(engine, args.shared_data)
            phases += bench_miur(engine, client, args.shared_data)
            phases += bench_sheet(engine, client, args.rows, args.seed, args.shared_data, workdir)
            machine_lines = machine(engine, client)
            process = meilisearch.process
            meili = process_memory_mib(process.pid) if process is not None else {}
    context = [
        f"Python peak RSS (ru_maxrss): {python_peak_rss_mib():,.0f} MiB",
        "Meilisearch at the end: "
        + (", ".join(f"{name} {mib:,.0f} MiB" for name, mib in meili.items()) or "unknown"),
        f"Load average (1, 5, 15 min) at start {_loads(load_at_start)}, "
        f"at end {_loads(os.getloadavg())}: other processes share the CPUs",
        *machine_lines,
        _code_line(code_at_start, _code_version()),
    ]
    section = render_section(args.database, args.rows, phases, context)
    write_results(args.out, args.database, section)
    print(section)
    log(f"written to {args.out}")


if __name__ == "__main__":
    main()
