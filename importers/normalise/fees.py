"""Read what a service costs from free Italian text ("€ 450/mese", "gratuito", "secondo ISEE").

Reading rules:

* amounts are written the Italian way (``1.200,00``, ``95,50``, ``450``); a dot or comma
  followed by three digits groups thousands, by one or two digits starts the cents;
* numbers that are not prices are skipped: those followed by ``%``, ``°`` or a count
  (``settimane``, ``giorni``, ``mesi``, ``ore``, ``anni``, ``turni``, ``bambini``, ``figli``,
  ``ingressi``, ``pasti``, ``posti``) or preceded by ``per`` (unless ``€``/``euro`` follows
  them), and ISEE thresholds (``ISEE fino a 15.000``, ``ISEE < 10.000``, ``ISEE 8.000``);
* the amount is the lowest price found: for ``€ 300-500/mese secondo ISEE`` it is 300 €;
* the period is the one written after that amount (else the last one before it): ``mese``
  (``/mese``, ``al mese``, ``mensile``), ``settimana``, ``ora`` (``/h``, ``all'ora``,
  ``oraria``), ``anno`` (``annui``, ``annuale``), ``giorno`` (``/gg``, ``giornaliero``);
* ``gratuito``, ``gratis``, ``nessun costo``, ``senza costi``, ``esente`` or an amount of 0
  give amount 0 with period ``gratuito``;
* ``ISEE``, ``reddito`` or ``fascia``/``fasce`` make the fee income-based, with or without an
  amount;
* ``note`` keeps the whole text when something was left out: a second price, a skipped number
  or a second period; otherwise it is ``None``.
"""

import re
from dataclasses import dataclass

from core.i18n import _

PERIODS = ("mese", "settimana", "ora", "anno", "giorno", "gratuito")
FREE = "gratuito"
CONTEXT_CHARS = 60
EXAMPLE = _(
    '"{monthly}", "{free}" o "{income_based}"',
    monthly="450 €/mese",
    free="gratuito",
    income_based="in base all'ISEE",
)

PERIOD_PATTERNS = tuple(
    (period, re.compile(pattern, re.IGNORECASE))
    for period, pattern in (
        ("mese", r"\bmes[ei]\b|\bmensil\w*"),
        ("settimana", r"\bsettiman\w*|/\s*sett\b"),
        ("ora", r"\bora\b|\borari[ae]\b|/\s*h\b"),
        ("anno", r"\banno\b|\bannu[aoi]\w*"),
        ("giorno", r"\bgiorn\w*|/\s*gg?\b"),
    )
)
AMOUNT = re.compile(
    r"(?<![0-9.,])(?P<units>[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+)(?:[.,](?P<cents>[0-9]{1,2}))?"
    r"(?![0-9])"
)
CURRENCY_AFTER = re.compile(r"\s*(?:€|\beur(?:o|i)?\b)", re.IGNORECASE)
COUNT_AFTER = re.compile(
    r"\s*(?:%|°|º|settimane|giorni|mesi|ore|anni|turni|bambin[io]|figli|ingressi|pasti|posti)",
    re.IGNORECASE,
)
PER_BEFORE = re.compile(r"\bper\s*$", re.IGNORECASE)
ISEE_BEFORE = re.compile(
    r"\bisee\s*(?:(?:fino\s+a|inferiore\s+a|superiore\s+a|oltre|sopra|sotto|<|>|≤|≥|<=|>=)\s*)?"
    r"(?:€\s*)?$",
    re.IGNORECASE,
)
FREE_WORDS = re.compile(
    r"\bgratuit\w*|\bgratis\b|\bnessun\s+costo\b|\bsenza\s+costi?\b|\besent[ei]\b", re.I
)
INCOME_WORDS = re.compile(r"\bisee\b|\breddit\w*|\bfasc(?:ia|e)\b", re.IGNORECASE)


class FeeError(ValueError):
    """The text says nothing usable about a price; the message is a `Text` (Italian first)."""


@dataclass(frozen=True)
class Fee:
    """A price in euro cents per period; ``gratuito`` goes with amount 0 and only with it."""

    amount_cents: int | None
    period: str | None
    income_based: bool = False
    note: str | None = None

    def __post_init__(self) -> None:
        valid = (
            (self.period is None or self.period in PERIODS)
            and (self.amount_cents is None or self.amount_cents >= 0)
            and (self.amount_cents == 0) == (self.period == FREE)
            and (self.amount_cents is not None or self.period is None)
        )
        if not valid:
            raise FeeError(
                _(
                    'tariffa non valida: {cents} centesimi per "{period}"; '
                    'il periodo è uno tra {periods} e "gratuito" vale solo per 0',
                    cents=self.amount_cents,
                    period=self.period,
                    periods=", ".join(PERIODS),
                )
            )


def parse_fee(text: str) -> Fee:
    """Read a fee; see the module docstring for the rules."""
    quoted = " ".join(text.split())
    if not quoted:
        raise FeeError(_("tariffa vuota: scrivi per esempio {example}", example=EXAMPLE))
    prices, skipped = _prices(quoted)
    free = FREE_WORDS.search(quoted) is not None or 0 in (cents for cents, _end in prices)
    income_based = INCOME_WORDS.search(quoted) is not None
    if not (prices or free or income_based):
        raise FeeError(
            _(
                'tariffa non riconosciuta "{text}": scrivi per esempio {example}',
                text=quoted,
                example=EXAMPLE,
            )
        )
    periods = _periods(quoted)
    left_out = skipped or len({cents for cents, _end in prices} - {0}) > int(not free)
    note = quoted if left_out or len({name for _start, name in periods}) > 1 else None
    if free:
        return Fee(0, FREE, income_based, note)
    if not prices:
        return Fee(None, None, income_based, note)
    cents, end = min(prices)
    return Fee(cents, _period_near(periods, end), income_based, note)


def format_fee(fee: Fee) -> str:
    """Write the canonical text that :func:`parse_fee` reads back to the same fee (minus note)."""
    income = "in base all'ISEE" if fee.income_based else ""
    if fee.amount_cents is None:
        return income
    if fee.period == FREE:
        return " ".join(filter(None, [FREE, income]))
    euros = f"{fee.amount_cents // 100:,}".replace(",", ".")
    text = f"{euros},{fee.amount_cents % 100:02d} €" + (f"/{fee.period}" if fee.period else "")
    return ", ".join(filter(None, [text, income]))


def _prices(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Prices in cents with the position where each ends, and whether numbers were skipped."""
    prices: list[tuple[int, int]] = []
    skipped = False
    for match in AMOUNT.finditer(text):
        if _is_price(text, match):
            units = int(re.sub("[.,]", "", match["units"]))
            prices.append((units * 100 + int((match["cents"] or "0").ljust(2, "0")), match.end()))
        else:
            skipped = True
    return prices, skipped


def _is_price(text: str, match: re.Match[str]) -> bool:
    # A short window keeps this linear: the patterns never look further back than ~25 chars.
    before = text[max(0, match.start() - CONTEXT_CHARS) : match.start()]
    after = text[match.end() : match.end() + CONTEXT_CHARS]
    if ISEE_BEFORE.search(before):
        return False
    if CURRENCY_AFTER.match(after):
        return True
    return not (COUNT_AFTER.match(after) or PER_BEFORE.search(before))


def _periods(text: str) -> list[tuple[int, str]]:
    found = [
        (match.start(), period)
        for period, pattern in PERIOD_PATTERNS
        for match in pattern.finditer(text)
    ]
    return sorted(found)


def _period_near(periods: list[tuple[int, str]], position: int) -> str | None:
    after = [name for start, name in periods if start >= position]
    before = [name for start, name in periods if start < position]
    if after:
        return after[0]
    return before[-1] if before else None
