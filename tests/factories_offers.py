"""Factories for the service matrix: shops, offers, coupon campaigns with their coupons."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from .factories import EntityFactory


class MatrixShopFactory(DjangoModelFactory):
    """Pass `entity`, or `entity__region` (a grid) to make a street shop there."""

    class Meta:
        model = "offers.MatrixShop"

    entity = factory.SubFactory(
        EntityFactory,
        name="",
        sign_name=factory.Sequence(lambda n: f"测试{n}面馆"),
        is_street_shop=True,
        industry="H",
    )
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    contact_name = factory.Faker("name")
    contact_role = "店主"


class OfferFactory(DjangoModelFactory):
    """Pass `shop`; a published discount for everyone, in force from a month ago."""

    class Meta:
        model = "offers.Offer"

    title = factory.Sequence(lambda n: f"优惠{n}：九折")
    kind = "discount"
    terms = "出示即享九折。"
    audience = "everyone"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = None
    state = "published"


class CampaignFactory(DjangoModelFactory):
    """Pass `region` and `shops` (a list); open, started ten days ago, for a month."""

    class Meta:
        model = "offers.CouponCampaign"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"街区无限可能优享券第{n}期")
    benefit = "满100减20"
    face_value = Decimal("20")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    total = 20
    per_person = 2
    state = "open"

    @factory.post_generation
    def shops(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.shops.set(extracted)


def issued_campaign(region, shops, **kwargs):
    """An open campaign with its codes issued."""
    from jiequ.offers import issuing

    campaign = CampaignFactory(region=region, shops=shops, **kwargs)
    issuing.issue_codes(campaign)
    return campaign


def handed_out(campaign, count=1):
    """`count` coupons of the campaign, printed (so redeemable)."""
    from jiequ.offers import issuing
    from jiequ.offers.models import Coupon

    batch = issuing.print_batch(campaign, count)
    return list(Coupon.objects.filter(campaign=campaign, batch=batch).order_by("pk"))
