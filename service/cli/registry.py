"""`conciliamo registry …`: the babysitter registry's nightly check. Registered on the main
command in service/cli/main.py."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import click
from sqlmodel import Session

from core.db import create_db_engine
from core.settings import Settings
from service.registry.moderation import suspend_expired

ROME = ZoneInfo("Europe/Rome")


@click.group(name="registry")
def registry_group() -> None:
    """The babysitter registry kept by the Sportelli."""


@registry_group.command(name="check")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as on this day (YYYY-MM-DD; default: today in Italy).",
)
@click.pass_obj
def check_command(settings: Settings, today: datetime | None) -> None:
    """Suspend the approved babysitters whose registry course or paediatric first aid has
    expired (audited; the search index follows through the outbox). For a nightly cron."""
    day: date = today.date() if today else datetime.now(ROME).date()
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session:
            suspended = suspend_expired(session, day)
    finally:
        engine.dispose()
    if suspended:
        ids = ", ".join(map(str, suspended))
        click.echo(f"{len(suspended)} babysitter(s) suspended, certification expired: {ids}")
    else:
        click.echo("no expired certification")
