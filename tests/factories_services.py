"""Factories for the supply system: needs, resources, projects, deliveries, talents."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory


def _today():
    return timezone.localdate()


class SupplyFactory(DjangoModelFactory):
    """Pass an owner (`organisation`, `entity`, or `department_kind`) and a `region`."""

    category = "venue"
    target_groups = ",members,"
    quantity = 10
    unit = "场"
    starts_on = factory.LazyFunction(lambda: _today() - timedelta(days=30))
    ends_on = None
    description = ""


class NeedFactory(SupplyFactory):
    class Meta:
        model = "services.Need"

    title = factory.Sequence(lambda n: f"支部活动场地不足需共享会议室{n}")
    description = "每月主题党日需要一间能坐30人的会议室，带投影。"
    quantity = 4
    raised_on = factory.LazyFunction(lambda: _today() - timedelta(days=40))
    state = "open"


class ResourceFactory(SupplyFactory):
    class Meta:
        model = "services.Resource"

    title = factory.Sequence(lambda n: f"楼宇会议室共享{n}")
    description = "会议室可容纳40人，配投影，周末可预约，共享给周边支部。"
    state = "available"


class ProjectFactory(SupplyFactory):
    class Meta:
        model = "services.Project"

    title = factory.Sequence(lambda n: f"场地共享项目{n}")
    state = "running"


class DeliveryFactory(DjangoModelFactory):
    """Pass `project` and `organisation`."""

    class Meta:
        model = "services.Delivery"

    delivered_on = factory.LazyFunction(lambda: _today() - timedelta(days=10))
    what = "主题党日活动场地保障"
    participants = 20
    rating = 5
    feedback = "场地离门店近，党员参加方便。"


class TalentFactory(DjangoModelFactory):
    """Pass `region`; `phone` (E.164) is stored encrypted."""

    class Meta:
        model = "services.Talent"
        exclude = ("phone",)

    name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"+86136{n:08d}")
    phone_encrypted = factory.LazyAttribute(lambda o: _crypto().encrypt(o.phone))
    phone_hash = factory.LazyAttribute(lambda o: _crypto().lookup_hash(o.phone))
    skills = "法律咨询、调解邻里纠纷"
    category = "advice"
    occupation = "律师"
    source = "staff"
    consent_text = "本人已同意。"
    consented_at = factory.LazyFunction(timezone.now)


def _crypto():
    from jiequ.core import crypto

    return crypto


def supply_world(world, party):
    """Needs, resources, projects and deliveries on both sides of every scope line.

    - needs: the west branch's (the secretary's), the east branch's, a shop's in the west, a
      department's for the whole subdistrict, and the neighbouring subdistrict's branch's;
    - resources: a department's for the whole subdistrict, the west branch's, the east
      branch's, and the neighbour's;
    - projects (for the whole subdistrict): "west_east" delivered to both branches, "east_only"
      delivered to the east branch only; the neighbour's project delivered to its branch.
    """
    from types import SimpleNamespace

    from tests.factories import EntityFactory

    shop = EntityFactory(region=world.grid_sw, sign_name="老王面馆", is_street_shop=True)
    needs = SimpleNamespace(
        west=NeedFactory(title="西片支部需要会议室", organisation=party.west, region=world.west),
        east=NeedFactory(
            title="东片支部需要法律咨询",
            organisation=party.east,
            region=world.east,
            category="advice",
            description="骑手劳动合同纠纷需要律师咨询。",
        ),
        shop=NeedFactory(
            title="面馆招聘服务员", entity=shop, region=world.grid_sw, category="employment"
        ),
        department=NeedFactory(
            title="城管中队需要志愿者",
            department_kind="city_management",
            department_name="城管中队",
            region=world.ours,
            category="volunteering",
        ),
        other=NeedFactory(
            title="威海支部需要会议室", organisation=party.other, region=world.other_area
        ),
    )
    resources = SimpleNamespace(
        subdistrict=ResourceFactory(
            title="党群服务中心多功能厅",
            department_kind="party_mass",
            department_name="党群服务中心",
            region=world.ours,
        ),
        west=ResourceFactory(
            title="江宁楼宇会议室共享", organisation=party.west, region=world.west
        ),
        east=ResourceFactory(
            title="成都路律师公益法律咨询",
            organisation=party.east,
            region=world.east,
            category="advice",
            unit="次",
            description="律师每月到楼宇提供免费法律咨询，劳动合同纠纷。",
        ),
        other=ResourceFactory(
            title="威海会议室", organisation=party.other, region=world.other_area
        ),
    )
    dept = {"department_kind": "party_mass", "department_name": "党群服务中心"}
    projects = SimpleNamespace(
        west_east=ProjectFactory(title="场地共享·组织生活进阵地", region=world.ours, **dept),
        east_only=ProjectFactory(title="法律咨询进街区", region=world.ours, **dept),
        other=ProjectFactory(
            title="威海场地共享", organisation=party.other, region=world.other_area
        ),
    )
    projects.west_east.needs.set([needs.west])
    deliveries = SimpleNamespace(
        west=DeliveryFactory(project=projects.west_east, organisation=party.west),
        east=DeliveryFactory(
            project=projects.west_east, organisation=party.east, feedback="东片反馈"
        ),
        east_only=DeliveryFactory(project=projects.east_only, organisation=party.east),
        other=DeliveryFactory(project=projects.other, organisation=party.other),
    )
    return SimpleNamespace(
        shop=shop, needs=needs, resources=resources, projects=projects, deliveries=deliveries
    )
