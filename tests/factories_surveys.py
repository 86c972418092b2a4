"""Test data for road surveys: shops along the conftest road (石门二路) with street numbers on
both sides, and a survey planned the real way (surveys.plan.create_survey)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from jiequ.surveys import plan
from jiequ.surveys.questions import default_questions

from .factories import CoverageLinkFactory, EntityFactory


def road_shop(region, road, number: str, *, organisation=None, **fields):
    """A street shop at `number` on `road` (industry retail unless told otherwise)."""
    fields.setdefault("industry", "F")
    fields.setdefault("kind", "individual")
    entity = EntityFactory(
        region=region,
        road=road,
        number=number,
        is_street_shop=True,
        sign_name=fields.pop("sign_name", f"{road.name}{number}小店"),
        **fields,
    )
    if organisation is not None:
        CoverageLinkFactory(organisation=organisation, entity=entity, kind="area")
    return entity


def make_survey(user, entities, *, road=None, visitors=(), **fields):
    today = timezone.localdate()
    return plan.create_survey(
        user=user,
        title=fields.pop("title", "石门二路沿街商铺走访"),
        entities=entities,
        starts_on=fields.pop("starts_on", today - dt.timedelta(days=3)),
        ends_on=fields.pop("ends_on", today + dt.timedelta(days=10)),
        road=road,
        visitors=list(visitors),
        questions=fields.pop("questions", default_questions()),
        **fields,
    )


def build_survey_world(world, users, party) -> SimpleNamespace:
    """Six shops on 石门二路: four in the grid worker's grid 康定 (odd 1, 3; even 2, 8), one in
    the east grid 大田 (5), one closed (7); a shop on the neighbour's road; a planned survey of
    the road made by staff, shared between the grid worker and staff."""
    road = world.road
    west = [
        road_shop(world.grid_sw, road, "1号", organisation=party.west, industry="H"),
        road_shop(world.grid_sw, road, "2号", organisation=party.west),
        road_shop(world.grid_sw, road, "3号", organisation=party.west, industry="H"),
        road_shop(world.grid_sw, road, "8号", organisation=party.west, kind="enterprise"),
    ]
    east = road_shop(world.grid_e, road, "5号", organisation=party.east, industry="O")
    closed = road_shop(world.grid_e, road, "7号", state="closed")
    other = road_shop(world.other_grid, world.other_road, "9号", organisation=party.other)
    not_a_shop = EntityFactory(region=world.grid_sw, road=road, number="11号")
    survey = make_survey(users.staff, [*west, east], road=road, visitors=[users.grid, users.staff])
    return SimpleNamespace(
        road=road,
        west=west,
        east=east,
        closed=closed,
        other=other,
        not_a_shop=not_a_shop,
        survey=survey,
    )
