"""Invitation e-mails: a one-time link with which a new account chooses its password. One
function for every way an account is invited — `conciliamo user create --invite` and
`user invite`, an administrator's account pages, staff inviting a listing's provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from core.i18n import _
from core.kinds import TokenPurpose, UserRole
from core.models import Service, User
from core.settings import Settings
from service.accounts.account_admin import ENTITY, create_account, link_organization
from service.accounts.mail import send_mail
from service.accounts.users import AccountError, find_user, issue_link_token, now_utc
from service.audit.recording import record_change


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


def invite_listing_provider(
    settings: Settings,
    session: Session,
    actor: User,
    service: Service,
    email: str,
    language: str,
) -> User:
    """Staff invite the provider of `service` at `email`: a new provider account linked to
    the listing's organization, or an existing provider's account linked to it too (each
    committed and audited), then an invitation e-mail naming the listing. Raises
    AccountError (field "email") for an address that cannot be a provider's account."""
    organization_id = service.organization_id or 0
    invited = find_user(session, email)
    if invited is None:
        invited = create_account(
            session, actor, email, UserRole.PROVIDER, organization_ids=(organization_id,)
        )
    elif invited.role != UserRole.PROVIDER:
        raise AccountError("email", _("questo account non è di un gestore"))
    else:
        link_organization(session, actor, invited, organization_id)
    send_invitation(settings, session, invited, language, listing_name=service.name, actor=actor)
    return invited
