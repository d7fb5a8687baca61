"""A babysitter applies to the registry herself (the public form `/babysitter/candidatura`).

`parse_application` checks every field of the form at once (RegistryInvalid names each wrong
one); `receive_application` stores a valid application in ONE transaction — the person as an
organization, her location (her comune's centre, as imports place a babysitter without an
address), the babysitter listing, a *pending* registry entry with the time of her consent,
a provider account without a password linked to the organization, and the audit entries
(the session listener of core/outbox_recording.py adds the outbox entry) — and then e-mails her an
invitation link to choose a password. A pending entry is never shown to families
(search.documents.registry_valid_until, babysitter_card.publicly_visible) until an operator
approves it in /area/babysitter.

An address that already has an account creates nothing and gets the same answer on the page
(nobody learns which addresses have accounts); its owner gets an e-mail saying so.

What is public follows the imports: her first name and initial (the full name stays in the
account, for the operators), no address, a point at her comune's centre; her phone and
presentation are stored on the listing, which never shows them to families
(search.documents.BABYSITTER_PRIVATE_FIELDS).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.i18n import Text, _
from core.kinds import RegistryStatus, Sector, ServiceKind, TokenPurpose, UserRole
from core.models import Comune, Location, Organization, RegistryEntry, Service, utc_now
from core.places.gazetteer import Gazetteer
from core.settings import Settings
from importers.locate import locate
from importers.normalise.contacts import split_phones
from importers.normalise.preferences import languages_or_empty
from importers.normalise.values import CellError, euro_cents_or_none
from importers.records import CERTIFICATE_FIELDS
from service.accounts.mail import send_mail
from service.accounts.users import (
    create_user,
    find_user,
    is_email_address,
    issue_link_token,
    normal_email,
)
from service.audit.recording import record_change
from service.registry.moderation import (
    ENTITY,
    RegistryInvalid,
    parse_certificates,
    parse_service_area,
    unknown_comune_text,
)

log = logging.getLogger(__name__)

#: the organization kind of a person (as the registry files have it)
PERSON = "persona"
NAME_LIMIT = 60
EMAIL_LIMIT = 254
PHONE_LIMIT = 40
COMUNE_LIMIT = 120
AREA_LIMIT = 2000
MAX_COMUNI = 100
LANGUAGES_LIMIT = 200
RATE_LIMIT = 20
DATE_LIMIT = 40
PRESENTATION_LIMIT = 1000
#: an hourly rate above this is a typing mistake
MAX_HOURLY_RATE_CENTS = 100_00
#: the form's fields, in the order the page shows them
TEXT_FIELDS = (
    "first_name",
    "surname",
    "email",
    "phone",
    "home_comune",
    "service_area",
    "languages",
    "hourly_rate",
    "presentation",
    *CERTIFICATE_FIELDS,
)
CONSENT_FIELDS = ("publication_consent", "privacy_notice")
#: letters (any alphabet), and the spaces, apostrophes, hyphens and dots names have
NAME_PATTERN = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?")
#: an address we can write to: no spaces, quotes or angle brackets
EMAIL_CHARACTERS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_CHARACTERS = re.compile(r"[\d\s+()./-]+")
#: kept in a multi-line text (the presentation); every other control character is refused
LINE_BREAKS = frozenset("\n\r\t")


@dataclass(frozen=True)
class Application:
    """A checked application, ready to be stored."""

    first_name: str
    surname: str
    email: str
    phone: str | None
    comune: Comune
    service_area: tuple[str, ...]
    languages: str
    cost_cents: int | None
    presentation: str
    certificates: Mapping[str, date | None]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.surname}"

    @property
    def public_name(self) -> str:
        """«Giulia» «De Luca» → «Giulia D.»: what families see, as the imports store it."""
        initial = next(char for char in self.surname if char.isalpha())
        return f"{self.first_name} {initial.upper()}."


# ---- reading the form -----------------------------------------------------------------------


def _has_control_characters(value: str, multiline: bool) -> bool:
    return any(
        unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}
        and not (multiline and char in LINE_BREAKS)
        for char in value
    )


def _single_line(value: str, limit: int, required: Text | None = None) -> str:
    """One line of text, spaces collapsed; CellError when too long, empty (if required) or
    holding control characters."""
    if _has_control_characters(value, multiline=False):
        raise CellError(_("contiene caratteri non ammessi"))
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    if len(cleaned) > limit:
        raise CellError(_("al massimo {count} caratteri", count=limit))
    if not cleaned and required is not None:
        raise CellError(required)
    return cleaned


def _name(value: str, missing: Text) -> str:
    cleaned = _single_line(value, NAME_LIMIT, missing)
    if not NAME_PATTERN.fullmatch(cleaned):
        raise CellError(_("usa solo lettere, spazi, apostrofi e trattini"))
    return cleaned


def _email(value: str) -> str:
    cleaned = _single_line(value, EMAIL_LIMIT, _("scrivi la tua e-mail"))
    address = normal_email(cleaned)
    if not is_email_address(address) or not EMAIL_CHARACTERS.fullmatch(address):
        raise CellError(_("«{email}» non è un indirizzo e-mail", email=cleaned))
    return address


def _phone(value: str) -> str | None:
    cleaned = _single_line(value, PHONE_LIMIT)
    if not cleaned:
        return None
    if not PHONE_CHARACTERS.fullmatch(cleaned) or not split_phones(cleaned):
        raise CellError(_("«{value}» non è un numero di telefono", value=cleaned))
    return cleaned


def _hourly_rate(value: str) -> int | None:
    cleaned = _single_line(value, RATE_LIMIT).removeprefix("€").removesuffix("€").strip()
    try:
        cents = euro_cents_or_none(cleaned)
    except CellError:
        raise CellError(
            _("«{value}» non è un importo: scrivi per esempio 10 o 9,50", value=cleaned)
        ) from None
    if cents is not None and not 0 < cents <= MAX_HOURLY_RATE_CENTS:
        raise CellError(
            _("scrivi una tariffa oraria tra 1 e {high} euro", high=MAX_HOURLY_RATE_CENTS // 100)
        )
    return cents


def _languages(value: str) -> str:
    """The languages besides Italian, as codes ("en,fr")."""
    codes = languages_or_empty(_single_line(value, LANGUAGES_LIMIT))
    return ",".join(code for code in codes if code != "it")


def _presentation(value: str) -> str:
    if _has_control_characters(value, multiline=True):
        raise CellError(_("contiene caratteri non ammessi"))
    cleaned = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
    if len(cleaned) > PRESENTATION_LIMIT:
        raise CellError(_("al massimo {count} caratteri", count=PRESENTATION_LIMIT))
    return cleaned


def _comune(gazetteer: Gazetteer, value: str) -> Comune:
    name = _single_line(value, COMUNE_LIMIT, _("scrivi il comune in cui vivi"))
    comune = gazetteer.find(name)
    if comune is None:
        raise CellError(unknown_comune_text(gazetteer, name))
    return comune


def _service_area(session: Session, value: str) -> tuple[str, ...]:
    one_line = value.replace("\r\n", ";").replace("\n", ";")
    text = _single_line(one_line, AREA_LIMIT, _("scrivi almeno un comune"))
    try:
        codes = parse_service_area(session, text)
    except RegistryInvalid as invalid:
        raise CellError(invalid.problems["service_area"]) from None
    if not codes:
        raise CellError(_("scrivi almeno un comune"))
    if len(codes) > MAX_COMUNI:
        raise CellError(_("al massimo {count} comuni", count=MAX_COMUNI))
    return codes


def _message(error: CellError) -> Text:
    message = error.args[0]
    return message if isinstance(message, Text) else _(str(message))


def parse_application(session: Session, values: Mapping[str, str]) -> Application:
    """The application a form sends, checked field by field; RegistryInvalid names every
    wrong field (nothing is stored)."""
    problems: dict[str, Text] = {}
    gazetteer = Gazetteer(session)

    def field(name: str, reader: Callable[[str], Any]) -> Any:
        try:
            return reader(str(values.get(name, "")))
        except CellError as error:
            problems[name] = _message(error)
            return None

    application = {
        "first_name": field("first_name", lambda text: _name(text, _("scrivi il tuo nome"))),
        "surname": field("surname", lambda text: _name(text, _("scrivi il tuo cognome"))),
        "email": field("email", _email),
        "phone": field("phone", _phone),
        "comune": field("home_comune", lambda text: _comune(gazetteer, text)),
        "service_area": field("service_area", lambda text: _service_area(session, text)),
        "languages": field("languages", _languages),
        "cost_cents": field("hourly_rate", _hourly_rate),
        "presentation": field("presentation", _presentation),
        "certificates": _certificates(values, problems),
    }
    if not values.get("publication_consent"):
        problems["publication_consent"] = _(
            "serve il tuo consenso per comparire nell'elenco pubblico"
        )
    if not values.get("privacy_notice"):
        problems["privacy_notice"] = _("conferma di aver letto l'informativa")
    if problems:
        raise RegistryInvalid({name: problems[name] for name in _in_form_order(problems)})
    return Application(**application)


def _certificates(values: Mapping[str, str], problems: dict[str, Text]) -> dict[str, date | None]:
    """The four dates, read as the operators' form reads them (problems added to `problems`)."""
    dates = {name: str(values.get(name, ""))[:DATE_LIMIT] for name in CERTIFICATE_FIELDS}
    for name, value in dates.items():
        if _has_control_characters(value, multiline=False):
            problems[name] = _("contiene caratteri non ammessi")
    if any(name in problems for name in CERTIFICATE_FIELDS):
        return {}
    try:
        return parse_certificates(dates)
    except RegistryInvalid as invalid:
        problems.update(invalid.problems)
        return {}


def _in_form_order(problems: Mapping[str, Text]) -> list[str]:
    order = [*TEXT_FIELDS, *CONSENT_FIELDS]
    return sorted(problems, key=lambda name: order.index(name) if name in order else len(order))


# ---- storing it -----------------------------------------------------------------------------


def _listing(session: Session, application: Application) -> Service:
    """The person, her location and her listing, as an import would write them (flushed)."""
    located = locate(Gazetteer(session), comune_name=application.comune.istat_code)
    organization = Organization(name=application.public_name, kind=PERSON)
    location = Location(
        address=None,
        cap=located.cap,
        comune=application.comune.name,
        istat_code=application.comune.istat_code,
        latitude=located.latitude,
        longitude=located.longitude,
        geocode_precision=located.precision.value,
        geocode_source=located.source,
    )
    service = Service(
        organization=organization,
        location=location,
        kind=ServiceKind.BABYSITTER.value,
        name=application.public_name,
        description=application.presentation,
        sector=Sector.PRIVATO.value,
        cost_cents=application.cost_cents,
        cost_period="ora" if application.cost_cents is not None else None,
        phone=application.phone,
        languages=application.languages,
        service_area=",".join(application.service_area),
    )
    session.add(service)
    session.flush()
    return service


def _store(session: Session, application: Application, consent_at: datetime) -> tuple[int, str]:
    """Everything in one transaction (committed); (the listing's id, the account's e-mail)."""
    service = _listing(session, application)
    service_id = service.id or 0
    entry = RegistryEntry(
        service_id=service_id,
        status=RegistryStatus.PENDING.value,
        publication_consent_at=consent_at,
        created_at=consent_at,
        updated_at=consent_at,
    )
    for name in CERTIFICATE_FIELDS:
        setattr(entry, name, application.certificates.get(name))
    session.add(entry)
    user = create_user(
        session,
        application.email,
        UserRole.PROVIDER,
        display_name=application.full_name,
        organization_ids=(service.organization_id or 0,),
        commit=False,
    )
    record_change(session, None, ENTITY, service_id, "status", None, entry.status, service_id)
    record_change(
        session,
        None,
        ENTITY,
        service_id,
        "publication_consent_at",
        None,
        consent_at.isoformat(),
        service_id,
    )
    session.commit()
    return service_id, user.email


def receive_application(
    session: Session,
    settings: Settings,
    application: Application,
    language: str,
    now: datetime | None = None,
) -> int | None:
    """Store the application and e-mail her the invitation link; the new listing's id.

    None when the address already has an account: nothing is stored, and the address gets
    an e-mail saying so (the caller answers as for a new application)."""
    if find_user(session, application.email) is not None:
        _send_account_exists(settings, application.email, language)
        return None
    try:
        service_id, email = _store(session, application, now or utc_now())
    except IntegrityError:  # the same address applied a moment ago, in another request
        session.rollback()
        _send_account_exists(settings, application.email, language)
        return None
    user = find_user(session, email)
    assert user is not None
    token = issue_link_token(
        session, user, TokenPurpose.INVITATION, timedelta(days=settings.invitation_days)
    )
    _send(
        settings,
        email,
        _("Conciliamo: la tua candidatura all'elenco delle babysitter").render(language),
        _(
            "Grazie, {name}: abbiamo ricevuto la tua candidatura all'elenco delle babysitter. "
            "Lo Sportello Famiglia-Lavoro la verificherà: le famiglie ti vedranno solo dopo "
            "la sua approvazione.\n\n"
            "Intanto scegli la tua password da questo link entro {days} giorni:\n\n{link}\n\n"
            "Con la password entri nell'area riservata, dove indichi i giorni e gli orari in "
            "cui sei disponibile e tieni aggiornati i tuoi dati.\n\n"
            "Se la candidatura non l'hai inviata tu, ignora questo messaggio.",
            name=application.first_name,
            days=settings.invitation_days,
            link=f"{settings.public_url}/invito/{token}",
        ).render(language),
    )
    return service_id


def _send(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send it, or log why not: the application is stored either way, and the moderation
    page shows an invitation never accepted, which an operator can send again."""
    try:
        send_mail(settings, to, subject, body)
    except OSError:  # smtplib's errors included
        log.exception("the e-mail about a babysitter application could not be sent")


def _send_account_exists(settings: Settings, email: str, language: str) -> None:
    _send(
        settings,
        email,
        _("Conciliamo: hai già un account").render(language),
        _(
            "Abbiamo ricevuto una candidatura all'elenco delle babysitter con questo "
            "indirizzo, che ha già un account su Conciliamo: non abbiamo registrato nulla.\n\n"
            "Accedi da {login} per aggiornare la tua scheda. Se non ricordi la password, "
            "chiedine una nuova da {reset}.\n\n"
            "Se la candidatura non l'hai inviata tu, ignora questo messaggio.",
            login=f"{settings.public_url}/accesso",
            reset=f"{settings.public_url}/password-dimenticata",
        ).render(language),
    )
