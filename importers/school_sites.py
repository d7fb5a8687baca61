"""School buildings from the MIUR register (every grade), the host sites that pre- and
post-scuola sheets name by school code. The register has no coordinates: a site takes the
point of the same school from the geocoded MIUR file when there is one, else its CAP zone or
its comune's centre."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.models import Location, Provenance, SchoolSite, Service
from core.places.gazetteer import Gazetteer
from importers.locate import LocateError, locate
from importers.normalise.contacts import street_address
from importers.normalise.values import display_case, text_or_none
from importers.readers import ProgressCallback, RawRow, read_csv_rows
from importers.report import ImportReport, Outcome, RowProblem

REQUIRED_COLUMNS = (
    "codicescuola",
    "denominazionescuola",
    "indirizzoscuola",
    "capscuola",
    "codicecomunescuola",
    "descrizionecomune",
    "descrizionetipologiagradoistruzionescuola",
)
FIELDS = (
    "name",
    "grade",
    "institute",
    "address",
    "cap",
    "comune",
    "istat_code",
    "latitude",
    "longitude",
    "geocode_precision",
)


def import_school_sites(
    engine: Engine,
    path: Path,
    *,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    report = ImportReport(source="sedi-scolastiche", file=path.name, dry_run=dry_run)
    with Session(engine, autoflush=False) as session:
        gazetteer = Gazetteer(session)
        geocoded = _geocoded_points(session)
        existing = {site.code: site for site in session.exec(select(SchoolSite))}
        for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
            report.read += 1
            site = _site(raw, path.name, gazetteer, geocoded)
            if isinstance(site, RowProblem):
                report.count(Outcome.REJECTED)
                report.problems.append(site)
                continue
            report.count(_store(session, existing, site))
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return report


def _site(
    raw: RawRow, file: str, gazetteer: Gazetteer, geocoded: dict[str, tuple[float, float]]
) -> SchoolSite | RowProblem:
    cells = raw.values
    code = (text_or_none(cells.get("codicescuola")) or "").upper()
    comune = gazetteer.find_cadastral(cells.get("codicecomunescuola") or "")
    cap = text_or_none(cells.get("capscuola"))
    cap = cap if cap and cap.isdigit() and len(cap) == 5 else None
    point = geocoded.get(code)
    try:
        located = locate(
            gazetteer,
            cap=cap,
            province=None if comune else code[:2],
            comune_name=comune.istat_code
            if comune
            else display_case(cells.get("descrizionecomune", "")),
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
        )
    except LocateError as error:
        return RowProblem(file, raw.line, "descrizionecomune", error)
    address = street_address(text_or_none(cells.get("indirizzoscuola")) or "")
    return SchoolSite(
        code=code,
        name=display_case(text_or_none(cells.get("denominazionescuola")) or code),
        grade=display_case(cells.get("descrizionetipologiagradoistruzionescuola", "")),
        institute=display_case(text_or_none(cells.get("denominazioneistitutoriferimento")) or "")
        or None,
        address=display_case(address) if address else None,
        cap=located.cap,
        comune=located.comune.name
        if located.comune
        else display_case(cells.get("descrizionecomune", "")),
        istat_code=located.comune.istat_code if located.comune else None,
        latitude=located.latitude,
        longitude=located.longitude,
        geocode_precision=located.precision.value,
    )


def _store(session: Session, existing: dict[str, SchoolSite], site: SchoolSite) -> Outcome:
    stored = existing.get(site.code)
    if stored is None:
        session.add(site)
        existing[site.code] = site
        return Outcome.INSERTED
    changed = [name for name in FIELDS if getattr(stored, name) != getattr(site, name)]
    for name in changed:
        setattr(stored, name, getattr(site, name))
    return Outcome.UPDATED if changed else Outcome.UNCHANGED


def _geocoded_points(session: Session) -> dict[str, tuple[float, float]]:
    """School code → point, for MIUR schools already imported with their own coordinates."""
    statement = (
        select(Provenance.external_id, Location.latitude, Location.longitude)
        .join(Service, col(Service.id) == Provenance.service_id)
        .join(Location, col(Location.id) == Service.location_id)
        .where(
            Provenance.source == "miur-infanzia-geocoded", Location.geocode_precision == "address"
        )
    )
    return {code: (latitude, longitude) for code, latitude, longitude in session.exec(statement)}
