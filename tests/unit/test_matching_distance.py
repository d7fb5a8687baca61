"""Distances: geodesic from the nearer place, screened cheaply on the sphere."""

import pytest
from geopy.distance import geodesic
from hypothesis import given
from hypothesis import strategies as st

from search.matching.distance import (
    SPHERE_ERROR,
    geodesic_km,
    may_be_within,
    nearest,
    spherical_km,
)
from search.matching.need import FamilyPlace, PlaceRole

italy_lat = st.floats(36.0, 47.0)
italy_lon = st.floats(6.6, 18.5)


@given(italy_lat, italy_lon, italy_lat, italy_lon)
def test_geodesic_is_geopys_and_the_sphere_stays_within_its_error(la1, lo1, la2, lo2) -> None:
    exact = geodesic((la1, lo1), (la2, lo2)).km
    assert geodesic_km(la1, lo1, la2, lo2) == pytest.approx(exact, abs=1e-6)
    assert abs(spherical_km(la1, lo1, la2, lo2) - exact) <= exact * SPHERE_ERROR + 1e-6


def doc(lat: float, lng: float, **fields) -> dict:
    return {"_geo": {"lat": lat, "lng": lng}} | fields


HOME = FamilyPlace(45.46, 9.19, PlaceRole.HOME, istat_code="015146")
WORK = FamilyPlace(45.60, 9.19, PlaceRole.WORK)


def test_nearest_measures_from_the_nearer_place() -> None:
    near_work = doc(45.59, 9.19)
    distance = nearest(near_work, (HOME, WORK))
    assert distance.place is WORK
    assert distance.km == pytest.approx(geodesic((45.60, 9.19), (45.59, 9.19)).km)


def test_service_area_wins_over_distance() -> None:
    sitter = doc(46.0, 10.0, service_area=["015146"])
    distance = nearest(sitter, (WORK, HOME))
    assert (distance.km, distance.place, distance.in_service_area) == (0.0, HOME, True)
    assert may_be_within(sitter, (HOME,), 1.0)


def test_the_screen_never_drops_what_the_geodesic_would_keep() -> None:
    # a point exactly 5 km (geodesic) north of home
    north = doc(45.46 + 5 / 111.14, 9.19)
    exact = geodesic_km(45.46, 9.19, north["_geo"]["lat"], 9.19)
    assert may_be_within(north, (HOME,), exact)
    assert not may_be_within(north, (HOME,), exact * 0.98)
