"""The new-case page: a secretary on a visit, a grid worker on a round, staff at the desk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiequ.core.scoping import restrict
from jiequ.ledger.models import Entity

from . import services
from .forms import CaseForm


@login_required
@permission_required("cases.add_case", raise_exception=True)
def case_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            with_reporter = bool(data.get("reporter_name") or data.get("phone"))
            try:
                case, created = services.create_case(
                    source=data["source"],
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    entity=data.get("entity"),
                    lat=data.get("lat"),
                    lon=data.get("lon"),
                    address=data.get("address", ""),
                    organisation=data.get("organisation"),
                    request_type=data["request_type"],
                    reporter_name=data.get("reporter_name", ""),
                    phone=data.get("phone", ""),
                    consent_text=form.consent_text if with_reporter and data["consent"] else "",
                    user=user,
                    submission_key=f"staff:{user.pk}:{data['submission_key']}"
                    if data.get("submission_key")
                    else "",
                    photos=data.get("photos") or [],
                )
            except ValidationError as exc:
                form.add_service_errors(
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
            else:
                if created:
                    messages.success(
                        request,
                        _("Case %(number)s recorded; due on %(due)s.")
                        % {"number": case.number, "due": case.due_on},
                    )
                else:
                    messages.info(request, _("This case was already recorded."))
                return redirect(case)
        status = 400
    else:
        initial = {}
        entity_pk = request.GET.get("entity", "")
        if entity_pk.isdigit():
            entity = restrict(Entity.objects.all(), user).filter(pk=entity_pk).first()
            if entity is not None:
                initial["entity"] = entity.pk
        form = CaseForm(initial=initial, user=user)
        status = 200
    selected = None
    value = form["entity"].value()
    if value and str(value).isdigit():
        selected = restrict(Entity.objects.all(), user).filter(pk=value).first()
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "selected_entity": selected,
            "list_url": reverse("cases:case_list"),
        },
        status=status,
    )
