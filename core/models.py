"""The database schema (SQLModel), modelled on Open Referral HSDS 3.0.

The database is the source of truth: the search index is rebuilt from these tables.
Times of day are stored as `time`, ages in whole months, money in euro cents.
"""

# No `from __future__ import annotations` here: SQLModel resolves relationships at runtime.
from datetime import UTC, date, datetime, time

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from core.kinds import CorrectionStatus, GeocodePrecision, ListingStatus, RegistryStatus


def utc_now() -> datetime:
    return datetime.now(UTC)


class Organization(SQLModel, table=True):
    """The ente gestore: comune, cooperativa, impresa, associazione, or the person (babysitter)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, index=True)
    kind: str = Field(default="", max_length=40)

    services: list["Service"] = Relationship(back_populates="organization")


class Location(SQLModel, table=True):
    """Where a service is delivered; a babysitter's location is a point in the comune served."""

    id: int | None = Field(default=None, primary_key=True)
    address: str | None = Field(default=None, max_length=300)
    cap: str | None = Field(default=None, max_length=5)
    comune: str = Field(max_length=120, index=True)
    istat_code: str | None = Field(default=None, max_length=6)
    latitude: float
    longitude: float
    geocode_precision: str = Field(default=GeocodePrecision.ADDRESS.value, max_length=16)
    #: where the point comes from: "fonte" (the source file), "gazetteer", "nominatim"…
    geocode_source: str = Field(default="fonte", max_length=32)


class Service(SQLModel, table=True):
    """A listing a family can use: a nido, a centro estivo, a babysitter, a sportello…"""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int | None = Field(
        default=None, foreign_key="organization.id", index=True, nullable=False
    )
    location_id: int | None = Field(
        default=None, foreign_key="location.id", index=True, nullable=False
    )
    kind: str = Field(max_length=32, index=True)
    name: str = Field(max_length=300)
    description: str = Field(default="", max_length=4000)
    sector: str | None = Field(default=None, max_length=32)
    age_min_months: int | None = None
    age_max_months: int | None = None
    capacity: int | None = None
    places_available: int | None = None
    cost_cents: int | None = None
    cost_period: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=300)
    #: ISO 639-1 codes of the languages spoken besides Italian, comma-separated ("en,fr")
    languages: str = Field(default="", max_length=120)
    #: welcomes children with disabilities (support staff, accessibility); None: not known
    disability_support: bool | None = None
    #: babysitters: ISTAT codes of the comuni they work in, comma-separated
    service_area: str = Field(default="", max_length=2000)
    #: "come iscriversi": how a family applies ("Domanda online sul portale del Comune…")
    how_to_apply: str = Field(default="", max_length=2000)
    #: takes part in Regione Lombardia's "Nidi Gratis" measure; None: not known
    nidi_gratis: bool | None = None
    status: str = Field(default=ListingStatus.PUBLISHED.value, max_length=16, index=True)
    last_verified_at: date | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    organization: Organization = Relationship(back_populates="services")
    location: Location = Relationship()
    schedule_rows: list["ScheduleRow"] = Relationship(
        back_populates="service",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "order_by": "ScheduleRow.id"},
    )
    provenances: list["Provenance"] = Relationship(
        back_populates="service", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )


class ScheduleRow(SQLModel, table=True):
    """One opening slot: on `weekday` (1 = Monday) from `opens_at` to `closes_at`,
    for dates between `valid_from` and `valid_to` (inclusive; open-ended when null)."""

    id: int | None = Field(default=None, primary_key=True)
    service_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("service.id", ondelete="CASCADE"), index=True, nullable=False
        ),
    )
    weekday: int = Field(ge=1, le=7)
    opens_at: time
    closes_at: time
    valid_from: date | None = None
    valid_to: date | None = None

    service: "Service" = Relationship(back_populates="schedule_rows")


class Provenance(SQLModel, table=True):
    """Which source row a service came from; (source, external_id) is the import key."""

    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_provenance_source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("service.id", ondelete="CASCADE"), index=True, nullable=False
        ),
    )
    source: str = Field(max_length=64)
    external_id: str = Field(max_length=128)
    #: rows of different sources with the same merge key are one service (e.g. a school code)
    merge_key: str | None = Field(default=None, max_length=64, index=True)
    content_hash: str = Field(max_length=64)
    imported_at: datetime = Field(default_factory=utc_now)
    #: set when a later file of the same source no longer has the row; cleared when it returns
    missing_since: datetime | None = None

    service: "Service" = Relationship(back_populates="provenances")


class Comune(SQLModel, table=True):
    """Gazetteer entry: a comune with a representative point, for offline place look-ups."""

    istat_code: str = Field(primary_key=True, max_length=6)
    name: str = Field(max_length=120)
    name_key: str = Field(max_length=120, index=True)
    province: str = Field(default="", max_length=2)
    cap: str | None = Field(default=None, max_length=5)
    cadastral_code: str | None = Field(default=None, max_length=4, index=True)
    region: str | None = Field(default=None, max_length=60)
    population: int | None = None
    latitude: float
    longitude: float


class PostalCode(SQLModel, table=True):
    """A CAP of a comune, with the point of its zone when a source gives one."""

    cap: str = Field(primary_key=True, max_length=5)
    istat_code: str = Field(primary_key=True, foreign_key="comune.istat_code", max_length=6)
    latitude: float | None = None
    longitude: float | None = None


class GeocodeCache(SQLModel, table=True):
    """Answers of online geocoders, kept so the same address is never asked twice."""

    query: str = Field(primary_key=True, max_length=300)
    provider: str = Field(max_length=32)
    found: bool
    latitude: float | None = None
    longitude: float | None = None
    label: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utc_now)


class DuplicateCandidate(SQLModel, table=True):
    """Two listings from different sources that may be the same place: recorded for an
    operator to review, never merged silently."""

    __table_args__ = (UniqueConstraint("service_id", "other_service_id", name="uq_duplicate_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    other_service_id: int = Field(foreign_key="service.id", index=True)
    distance_m: float
    name_similarity: float
    #: a `core.kinds.DuplicateStatus` value
    status: str = Field(default="open", max_length=16)
    created_at: datetime = Field(default_factory=utc_now)
    #: who marked the pair merged or distinct, and when (the audit log has the change too)
    reviewed_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="SET NULL"), index=True, nullable=True
        ),
    )
    reviewed_at: datetime | None = None


class SchoolSite(SQLModel, table=True):
    """A school building from the MIUR register (any grade): where pre- and post-scuola
    happen, referred to by its school code in the sheets comuni fill in."""

    code: str = Field(primary_key=True, max_length=10)
    name: str = Field(max_length=300)
    grade: str = Field(max_length=60)
    institute: str | None = Field(default=None, max_length=300)
    address: str | None = Field(default=None, max_length=300)
    cap: str | None = Field(default=None, max_length=5)
    comune: str = Field(max_length=120)
    istat_code: str | None = Field(default=None, max_length=6)
    latitude: float
    longitude: float
    geocode_precision: str = Field(max_length=16)


class OutboxEntry(SQLModel, table=True):
    """A listing changed: written in the same transaction as the change, delivered to the
    search index by the outbox worker (search/outbox_delivery.py), kept a day after delivery so a
    full reindex can replay what changed while it ran."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    #: no foreign key: a deleted service's entry tells the index to drop it
    service_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utc_now)
    delivered_at: datetime | None = Field(default=None, index=True)


class CorrectionRequest(SQLModel, table=True):
    """A family's "segnala un errore" about a listing, for an operator to check. Recording one
    never changes the service (no outbox entry). `reporter_email` is personal data: optional,
    only to reply, never shown publicly nor indexed."""

    __tablename__ = "correction_request"

    id: int | None = Field(default=None, primary_key=True)
    service_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("service.id", ondelete="CASCADE"), index=True, nullable=False
        ),
    )
    #: a `core.kinds.CorrectionTopic` value
    topic: str = Field(max_length=16)
    message: str = Field(max_length=2000)
    reporter_email: str | None = Field(default=None, max_length=200)
    #: the language the family used the site in ("it", "en"), to reply in it
    language: str = Field(default="it", max_length=2)
    status: str = Field(default=CorrectionStatus.OPEN.value, max_length=16, index=True)
    created_at: datetime = Field(default_factory=utc_now)
    #: the operator who accepted or rejected it, when, and why (a rejection's reason)
    resolved_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="SET NULL"), index=True, nullable=True
        ),
    )
    resolved_at: datetime | None = None
    resolution_note: str = Field(default="", max_length=2000)


class User(SQLModel, table=True):
    """Someone who signs in: role `admin`, `operator` or `provider` (core.kinds.UserRole).
    A provider reaches the listings of the organizations linked in `UserOrganization`."""

    __tablename__ = "app_user"  # "user" is a reserved word in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    #: stored in lower case; the sign-in name
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(default="", max_length=120)
    role: str = Field(max_length=16)
    #: Argon2id; empty until an invitation is accepted
    password_hash: str | None = Field(default=None, max_length=200)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    #: raised on sign-out everywhere and on a new password: older sessions stop working
    session_version: int = 1
    created_at: datetime = Field(default_factory=utc_now)
    last_login_at: datetime | None = None


class UserOrganization(SQLModel, table=True):
    """A provider's organizations: the listings they may edit."""

    __tablename__ = "user_organization"

    user_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    )
    organization_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
        ),
    )


class UserToken(SQLModel, table=True):
    """A one-time link (invitation or password reset). Only the SHA-256 of the token is kept,
    so a copy of the database opens no account."""

    __tablename__ = "user_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="CASCADE"), index=True, nullable=False
        ),
    )
    purpose: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)


class AuditEntry(SQLModel, table=True):
    """Who changed what, when, field by field: before → after (as text)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    #: None once the account is deleted; the entry stays
    user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="SET NULL"), index=True, nullable=True
        ),
    )
    #: "service", "schedule", "correction_request", "user"…
    entity: str = Field(max_length=32)
    entity_id: int = Field(index=True)
    #: the listing concerned, when there is one (no foreign key: history outlives listings)
    service_id: int | None = Field(default=None, index=True)
    field: str = Field(max_length=64)
    before: str | None = Field(default=None, max_length=4000)
    after: str | None = Field(default=None, max_length=4000)
    at: datetime = Field(default_factory=utc_now, index=True)


class FamilyCase(SQLModel, table=True):
    """A family's need saved by an operator, only with the family's recorded consent and
    with the least data that serves: a reference code instead of names, children as birth
    month and year (inside the saved search), no addresses beyond what was searched.
    Deleted by `conciliamo cases purge` after the retention period."""

    __tablename__ = "family_case"

    id: int | None = Field(default=None, primary_key=True)
    #: what the operator and the family call the case ("SSG-2026-0042"), never a name
    reference: str = Field(max_length=32, unique=True, index=True)
    #: the search as its URL query (service/web/search_form.py), home and work included
    search_query: str = Field(max_length=4000)
    notes: str = Field(default="", max_length=2000)
    consent_recorded_at: datetime
    created_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="SET NULL"), index=True, nullable=True
        ),
    )
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now, index=True)


class RegistryEntry(SQLModel, table=True):
    """A babysitter listing's place in the Sportello's registry (service.registry.moderation): its
    status (core.kinds.RegistryStatus), the certifications with their expiry, the
    publication consent, the operator's last decision, and the certification dates the
    babysitter proposed (`proposed_*`, waiting for an operator: never shown to families)."""

    __tablename__ = "registry_entry"

    service_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("service.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
    )
    status: str = Field(default=RegistryStatus.PENDING.value, max_length=16, index=True)
    #: the registry course ("corso per babysitter"): when attended, until when valid
    registry_course_on: date | None = None
    registry_course_expires_on: date | None = None
    #: the paediatric first-aid course: when attended, until when valid
    first_aid_on: date | None = None
    first_aid_expires_on: date | None = None
    #: when the babysitter agreed to appear in the public registry
    publication_consent_at: datetime | None = None
    #: the operator who decided last (None: an import or the nightly check), when and why
    decided_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="SET NULL"), index=True, nullable=True
        ),
    )
    decided_at: datetime | None = None
    decision_note: str = Field(default="", max_length=2000)
    #: dates typed by the babysitter, waiting for an operator (`proposed_at` set)
    proposed_registry_course_on: date | None = None
    proposed_registry_course_expires_on: date | None = None
    proposed_first_aid_on: date | None = None
    proposed_first_aid_expires_on: date | None = None
    proposed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
