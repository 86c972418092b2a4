"""Members' responsibility zones (划片包干): a branch's shops divided among its members.

A zone plan is a coverage.Plan of kind "zones" for one branch: the shops are the branch's
covered entities (its coverage links), there is one group per chosen member, and each member is
anchored at their own workplace when it is one of those shops (that shop is locked to their
group). Staff or the branch's secretary adjust it with the planner's move/lock/re-run, then
apply it: the branch's previous zones are replaced by one Zone per member, with a duty list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.ledger.models import Entity
from jiequ.members.models import Member
from jiequ.party.models import Organisation

from . import planner
from .models import Plan, PlanGroup, PlanKind, PlanShop, PlanState, Zone
from .planner import PlanError

__all__ = [
    "DEFAULT_DUTIES",
    "active_members",
    "apply_zones",
    "branch_shops",
    "default_duties",
    "propose_zones",
    "zones_of",
]

DEFAULT_DUTIES = [
    gettext_lazy("Visit every shop of the zone at least once a month."),
    gettext_lazy("Learn what the shops and their workers need, and record their demands."),
    gettext_lazy(
        "Report problems (safety, environment, disputes) to the branch as soon as they are seen."
    ),
    gettext_lazy("Pass on Party and government policies and the branch's activities."),
    gettext_lazy("Invite members working in the shops to check in; look out for applicants."),
    gettext_lazy("Keep the shops' contact cards and ledger details up to date."),
]


def default_duties() -> str:
    """The default duty list as numbered lines, in the current language."""
    return "\n".join(f"{i}. {duty}" for i, duty in enumerate(DEFAULT_DUTIES, start=1))


def branch_shops(organisation: Organisation) -> QuerySet[Entity]:
    """The entities the branch covers (any kind of coverage link)."""
    return (
        Entity.objects.filter(coverage_links__organisation=organisation)
        .distinct()
        .select_related("road", "region")
    )


def active_members(organisation: Organisation) -> QuerySet[Member]:
    """The branch's members who have not left, by name."""
    return Member.objects.filter(organisation=organisation, left_on__isnull=True).order_by(
        "name", "pk"
    )


def propose_zones(
    organisation: Organisation,
    members: Sequence[Member],
    balance_by: str,
    author: Any,
    name: str = "",
    *,
    seed: int = 0,
) -> Plan:
    """A draft zone plan: one group per member, each anchored at their own shop if covered."""
    members = list(dict.fromkeys(members))  # unique, in the given order
    if not members:
        raise PlanError(_("Choose at least one member."))
    allowed = set(active_members(organisation).values_list("pk", flat=True))
    if any(m.pk not in allowed for m in members):
        raise PlanError(_("Only the branch's own active members can take a zone."))
    shops = [e for e in branch_shops(organisation) if e.lat is not None and e.lon is not None]
    if not shops:
        raise PlanError(_("The branch covers no shops with a location yet."))
    if len(members) > len(shops):
        raise PlanError(
            _("There are more members (%(members)d) than shops (%(shops)d); choose fewer members.")
            % {"members": len(members), "shops": len(shops)}
        )
    shop_ids = {e.pk for e in shops}
    locked: dict[int, int] = {}
    for g, member in enumerate(members):
        # A shop anchors one member only (two members working in one shop: the first).
        if member.workplace_id in shop_ids and member.workplace_id not in locked:
            locked[member.workplace_id] = g
    subdistrict = planner.subdistrict_of(organisation.region) or organisation.region
    name = (name or "").strip() or _("Zones of %(branch)s, %(day)s") % {
        "branch": organisation.name,
        "day": timezone.localdate().isoformat(),
    }
    return planner.propose(
        subdistrict,
        shops,
        len(members),
        balance_by,
        author,
        name,
        kind=PlanKind.ZONES,
        organisation=organisation,
        members=members,
        locked=locked,
        selection=_("Shops covered by %(branch)s") % {"branch": organisation.name},
        seed=seed,
    )


def apply_zones(plan: Plan, by: Any, duties: str | None = None) -> list[Zone]:
    """Replace the branch's zones by this plan's: one Zone per member, in one transaction."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.state != PlanState.DRAFT:
            raise PlanError(_("This plan has been applied; it can no longer be changed."))
        if plan.kind != PlanKind.ZONES or plan.organisation_id is None:
            raise PlanError(_("This is not a zone plan."))
        organisation = plan.organisation
        duties = (duties if duties is not None else default_duties()).strip()
        groups = list(PlanGroup.objects.filter(plan=plan).select_related("member"))
        if any(g.member is None for g in groups):
            raise PlanError(_("Every zone needs a member."))
        gone = [g.member.name for g in groups if not g.member.is_active]
        wrong = [
            g.member.name
            for g in groups
            if g.member.is_active and g.member.organisation_id != organisation.pk
        ]
        if gone or wrong:
            raise PlanError(
                _("%(names)s is no longer an active member of the branch; make a new plan.")
                % {"names": "、".join(gone + wrong)}
            )
        shops_of: dict[int, list[int]] = {g.number: [] for g in groups}
        for group_number, entity_id in PlanShop.objects.filter(plan=plan).values_list(
            "group", "entity_id"
        ):
            shops_of.setdefault(group_number, []).append(entity_id)
        for old in Zone.objects.filter(organisation=organisation):
            old._change_reason = f"replaced by plan {plan.pk}"
            old.delete()
        zones = []
        for group in groups:
            zone = Zone(organisation=organisation, member=group.member, duties=duties, plan=plan)
            zone._change_reason = f"plan {plan.pk}"
            zone.save()
            zone.entities.set(shops_of.get(group.number, []))
            zones.append(zone)
        plan.state = PlanState.APPLIED
        plan.applied_at = timezone.now()
        plan.applied_by = by
        plan._change_reason = f"applied: {len(zones)} zone(s)"
        plan.save()
    return zones


def zones_of(organisation: Organisation) -> list[tuple[Zone, list[Entity]]]:
    """The branch's zones with their shops in walking order (by road, then number)."""
    zones = Zone.objects.filter(organisation=organisation).select_related("member", "plan")
    out = []
    for zone in zones:
        shops = list(zone.entities.select_related("road").order_by("road__name", "number", "pk"))
        out.append((zone, shops))
    return sorted(out, key=lambda item: (item[0].member.name, item[0].pk))
