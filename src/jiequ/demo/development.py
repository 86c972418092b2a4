"""The demo's applications to join the Party, at every stage of the 25-step procedure.

Step dates respect the rules of jiequ.party.rules (the talk within 30 days of the letter, at
least 12 months as an activist, approval within 3 months of the branch meeting, 12 months of
probation); each application is laid out forward from its letter and then moved back in time so
its last step falls on the day its stage needs. Admitted applicants get their member record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from simple_history.utils import bulk_create_with_history

from jiequ.development.models import Application, ApplicationStep, Stage
from jiequ.members.models import ConsentSource
from jiequ.party import rules
from jiequ.party.models import Category, Level

from . import members as m
from .people import Context, add_months, aware, days, phone_fields

CONSENT = "本人同意党组织保存入党申请材料中的姓名、出生日期和联系方式，用于发展党员工作。"
STOP_REASONS = [
    "本人因工作调动离开本市，申请转至新工作地党组织。",
    "本人书面撤回入党申请。",
    "培养考察期间表现不符合要求，经支部委员会研究终止。",
    "长期未参加培养教育活动，经谈话后终止。",
]
# Stage → how many applications, besides those of the secretary's branch.
STAGES = [
    (Stage.APPLICANT, 6),
    (Stage.ACTIVIST, 8),
    (Stage.CANDIDATE, 6),
    (Stage.PROBATIONARY, 5),
    (Stage.FULL, 4),
    (Stage.STOPPED, 3),
]
LAST_STEP = {Stage.APPLICANT: (1, 2), Stage.ACTIVIST: (3, 6), Stage.CANDIDATE: (7, 16),
             Stage.PROBATIONARY: (17, 21), Stage.FULL: (25, 25), Stage.STOPPED: (2, 9)}  # fmt: skip
# How long ago the last step was done, in days, by stage.
LAST_AGO = {
    Stage.APPLICANT: (2, 25),
    Stage.ACTIVIST: (5, 150),
    Stage.CANDIDATE: (5, 70),
    Stage.PROBATIONARY: (5, 110),
    Stage.FULL: (20, 500),
    Stage.STOPPED: (60, 450),
}


def _offsets(ctx: Context) -> dict[int, int]:
    """Days between steps (before the rules' minimums are applied)."""
    r = ctx.rng.randint
    return {2: r(5, 25), 3: r(30, 120), 4: r(3, 15), 5: r(0, 7), 6: r(30, 90), 7: r(5, 60),
            8: r(3, 14), 9: r(3, 14), 10: r(10, 40), 11: r(5, 30), 12: r(5, 20), 13: r(5, 20),
            14: r(3, 10), 15: r(5, 20), 16: r(7, 25), 17: r(3, 30), 18: r(3, 14), 19: r(1, 7),
            20: r(5, 30), 21: r(30, 90), 22: r(0, 10), 23: r(3, 15), 24: r(10, 60),
            25: r(7, 30)}  # fmt: skip


def _forward(first: dt.date, off: dict[int, int], extension: int = 0) -> dict[int, dt.date]:
    """The 25 step dates from the letter on `first`, keeping every interval of the rules."""
    talk = int(rules.value("application_talk_within_days"))
    activist = int(rules.value("activist_min_months"))
    approval = int(rules.value("approval_within_months"))
    probation = int(rules.value("probation_months"))
    d = {1: first}
    for n in range(2, 26):
        d[n] = d[n - 1] + days(off[n])
        if n == 2:
            d[2] = min(d[2], first + days(talk))
        elif n == 7:
            d[7] = max(d[7], add_months(d[3], activist) + days(off[7]))
        elif n in (17, 24):
            d[n] = min(d[n], add_months(d[n - 2 if n == 17 else n - 1], approval))
        elif n == 22:
            d[22] = max(d[22], add_months(d[15], probation + extension))
    return d


def _dates(
    ctx: Context, last: int, on: dt.date, anchor: int | None = None, extension: int = 0
) -> dict[int, dt.date]:
    """Step dates 1..`last` with step `anchor` (default: the last) done on `on`."""
    off = _offsets(ctx)
    anchor = anchor or last
    first = on
    for _attempt in range(4):  # month arithmetic moves a day or two: settle it
        d = _forward(first, off, extension)
        gap = (d[anchor] - on).days
        if gap == 0:
            break
        first -= days(gap)
    return {n: d[n] for n in range(1, last + 1)}


def _stage_at(last: int) -> str:
    if last >= 24:
        return Stage.FULL
    if last >= 17:
        return Stage.PROBATIONARY
    if last >= 7:
        return Stage.CANDIDATE
    if last >= 3:
        return Stage.ACTIVIST
    return Stage.APPLICANT


def plan_applications(ctx: Context) -> None:
    """Choose branches and stages; admitted applicants become (planned) members."""
    rng = ctx.rng
    secretary_branch = ctx.named["secretary_branch"]
    branches = [
        o
        for o in ctx.organisations
        if o.level in (Level.BRANCH, Level.JOINT_BRANCH)
        and o.category != Category.MOBILE_MEMBER
        and o.region.path.startswith(ctx.subdistrict.path)
        and o not in (secretary_branch, ctx.named["two_full"])
        and sum(1 for x in ctx.members_of[o.pk] if x.membership == "full") >= 3
    ]
    plans: list[dict[str, Any]] = [
        {"org": secretary_branch, "stage": Stage.APPLICANT, "bun": True},
        {"org": secretary_branch, "stage": Stage.ACTIVIST},
        {"org": secretary_branch, "stage": Stage.CANDIDATE},
        {"org": secretary_branch, "stage": Stage.PROBATIONARY},
        {"org": secretary_branch, "stage": Stage.FULL},
        {"org": secretary_branch, "stage": Stage.STOPPED},
        {"org": ctx.named["two_full"], "stage": Stage.PROBATIONARY},
        # Probation extended by six months, still running.
        {"org": rng.choice(branches), "stage": Stage.PROBATIONARY, "extension": 6},
        # No talk yet, 40-odd days after the letter: overdue on the board.
        {"org": rng.choice(branches), "stage": Stage.APPLICANT, "late_talk": True},
    ]
    for stage, count in STAGES:
        plans += [{"org": rng.choice(branches), "stage": stage} for _ in range(count)]
    ctx.applications = [_plan(ctx, plan) for plan in plans]


def _plan(ctx: Context, plan: dict[str, Any]) -> dict[str, Any]:
    rng, today = ctx.rng, ctx.today
    org, stage = plan["org"], plan["stage"]
    low, high = LAST_STEP[stage]
    last = rng.randint(low, high)
    extension = plan.get("extension", 0)
    if plan.get("late_talk"):
        last, dates = 1, {1: ctx.ago(40, 50)}
    elif plan.get("bun"):
        last = 2
        dates = _dates(ctx, last, ctx.ago(3, 10))
    elif extension:
        last = 21
        dates = _dates(ctx, last, ctx.ago(400, 430), anchor=15, extension=extension)
    else:
        dates = _dates(ctx, last, ctx.ago(*LAST_AGO[stage]))
    if stage != Stage.STOPPED:
        assert _stage_at(last) == stage, (stage, last)
    age = 18 if plan.get("late_talk") else rng.randint(19, 45)
    birth = add_months(dates[1], -12 * age - rng.randint(1, 11)) - days(rng.randint(0, 27))
    entities = ctx.entities_of[org.pk]
    workplace = (
        ctx.named["bun_shop"] if plan.get("bun") else rng.choice(entities) if entities else None
    )
    name = ctx.people.name("陈") if plan.get("bun") else ctx.people.name()
    phone = ctx.people.phone("137")
    full = [x for x in ctx.members_of[org.pk] if x.membership == "full"]
    member = None
    if stage in (Stage.PROBATIONARY, Stage.FULL):
        member = m.new_member(
            ctx,
            org,
            name=name,
            phone=phone,
            workplace=workplace,
            membership="full" if stage == Stage.FULL else "probationary",
            joined_on=dates[15],
            since=dates[15],
            consent_source=ConsentSource.APPLICATION,
        )
        member.consent_at = aware(dates[1], 15)
        member.consent_text = CONSENT
        if extension:
            member.full_on = None
        member.demo_admitted = True
    stopped_on = None
    if stage == Stage.STOPPED:
        stopped_on = min(today, dates[last] + days(rng.randint(10, 50)))
    return {
        "org": org,
        "stage": stage,
        "name": name,
        "birth": birth,
        "phone": phone,
        "workplace": workplace,
        "dates": dates,
        "member": member,
        "extension": extension,
        "stopped_on": stopped_on,
        "stopped_stage": _stage_at(last) if stage == Stage.STOPPED else "",
        "people": [x.name for x in full[:6]],
        "bun": plan.get("bun", False),
    }


def create_applications(ctx: Context) -> int:
    rng = ctx.rng
    talker = ctx.named.get("committee_cadre")
    applications, steps = [], []
    for plan in ctx.applications:
        app = Application(
            name=plan["name"],
            birth_date=plan["birth"],
            **phone_fields(plan["phone"]),
            organisation=plan["org"],
            workplace=plan["workplace"],
            stage=plan["stage"],
            probation_extension_months=plan["extension"],
            probation_extension_reason="预备期内参加组织生活不够经常，经支部大会讨论延长预备期半年。"
            if plan["extension"]
            else "",
            stopped_reason=rng.choice(STOP_REASONS) if plan["stage"] == Stage.STOPPED else "",
            stopped_on=plan["stopped_on"],
            stopped_stage=plan["stopped_stage"],
            consent_at=aware(plan["dates"][1], 15),
            consent_text=CONSENT,
            member=plan["member"],
        )
        applications.append(app)
    applications = bulk_create_with_history(applications, Application, batch_size=500)
    for app, plan in zip(applications, ctx.applications, strict=True):
        people = plan["people"] or ["—"]
        for number, done_on in plan["dates"].items():
            names = ""
            if number == 2:
                names = people[0]
            elif number == 5:
                names = "、".join(people[1:3] or people[:1])
            elif number == 9:
                names = "、".join(people[2:4] if len(people) >= 4 else people[:2])
            elif number == 16 and talker is not None:
                names = talker.name
            note = ""
            if number == 1 and plan["bun"]:
                note = "安徽安庆人，来沪二十余年经营包子铺，常为周边社区老人买菜送餐。"
            steps.append(
                ApplicationStep(
                    application=app, number=number, done_on=done_on, people=names, note=note
                )
            )
    bulk_create_with_history(steps, ApplicationStep, batch_size=1000)
    return len(applications)
