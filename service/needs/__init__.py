"""A family's need, built once for every entry point (search page, JSON API, operator
console): `said` is what the family said, `builder` turns it into the engine's `CareNeed`
with one set of defaults, limits and messages. Not web code: no Litestar here."""
