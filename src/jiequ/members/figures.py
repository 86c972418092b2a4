"""Home-page figures of members; each links to the list it counts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiequ.ledger.models import Membership

from . import liaison, transfers
from .models import Member, RecordLocation, Transfer


def home_figures(user: Any) -> list[tuple[str, int, str]]:
    figures: list[tuple[str, int, str]] = []
    if user.has_perm("members.view_member"):
        members = Member.objects.restrict(user).filter(left_on__isnull=True)
        url = reverse("members:member_list")
        figures += [
            (
                _("full members"),
                members.filter(membership=Membership.FULL).count(),
                f"{url}?membership={Membership.FULL}",
            ),
            (
                _("probationary members"),
                members.filter(membership=Membership.PROBATIONARY).count(),
                f"{url}?membership={Membership.PROBATIONARY}",
            ),
            (
                _("mobile members"),
                members.filter(record_location=RecordLocation.ELSEWHERE).count(),
                f"{url}?mobile=true",
            ),
            (
                _("mobile-member reports due"),
                len(liaison.due_list(members)),
                reverse("members:liaison_due"),
            ),
        ]
    if user.has_perm("members.view_transfer"):
        figures.append(
            (
                _("transfers overdue"),
                transfers.overdue(Transfer.objects.restrict(user), timezone.localdate()).count(),
                reverse("members:transfer_overdue"),
            )
        )
    return figures
