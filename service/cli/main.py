"""The `conciliamo` command: serve, import, reindex, check, migrate, prestart."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
from geopy.geocoders import Nominatim
from pydantic import ValidationError
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from sqlalchemy.exc import OperationalError

from core.db import create_db_engine, migrate
from core.i18n import LANGUAGES, SOURCE_LANGUAGE, _, as_text
from core.kinds import ServiceKind
from core.settings import PROJECT_ROOT, Settings, SettingsError
from importers.gazetteer import import_gazetteer
from importers.pipeline import Source, import_file
from importers.readers import SourceFileError
from importers.report import ImportReport
from importers.school_sites import import_school_sites
from importers.sources.hsds import HsdsSource
from importers.sources.lombardia_points import (
    LombardiaSocialDesksSource,
    LombardiaSummerCentresSource,
)
from importers.sources.mapped_sheet import MappedSheetSource, Mapping
from importers.sources.miur_anagrafe import MiurRegisterSource
from importers.sources.miur_infanzia import MiurInfanziaSource
from importers.sources.nidi_ixmaps import IxmapsNidiSource
from importers.sources.service_sheet import ServiceSheetSource
from search.client import make_client
from search.index_settings import apply_index_settings
from search.local_meilisearch import MeilisearchUnavailable, meilisearch_endpoint
from search.outbox_delivery import OutboxWorker, deliver_all, outbox_lag
from search.sync import compare_contents, compare_counts, reindex
from service.cli.accounts import cases_group, user_group
from service.cli.registry import registry_group

DEMO_DIR = PROJECT_ROOT / "demo"
DEMO_SOURCE = "demo"


class _Commands(click.Group):
    """Turns the errors a person can fix into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (MeilisearchUnavailable, SourceFileError, SettingsError, ValidationError) as error:
            language = ctx.obj.language if isinstance(ctx.obj, Settings) else SOURCE_LANGUAGE
            raise click.ClickException(as_text(error).render(language)) from error


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    help="Language of import summaries and reports' messages "
    "(default: CONCILIAMO_LANGUAGE, else it).",
)
@click.pass_context
def main(ctx: click.Context, language: str | None) -> None:
    """Conciliamo: servizi di conciliazione vita-lavoro (nidi, centri estivi, pre/post-scuola,
    babysitter, sportelli). Configure with environment variables or a .env file: DATABASE_URL,
    MEILI_URL, MEILI_MASTER_KEY, MEILI_BIN, CONCILIAMO_DATA_DIR, CONCILIAMO_GEOCODER,
    CONCILIAMO_LANGUAGE."""
    settings = Settings()
    if language is not None:
        settings.language = language  # type: ignore[assignment]
    ctx.obj = settings


@main.command(name="migrate")
@click.pass_obj
def migrate_command(settings: Settings) -> None:
    """Create or upgrade the database schema (Alembic)."""
    migrate(create_db_engine(settings.database_url))
    click.echo("database schema up to date")


@main.command()
@click.option("--timeout", default=60, show_default=True, help="Seconds to wait for the database.")
@click.pass_obj
def prestart(settings: Settings, timeout: int) -> None:
    """Before the app starts: wait for the database, migrate, apply the index settings."""
    engine = create_db_engine(settings.database_url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            migrate(engine)
            break
        except OperationalError as error:
            if time.monotonic() > deadline:
                raise click.ClickException(f"database not reachable: {error}") from error
            time.sleep(1)
    with meilisearch_endpoint(settings) as endpoint:
        apply_index_settings(make_client(endpoint.url, endpoint.api_key), settings.services_index)
    click.echo("database migrated, index settings applied")


@main.group(name="import")
def import_group() -> None:
    """Import services (and the gazetteer) from files into the database."""


def _import_options(function):  # type: ignore[no-untyped-def]
    function = click.option("--dry-run", is_flag=True, help="Read and validate, store nothing.")(
        function
    )
    return click.option(
        "--report",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the row-by-row report here (.json, or .csv for the problems only).",
    )(function)


@import_group.command(name="demo")
@_import_options
@click.pass_obj
def import_demo(settings: Settings, dry_run: bool, report: Path | None) -> None:
    """The fictional demo data shipped in demo/ (gazetteer, then services)."""
    engine = _migrated_engine(settings)
    _finish(
        _run(
            lambda progress: import_gazetteer(
                engine, DEMO_DIR / "comuni.csv", dry_run=dry_run, on_progress=progress
            ),
            DEMO_DIR / "comuni.csv",
        ),
        None,
    )
    _finish(
        _run(
            lambda progress: import_file(
                engine,
                ServiceSheetSource(DEMO_SOURCE),
                DEMO_DIR / "servizi.csv",
                dry_run=dry_run,
                on_progress=progress,
            ),
            DEMO_DIR / "servizi.csv",
        ),
        report,
    )


@import_group.command(name="gazetteer")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@_import_options
@click.pass_obj
def import_gazetteer_command(
    settings: Settings, file: Path, dry_run: bool, report: Path | None
) -> None:
    """Comuni, their CAP and a point each, for offline place look-ups.

    FILE is our own CSV (codice_istat, nome, provincia, cap, lat, lon), the comune × CAP CSV
    of comuni_cap_geocoded, or italy_geo.json of comuni_istat_2018_json (italy_cities.json and
    italy_cap.json are read from the same folder). Load the ISTAT JSON before the CAP file:
    CAP-derived points only place comuni that have no point yet."""
    engine = _migrated_engine(settings)
    _finish(
        _run(
            lambda progress: import_gazetteer(engine, file, dry_run=dry_run, on_progress=progress),
            file,
        ),
        report,
    )


#: sources that need nothing but their file: command → (source, help)
FILE_SOURCES: dict[str, tuple[Callable[[], Source], str]] = {
    "miur-infanzia": (
        MiurInfanziaSource,
        "MIUR scuole dell'infanzia, geocoded (scuole_infanzia_lombardia_geocoded.csv).",
    ),
    "miur-anagrafe": (
        MiurRegisterSource,
        "MIUR register of state schools: scuole dell'infanzia, merged by school code with the "
        "geocoded MIUR file (import the gazetteer first: the register has no coordinates).",
    ),
    "lombardia-centri-estivi": (
        LombardiaSummerCentresSource,
        "Regione Lombardia centri ricreativi diurni / centri estivi (luoghi_giovani GeoJSON).",
    ),
    "lombardia-servizi-sociali": (
        LombardiaSocialDesksSource,
        "Regione Lombardia comune social-service desks (servizi_sociali GeoJSON) as sportelli.",
    ),
    "nidi-ixmaps": (
        IxmapsNidiSource,
        'Nidi from an iXmaps "Map" JSON (e.g. San Benedetto del Tronto\'s Nidi.json).',
    ),
}


def _add_file_source_command(name: str, make_source: Callable[[], Source], help_text: str) -> None:
    @import_group.command(name=name, help=help_text)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @_import_options
    @click.pass_obj
    def command(settings: Settings, file: Path, dry_run: bool, report: Path | None) -> None:
        _import_source(settings, make_source(), file, dry_run, report)


for _name, (_make_source, _help) in FILE_SOURCES.items():
    _add_file_source_command(_name, _make_source, _help)


@import_group.command(name="sedi-scolastiche")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_import_options
@click.pass_obj
def import_school_sites_command(
    settings: Settings, file: Path, dry_run: bool, report: Path | None
) -> None:
    """School buildings of the MIUR register (every grade), the host sites pre- and
    post-scuola sheets name by codice_scuola. Import the gazetteer (and the geocoded MIUR
    schools, for their points) first."""
    engine = _migrated_engine(settings)
    _finish(
        _run(
            lambda progress: import_school_sites(
                engine, file, dry_run=dry_run, on_progress=progress
            ),
            file,
        ),
        report,
    )


@import_group.command(name="hsds")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in ServiceKind]),
    help="Kind of the services whose name, taxonomy and description say none.",
)
@click.option(
    "--source",
    "source_name",
    default="hsds",
    show_default=True,
    help="Who supplied the data (e.g. rete-cremona); part of each listing's key.",
)
@_import_options
@click.pass_obj
def import_hsds(
    settings: Settings,
    path: Path,
    kind: str | None,
    source_name: str,
    dry_run: bool,
    report: Path | None,
) -> None:
    """Open Referral HSDS: a 1.1 data package (its folder or datapackage.json) or a 3.0 JSON
    file of services; one listing per service and location, active services only."""
    source = HsdsSource(source_name, default_kind=ServiceKind(kind) if kind else None)
    _import_source(settings, source, path, dry_run, report)


@import_group.command(name="mappato")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file naming which of their headers is which of our columns.",
)
@_import_options
@click.pass_obj
def import_mapped(
    settings: Settings, file: Path, mapping_file: Path, dry_run: bool, report: Path | None
) -> None:
    """A sheet (CSV or XLSX) with other headers, read through a mapping file; hours, ages and
    fees may be free text. See importers/sources/mapped_sheet.py for the mapping format."""
    _import_source(settings, MappedSheetSource(Mapping.load(mapping_file)), file, dry_run, report)


@import_group.command(name="servizi")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--source",
    "source_name",
    required=True,
    help="Who supplied the sheet (e.g. comune-cremona); part of each row's key.",
)
@_import_options
@click.pass_obj
def import_services(
    settings: Settings, file: Path, source_name: str, dry_run: bool, report: Path | None
) -> None:
    """A services sheet in the Conciliamo format (see demo/README.md)."""
    _import_source(settings, ServiceSheetSource(source_name), file, dry_run, report)


def _import_source(
    settings: Settings, source: Source, file: Path, dry_run: bool, report: Path | None
) -> None:
    engine = _migrated_engine(settings)
    _finish(
        _run(
            lambda progress: import_file(
                engine,
                source,
                file,
                dry_run=dry_run,
                on_progress=progress,
                online_geocoder=_online_geocoder(settings),
            ),
            file,
        ),
        report,
    )


def _online_geocoder(settings: Settings) -> Nominatim | None:
    """geopy's Nominatim when CONCILIAMO_GEOCODER=nominatim (needs the internet)."""
    if settings.geocoder != "nominatim":
        return None
    return Nominatim(
        user_agent=settings.geocoder_user_agent, domain=settings.nominatim_url, timeout=10
    )


def _migrated_engine(settings: Settings):  # type: ignore[no-untyped-def]
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    return engine


def _run(action, file: Path) -> ImportReport:  # type: ignore[no-untyped-def]
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(
        *columns,
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task(file.name, total=file.stat().st_size)
        try:
            return action(lambda read: progress.advance(task, read))  # type: ignore[no-any-return]
        except SourceFileError as error:
            message = _("{error} (nulla è stato salvato)", error=as_text(error))
            raise click.ClickException(message.render(_language())) from error


def _language() -> str:
    settings = click.get_current_context().find_object(Settings)
    return settings.language if settings is not None else SOURCE_LANGUAGE


def _finish(report: ImportReport, report_path: Path | None) -> None:
    language = _language()
    click.echo(report.summary(language))
    if (
        not report.dry_run
        and report.source not in {"gazetteer", "sedi-scolastiche"}
        and (report.inserted or report.updated)
    ):
        queued = _(
            "modifiche in coda per l'indice di ricerca: le consegna `conciliamo serve` "
            "(o `conciliamo worker`)"
        )
        click.echo(queued.render(language))
    for problem in report.problems[:20]:
        click.echo(f"  - {problem.render(language)}", err=True)
    if len(report.problems) > 20:
        more = _("… e altri {count} (usa --report)", count=len(report.problems) - 20)
        click.echo(f"  {more.render(language)}", err=True)
    if report_path is not None:
        report.write(report_path)
        click.echo(_("rapporto scritto in {path}", path=report_path).render(language))


@main.command(name="reindex")
@click.pass_obj
def reindex_command(settings: Settings) -> None:
    """Rebuild the search index from the database (atomic swap: searches keep working)."""
    engine = _migrated_engine(settings)
    with meilisearch_endpoint(settings) as endpoint:
        count = reindex(
            engine, make_client(endpoint.url, endpoint.api_key), settings.services_index
        )
    click.echo(f"indexed {count} published services into {settings.services_index}")


@main.command()
@click.pass_obj
def check(settings: Settings) -> None:
    """Compare published services in the database with documents in the index, one by one."""
    engine = _migrated_engine(settings)
    with meilisearch_endpoint(settings) as endpoint:
        difference = compare_contents(
            engine, make_client(endpoint.url, endpoint.api_key), settings.services_index
        )
    lag = outbox_lag(engine)
    click.echo(
        f"database: {difference.database} published services; index: {difference.index} "
        f"documents; outbox: {lag.pending} changes waiting"
    )
    for label, ids in (
        ("missing from the index", difference.missing),
        ("in the index but not published", difference.extra),
        ("out of date in the index", difference.stale),
    ):
        if ids:
            shown = ", ".join(map(str, ids[:10])) + (" …" if len(ids) > 10 else "")
            click.echo(f"{len(ids)} {label}: {shown}")
    if not difference.in_sync:
        raise click.ClickException(
            "database and index differ: start `conciliamo worker` (or `serve`) to deliver "
            "the outbox, or run `conciliamo reindex`"
        )
    click.echo("in sync")


@main.command()
@click.option("--once", is_flag=True, help="Deliver what is pending and exit.")
@click.pass_obj
def worker(settings: Settings, once: bool) -> None:
    """Deliver listing changes from the outbox to the search index (production: run one or
    more next to the app, with CONCILIAMO_OUTBOX_WORKER=external)."""
    engine = _migrated_engine(settings)
    with meilisearch_endpoint(settings) as endpoint:
        client = make_client(endpoint.url, endpoint.api_key)
        apply_index_settings(client, settings.services_index)
        if once:
            delivered = deliver_all(engine, client, settings.services_index)
            click.echo(
                f"delivered {delivered.entries} changes: {delivered.indexed} documents "
                f"written, {delivered.removed} removed"
            )
            return
        click.echo(f"delivering the outbox to {endpoint.url}; Ctrl+C to stop")
        running = OutboxWorker(
            engine, client, settings.services_index, settings.outbox_poll_seconds
        )
        try:
            running.run()
        except KeyboardInterrupt:
            running.stop()


@main.command()
@click.option("--host", help="Address to listen on (default from CONCILIAMO_HOST: 127.0.0.1).")
@click.option("--port", type=int, help="Port (default from CONCILIAMO_PORT: 8000).")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve the site and the API; starts and stops its own Meilisearch unless MEILI_URL is set."""
    import uvicorn

    from service.app import create_app
    from service.assets.manifest import AssetManifest, MissingAssetError

    try:
        AssetManifest.load()
    except MissingAssetError as error:
        raise click.ClickException(str(error)) from error
    engine = _migrated_engine(settings)
    with meilisearch_endpoint(settings) as endpoint:
        client = make_client(endpoint.url, endpoint.api_key)
        apply_index_settings(client, settings.services_index)
        deliver_all(engine, client, settings.services_index)
        if not compare_counts(engine, client, settings.services_index).in_sync:
            count = reindex(engine, client, settings.services_index)
            click.echo(f"index was out of date: reindexed {count} services")
        engine.dispose()
        address = f"http://{host or settings.host}:{port or settings.port}"
        click.echo(f"Conciliamo at {address} (Meilisearch at {endpoint.url}); Ctrl+C to stop")
        uvicorn.run(
            create_app(settings, endpoint),
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
        )


main.add_command(user_group)
main.add_command(cases_group)
main.add_command(registry_group)
