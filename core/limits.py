"""Limits every layer applies the same way, each defined once.

A listing may state ages up to 18 years (some registries and HSDS files describe services
for teenagers); a family's child is looked for up to 14 years, the ages conciliazione
services serve (pre/post-scuola and centri estivi stop at the end of scuola media).
"""

from __future__ import annotations

#: the oldest age, in months, a listing's age range may state (imports, sheets, provider edits)
LISTING_MAX_AGE_MONTHS = 18 * 12
#: the oldest child, in months, a family's need may describe (search page, API, console)
CHILD_MAX_AGE_MONTHS = 14 * 12
#: the children one need may describe (search page and its script, API, console)
MAX_CHILDREN = 4
