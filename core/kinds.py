"""Controlled vocabularies shared by every layer: service kinds, sectors, geocode precision.

Values are stable identifiers (stored in the database and the index); labels are Italian
first, English second.
"""

from enum import StrEnum


class ServiceKind(StrEnum):
    NIDO = "nido"
    MICRONIDO = "micronido"
    NIDO_FAMIGLIA = "nido_famiglia"
    SEZIONE_PRIMAVERA = "sezione_primavera"
    CENTRO_PRIMA_INFANZIA = "centro_prima_infanzia"
    SCUOLA_INFANZIA = "scuola_infanzia"
    CENTRO_ESTIVO = "centro_estivo"
    PRE_SCUOLA = "pre_scuola"
    POST_SCUOLA = "post_scuola"
    BABYSITTER = "babysitter"
    SPORTELLO = "sportello"

    @property
    def label_it(self) -> str:
        return KIND_LABELS_IT[self]

    @property
    def label_en(self) -> str:
        return KIND_LABELS_EN[self]


KIND_LABELS_IT: dict[ServiceKind, str] = {
    ServiceKind.NIDO: "Nido d'infanzia",
    ServiceKind.MICRONIDO: "Micronido",
    ServiceKind.NIDO_FAMIGLIA: "Nido famiglia",
    ServiceKind.SEZIONE_PRIMAVERA: "Sezione primavera",
    ServiceKind.CENTRO_PRIMA_INFANZIA: "Centro prima infanzia",
    ServiceKind.SCUOLA_INFANZIA: "Scuola dell'infanzia",
    ServiceKind.CENTRO_ESTIVO: "Centro estivo",
    ServiceKind.PRE_SCUOLA: "Pre-scuola",
    ServiceKind.POST_SCUOLA: "Post-scuola",
    ServiceKind.BABYSITTER: "Babysitter",
    ServiceKind.SPORTELLO: "Sportello Famiglia-Lavoro",
}

KIND_LABELS_EN: dict[ServiceKind, str] = {
    ServiceKind.NIDO: "Nursery (nido)",
    ServiceKind.MICRONIDO: "Small nursery (micronido)",
    ServiceKind.NIDO_FAMIGLIA: "Home nursery (nido famiglia)",
    ServiceKind.SEZIONE_PRIMAVERA: "Spring section (2–3 years)",
    ServiceKind.CENTRO_PRIMA_INFANZIA: "Early-childhood centre",
    ServiceKind.SCUOLA_INFANZIA: "Pre-school (3–6 years)",
    ServiceKind.CENTRO_ESTIVO: "Summer centre",
    ServiceKind.PRE_SCUOLA: "Before-school care",
    ServiceKind.POST_SCUOLA: "After-school care",
    ServiceKind.BABYSITTER: "Babysitter",
    ServiceKind.SPORTELLO: "Family–work help desk",
}

#: Kinds a family can leave a child at; the help desks are searched on their own.
CARE_KINDS: tuple[ServiceKind, ...] = tuple(
    k for k in ServiceKind if k is not ServiceKind.SPORTELLO
)


class Sector(StrEnum):
    PUBBLICO = "pubblico"
    PRIVATO_ACCREDITATO = "privato_accreditato"
    PRIVATO = "privato"


SECTOR_LABELS_IT: dict[Sector, str] = {
    Sector.PUBBLICO: "Pubblico",
    Sector.PRIVATO_ACCREDITATO: "Privato accreditato",
    Sector.PRIVATO: "Privato",
}


class GeocodePrecision(StrEnum):
    """How exactly a point locates a place, best first."""

    ADDRESS = "address"
    STREET = "street"
    CAP = "cap"
    COMUNE = "comune"


class ListingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUSPENDED = "suspended"


class CorrectionTopic(StrEnum):
    """What a "segnala un errore" request is about."""

    ORARI = "orari"
    ETA = "eta"
    COSTI = "costi"
    CONTATTI = "contatti"
    INDIRIZZO = "indirizzo"
    POSTI = "posti"
    ALTRO = "altro"

    @property
    def label_it(self) -> str:
        return CORRECTION_TOPIC_LABELS_IT[self]

    @property
    def label_en(self) -> str:
        return CORRECTION_TOPIC_LABELS_EN[self]


CORRECTION_TOPIC_LABELS_IT: dict[CorrectionTopic, str] = {
    CorrectionTopic.ORARI: "Orari e periodi di apertura",
    CorrectionTopic.ETA: "Età accolte",
    CorrectionTopic.COSTI: "Costi",
    CorrectionTopic.CONTATTI: "Telefono, e-mail o sito",
    CorrectionTopic.INDIRIZZO: "Indirizzo o posizione sulla mappa",
    CorrectionTopic.POSTI: "Posti disponibili",
    CorrectionTopic.ALTRO: "Altro",
}

CORRECTION_TOPIC_LABELS_EN: dict[CorrectionTopic, str] = {
    CorrectionTopic.ORARI: "Opening hours and periods",
    CorrectionTopic.ETA: "Ages accepted",
    CorrectionTopic.COSTI: "Costs",
    CorrectionTopic.CONTATTI: "Phone, e-mail or website",
    CorrectionTopic.INDIRIZZO: "Address or position on the map",
    CorrectionTopic.POSTI: "Places available",
    CorrectionTopic.ALTRO: "Other",
}


class CorrectionStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    REJECTED = "rejected"


class UserRole(StrEnum):
    """Who signs in: an administrator, a Sportello/Ufficio di Piano operator, or a provider
    (the people behind one or more organizations' listings, a babysitter's included)."""

    ADMIN = "admin"
    OPERATOR = "operator"
    PROVIDER = "provider"


class TokenPurpose(StrEnum):
    """What a one-time link is for."""

    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose, not a password)


class DuplicateStatus(StrEnum):
    """Where an operator's review of a possible duplicate pair stands: still to look at,
    the same place (the second listing suspended), or two different places."""

    OPEN = "open"
    MERGED = "merged"
    DISTINCT = "distinct"


class RegistryStatus(StrEnum):
    """Where a babysitter stands in the Sportello's registry: waiting for an operator,
    approved (shown to families while the certifications are valid), rejected, or
    suspended (by an operator, or by `conciliamo registry check` when a certification
    expired)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
