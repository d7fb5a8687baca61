"""`conciliamo user …` and `conciliamo cases …`: the first administrator, invitations, and
the retention purge of family cases. Registered on the main command in service/cli/main.py."""

from __future__ import annotations

import click
from sqlmodel import Session

from core.db import create_db_engine, migrate
from core.kinds import UserRole
from core.models import utc_now
from core.settings import Settings
from service.accounts.account_admin import create_account
from service.accounts.invitations import send_invitation
from service.accounts.users import AccountError, find_user
from service.cases import purge_expired_cases

ROLE_CHOICES = click.Choice([role.value for role in UserRole])


@click.group(name="user")
def user_group() -> None:
    """Accounts of administrators, operators and providers."""


@user_group.command(name="create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICES, default=UserRole.ADMIN.value, show_default=True)
@click.option("--name", "display_name", default="", help="How the account is shown to others.")
@click.option(
    "--organization",
    "organizations",
    type=int,
    multiple=True,
    help="Providers: the id of an organization whose listings they edit (repeatable).",
)
@click.option(
    "--invite",
    is_flag=True,
    help="Send an invitation link instead of asking for a password now.",
)
@click.pass_obj
def create_user_command(
    settings: Settings,
    email: str,
    role: str,
    display_name: str,
    organizations: tuple[int, ...],
    invite: bool,
) -> None:
    """Create an account (the first administrator, for instance). Organizations are for
    providers only."""
    password = None
    if not invite:
        password = click.prompt(
            "Password (12+ characters)", hide_input=True, confirmation_prompt=True
        )
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    try:
        with Session(engine) as session:
            user = create_account(
                session, None, email, UserRole(role), display_name, organizations, password
            )
            click.echo(f"account {user.email} ({user.role}) created")
            if invite:
                _send_invitation(settings, session, user.email)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()


@user_group.command(name="invite")
@click.argument("email")
@click.pass_obj
def invite_command(settings: Settings, email: str) -> None:
    """Send a new invitation link to an existing account (the old links stop working)."""
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session:
            _send_invitation(settings, session, email)
    finally:
        engine.dispose()


def _send_invitation(settings: Settings, session: Session, email: str) -> None:
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    sent = send_invitation(settings, session, user, settings.language)
    written = sent.written_to
    where = f"written to {written}" if written else "sent"
    click.echo(f"invitation for {user.email} {where} (valid {settings.invitation_days} days)")


@click.group(name="cases")
def cases_group() -> None:
    """Family cases saved by the sportelli (with the family's consent)."""


@cases_group.command(name="purge")
@click.pass_obj
def purge_cases_command(settings: Settings) -> None:
    """Delete the cases not changed for CONCILIAMO_CASE_RETENTION_MONTHS (run it daily)."""
    engine = create_db_engine(settings.database_url)
    months = settings.case_retention_months
    try:
        with Session(engine) as session:
            deleted = purge_expired_cases(session, utc_now(), months)
    finally:
        engine.dispose()
    noun = "case" if deleted == 1 else "cases"
    click.echo(f"{deleted} {noun} deleted (not changed in the last {months} months)")
