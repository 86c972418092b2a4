"""Public pages of the talents' register (no account): the sign-up behind the QR code and a
person's own record behind their private link. Rate-limited; consent recorded."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiequ.core import ratelimit

from . import talents
from .forms_talents import JoinForm
from .models import Talent, TalentInvite

SIGNUPS_PER_IP = 10  # per 10 minutes; a real person needs one or two


def talent_join(request: HttpRequest, token: str) -> HttpResponse:
    invite = (
        TalentInvite.objects.filter(token=token, is_active=True).select_related("region").first()
    )
    if invite is None:
        raise Http404
    form = JoinForm(request.POST or None, region=invite.region)
    context = {"form": form, "invite": invite}
    if request.method == "POST":
        if not ratelimit.allow(f"talent-join:{ratelimit.client_ip(request)}", SIGNUPS_PER_IP, 600):
            return render(
                request, "services/talent_join.html", {**context, "limited": True}, status=429
            )
        if form.is_valid() and not form.cleaned_data["website"]:
            data = form.cleaned_data
            talent, created = talents.sign_up(
                talents.TalentData(
                    name=data["name"],
                    phone=data["phone"],
                    skills=data["skills"],
                    category=data["category"],
                    occupation=data["occupation"],
                    region=data["region"],
                    consent_text=str(talents.CONSENT_TEXT),
                )
            )
            if not created:
                return render(request, "services/talent_join_known.html", context)
            messages.success(
                request,
                _("Thank you! You are on the register. Keep this page's link: it is your own."),
            )
            return redirect("services_public:talent_me", token=talent.token)
        if form.is_valid():  # the hidden field was filled: a bot; say nothing useful
            return render(request, "services/talent_join_known.html", context)
    return render(request, "services/talent_join.html", context)


def talent_me(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own record, and the way off the register."""
    talent = (
        Talent.objects.filter(token=token, withdrawn_at__isnull=True)
        .select_related("region")
        .prefetch_related("councils", "projects")
        .first()
    )
    if talent is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        if not ratelimit.allow(f"talent-me:{ratelimit.client_ip(request)}", 30, 600):
            return render(request, "services/talent_me.html", {"talent": talent}, status=429)
        talents.withdraw(talent)
        return render(request, "services/talent_withdrawn.html", {})
    return render(request, "services/talent_me.html", {"talent": talent})
