"""What a family asks for, already validated and located: the input of matching."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from service.kinds import CARE_KINDS, ServiceKind

DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 50.0


@dataclass(frozen=True)
class CareNeed:
    birth_year: int
    birth_month: int
    latitude: float
    longitude: float
    start_date: date
    radius_km: float = DEFAULT_RADIUS_KM
    #: ISO weekdays (1 = Monday) the family needs covered; empty means "any time"
    weekdays: tuple[int, ...] = ()
    from_time: time | None = None
    to_time: time | None = None
    kinds: tuple[ServiceKind, ...] = field(default=CARE_KINDS)
    include_partial: bool = False

    @property
    def has_hours(self) -> bool:
        return bool(self.weekdays) and self.from_time is not None and self.to_time is not None
