"""The demo's service matrix and coupons.

Xuhui's 120+ shops "joined the service matrix" with benefit offers for residents; the seed ran
"street of possibilities" coupons (优享券) and livestreamers' shop visits (达人探店). Here:

- 126 of the subdistrict's operating street shops in the matrix, joined over the last two years,
  each with a contact person and 1–2 offers matched to its trade (a noodle shop's member
  discount, a barber's free haircuts for the elderly, a pharmacy's blood-pressure checks…), for
  residents, Party members, new-employment workers or everyone; a few drafts, withdrawn and
  ended offers; 4 shops that left the matrix;
- livestreamers' shop visits as offers of their own kind, with the livestreamer and the day;
- three coupon campaigns: one that ended last month (its coupons now expired), the current
  "街区无限可能" campaign (2,000 coupons, 60 shops: claimed on the claim page, two print
  batches, about a quarter redeemed across the shops on the days so far) and a draft for next
  month without codes yet.

Deterministic for a seed and a day: tokens and coupon codes come from the demo's random stream
(the codes are signed as usual, so the counter accepts them).
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from jiequ.areas.models import Region
from jiequ.core import crypto
from jiequ.ledger.models import Entity, EntityState
from jiequ.offers import codes
from jiequ.offers.models import (
    Audience,
    CampaignState,
    Coupon,
    CouponCampaign,
    CouponChannel,
    MatrixShop,
    Offer,
    OfferKind,
    OfferState,
    Redemption,
)

from .people import People, aware, days

MATRIX_SHOPS = 126
LEFT_MATRIX = 4
SHOP_VISITS = 14
CONTACT_ROLES = ["店主", "店长", "负责人", "经理", "值班店长"]
HOSTS = ["静安小吃货", "石门探店君", "阿拉上海宝", "吃货小宁", "街角发现官", "沪上老饕阿伟"]

_D, _F, _P = OfferKind.DISCOUNT, OfferKind.FREE_SERVICE, OfferKind.PRIORITY
_M, _N, _R, _E = Audience.MEMBERS, Audience.NEW_EMPLOYMENT, Audience.RESIDENTS, Audience.EVERYONE
# Offers by the shop's trade (the end of its sign): (title, kind, terms, audience).
OFFERS: dict[str, list[tuple[str, str, str, str]]] = {
    "面馆": [
        ("党员亮身份就餐九折", _D, "出示党员身份（党徽或电子党员证）享堂食九折。", _M),
        ("骑手暖心面", _D, "快递员、外卖骑手凭工牌每日午餐加面不加价。", _N),
    ],
    "小吃": [
        ("小哥歇脚热水免费", _F, "新就业群体可免费续热水、使用微波炉加热。", _N),
        ("老人早餐八折", _D, "65岁以上居民每日7:00–9:00早餐八折。", _R),
    ],
    "餐厅": [
        ("社区老人助餐", _D, "辖区70岁以上老人午餐套餐立减5元。", _R),
        ("党员活动日团餐优惠", _D, "党支部活动团餐满10人九折。", _M),
    ],
    "咖啡": [
        ("骑手免费冰水", _F, "夏季骑手、快递员可免费领取冰水一杯。", _N),
        ("居民第二杯半价", _D, "工作日第二杯半价。", _E),
    ],
    "便利店": [
        ("爱心充电", _F, "免费为手机充电，提供雨伞借用。", _E),
        ("骑手饮品九折", _D, "凭工牌饮品九折。", _N),
    ],
    "水果店": [
        ("满50减5", _D, "单笔满50元减5元，每人每日一次。", _E),
    ],
    "烟杂店": [
        ("便民找零", _P, "提供零钱兑换、代收快递。", _R),
    ],
    "花店": [
        ("七一鲜花九折", _D, "党组织活动用花九折，可送花上门。", _M),
    ],
    "理发店": [
        ("老人免费理发", _F, "每月第一个周二为辖区独居老人免费理发。", _R),
        ("党员理发八折", _D, "亮明党员身份享理发八折。", _M),
    ],
    "洗衣店": [
        ("快递员工服免费清洗", _F, "每月可免费清洗工服两件。", _N),
    ],
    "宠物店": [
        ("宠物免费体检", _F, "居民宠物每季度一次免费基础体检。", _R),
    ],
    "修鞋店": [
        ("便民小修免费", _F, "钉扣子、换鞋带等小修免费。", _E),
    ],
    "药房": [
        ("免费测血压", _F, "店内免费测量血压、血糖。", _E),
        ("慢病用药送药上门", _P, "行动不便的老人慢病用药可电话预约送药上门。", _R),
    ],
    "眼镜店": [
        ("免费清洗调校眼镜", _F, "随时免费清洗、调校眼镜。", _E),
    ],
    "文印店": [
        ("党建材料打印优惠", _D, "党支部学习材料打印复印八折。", _M),
    ],
    "健身工作室": [
        ("骑手免费体验课", _F, "新就业群体每月一次免费体能课。", _N),
    ],
}  # fmt: skip
DEFAULT_OFFER = ("居民专享九折", OfferKind.DISCOUNT, "辖区居民消费九折。", Audience.RESIDENTS)


@dataclass
class OffersSummary:
    shops: int = 0
    offers: int = 0
    shop_visits: int = 0
    campaigns: int = 0
    coupons: int = 0
    handed_out: int = 0
    redeemed: int = 0


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(18)).decode().rstrip("=")


def _trade(entity: Entity) -> str:
    for word in OFFERS:
        if entity.sign_name.endswith(word):
            return word
    return ""


def build_offers(subdistrict: Region, rng: random.Random) -> OffersSummary:
    """The service matrix, offers and coupon campaigns of `subdistrict` (after build_party)."""
    today = timezone.localdate()
    people = People(rng)
    summary = OffersSummary()
    street_shops = list(
        Entity.objects.filter(
            region__path__startswith=subdistrict.path,
            is_street_shop=True,
            state=EntityState.OPERATING,
        )
        .select_related("road")
        .order_by("pk")
    )
    chosen = sorted(
        rng.sample(street_shops, min(MATRIX_SHOPS, len(street_shops))), key=lambda e: e.pk
    )
    shops = [
        MatrixShop(
            entity=entity,
            joined_on=today - days(rng.randint(30, 720)),
            contact_name=people.name(),
            contact_role=rng.choice(CONTACT_ROLES),
            counter_token=_token(rng),
        )
        for entity in chosen
    ]
    for shop in rng.sample(shops, LEFT_MATRIX):
        shop.active = False
        shop.note = "店铺转让，已退出服务矩阵。"
    shops = bulk_create_with_history(shops, MatrixShop, batch_size=500)
    summary.shops = len(shops)
    offers = _offers(shops, rng, today)
    summary.offers = len(offers)
    summary.shop_visits = sum(1 for o in offers if o.kind == OfferKind.SHOP_VISIT)
    active = [s for s in shops if s.active]
    _campaigns(subdistrict, active, rng, today, summary)
    return summary


def _offers(shops: list[MatrixShop], rng: random.Random, today: dt.date) -> list[Offer]:
    offers: list[Offer] = []
    for shop in shops:
        choices = OFFERS.get(_trade(shop.entity), [DEFAULT_OFFER])
        for title, kind, terms, audience in rng.sample(choices, rng.randint(1, len(choices))):
            starts = max(shop.joined_on, today - days(rng.randint(5, 400)))
            roll = rng.random()
            state, ends = OfferState.PUBLISHED, None
            if roll < 0.35:
                ends = today + days(rng.randint(20, 300))
            elif roll < 0.42:
                ends = today - days(rng.randint(1, 60))  # ended
                starts = min(starts, ends - days(30))
            elif roll < 0.46:
                state = OfferState.WITHDRAWN
            elif roll < 0.50:
                state, starts = OfferState.DRAFT, today + days(rng.randint(3, 20))
            offers.append(
                Offer(
                    shop=shop,
                    title=title,
                    kind=kind,
                    terms=terms,
                    audience=audience,
                    starts_on=starts,
                    ends_on=ends,
                    state=state,
                )
            )
    eateries = [
        s for s in shops if s.active and _trade(s.entity) in ("面馆", "小吃", "餐厅", "咖啡")
    ]
    for shop in rng.sample(eateries or shops, min(SHOP_VISITS, len(eateries or shops))):
        visit = today + days(rng.randint(-25, 20))
        host = rng.choice(HOSTS)
        offers.append(
            Offer(
                shop=shop,
                title=f"达人探店：{host}直播间专属价",
                kind=OfferKind.SHOP_VISIT,
                terms="探店直播当天起两周内，报“街区无限可能”享直播间同款套餐价。",
                audience=Audience.EVERYONE,
                starts_on=visit,
                ends_on=visit + days(14),
                state=OfferState.PUBLISHED,
                host=host,
                visit_on=visit,
            )
        )
    return bulk_create_with_history(offers, Offer, batch_size=500)


@dataclass
class _CampaignPlan:
    title: str
    benefit: str
    face_value: int
    starts: dt.date
    ends: dt.date
    total: int
    per_person: int
    shops: int
    state: str
    claimed_people: int  # people who claimed (each takes per_person coupons)
    batches: tuple[int, ...]
    redeemed_share: float


def _campaigns(
    subdistrict: Region,
    shops: list[MatrixShop],
    rng: random.Random,
    today: dt.date,
    summary: OffersSummary,
) -> None:
    plans = [
        _CampaignPlan(
            "新春优享券", "满50减10", 10, today - days(75), today - days(30), 500, 1, 40,
            CampaignState.OPEN, 260, (100,), 0.7,
        ),
        _CampaignPlan(
            "街区无限可能·优享券", "满100减20", 20, today - days(20), today + days(40), 2000, 2,
            60, CampaignState.OPEN, 450, (200, 200), 0.4,
        ),
        _CampaignPlan(
            "七一党员志愿服务回馈券", "满30减5", 5, today + days(25), today + days(55), 800, 1,
            30, CampaignState.DRAFT, 0, (), 0.0,
        ),
    ]  # fmt: skip
    for plan in plans:
        campaign = CouponCampaign.objects.create(
            region=subdistrict,
            title=plan.title,
            benefit=plan.benefit,
            face_value=Decimal(plan.face_value),
            terms="限参与商户使用，每券限用一次，不找零、不兑现。",
            starts_on=plan.starts,
            ends_on=plan.ends,
            total=plan.total,
            per_person=plan.per_person,
            state=plan.state,
            claim_token=_token(rng),
        )
        participants = sorted(rng.sample(shops, min(plan.shops, len(shops))), key=lambda s: s.pk)
        campaign.shops.set(participants)
        summary.campaigns += 1
        if plan.state == CampaignState.DRAFT:
            continue
        coupons = _coupons(campaign, plan, rng, today)
        summary.coupons += len(coupons)
        handed = [c for c in coupons if c.channel]
        summary.handed_out += len(handed)
        summary.redeemed += _redemptions(campaign, plan, handed, participants, rng, today)


def _coupons(
    campaign: CouponCampaign, plan: _CampaignPlan, rng: random.Random, today: dt.date
) -> list[Coupon]:
    made: set[str] = set()
    while len(made) < plan.total:
        made.add(codes.signed("".join(rng.choice(codes.ALPHABET) for _ in range(8))))
    issued_at = aware(plan.starts - days(3), 9)
    coupons = [Coupon(campaign=campaign, code=code, issued_at=issued_at) for code in sorted(made)]
    rng.shuffle(coupons)
    last_day = min(today, plan.ends)
    span = max(0, (last_day - plan.starts).days)
    position = 0
    for batch, count in enumerate(plan.batches, start=1):
        printed_on = plan.starts + days(min(span, (batch - 1) * 7))
        for coupon in coupons[position : position + count]:
            coupon.channel = CouponChannel.PRINTED
            coupon.batch = batch
            coupon.handed_out_at = aware(printed_on, 9)
        position += count
    people = People(rng)
    for _person in range(plan.claimed_people):
        phone_hash = crypto.lookup_hash(people.phone("138"))
        claimed_at = aware(
            plan.starts + days(rng.randint(0, span)), rng.randint(8, 21), rng.randint(0, 59)
        )
        for coupon in coupons[position : position + plan.per_person]:
            coupon.channel = CouponChannel.CLAIMED
            coupon.handed_out_at = claimed_at
            coupon.claimant_hash = phone_hash
            coupon.consent_text = "我同意以不可逆编码方式保存手机号，仅用于核对本活动的领取数量。"
        position += plan.per_person
    return Coupon.objects.bulk_create(coupons, batch_size=1000)


def _redemptions(
    campaign: CouponCampaign,
    plan: _CampaignPlan,
    handed: list[Coupon],
    shops: list[MatrixShop],
    rng: random.Random,
    today: dt.date,
) -> int:
    now = timezone.now()
    # Some shops draw more customers than others.
    weights = [rng.choice([1, 1, 2, 3, 5]) for _ in shops]
    redemptions = []
    for coupon in rng.sample(handed, int(len(handed) * plan.redeemed_share)):
        start = timezone.localtime(coupon.handed_out_at).date()
        last = min(plan.ends, today)
        day = start + days(rng.randint(0, max(0, (last - start).days)))
        at = aware(day, rng.randint(10, 20), rng.randint(0, 59))
        if at <= coupon.handed_out_at:
            at = coupon.handed_out_at + dt.timedelta(minutes=rng.randint(5, 90))
        if at >= now:
            continue  # not yet: today's later hours stay for the people at the counter
        redemptions.append(
            Redemption(
                coupon=coupon,
                campaign=campaign,
                shop=rng.choices(shops, weights=weights)[0],
                redeemed_at=at,
                face_value=campaign.face_value,
            )
        )
    Redemption.objects.bulk_create(redemptions, batch_size=1000)
    return len(redemptions)


def clear_offers() -> None:
    """Delete the demo's service matrix (for demo.builder.clear, before the ledger)."""
    Redemption.objects.all().delete()
    Coupon.objects.all().delete()
    CouponCampaign.objects.all().delete()
    Offer.objects.all().delete()
    MatrixShop.objects.all().delete()
