"""A synthetic services sheet (the Conciliamo format of demo/README.md) for the benchmark.

Every row is meant to be accepted by ServiceSheetSource: real Lombard comuni with their ISTAT
centroid (read from italy_geo.json), points within ~5 km of it (the importer replaces points
farther than 15 km), realistic kinds, ages, hours, weekly summer modules and fees. Points are
dense around Milan (a gaussian around the city centre, each point given to the nearest comune
of the metropolitan area) with a share in the other provincial capitals. Deterministic for a
given seed. All contacts are fictional (`02 0000 …`, `example.org`).
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parents[1] / "tests"
if str(TESTS_DIR) not in sys.path:
    sys.path.append(str(TESTS_DIR))  # tests/factories.py owns the sheet's header and quoting
from factories import SERVICE_SHEET_HEADER, sheet_row  # noqa: E402

MILAN_CENTRE = (45.4642, 9.19)
MILAN_SD_DEGREES = 0.15
METRO_SHARE = 0.8  # the rest goes to the other Lombard comuni
MAX_KM_FROM_CENTROID = 5.0
KM_PER_DEGREE_LAT = 111.2

#: (ISTAT code, name, main CAP) — the Milan metropolitan area and nearby
METRO_COMUNI = (
    ("015146", "Milano", "20121"),
    ("015209", "Sesto San Giovanni", "20099"),
    ("015077", "Cinisello Balsamo", "20092"),
    ("108033", "Monza", "20900"),
    ("015182", "Rho", "20017"),
    ("015166", "Paderno Dugnano", "20037"),
    ("015081", "Cologno Monzese", "20093"),
    ("015189", "Rozzano", "20089"),
    ("015195", "San Giuliano Milanese", "20098"),
    ("015175", "Pioltello", "20096"),
    ("015027", "Bollate", "20021"),
    ("015093", "Corsico", "20094"),
    ("015205", "Segrate", "20090"),
    ("108012", "Brugherio", "20861"),
    ("015192", "San Donato Milanese", "20097"),
    ("015070", "Cernusco sul Naviglio", "20063"),
    ("015036", "Buccinasco", "20090"),
    ("015032", "Bresso", "20091"),
    ("015118", "Legnano", "20025"),
    ("015002", "Abbiategrasso", "20081"),
)
#: the other provincial capitals and large towns of Lombardy
OTHER_COMUNI = (
    ("017029", "Brescia", "25121"),
    ("016024", "Bergamo", "24121"),
    ("013075", "Como", "22100"),
    ("012133", "Varese", "21100"),
    ("012026", "Busto Arsizio", "21052"),
    ("019036", "Cremona", "26100"),
    ("018110", "Pavia", "27100"),
    ("097042", "Lecco", "23900"),
    ("020030", "Mantova", "46100"),
    ("098031", "Lodi", "26900"),
    ("019035", "Crema", "26013"),
    ("018177", "Vigevano", "27029"),
)

# fmt: off
WORDS = (
    "Girasole", "Arcobaleno", "Coccinella", "Glicine", "Aquilone", "Pollicino", "Melograno",
    "Tiglio", "Delfino", "Scoiattolo", "Bruco", "Farfalla", "Ciliegio", "Quercia", "Stella",
    "Luna", "Sole", "Mongolfiera", "Trenino", "Girotondo", "Peter Pan", "Mary Poppins",
    "Gabbiano", "Orsetto", "Rondine", "Papavero", "Margherita", "Nuvola",
)
FIRST_NAMES = (
    "Giulia", "Martina", "Sofia", "Chiara", "Sara", "Francesca", "Elisa", "Anna", "Laura",
    "Valentina", "Marco", "Luca", "Federica",
)
SURNAME_INITIALS = "BCDFGLMNPRST"
STREETS = (
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Corso Italia", "Via Manzoni", "Via Verdi",
    "Via Dante", "Viale Lombardia", "Via Cavour", "Via Marconi", "Via Matteotti",
    "Piazza della Repubblica",
)
# fmt: on
SENTENCES = (
    "Servizio con giardino e cucina interna",
    "Accoglie piccoli gruppi, con educatrici stabili e inserimento graduale",
    "Convenzionato con il Comune, la retta dipende dall'ISEE",
    "Attività all'aperto ogni giorno, laboratori di musica e di lettura",
    "Pasti preparati in sede, menù approvato dall'ATS",
    "Vicino alla stazione, comodo per chi lavora in città",
)


@dataclass(frozen=True)
class Comune:
    istat_code: str
    name: str
    cap: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class KindProfile:
    weight: int
    label: str
    ages: tuple[tuple[int, int], ...]  # (eta_min_mesi, eta_max_mesi) choices; () = none
    capacity: tuple[int, int] | None  # posti_totali range; None = empty
    cost: tuple[int, int, str] | None  # (min €, max €, costo_per); None = free
    hours: Callable[[random.Random], str]
    periods: Callable[[random.Random], str]


# ---- hours and periods -------------------------------------------------------------------


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _between(rng: random.Random, first: str, last: str, step: int = 15) -> int:
    low, high = (int(text[:2]) * 60 + int(text[3:]) for text in (first, last))
    return rng.randrange(low, high + 1, step)


def day_care_hours(rng: random.Random) -> str:
    opens, closes = _between(rng, "07:00", "08:30"), _between(rng, "12:30", "18:30")
    shape = rng.random()
    if shape < 0.15 and closes >= 16 * 60:
        return f"lun-ven {_clock(opens)}-12:30, 13:30-{_clock(closes)}"
    week = f"lun-ven {_clock(opens)}-{_clock(closes)}"
    return f"{week}; sab 08:00-12:30" if shape > 0.9 else week


def part_time_hours(rng: random.Random) -> str:
    days = rng.choice(("lun,mer,ven", "mar,gio", "lun-ven", "lun-gio"))
    opens = _between(rng, "08:30", "10:00")
    return f"{days} {_clock(opens)}-{_clock(opens + rng.choice((150, 180, 210)))}"


def _range(
    rng: random.Random, opens: tuple[str, str], closes: tuple[str, str], step: int = 15
) -> str:
    """An HH:MM-HH:MM range, the opening and the closing drawn from the given windows."""
    return f"{_clock(_between(rng, *opens, step))}-{_clock(_between(rng, *closes, step))}"


def summer_hours(rng: random.Random) -> str:
    return f"lun-ven {_range(rng, ('07:30', '09:00'), ('12:30', '17:30'))}"


def before_school_hours(rng: random.Random) -> str:
    return f"lun-ven {_range(rng, ('07:00', '07:45'), ('08:10', '08:30'), 5)}"


def after_school_hours(rng: random.Random) -> str:
    opens = _between(rng, "16:00", "16:30", 5)
    hours = f"lun-ven {_clock(opens)}-{_clock(_between(rng, '17:30', '18:30'))}"
    return hours if rng.random() < 0.8 else f"lun,mer,ven {_clock(opens)}-18:00"


def babysitter_hours(rng: random.Random) -> str:
    evening = f"lun-ven {_range(rng, ('16:00', '19:30'), ('20:00', '23:30'), 30)}"
    return f"{evening}; sab 09:00-13:00" if rng.random() < 0.4 else evening


def desk_hours(rng: random.Random) -> str:
    morning, afternoon = (
        _clock(_between(rng, "08:30", "09:30")),
        _clock(_between(rng, "14:00", "15:00")),
    )
    return f"lun {morning}-12:30; mer {afternoon}-17:30; ven {morning}-12:30"


def school_year(_rng: random.Random) -> str:
    return "2026-09-01/2027-07-31"


def lessons_year(_rng: random.Random) -> str:
    return "2026-09-07/2027-06-30"


def whole_year(_rng: random.Random) -> str:
    return "2026-09-01/2027-08-31"


def summer_modules(rng: random.Random) -> str:
    """One Monday–Friday period per weekly module, 2 to 10 weeks from June to early August."""
    first = date(2027, 6, 7) + timedelta(weeks=rng.randrange(0, 6))
    weeks = rng.randrange(2, 11)
    mondays = [first + timedelta(weeks=week) for week in range(weeks)]
    return "; ".join(f"{monday}/{monday + timedelta(days=4)}" for monday in mondays)


KINDS: dict[str, KindProfile] = {
    "nido": KindProfile(
        weight=20, label="Nido", ages=((3, 36), (6, 36), (12, 36)), capacity=(20, 80),
        cost=(300, 800, "mese"), hours=day_care_hours, periods=school_year,
    ),
    "micronido": KindProfile(
        weight=8, label="Micronido", ages=((3, 36), (12, 36)), capacity=(10, 24),
        cost=(350, 750, "mese"), hours=day_care_hours, periods=school_year,
    ),
    "nido_famiglia": KindProfile(
        weight=4, label="Nido famiglia", ages=((3, 36),), capacity=(4, 5),
        cost=(450, 650, "mese"), hours=day_care_hours, periods=school_year,
    ),
    "sezione_primavera": KindProfile(
        weight=6, label="Sezione primavera", ages=((24, 36),), capacity=(10, 20),
        cost=(200, 400, "mese"), hours=day_care_hours, periods=school_year,
    ),
    "centro_prima_infanzia": KindProfile(
        weight=3, label="Centro prima infanzia", ages=((12, 36), (0, 36)), capacity=(10, 20),
        cost=(80, 200, "mese"), hours=part_time_hours, periods=school_year,
    ),
    "scuola_infanzia": KindProfile(
        weight=15, label="Scuola dell'infanzia", ages=((36, 72),), capacity=(50, 150),
        cost=(0, 250, "mese"), hours=day_care_hours, periods=school_year,
    ),
    "centro_estivo": KindProfile(
        weight=15, label="Centro estivo", ages=((36, 72), (72, 144), (72, 132)),
        capacity=(30, 150), cost=(60, 180, "settimana"), hours=summer_hours,
        periods=summer_modules,
    ),
    "pre_scuola": KindProfile(
        weight=8, label="Pre-scuola", ages=((72, 132),), capacity=(20, 50),
        cost=(20, 45, "mese"), hours=before_school_hours, periods=lessons_year,
    ),
    "post_scuola": KindProfile(
        weight=8, label="Post-scuola", ages=((72, 132), (36, 72)), capacity=(20, 60),
        cost=(40, 90, "mese"), hours=after_school_hours, periods=lessons_year,
    ),
    "babysitter": KindProfile(
        weight=10, label="Babysitter", ages=((0, 144), (6, 120), (12, 144)), capacity=None,
        cost=(8, 15, "ora"), hours=babysitter_hours, periods=whole_year,
    ),
    "sportello": KindProfile(
        weight=3, label="Sportello Famiglia-Lavoro", ages=(), capacity=None, cost=None,
        hours=desk_hours, periods=whole_year,
    ),
}  # fmt: skip


# ---- places ------------------------------------------------------------------------------


def load_comuni(italy_geo: Path) -> tuple[list[Comune], list[Comune]]:
    """The fixed comuni with their ISTAT centroid from italy_geo.json: (metro, others)."""
    wanted = {code for code, _name, _cap in METRO_COMUNI + OTHER_COMUNI}
    points = {
        code: (float(item["lat"]), float(item["lng"]))
        for item in json.loads(italy_geo.read_text(encoding="utf-8"))
        if (code := str(item.get("istat", "")).zfill(6)) in wanted
    }

    def comuni(table: tuple[tuple[str, str, str], ...]) -> list[Comune]:
        return [Comune(code, name, cap, *points[code]) for code, name, cap in table]

    return comuni(METRO_COMUNI), comuni(OTHER_COMUNI)


def _km(comune: Comune, latitude: float, longitude: float) -> float:
    """Distance from the comune's centroid (equirectangular: plenty at a few km)."""
    d_lat, d_lon = latitude - comune.latitude, longitude - comune.longitude
    scale = math.cos(math.radians(comune.latitude))
    return math.hypot(d_lat * KM_PER_DEGREE_LAT, d_lon * KM_PER_DEGREE_LAT * scale)


def place(
    rng: random.Random, metro: list[Comune], others: list[Comune]
) -> tuple[Comune, float, float]:
    """A comune and a point within MAX_KM_FROM_CENTROID of its centroid.

    Metro points follow the gaussian around Milan, kept only where they fall within 5 km of
    a metro comune (the nearest one gets them): dense in Milan, thinning outwards. Other
    points are a small gaussian (σ ≈ 2 km) around a provincial capital."""
    if rng.random() < METRO_SHARE:
        while True:
            latitude = rng.gauss(MILAN_CENTRE[0], MILAN_SD_DEGREES)
            longitude = rng.gauss(MILAN_CENTRE[1], MILAN_SD_DEGREES)
            comune = min(metro, key=lambda c: _km(c, latitude, longitude))
            if _km(comune, latitude, longitude) <= MAX_KM_FROM_CENTROID:
                return comune, round(latitude, 5), round(longitude, 5)
    comune = rng.choice(others)
    while True:
        latitude = rng.gauss(comune.latitude, 0.018)
        longitude = rng.gauss(comune.longitude, 0.026)
        if _km(comune, latitude, longitude) <= MAX_KM_FROM_CENTROID:
            return comune, round(latitude, 5), round(longitude, 5)


# ---- rows --------------------------------------------------------------------------------


def _organisation(rng: random.Random, kind: str, comune: Comune) -> tuple[str, str, str]:
    """(ente_gestore, tipo_ente, settore)"""
    draw = rng.random()
    if kind == "sportello" or draw < 0.3:
        return f"Comune di {comune.name}", "comune", "pubblico"
    word, other = rng.choice(WORDS), rng.choice(WORDS)
    if draw < 0.6:
        return (
            f"Cooperativa sociale {word} {other}",
            "cooperativa",
            rng.choice(("privato_accreditato", "privato")),
        )
    if draw < 0.75:
        return f"Associazione {word}", "associazione", "privato"
    if draw < 0.9:
        return f"{word} {other} S.r.l.", "impresa", "privato"
    return f"Fondazione Scuola Materna {word}", "ente_religioso", "privato_accreditato"


def _numbers(rng: random.Random, profile: KindProfile) -> dict[str, str]:
    ages = rng.choice(profile.ages) if profile.ages else None
    capacity = rng.randint(*profile.capacity) if profile.capacity else None
    cost = profile.cost
    return {
        "eta_min_mesi": str(ages[0]) if ages else "",
        "eta_max_mesi": str(ages[1]) if ages else "",
        "posti_totali": str(capacity) if capacity is not None else "",
        "posti_disponibili": str(rng.randint(0, capacity // 4)) if capacity is not None else "",
        "costo_euro": f"{rng.randint(cost[0] * 2, cost[1] * 2) / 2:.2f}" if cost else "",
        "costo_per": cost[2] if cost else "gratuito",
    }


def synthetic_row(
    number: int, rng: random.Random, metro: list[Comune], others: list[Comune]
) -> str:
    kind = rng.choices(list(KINDS), weights=[profile.weight for profile in KINDS.values()])[0]
    profile = KINDS[kind]
    comune, latitude, longitude = place(rng, metro, others)
    code = f"BENCH-{number:07d}"
    if kind == "babysitter":
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_INITIALS)}."
        organisation, organisation_kind, sector = name, "persona", "privato"
    else:
        name = f"{profile.label} {rng.choice(WORDS)} – {comune.name} {number}"
        organisation, organisation_kind, sector = _organisation(rng, kind, comune)
    cap = f"201{rng.randint(21, 62)}" if comune.name == "Milano" else comune.cap
    return sheet_row(
        code,
        tipo=kind,
        nome=name,
        ente_gestore=organisation,
        tipo_ente=organisation_kind,
        settore=sector,
        descrizione=f"{rng.choice(SENTENCES)}. (Dati sintetici per il benchmark.)",
        indirizzo="" if kind == "babysitter" else f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
        cap=cap,
        comune=comune.name,
        codice_istat=comune.istat_code if rng.random() < 0.7 else "",
        lat=f"{latitude:.5f}",
        lon=f"{longitude:.5f}",
        orari=profile.hours(rng),
        periodi=profile.periods(rng),
        telefono=f"02 0000 {number % 10_000:04d}",
        email=f"servizio{number}@example.org",
        sito_web=f"https://example.org/bench/{code}" if rng.random() < 0.3 else "",
        **_numbers(rng, profile),
    )


def write_sheet(path: Path, rows: int, italy_geo: Path, seed: int = 2026) -> Path:
    """Write `rows` synthetic services to `path` (UTF-8, comma, RFC 4180 quoting)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    metro, others = load_comuni(italy_geo)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(SERVICE_SHEET_HEADER + "\n")
        for number in range(1, rows + 1):
            handle.write(synthetic_row(number, rng, metro, others) + "\n")
    return path
