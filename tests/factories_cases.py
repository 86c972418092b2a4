"""Test data for cases: shops covered by the conftest branches, cases made the real way
(services.create_case), councils, photos.

`build_cases_world(world, party)` (each test module wraps it in a `cases_world` fixture) makes
one case in each place that matters for scoping:

- west:  a shop in grid 康定 (the grid worker's) covered by 江宁街区党支部 (the secretary's);
- group: a point in grid 昌平 handled by 康定路党小组, under the secretary's branch;
- east:  a shop in grid 大田 covered by 成都街区党支部;
- other: a shop of the neighbouring subdistrict.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiequ.cases import services
from jiequ.cases.models import CaseCategory
from jiequ.cases.taxonomy import load_default
from jiequ.councils.models import Council

from .factories import CoverageLinkFactory, EntityFactory


def category(code: str = "E0102") -> CaseCategory:
    """A category of the default taxonomy (loaded by the migration): 乱堆物堆料.

    Transactional tests empty the tables after each test, so the taxonomy is reloaded when gone.
    """
    found = CaseCategory.objects.filter(code=code).first()
    if found is None:
        load_default(CaseCategory)
        found = CaseCategory.objects.get(code=code)
    return found


def shop(region, organisation=None, kind: str = "area", **fields):
    entity = EntityFactory(region=region, is_street_shop=True, kind="individual", **fields)
    if organisation is not None:
        CoverageLinkFactory(organisation=organisation, entity=entity, kind=kind)
    return entity


def make_case(**kwargs):
    """A case through services.create_case, with sensible defaults."""
    kwargs.setdefault("source", "visit")
    kwargs.setdefault("category", category())
    kwargs.setdefault("title", "店门口乱堆纸箱")
    kwargs.setdefault("description", "商户反映隔壁店门口长期堆放纸箱，影响通行。")
    case, _created = services.create_case(**kwargs)
    return case


def council(region, name: str = "康定路街委会", kind: str = "street", **fields) -> Council:
    return Council.objects.create(name=name, kind=kind, region=region, **fields)


def photo_file(name: str = "photo.jpg", fmt: str = "JPEG", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(
        fmt, "application/octet-stream"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def build_cases_world(world, party) -> SimpleNamespace:
    west_shop = shop(world.grid_sw, party.west, sign_name="康定路小吃店")
    east_shop = shop(world.grid_e, party.east, sign_name="大田路水果店")
    other_shop = shop(world.other_grid, party.other, sign_name="威海路便利店")
    west = make_case(entity=west_shop, title="康定路店门口乱堆物")
    group = make_case(
        lat="31.2400",
        lon="121.4550",
        organisation=party.group,
        title="昌平路共享单车堆积",
        category=category("E0204"),
    )
    east = make_case(entity=east_shop, title="大田路油烟扰民", category=category("E0105"))
    other = make_case(entity=other_shop, title="威海路占道经营", category=category("E0104"))
    return SimpleNamespace(
        west=west,
        group=group,
        east=east,
        other=other,
        west_shop=west_shop,
        east_shop=east_shop,
        other_shop=other_shop,
    )
