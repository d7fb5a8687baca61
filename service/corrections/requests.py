"""Correction requests: a family reports a mistake on a listing ("segnala un errore").

A request is recorded for an operator to check; it never changes the service, so it leaves
no outbox entry. The message is stored as written (trimmed): it is text for an operator,
escaped wherever it is shown. The reporter's e-mail is personal data, optional and only for
a reply: it is never indexed nor returned by the public API.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from core.i18n import LANGUAGES, SOURCE_LANGUAGE, Text, _
from core.kinds import CorrectionTopic, ListingStatus
from core.models import CorrectionRequest, Service

MESSAGE_MIN_LENGTH = 10
MESSAGE_MAX_LENGTH = 2000
EMAIL_MAX_LENGTH = 200
#: the largest id the databases store (a bigger one would be a database error, not a miss)
MAX_ID = 2**31 - 1
#: loose on purpose: one @, a dot in the domain, no spaces (the operator replies by hand)
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: control characters other than tab and line breaks (PostgreSQL refuses NUL in text)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of the request, as a message for people."""

    field: str
    message: Text

    def as_json(self, language: str = SOURCE_LANGUAGE) -> dict[str, str]:
        return {"field": self.field, "message": self.message.render(language)}


class CorrectionRequestInvalid(ValueError):
    """The request was not recorded; `problems` names each wrong field (nothing is stored)."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        super().__init__(
            _(
                "segnalazione non registrata: {problems}",
                problems="; ".join(f"{p.field}: {p.message}" for p in self.problems),
            )
        )

    def detail(self, language: str = SOURCE_LANGUAGE) -> str:
        return "; ".join(f"{p.field}: {p.message.render(language)}" for p in self.problems)

    def errors(self, language: str = SOURCE_LANGUAGE) -> list[dict[str, str]]:
        """The API's error list: [{"field", "message"}]."""
        return [problem.as_json(language) for problem in self.problems]


class UnknownService(CorrectionRequestInvalid):
    """No published service has that id (unknown, draft or suspended)."""

    def __init__(self, service_id: int) -> None:
        self.service_id = service_id
        super().__init__(
            [
                FieldProblem(
                    "service_id",
                    _(
                        "nessun servizio pubblicato con il numero {service_id}",
                        service_id=service_id,
                    ),
                )
            ]
        )


def record_correction_request(
    session: Session,
    service_id: int,
    topic: str,
    message: str,
    reporter_email: str | None = None,
    language: str = SOURCE_LANGUAGE,
) -> CorrectionRequest:
    """Validate and store a correction request about a published service, and commit.

    Raises `UnknownService` when no published service has `service_id`, and
    `CorrectionRequestInvalid` listing every wrong field otherwise; nothing is stored then.
    """
    service = session.get(Service, service_id) if 0 < service_id <= MAX_ID else None
    if service is None or service.status != ListingStatus.PUBLISHED.value:
        raise UnknownService(service_id)
    problems: list[FieldProblem] = []
    checked_topic = _topic(topic, problems)
    checked_message = _message(message, problems)
    checked_email = _email(reporter_email, problems)
    if language not in LANGUAGES:
        problems.append(
            FieldProblem(
                "language",
                _("lingua «{language}» non prevista: usa it o en", language=language),
            )
        )
    if problems:
        raise CorrectionRequestInvalid(problems)
    request = CorrectionRequest(
        service_id=service_id,
        topic=checked_topic,
        message=checked_message,
        reporter_email=checked_email,
        language=language,
    )
    session.add(request)
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    session.refresh(request)
    return request


def _topic(value: str, problems: list[FieldProblem]) -> str:
    text = (value or "").strip()
    try:
        return CorrectionTopic(text).value
    except ValueError:
        problems.append(
            FieldProblem(
                "topic",
                _(
                    "argomento «{topic}» non previsto: scegli tra {choices}",
                    topic=text[:40],
                    choices=", ".join(CorrectionTopic),
                ),
            )
        )
        return ""


def _message(value: str, problems: list[FieldProblem]) -> str:
    text = (value or "").strip()
    if not text:
        problems.append(FieldProblem("message", _("scrivi che cosa non è corretto")))
    elif len(text) < MESSAGE_MIN_LENGTH:
        problems.append(
            FieldProblem(
                "message",
                _(
                    "messaggio troppo breve: scrivi almeno {minimum} caratteri",
                    minimum=MESSAGE_MIN_LENGTH,
                ),
            )
        )
    elif len(text) > MESSAGE_MAX_LENGTH:
        problems.append(
            FieldProblem(
                "message",
                _(
                    "messaggio troppo lungo: al massimo {maximum} caratteri (ne ha {length})",
                    maximum=MESSAGE_MAX_LENGTH,
                    length=len(text),
                ),
            )
        )
    elif CONTROL_CHARACTERS.search(text):
        problems.append(
            FieldProblem("message", _("il messaggio contiene caratteri di controllo non ammessi"))
        )
    return text


def _email(value: str | None, problems: list[FieldProblem]) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX_LENGTH:
        problems.append(
            FieldProblem(
                "reporter_email",
                _(
                    "indirizzo e-mail troppo lungo: al massimo {maximum} caratteri",
                    maximum=EMAIL_MAX_LENGTH,
                ),
            )
        )
    elif not EMAIL_PATTERN.fullmatch(text) or CONTROL_CHARACTERS.search(text):
        problems.append(
            FieldProblem(
                "reporter_email",
                _("indirizzo e-mail non valido: scrivi per esempio nome@example.org"),
            )
        )
    return text
