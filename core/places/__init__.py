"""Places a person or a file names, as points: the gazetteer of comuni and CAP zones, and
the geocoders (offline gazetteer, or geopy's Nominatim cached in the database)."""
