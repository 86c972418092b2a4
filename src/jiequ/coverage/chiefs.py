"""Street chiefs (街长): the subdistrict puts one person in charge of each road.

A chief is a Party member or a department cadre. A road has at most one current chief (a
database constraint: one row with no end date per road); putting a new one on a road ends the
previous chief's post the day before the new one starts. Every change is kept in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from jiequ.areas.models import Region, Road
from jiequ.ledger.models import EntityState
from jiequ.members.models import Member
from jiequ.party.models import Cadre

from .models import StreetChief

__all__ = [
    "ChiefError",
    "RoadRow",
    "assign",
    "candidate_cadres",
    "candidate_members",
    "end",
    "roads_of",
]


class ChiefError(ValueError):
    """Refused: the message (already translated) says why."""


@dataclass
class RoadRow:
    road: Road
    chief: StreetChief | None
    shops: int  # operating street shops on the road
    entities: int  # operating entities of any kind on the road


def roads_of(subdistrict: Region) -> list[RoadRow]:
    """The subdistrict's roads with their current chief and how many shops line them."""
    operating = Q(entities__state=EntityState.OPERATING)
    roads = (
        Road.objects.filter(subdistrict=subdistrict)
        .annotate(
            n_shops=Count("entities", filter=operating & Q(entities__is_street_shop=True)),
            n_entities=Count("entities", filter=operating),
        )
        .order_by("name")
    )
    current = {
        c.road_id: c
        for c in StreetChief.objects.filter(
            road__subdistrict=subdistrict, ended_on__isnull=True
        ).select_related("member", "cadre")
    }
    return [RoadRow(r, current.get(r.pk), r.n_shops, r.n_entities) for r in roads]


def candidate_members(subdistrict: Region) -> QuerySet[Member]:
    """Active members of the subdistrict's organisations."""
    return Member.objects.filter(
        organisation__region__path__startswith=subdistrict.path, left_on__isnull=True
    ).select_related("organisation")


def candidate_cadres(subdistrict: Region) -> QuerySet[Cadre]:
    return Cadre.objects.filter(subdistrict=subdistrict)


def current_chief(road: Road) -> StreetChief | None:
    return StreetChief.objects.filter(road=road, ended_on__isnull=True).first()


def assign(
    road: Road,
    *,
    member: Member | None = None,
    cadre: Cadre | None = None,
    started_on: date,
) -> StreetChief:
    """Put a member or a cadre in charge of the road from `started_on`.

    The current chief, if any, ends the day before. Refuses a start on or before the current
    chief's own start (history would overlap), the same person again, and people from outside
    the road's subdistrict.
    """
    if (member is None) == (cadre is None):
        raise ChiefError(_("Choose either a Party member or a department cadre, not both."))
    subdistrict = road.subdistrict
    if member is not None and not candidate_members(subdistrict).filter(pk=member.pk).exists():
        raise ChiefError(_("The member must be an active member of this subdistrict."))
    if cadre is not None and cadre.subdistrict_id != subdistrict.pk:
        raise ChiefError(_("The cadre must work for this subdistrict."))
    if started_on is None:
        raise ChiefError(_("Give the day the post starts."))
    try:
        with transaction.atomic():
            # Lock the road so two assignments at once queue up instead of racing.
            Road.objects.select_for_update().get(pk=road.pk)
            previous = current_chief(road)
            if previous is not None:
                if (previous.member_id, previous.cadre_id) == (
                    getattr(member, "pk", None),
                    getattr(cadre, "pk", None),
                ):
                    raise ChiefError(_("This person is already the road's chief."))
                if started_on <= previous.started_on:
                    raise ChiefError(
                        _("The new chief must start after the current chief's start (%(day)s).")
                        % {"day": previous.started_on.isoformat()}
                    )
                previous.ended_on = started_on - timedelta(days=1)
                previous._change_reason = "replaced"
                previous.save()
            chief = StreetChief(road=road, member=member, cadre=cadre, started_on=started_on)
            chief._change_reason = "assigned"
            chief.save()
    except IntegrityError:
        raise ChiefError(
            _("Someone else changed this road's chief at the same moment; reload and try again.")
        ) from None
    return chief


def end(chief: StreetChief, ended_on: date) -> StreetChief:
    """End a chief's post (the road is left without a chief)."""
    if chief.ended_on is not None:
        raise ChiefError(_("This post has already ended."))
    if ended_on is None or ended_on < chief.started_on:
        raise ChiefError(_("A post cannot end before it started."))
    chief.ended_on = ended_on
    chief._change_reason = "ended"
    chief.save()
    return chief


def person_label(chief: StreetChief, user: Any) -> str:
    """The chief's name, or only "Party member" for viewers who may not read member records."""
    if chief.cadre_id:
        return f"{chief.cadre.name}（{chief.cadre.get_department_kind_display()}）"
    if user.has_perm("members.view_member"):
        return chief.member.name
    return _("A Party member")
