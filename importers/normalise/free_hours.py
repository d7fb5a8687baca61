"""Read opening hours written as free Italian text in open data and in the comuni's sheets.

``parse_free_hours("lun-ven 7.30-16.30, sab 8-12")`` gives the :class:`OpeningSlot` values of the
strict template, sorted and merged exactly as ``schedule_text`` merges them, plus *notes*.

Reading rules:

* the text is cut into clauses at ``;``, ``,``, new lines and brackets; a comma inside a time
  (``8,00-16,00``, ``alle 12,30``) is read as ``:`` first;
* a time range is ``7.30-16.30``, ``7:30 - 16:30``, ``8-16``, ``7.30/18.00``, ``8 ÷ 16``,
  ``dalle 8 alle 16`` or ``dalle 7:30 fino alle 18``; ``24`` as a closing time means ``23:59``;
  a range followed by ``anni``, ``mesi``, ``posti``, ``euro``, ``€`` or ``%`` is not a time;
* days are names (``lun``, ``lunedì``, ``Lunedi'``), spans (``lun-ven``, ``dal lunedì al
  venerdì``), lists (``lun, mer e ven``), ``tutti i giorni``, ``feriali`` (lun-sab),
  ``fine settimana`` / ``weekend``; written before or after their time ranges;
* time ranges with no days of their own take the days of the previous ranges (so
  ``lun-ven 8-12, 14-18`` is a split shift from Monday to Friday); the first take
  ``default_days``;
* from ``chiuso``/``chiusura``, ``tranne``, ``escluso``, ``eccetto``, ``su richiesta``,
  ``(orario) prolungato`` or ``post-scuola`` to the end of its clause the text is a note (the
  whole clause when it holds no time range before that word);
* a note like ``orario prolungato fino alle 18`` moves the last closing time of every day that has
  slots to 18:00 (never earlier) and is then dropped; with no slots it stays a note.

A clause with any other word is kept verbatim as a note, so nothing is lost silently; but a text
with no slot and no note of the kinds above raises :class:`FreeHoursError`, as do blank text,
impossible times and day spans written backwards.
"""

import re
from dataclasses import dataclass, field
from datetime import time

from core.i18n import _
from importers.normalise.schedule_text import WEEKDAY_BY_NAME, OpeningSlot, merge_slots

EXAMPLE = '"lun-ven 7:30-16:30"'
DAY_GROUPS = {
    "tutti i giorni": (1, 2, 3, 4, 5, 6, 7),
    "feriali": (1, 2, 3, 4, 5, 6),
    "fine settimana": (6, 7),
    "weekend": (6, 7),
}
FILLER_WORDS = frozenset(
    (
        *("orario", "orari", "ore", "h", "apertura", "aperto", "aperta", "servizio"),
        *("dal", "al", "dalle", "alle", "da", "a", "e", "ed", "il", "i", "la", "lo", "le"),
        *("di", "del", "dei", "giorno", "giorni", "continuato", "continuativo"),
    )
)

_DAY = "|".join(sorted(map(re.escape, WEEKDAY_BY_NAME), key=len, reverse=True))
_TIME = r"([0-9]{1,2})(?:[:.]([0-9]{2}))?"
_END_OF_TIME = r"(?![0-9]|[:.][0-9])"

DASHES = re.compile(r"[–—‐‑−÷]")  # en/em dashes, hyphens, minus, ÷
DAY_APOSTROPHE = re.compile(r"(?<=d)(?:i['’]|í)", re.IGNORECASE)
COMMA_RANGE = re.compile(
    r"(?<![0-9])([0-9]{1,2}),([0-9]{2})(\s*(?:[-/]|\balle\b|\ba\b)\s*(?:ore\s+)?)"
    r"([0-9]{1,2}),([0-9]{2})(?![0-9])",
    re.IGNORECASE,
)
COMMA_TIME = re.compile(r"(\b(?:dalle|alle|ore|h)\s*)([0-9]{1,2}),([0-9]{2})(?![0-9])", re.I)
CLAUSE_SEPARATORS = re.compile(r"[;,\n\r()\[\]]")
DAYS = re.compile(
    rf"\b(?:(?P<first>{_DAY})\s*(?:-|\bal?\b)\s*(?P<last>{_DAY})|(?P<one>{_DAY})"
    r"|(?P<group>tutti\s+i\s+giorni|feriali|fine\s+settimana|weekend))(?!\w)",
    re.IGNORECASE,
)
RANGE = re.compile(
    rf"(?<![0-9])(?<![0-9][:.]){_TIME}\s*(?:[-/]|\b(?:fino\s+)?al(?:le)?\b|\ba\b)\s*"
    rf"(?:ore\s+|h\s*)?{_TIME}{_END_OF_TIME}(?!\s*(?:anni|mesi|posti|euro|€|%))",
    re.IGNORECASE,
)
NOTE_START = re.compile(
    r"\b(?:(?:orario\s+|servizio\s+)?(?:prolung\w*|post[-\s]?scuola)|chius\w*|tranne"
    r"|esclus\w*|eccett\w*|su\s+richiesta)",
    re.IGNORECASE,
)
EXTENSION = re.compile(r"prolung|post[-\s]?scuola", re.IGNORECASE)
EXTENSION_TIME = re.compile(rf"\b(?:alle|ore|h)\s*(?:ore\s+)?{_TIME}{_END_OF_TIME}", re.I)
WORD = re.compile(r"[^\W_]+")

UNDERSTOOD, EXTENDS, UNKNOWN = "understood", "extends", "unknown"


class FreeHoursError(ValueError):
    """The text holds no usable opening hours, or impossible ones; the message is a `Text`."""


@dataclass(frozen=True)
class FreeHours:
    """Slots as in the strict template, plus notes for what slots cannot say."""

    slots: tuple[OpeningSlot, ...]
    notes: tuple[str, ...] = ()


def parse_free_hours(text: str, default_days: tuple[int, ...] = (1, 2, 3, 4, 5)) -> FreeHours:
    """Read free-text opening hours; ranges written without days open on ``default_days``."""
    if any(not 1 <= day <= 7 for day in default_days):
        raise FreeHoursError(
            _("giorni predefiniti non validi {days}: usa 1 (lun) … 7 (dom)", days=default_days)
        )
    quoted = " ".join(text.split())
    if not quoted:
        raise FreeHoursError(_("orario vuoto: scrivi per esempio {example}", example=EXAMPLE))
    reader = _Reader(quoted, tuple(sorted(set(default_days))))
    for clause in CLAUSE_SEPARATORS.split(_normalise(text)):
        reader.read_clause(" ".join(clause.split()).strip(" .:-/"))
    return reader.result()


def _normalise(text: str) -> str:
    text = DAY_APOSTROPHE.sub("ì", DASHES.sub("-", text))
    text = COMMA_RANGE.sub(r"\1:\2\3\4:\5", text)
    return COMMA_TIME.sub(r"\1\2:\3", text)


@dataclass
class _Reader:
    """Reads clauses in order, remembering the days that the next time ranges will use."""

    quoted: str
    default_days: tuple[int, ...]
    last_days: tuple[int, ...] = ()
    pending_days: list[int] = field(default_factory=list)
    pending_clauses: list[str] = field(default_factory=list)
    slots: list[OpeningSlot] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    extensions: list[time] = field(default_factory=list)

    def read_clause(self, clause: str) -> None:
        if not clause:
            return
        note = NOTE_START.search(clause)
        if note is None:
            self.read_times(clause)
            return
        head, tail = clause[: note.start()], clause[note.start() :]
        if RANGE.search(head):
            self.read_times(head.strip(" .:-/"))
            self.read_note(tail, tail)
        else:
            self.read_note(clause, tail)

    def read_note(self, note: str, tail: str) -> None:
        found = EXTENSION_TIME.search(tail)
        if found and EXTENSION.search(tail) and not RANGE.search(tail):
            self.extensions.append(self.clock(found.group(1), found.group(2), tail, closing=True))
            self.notes.append((note, EXTENDS))
        else:
            self.notes.append((note, UNDERSTOOD))

    def read_times(self, clause: str) -> None:
        tokens = sorted([*DAYS.finditer(clause), *RANGE.finditer(clause)], key=lambda m: m.start())
        last_range = max((i for i, match in enumerate(tokens) if match.re is RANGE), default=-1)
        days: list[int] = []
        ranges: list[tuple[time, time]] = []
        for index, match in enumerate(tokens):
            if match.re is RANGE:
                ranges.append(self.time_range(match))
                continue
            if ranges and (days or index < last_range):  # these days start the next group
                self.flush(days, ranges, clause)
                days, ranges = [], []
            days.extend(self.weekdays(match))
        self.flush(days, ranges, clause)
        if any(word.lower() not in FILLER_WORDS for word in WORD.findall(_residue(clause, tokens))):
            self.notes.append((clause, UNKNOWN))

    def flush(self, days: list[int], ranges: list[tuple[time, time]], clause: str) -> None:
        if not ranges:
            if days:
                self.pending_days.extend(days)
                self.pending_clauses.append(clause)
            return
        chosen = tuple(sorted({*self.pending_days, *days})) or self.last_days or self.default_days
        self.pending_days, self.pending_clauses, self.last_days = [], [], chosen
        self.slots.extend(OpeningSlot(day, *pair) for day in chosen for pair in ranges)

    def weekdays(self, match: re.Match[str]) -> tuple[int, ...]:
        if match["group"]:
            return DAY_GROUPS[" ".join(match["group"].lower().split())]
        if match["one"]:
            return (WEEKDAY_BY_NAME[match["one"].lower()],)
        first, last = (
            WEEKDAY_BY_NAME[match["first"].lower()],
            WEEKDAY_BY_NAME[match["last"].lower()],
        )
        if last < first:
            raise FreeHoursError(
                _(
                    'giorni "{days}" al contrario in "{text}": '
                    'metti prima il giorno iniziale (es. "lun-ven")',
                    days=match.group(),
                    text=self.quoted,
                )
            )
        return tuple(range(first, last + 1))

    def time_range(self, match: re.Match[str]) -> tuple[time, time]:
        piece = match.group()
        open_hour, open_minute, close_hour, close_minute = match.groups()
        opens = self.clock(open_hour, open_minute, piece, closing=False)
        closes = self.clock(close_hour, close_minute, piece, closing=True)
        if closes <= opens:
            raise FreeHoursError(
                _(
                    'orario "{hours}" in "{text}": la chiusura deve essere dopo l\'apertura',
                    hours=piece,
                    text=self.quoted,
                )
            )
        return opens, closes

    def clock(self, hour: str, minute: str | None, piece: str, *, closing: bool) -> time:
        hours, minutes = int(hour), int(minute or 0)
        if closing and (hours, minutes) == (24, 0):
            return time(23, 59)
        if hours > 23 or minutes > 59:
            raise FreeHoursError(
                _(
                    'orario "{hours}" non valido in "{text}": '
                    "le ore vanno da 0 a 24 e i minuti da 00 a 59",
                    hours=piece,
                    text=self.quoted,
                )
            )
        return time(hours, minutes)

    def result(self) -> FreeHours:
        slots = merge_slots(self.slots)
        if slots and self.extensions:
            slots = _extend(slots, max(self.extensions))
        entries = [*self.notes, *((clause, UNKNOWN) for clause in self.pending_clauses)]
        if not slots and all(kind == UNKNOWN for _note, kind in entries):
            raise FreeHoursError(
                _(
                    'orario non riconosciuto "{text}": scrivi per esempio {example}',
                    text=self.quoted,
                    example=EXAMPLE,
                )
            )
        notes = (note for note, kind in entries if kind != EXTENDS or not slots)
        return FreeHours(tuple(slots), tuple(dict.fromkeys(notes)))


def _residue(text: str, matches: list[re.Match[str]]) -> str:
    """The text outside the (sorted, disjoint) matches."""
    ends = [0, *(match.end() for match in matches)]
    starts = [*(match.start() for match in matches), len(text)]
    return " ".join(text[end:start] for end, start in zip(ends, starts, strict=True))


def _extend(slots: list[OpeningSlot], until: time) -> list[OpeningSlot]:
    """Move the last closing time of each weekday to ``until`` when that is later."""
    last_index = {slot.weekday: index for index, slot in enumerate(slots)}
    return [
        OpeningSlot(slot.weekday, slot.opens, max(slot.closes, until))
        if last_index[slot.weekday] == index
        else slot
        for index, slot in enumerate(slots)
    ]
