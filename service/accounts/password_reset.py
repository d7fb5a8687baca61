"""A forgotten password: a one-time link by e-mail with which an account chooses a new one
(used with service.accounts.users.set_password_with_token). Only an active account that has
a password gets one; the page answers the same either way, so it never tells whether an
address has an account."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from core.i18n import _
from core.kinds import TokenPurpose
from core.settings import Settings
from service.accounts.mail import send_mail
from service.accounts.users import find_user, issue_link_token


def send_password_reset(settings: Settings, session: Session, email: str, language: str) -> bool:
    """E-mail a reset link (earlier ones stop working; committed) in `language` to the
    account of `email` when it may have one; whether it was sent (not for the page to say).
    SMTP failures raise OSError."""
    user = find_user(session, email)
    if user is None or not user.active or not user.password_hash:
        return False
    minutes = settings.password_reset_minutes
    token = issue_link_token(session, user, TokenPurpose.PASSWORD_RESET, timedelta(minutes=minutes))
    send_mail(
        settings,
        user.email,
        _("Conciliamo: reimposta la password").render(language),
        _(
            "Per scegliere una nuova password apri questo link entro {minutes} "
            "minuti:\n\n{link}\n\nSe non l'hai chiesto tu, ignora questo messaggio.",
            minutes=minutes,
            link=f"{settings.public_url}/reimposta/{token}",
        ).render(language),
    )
    return True
