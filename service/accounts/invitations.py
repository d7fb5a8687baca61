"""Invitation e-mails: a one-time link with which a new account chooses its password. One
function for every way an account is invited — `conciliamo user create --invite` and
`user invite`, an administrator's account pages, staff inviting a listing's provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from core.i18n import _
from core.kinds import TokenPurpose
from core.models import User
from core.settings import Settings
from service.accounts.account_admin import ENTITY
from service.accounts.mail import send_mail
from service.accounts.users import issue_link_token, now_utc
from service.audit import record_change


@dataclass(frozen=True)
class InvitationSent:
    #: the file it was written to in development (None: handed to the SMTP server)
    written_to: Path | None
    valid_until: date


def send_invitation(
    settings: Settings,
    session: Session,
    user: User,
    language: str,
    listing_name: str | None = None,
    actor: User | None = None,
) -> InvitationSent:
    """Issue a new invitation link for `user` (earlier ones stop working; committed with
    its audit entry: when the link expires, never the link) and e-mail it in `language`.
    With `listing_name` the e-mail asks the provider to update that listing; `actor` None:
    the command line. SMTP failures raise OSError (the link is issued: send another)."""
    assert user.id is not None
    days = settings.invitation_days
    valid_until = (now_utc() + timedelta(days=days)).date()
    record_change(session, actor, ENTITY, user.id, "invitation", None, valid_until.isoformat())
    token = issue_link_token(session, user, TokenPurpose.INVITATION, timedelta(days=days))
    link = f"{settings.public_url}/invito/{token}"
    if listing_name is not None:
        subject = _("Conciliamo: aggiorna la scheda «{name}»", name=listing_name)
        body = _(
            "Lo Sportello ti invita ad aggiornare su Conciliamo la scheda «{name}». "
            "Scegli la tua password da questo link entro {days} giorni:\n\n{link}",
            name=listing_name,
            days=days,
            link=link,
        )
    else:
        subject = _("Conciliamo: il tuo account")
        body = _(
            "È pronto il tuo account su Conciliamo. "
            "Scegli la tua password da questo link entro {days} giorni:\n\n{link}",
            days=days,
            link=link,
        )
    written = send_mail(settings, user.email, subject.render(language), body.render(language))
    return InvitationSent(written, valid_until)
