"""Sending an e-mail: through the SMTP server of the settings, or, in development, into the
mailbox folder (one .eml file each) where a person or a test can read it."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from core.settings import Settings


def send_mail(settings: Settings, to: str, subject: str, body: str) -> Path | None:
    """Send it; in development return the file it was written to."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not settings.smtp_url:
        settings.mailbox_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = settings.mailbox_dir / f"{stamp}-{to.replace('@', '_at_')}.eml"
        path.write_bytes(bytes(message))
        return path
    server = urlsplit(settings.smtp_url)
    smtp_class = smtplib.SMTP_SSL if server.scheme == "smtps" else smtplib.SMTP
    with smtp_class(server.hostname or "localhost", server.port or 0, timeout=30) as smtp:
        if server.scheme == "smtp":
            smtp.starttls()
        if server.username:
            smtp.login(unquote(server.username), unquote(server.password or ""))
        smtp.send_message(message)
    return None
