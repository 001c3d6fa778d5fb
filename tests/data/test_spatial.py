"""The store's spatial questions give the same answers on both backends: "which sites are
within so many metres" (``Store.sites_within``: geodesics in memory on SQLite,
``ST_DWithin`` on geography in PostGIS) and "which county covers this point"
(``Store.county_at``: the regions' index on SQLite, ``ST_Covers`` on the county boundaries
PostGIS keeps).  Both are held to the app's in-memory answers: the import's
``records.county_at`` and the query layer's ``nearby.sites_near_product``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import shapely

from landmarks.data import seed, store
from landmarks.data.records import county_at
from landmarks.data.regions import Regions
from landmarks.query.nearby import sites_near_product

RADII_KM = (5.0, 30.0, 100.0)
ZIGUI = "420527"
XINGSHAN = "420526"
# Points off the counties: Beijing, Wuhan's lon/lat written the wrong way round, the sea
# east of Shanghai, and the origin.
OUTSIDE = [(116.40, 39.90), (30.59, 114.30), (123.0, 30.0), (0.0, 0.0)]


@pytest.fixture
def seeded(db_target: str, regions: Regions) -> Iterator[store.Store]:
    """A seeded database on each backend (on PostgreSQL with the county boundaries)."""
    with store.opened(db_target) as db:
        seed.ensure_seeded(db, regions)
        yield db


def border_points(regions: Regions) -> list[tuple[float, float]]:
    """Points exactly on the border of Zigui and Xingshan: vertices of their shared line
    (a vertex of both boundaries, so covered by both; the first one also by a third
    county).  A point half-way along a segment is not used: rounded, it falls on one side."""
    shared = shapely.intersection(
        regions.geometry(ZIGUI).boundary, regions.geometry(XINGSHAN).boundary
    )
    lines = [part for part in getattr(shared, "geoms", [shared]) if part.length > 0]
    assert lines, "Zigui and Xingshan share a border"
    coords = list(lines[0].coords)
    return [coords[0], coords[len(coords) // 2], coords[-1]]


def test_every_county_and_site_is_found_in_its_county_alike(
    seeded: store.Store, regions: Regions
) -> None:
    inside = [
        (point.x, point.y)
        for point in regions.counties.geometry.representative_point()  # one per county
    ]
    sites = seeded.read_table("sites")
    assert len(sites) > 10
    points = inside + list(zip(sites["lon"], sites["lat"], strict=True))
    for lon, lat in points:
        expected = county_at(regions, lon, lat)
        assert expected is not None
        assert seeded.county_at(regions, lon, lat) == expected.adcode, (lon, lat)
    found = {seeded.county_at(regions, lon, lat) for lon, lat in inside}
    assert found == set(regions.counties["adcode"])


def test_points_on_a_border_or_outside_hubei_are_answered_alike(
    seeded: store.Store, regions: Regions
) -> None:
    counties = regions.counties
    for lon, lat in border_points(regions):
        point = shapely.Point(lon, lat)
        covering = sorted(counties.loc[counties.geometry.covers(point), "adcode"].astype(str))
        assert {ZIGUI, XINGSHAN} <= set(covering)  # on the line both share
        expected = county_at(regions, lon, lat)
        # the smallest adcode of those covering it, whichever the index lists first
        assert expected is not None and expected.adcode == covering[0]
        assert seeded.county_at(regions, lon, lat) == covering[0], (lon, lat)
    for lon, lat in OUTSIDE:
        assert county_at(regions, lon, lat) is None
        assert seeded.county_at(regions, lon, lat) is None, (lon, lat)


def test_sites_within_a_radius_are_those_the_nearby_list_shows(
    seeded: store.Store, regions: Regions
) -> None:
    tables = seeded.read_tables()
    sites, products = tables["sites"], tables["products"]
    chosen = products.iloc[:: max(1, len(products) // 6)]  # several products over Hubei
    assert len(chosen) >= 5
    nonempty = 0
    for _, product in chosen.iterrows():
        for km in RADII_KM:
            near = sites_near_product(product, sites, km)
            found = seeded.sites_within(float(product["lon"]), float(product["lat"]), km * 1000)
            assert found == near["name"].tolist(), (product["name"], km)
            nonempty += bool(found)
    assert nonempty >= 5  # the radii reach sites, not only empty answers
    everything = seeded.sites_within(112.3, 31.0, 1_000_000)  # all of Hubei
    assert sorted(everything) == sorted(sites["name"])


def test_each_sites_own_point_finds_it_first_and_far_points_find_none(
    seeded: store.Store,
) -> None:
    sites = seeded.read_table("sites")
    for site in sites.itertuples():
        found = seeded.sites_within(float(site.lon), float(site.lat), 5_000)
        here = sites[(sites["lon"] == site.lon) & (sites["lat"] == site.lat)]
        # the site and any other at the very same point come first, by name
        assert found[: len(here)] == sorted(here["name"]), site.name
    for lon, lat in OUTSIDE:  # the swapped point's latitude (114.3) is off the globe
        assert seeded.sites_within(lon, lat, 100_000) == []


def test_both_backends_give_identical_answers(
    tmp_path: Path, pg_database_url: str, regions: Regions
) -> None:
    """Side by side, for every site's point and radius: the same names in the same order."""
    with (
        store.opened(tmp_path / "db.sqlite") as lite,
        store.opened(pg_database_url) as server,
    ):
        for db in (lite, server):
            seed.ensure_seeded(db, regions)
        sites = lite.read_table("sites")
        pd.testing.assert_frame_equal(sites, server.read_table("sites"))
        for site in sites.itertuples():
            for km in RADII_KM:
                lon, lat, metres = float(site.lon), float(site.lat), km * 1000
                assert lite.sites_within(lon, lat, metres) == server.sites_within(
                    lon, lat, metres
                ), (site.name, km)
            assert lite.county_at(regions, site.lon, site.lat) == server.county_at(
                regions, site.lon, site.lat
            )
