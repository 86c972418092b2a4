"""The demo's Party members and their records: mobile members and the liaison with their home
organisations, sign-up registrations, transfers in and out, and a year of dues.

Members are planned first (unsaved `Member` objects on the context, with a few demo-only
attributes such as `demo_since`, the day they joined their organisation here) and created in
one bulk insert with their history; the records that hang on them follow.
"""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from typing import Any

from django.utils import translation
from simple_history.utils import bulk_create_with_history

from jiequ.ledger.models import MemberRegistration, RegistrationState, SignupCode, SignupTarget
from jiequ.members.dues import monthly_dues
from jiequ.members.models import (
    ConsentSource,
    DuesCategory,
    DuesPayment,
    LiaisonChannel,
    LiaisonReport,
    Member,
    RecordLocation,
    Transfer,
    TransferDirection,
    TransferState,
)
from jiequ.party import rules

from .people import Context, add_months, aware, days, month_start, phone_fields

# (province, city, county, towns and villages, weight): where mobile members' records stay.
HOMETOWNS = [
    ("江苏省", "盐城市", "亭湖区", ["南洋镇新洋村", "黄尖镇新建村"], 6),
    ("江苏省", "盐城市", "射阳县", ["合德镇条河村", "海河镇海河社区"], 5),
    ("江苏省", "盐城市", "阜宁县", ["益林镇东沟村"], 3),
    ("江苏省", "南通市", "如东县", ["掘港街道兴凌村"], 3),
    ("江苏省", "徐州市", "睢宁县", ["王集镇鲤鱼山村"], 3),
    ("安徽省", "宿州市", "埇桥区", ["符离镇符离社区", "夹沟镇夹沟村"], 6),
    ("安徽省", "宿州市", "萧县", ["龙城镇黄里村"], 3),
    ("安徽省", "阜阳市", "临泉县", ["城关街道关庙村", "姜寨镇姜寨村"], 6),
    ("安徽省", "阜阳市", "颍上县", ["慎城镇谢桥村"], 3),
    ("安徽省", "安庆市", "怀宁县", ["高河镇新安村"], 3),
    ("安徽省", "六安市", "霍邱县", ["城关镇东湖村"], 2),
    ("河南省", "周口市", "商水县", ["练集镇朱集村"], 4),
    ("河南省", "信阳市", "固始县", ["陈淋子镇街道社区"], 3),
    ("河南省", "驻马店市", "上蔡县", ["蔡都街道东关社区"], 3),
    ("江西省", "上饶市", "鄱阳县", ["饶州街道芝山社区", "油墩街镇油墩街村"], 3),
    ("江西省", "九江市", "都昌县", ["蔡岭镇衙前村"], 2),
    ("浙江省", "温州市", "苍南县", ["灵溪镇渎浦村"], 2),
    ("山东省", "临沂市", "沂南县", ["界湖街道西朱家庄村"], 2),
    ("四川省", "达州市", "渠县", ["渠江街道天星社区"], 2),
    ("湖北省", "黄冈市", "蕲春县", ["漕河镇百家村"], 2),
]
PROVINCE_SHORT = {"江苏省": "苏", "安徽省": "皖", "河南省": "豫", "江西省": "赣", "浙江省": "浙",
                  "山东省": "鲁", "四川省": "川", "湖北省": "鄂"}  # fmt: skip
# Organisations elsewhere in Shanghai that records come from (transfers in).
SHANGHAI_ORGANISATIONS = [
    ("上海市", "上海市", "普陀区长征镇第一网格街区党支部"),
    ("上海市", "上海市", "徐汇区天平路街道嘉澜片区新兴领域党支部"),
    ("上海市", "上海市", "黄浦区外滩街道楼宇联合党支部"),
    ("上海市", "上海市", "长宁区华阳路街道非公企业联合党支部"),
]
STAFF_CONSENT = (
    "本人同意街道党工委保存以上信息，用于与本人联系和安排组织生活。"
    "（工作人员当面登记，本人签字确认）"
)
TRANSFER_CONSENT = "组织关系转入时本人同意保存以上信息，用于组织生活和党员管理。"
LIAISON_SUMMARIES = [
    "通报该同志按时参加主题党日和组织生活，在街区志愿服务中表现积极。",
    "通报该同志参加“三会一课”情况及党费交纳情况，思想和工作表现良好。",
    "通报该同志在沿街商户走访、垃圾分类宣传等志愿活动中的表现。",
    "与流出地党组织电话核对该同志的联系方式和流动党员活动证有效期。",
    "通报该同志参加党员冬训和专题学习情况，请流出地党组织知悉。",
    "通报该同志年度民主评议党员结果：合格。",
]


def hometown(ctx: Context, province: str | None = None, city: str | None = None) -> dict:
    """Record fields of a mobile member: their record stays with a home organisation."""
    options = [
        h for h in HOMETOWNS if province in (None, h[0]) and city in (None, h[1])
    ] or HOMETOWNS
    prov, cty, county, places, _weight = ctx.rng.choices(options, weights=[h[4] for h in options])[
        0
    ]
    return {
        "record_location": RecordLocation.ELSEWHERE,
        "record_organisation": None,
        "record_elsewhere_name": f"{cty}{county}{ctx.rng.choice(places)}党支部",
        "record_province": prov,
        "record_city": cty,
    }


def _dues_fields(ctx: Context, category: str | None = None) -> dict:
    rng = ctx.rng
    if category is None:
        roll = rng.random()
        category = (
            DuesCategory.RETIRED
            if roll < 0.05
            else DuesCategory.FLAT
            if roll < 0.09
            else DuesCategory.EMPLOYED
        )
    if category == DuesCategory.FLAT:
        base = None
    elif category == DuesCategory.RETIRED:
        base = Decimal(rng.randrange(3500, 8000, 50))
    else:
        base = Decimal(min(40000, max(2600, round(rng.lognormvariate(8.85, 0.45), -1))))
    return {"dues_category": category, "dues_base": base}


def new_member(
    ctx: Context,
    org: Any,
    *,
    name: str | None = None,
    workplace: Any = None,
    membership: str = "full",
    joined_on: dt.date | None = None,
    home: dict | None = None,
    since: dt.date | None = None,
    consent_source: str = ConsentSource.STAFF,
    checked_in: bool | None = None,
    dues_category: str | None = None,
    phone: str | None = None,
) -> Member:
    """Plan a member of `org` (saved later in bulk). `home` makes them a mobile member."""
    rng, today = ctx.rng, ctx.today
    if joined_on is None:
        joined_on = ctx.ago(2 * 365, 35 * 365) if membership == "full" else ctx.ago(30, 300)
    if since is None:
        start = max(joined_on, org.founded_on or joined_on)
        since = max(start, ctx.ago(30, 5 * 365))
    since = min(since, today)
    phone = phone or ctx.people.phone()
    record = home or {
        "record_location": RecordLocation.HERE,
        "record_organisation": org,
        "record_elsewhere_name": "",
        "record_province": "",
        "record_city": "",
    }
    # People were entered into the system from the pilot on (about 18 months ago).
    entered = min(today, max(since, today - days(540)) + days(rng.randint(0, 30)))
    member = Member(
        name=name or ctx.people.name(),
        membership=membership,
        joined_on=joined_on,
        full_on=add_months(joined_on, 12) if membership == "full" else None,
        organisation=org,
        workplace=workplace,
        consent_source=consent_source,
        consent_at=aware(entered, rng.randint(9, 17), rng.randint(0, 59)),
        consent_text=TRANSFER_CONSENT
        if consent_source == ConsentSource.TRANSFER
        else STAFF_CONSENT,
        **record,
        **phone_fields(phone),
        **_dues_fields(ctx, dues_category),
    )
    if checked_in is None:
        share = (
            0.75 if home else 0.55 if org.category in ("street_block", "mobile_member") else 0.12
        )
        checked_in = rng.random() < share
    if checked_in:
        area = ctx.area_for(workplace.region if workplace else org.region) or rng.choice(ctx.areas)
        member.checked_in_area = area
        member.checked_in_on = min(today, max(since, today - days(540)) + days(rng.randint(2, 45)))
    member.demo_phone = phone
    member.demo_since = since
    member.demo_group = None
    member.demo_dues_until = None  # the last month paid; None: paid up
    ctx.pending.append(member)
    ctx.members_of[org.pk].append(member)
    return member


def active_on(member: Member, day: dt.date) -> bool:
    return member.demo_since <= day and (member.left_on is None or day < member.left_on)


# --- transfers (planned on the pending members, created once they are saved) ----------------


def plan_transfers(ctx: Context, candidates: dict[str, list[Member]]) -> None:
    """Choose who transferred in or out. `candidates` are lists of pending members:
    "in" (full members here, not officers), "mobile" (records elsewhere), "out" (may leave)."""
    rng, today = ctx.rng, ctx.today
    out_n = in_n = 0

    def letter_in(home: dict, issued: dt.date) -> str:
        nonlocal in_n
        in_n += 1
        short = PROVINCE_SHORT.get(home["record_province"], "沪")
        return f"{short}{home['record_city'][:1]}组转〔{issued.year}〕{in_n:03d}号"

    def letter_out(issued: dt.date) -> str:
        nonlocal out_n
        out_n += 1
        return f"沪静石两新组〔{issued.year}〕{out_n:03d}号"

    # In, completed: the record came with a letter and the return slip went back.
    for member in candidates["in"]:
        arrived = ctx.ago(40, 700)
        member.joined_on = min(member.joined_on, arrived - days(400))
        member.full_on = add_months(member.joined_on, 12)
        member.demo_since = arrived
        member.consent_source = ConsentSource.TRANSFER
        member.consent_text = TRANSFER_CONSENT
        member.consent_at = aware(arrived, 14)
        if member.checked_in_on is not None:
            member.checked_in_on = min(ctx.today, arrived + days(rng.randint(1, 20)))
        if rng.random() < 0.5:
            home = hometown(ctx)
            counterpart = (
                home["record_elsewhere_name"],
                home["record_province"],
                home["record_city"],
            )
        else:
            prov, city, name = rng.choice(SHANGHAI_ORGANISATIONS)
            home = {"record_province": prov, "record_city": city}
            counterpart = (name, prov, city)
        issued = arrived - days(rng.randint(2, 12))
        ctx.transfers.append(
            {
                "member": member,
                "direction": TransferDirection.IN,
                "counterpart": counterpart,
                "letter_number": letter_in(home, issued),
                "issued_on": issued,
                "dues_paid_to": add_months(month_start(issued), -1),
                "state": TransferState.COMPLETED,
                "returned_on": arrived,
                "closed_on": arrived,
            }
        )
    # In, still open: two letters within their validity, one that ran out unused.
    mobile = candidates["mobile"]
    for k, member in enumerate(mobile[:3]):
        issued = ctx.ago(3, 20) if k < 2 else ctx.ago(70, 90)
        valid = int(rules.value("transfer_valid_days"))
        expired = k == 2
        ctx.transfers.append(
            {
                "member": member,
                "direction": TransferDirection.IN,
                "counterpart": (
                    member.record_elsewhere_name,
                    member.record_province,
                    member.record_city,
                ),
                "letter_number": letter_in(
                    {"record_province": member.record_province, "record_city": member.record_city},
                    issued,
                ),
                "issued_on": issued,
                "valid_days": valid,
                "dues_paid_to": add_months(month_start(issued), -1),
                "state": TransferState.EXPIRED if expired else TransferState.ISSUED,
                "closed_on": issued + days(valid + 1) if expired else None,
                "closing_reason": "介绍信超过有效期未办理转入手续" if expired else "",
                "note": "本人回乡办事，尚未到街道办理报到。" if expired else "",
            }
        )
    # Out: four completed (the members left), one letter open and valid, one open past validity.
    leaving = candidates["out"]
    for k, member in enumerate(leaving[:6]):
        prov, city, county, places, _w = rng.choice(HOMETOWNS)
        if k % 2:
            counterpart = (f"{city}{county}{rng.choice(places)}党支部", prov, city)
        else:
            _prov, _city, name = rng.choice(SHANGHAI_ORGANISATIONS)
            counterpart = (name, "上海市", "上海市")
        if k < 4:
            issued = ctx.ago(60, 330)
            returned = issued + days(rng.randint(6, 25))
            member.left_on = returned
            member.left_reason = f"组织关系转出至{counterpart[0]}"
            state, closed = TransferState.COMPLETED, returned
        elif k == 4:
            issued, returned, state, closed = ctx.ago(2, 12), None, TransferState.ISSUED, None
        else:
            issued, returned, state, closed = ctx.ago(45, 55), None, TransferState.ISSUED, None
        member.demo_dues_until = month_start(issued) if k != 4 else None
        ctx.transfers.append(
            {
                "member": member,
                "direction": TransferDirection.OUT,
                "counterpart": counterpart,
                "letter_number": letter_out(issued),
                "issued_on": issued,
                "dues_paid_to": month_start(issued) if k != 4 else month_start(today),
                "state": state,
                "returned_on": returned,
                "closed_on": closed,
            }
        )


def create_transfers(ctx: Context) -> list[Transfer]:
    valid = int(rules.value("transfer_valid_days"))
    rows = []
    for plan in ctx.transfers:
        member = plan["member"]
        name, province, city = plan["counterpart"]
        rows.append(
            Transfer(
                member=member,
                direction=plan["direction"],
                organisation=member.organisation,
                counterpart=name,
                counterpart_province=province,
                counterpart_city=city,
                letter_number=plan["letter_number"],
                issued_on=plan["issued_on"],
                valid_days=plan.get("valid_days", valid),
                dues_paid_to=plan["dues_paid_to"],
                state=plan["state"],
                returned_on=plan.get("returned_on"),
                closed_on=plan.get("closed_on"),
                closing_reason=plan.get("closing_reason", ""),
                note=plan.get("note", ""),
            )
        )
    return bulk_create_with_history(rows, Transfer, batch_size=500)


# --- sign-up registrations -------------------------------------------------------------------


def _token(ctx: Context) -> str:
    return "".join(ctx.rng.choice(string.ascii_letters + string.digits) for _ in range(16))


def _short_province(province: str) -> str:
    """The sign-up form's province names: "江苏", "上海" (no 省/市)."""
    return province.removesuffix("省").removesuffix("市") if province else "上海"


def create_registrations(ctx: Context, confirmed: list[Member], pending: int) -> int:
    """Sign-up codes posted in shops, with the registrations they brought in: those of
    `confirmed` members (reviewed by staff; the member record points to them) and `pending`
    new ones waiting for review."""
    from jiequ.ledger.forms_signup import CONSENT_TEXT

    with translation.override("zh-hans"):
        consent = str(CONSENT_TEXT)
    codes: dict[int, SignupCode] = {}

    def code_for(entity: Any) -> SignupCode:
        if entity.pk not in codes:
            codes[entity.pk] = SignupCode.objects.create(
                token=_token(ctx), target=SignupTarget.ENTITY, entity=entity, region=entity.region
            )
        return codes[entity.pk]

    made = 0
    for member in confirmed:
        entity = member.workplace
        submitted = min(ctx.today, max(member.demo_since, ctx.today - days(400)) + days(3))
        here = member.record_location == RecordLocation.HERE
        registration = MemberRegistration.objects.create(
            code=code_for(entity),
            region=entity.region,
            name=member.name,
            phone_encrypted=member.phone_encrypted,
            phone_hash=member.phone_hash,
            record_organisation=member.organisation.name if here else member.record_elsewhere_name,
            record_province=_short_province("" if here else member.record_province),
            record_city=member.record_city.removesuffix("市") if not here else "上海",
            membership=member.membership,
            workplace=entity.display_name,
            entity=entity,
            consent_text=consent,
            consent_at=aware(submitted, 20, ctx.rng.randint(0, 59)),
            state=RegistrationState.CONFIRMED,
            reviewed_by=ctx.staff,
            reviewed_at=aware(min(ctx.today, submitted + days(2)), 9, 30),
        )
        member.registration = registration
        member.consent_source = ConsentSource.REGISTRATION
        member.consent_at = registration.consent_at
        member.consent_text = consent
        made += 1
    shops = [m.workplace for m in confirmed if m.workplace is not None]
    for k in range(pending):
        entity = shops[k % len(shops)]
        home = hometown(ctx)
        phone = ctx.people.phone()
        MemberRegistration.objects.create(
            code=code_for(entity),
            region=entity.region,
            name=ctx.people.name(),
            **phone_fields(phone),
            record_organisation=home["record_elsewhere_name"],
            record_province=_short_province(home["record_province"]),
            record_city=home["record_city"].removesuffix("市"),
            membership="full",
            workplace=entity.display_name,
            entity=entity,
            consent_text=consent,
            consent_at=aware(ctx.ago(1, 12), 19, ctx.rng.randint(0, 59)),
        )
        made += 1
    return made


# --- saving ----------------------------------------------------------------------------------


def save_members(ctx: Context) -> list[Member]:
    """Create every planned member in one insert (with their history)."""
    saved = bulk_create_with_history(ctx.pending, Member, batch_size=500)
    ctx.pending = []
    return saved


def add_guests(ctx: Context, pairs: list[tuple[Member, Any]]) -> None:
    """Members who also take part in another organisation's life."""
    through = Member.other_organisations.through
    through.objects.bulk_create(
        [through(member_id=m.pk, organisation_id=o.pk) for m, o in pairs], batch_size=500
    )


# --- mobile members: liaison with the home organisation -------------------------------------


def create_liaison(ctx: Context, members: list[Member]) -> int:
    """Reports to the home organisations over the past two years; about one mobile member in
    seven has had no report for more than the interval (overdue)."""
    rng, today = ctx.rng, ctx.today
    interval = int(rules.value("liaison_interval_days", ctx.subdistrict))
    mobile = [m for m in members if m.record_location == RecordLocation.ELSEWHERE]
    rows = []
    certificates = 0
    for member in mobile:
        start = max(member.demo_since, today - days(730))
        overdue = (today - start).days > interval + 60 and rng.random() < 0.15
        last_allowed = (
            today - days(rng.randint(interval + 15, interval + 200)) if overdue else today
        )
        day = start + days(rng.randint(15, 100))
        by = (
            ctx.secretary_user
            if member.organisation.pk == ctx.named["secretary_branch"].pk
            else ctx.staff
        )
        while day <= last_allowed:
            rows.append(
                LiaisonReport(
                    member=member,
                    reported_on=day,
                    channel=rng.choice(list(LiaisonChannel.values)),
                    summary=rng.choice(LIAISON_SUMMARIES),
                    recorded_by=by,
                )
            )
            day += days(rng.randint(120, 330))
        if overdue and (not rows or rows[-1].member is not member):
            # An overdue member has at least the one report that is now too old.
            rows.append(
                LiaisonReport(
                    member=member,
                    reported_on=max(start, last_allowed - days(rng.randint(0, 30))),
                    channel=LiaisonChannel.PHONE,
                    summary=LIAISON_SUMMARIES[0],
                    recorded_by=by,
                )
            )
        # Mobile-member certificates: about half have one, a few run out soon or ran out.
        if rng.random() < 0.5:
            issued = max(member.demo_since, today - days(700)) + days(rng.randint(0, 30))
            valid_until = add_months(issued, 24)
            roll = rng.random()
            if roll < 0.08:
                valid_until = today + days(rng.randint(3, 25))
            elif roll < 0.13:
                valid_until = today - days(rng.randint(5, 60))
            short = PROVINCE_SHORT.get(member.record_province, "沪")
            certificates += 1
            member.mobile_certificate_number = f"{short}流字{issued.year}第{certificates:04d}号"
            member.mobile_certificate_valid_until = valid_until
    bulk_create_with_history(rows, LiaisonReport, batch_size=500)
    with_certificate = [m for m in mobile if m.mobile_certificate_number]
    Member.objects.bulk_update(
        with_certificate, ["mobile_certificate_number", "mobile_certificate_valid_until"]
    )
    return len(rows)


# --- dues ------------------------------------------------------------------------------------


def create_dues(ctx: Context, members: list[Member]) -> int:
    """Payments for the last 12 months (and this month for most); about 8% are in arrears."""
    rng, today = ctx.rng, ctx.today
    current = month_start(today)
    first = add_months(current, -11)
    rows = []
    for member in members:
        amount = monthly_dues(member, member.organisation.region)
        if amount is None:
            continue
        start = max(first, month_start(member.demo_since))
        if member.demo_dues_until is not None:
            last = member.demo_dues_until
        elif rng.random() < 0.08:
            last = add_months(current, -rng.randint(3, 6))  # in arrears
        else:
            last = current
        pay_day = rng.randint(1, 25)
        month = start
        while month <= last:
            paid_on = month + days(min(pay_day, 27) - 1)
            if month == current and paid_on > today:
                break
            rows.append(
                DuesPayment(
                    member=member,
                    month=month,
                    amount=amount,
                    paid_on=max(paid_on, member.demo_since),
                    recorded_by=ctx.staff,
                )
            )
            month = add_months(month, 1)
    bulk_create_with_history(rows, DuesPayment, batch_size=1000)
    return len(rows)
