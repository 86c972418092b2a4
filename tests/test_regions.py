"""Regions: the tree, the path, 'everything inside' in one query, point-in-grid look-ups."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiequ.areas.models import Building, Region, RegionLevel
from jiequ.areas.services import find_grid

from .factories import RegionFactory


def test_paths_follow_official_codes(world):
    assert world.district.path == "/310106/"
    assert world.ours.path == "/310106/310106011/"
    assert world.grid_sw.path == "/310106/310106011/01/0101/"


def test_everything_inside_a_region_is_one_query(world):
    with CaptureQueriesContext(connection) as queries:
        names = set(
            Building.objects.filter(region__path__startswith=world.west.path).values_list(
                "name", flat=True
            )
        )
    assert names == {"康定大厦", "昌平大厦"}
    assert len(queries) == 1


def test_path_column_is_indexed():
    field = Region._meta.get_field("path")
    assert field.unique  # a unique constraint carries an index on every backend


def test_descendants_and_ancestors(world):
    assert set(world.ours.descendants()) == {
        world.west,
        world.east,
        world.grid_sw,
        world.grid_nw,
        world.grid_e,
    }
    assert list(world.grid_sw.ancestors()) == [world.district, world.ours, world.west]
    assert world.grid_sw.subdistrict == world.ours


def test_moving_an_area_re_roots_its_grids(world):
    world.west.parent = world.other
    world.west.code = "05"
    world.west.save()
    world.grid_sw.refresh_from_db()
    assert world.grid_sw.path == "/310106/310106012/05/0101/"
    assert set(Building.objects.filter(region__path__startswith=world.other.path)) == {
        world.b_sw,
        world.b_nw,
        world.b_other,
    }
    world.b_sw.refresh_from_db()
    assert world.b_sw.subdistrict == world.other


@pytest.mark.parametrize(
    "level, parent_attr",
    [(RegionLevel.GRID, "ours"), (RegionLevel.AREA, "district"), (RegionLevel.DISTRICT, "ours")],
)
def test_levels_must_nest(world, level, parent_attr):
    region = Region(name="错", code="99", level=level, parent=getattr(world, parent_attr))
    with pytest.raises(ValidationError) as exc:
        region.full_clean()
    assert "parent" in exc.value.message_dict


def test_invalid_boundary_is_refused(world):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    region = Region(
        name="坏", code="98", level=RegionLevel.GRID, parent=world.west, boundary=bowtie
    )
    with pytest.raises(ValidationError) as exc:
        region.full_clean()
    assert "boundary" in exc.value.message_dict


def test_find_grid(world):
    assert find_grid(31.232, 121.455) == world.grid_sw
    assert find_grid(31.240, 121.455) == world.grid_nw
    assert find_grid(31.240, 121.465) == world.grid_e
    assert find_grid(31.225, 121.455) == world.other_grid
    assert find_grid(31.300, 121.455) is None
    assert find_grid(31.225, 121.455, within=world.ours) is None


def test_find_grid_on_a_shared_edge_still_finds_one(world):
    assert find_grid(31.2375, 121.455) in {world.grid_sw, world.grid_nw}


def test_codes_unique_among_siblings(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RegionFactory(name="重复", code="01", level=RegionLevel.AREA, parent=world.ours)
