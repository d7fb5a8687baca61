"""The choices the search form offers, in the page's language: months, weekdays, summer
weeks, kinds, sectors, distances, languages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names

from core.i18n import _
from core.kinds import CARE_KINDS, Sector
from core.limits import MAX_CHILDREN
from service.web.presenters import SECTOR_LABELS, kind_label
from service.web.search_form import PRESETS

RADIUS_CHOICES = ("1", "2", "5", "10", "20", "30", "50")
#: languages families ask for most, besides Italian (ISO 639-1)
LANGUAGE_CHOICES = ("en", "fr", "es", "de", "ro", "ar", "zh", "uk", "sq", "pt")
PRESET_LABELS = {
    "tempo-pieno": _("Tempo pieno, lun–ven 8:00–17:00"),
    "mattina": _("Part-time mattina, lun–ven 8:00–13:00"),
    "pomeriggio": _("Pomeriggio, lun–ven 13:00–18:00"),
}
SUMMER_FIRST_MONDAY = (6, 8)  # schools close in the second week of June
SUMMER_LAST_MONDAY = (9, 7)


def summer_weeks(today: date) -> list[date]:
    """The Mondays of the coming summer (this one until August, else next year's)."""
    year = today.year if today.month <= 8 else today.year + 1
    monday = date(year, *SUMMER_FIRST_MONDAY)
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    last = date(year, *SUMMER_LAST_MONDAY)
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def week_label(monday: date, language: str) -> str:
    friday = monday + timedelta(days=4)
    return f"{format_date(monday, 'd MMM', locale=language)} – " + format_date(
        friday, "d MMM", locale=language
    )


def form_choices(today: date, language: str) -> dict[str, Any]:
    months = get_month_names("wide", locale=language)
    days = get_day_names("wide", locale=language)
    locale = Locale.parse(language)
    return {
        "months": [(number, str(months[number])) for number in range(1, 13)],
        "weekdays": [(number, str(days[number - 1]).capitalize()) for number in range(1, 8)],
        "this_year": today.year,
        "max_children": MAX_CHILDREN,
        "today": today,
        "summer_weeks": [
            (monday.isoformat(), week_label(monday, language)) for monday in summer_weeks(today)
        ],
        "kind_choices": [(kind.value, kind_label(kind.value, language)) for kind in CARE_KINDS],
        "sector_choices": [
            (sector.value, SECTOR_LABELS[sector].render(language)) for sector in Sector
        ],
        "radius_choices": RADIUS_CHOICES,
        "language_choices": [
            (code, str(locale.languages.get(code, code)).capitalize()) for code in LANGUAGE_CHOICES
        ],
        "presets": [(name, PRESET_LABELS[name].render(language)) for name in PRESETS],
    }
