"""Forms of the case pages: the new case, the actions on a case, the taxonomy and time limits."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import restrict
from jiequ.ledger.models import Entity
from jiequ.party.models import Organisation

from . import photos, workflow
from .models import (
    LEVEL_ORDER,
    CaseCategory,
    DeadlineRule,
    Level,
    RequestType,
    Source,
)

CASE_CONSENT_TEXT = gettext_lazy(
    "The reporter agrees that the subdistrict keeps their name and phone number to handle this "
    "demand and to call them back about it. They are shown masked, are not given to anyone "
    "outside the people handling the demand, and are deleted on request."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (the phone's gallery or camera)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": photos.ACCEPT, "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def category_choices(include_inactive: bool = False) -> list[tuple[Any, Any]]:
    """The taxonomy as grouped choices: each top category with its sub-categories.

    A top category without sub-categories can be chosen itself.
    """
    categories = CaseCategory.objects.select_related("parent").order_by("code")
    if not include_inactive:
        categories = categories.filter(is_active=True)
    tops = [c for c in categories if c.parent_id is None]
    children: dict[int, list[CaseCategory]] = {}
    for c in categories:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    choices: list[tuple[Any, Any]] = [("", "---------")]
    for top in tops:
        kids = children.get(top.pk, [])
        if kids:
            choices.append(
                (f"{top.name}（{top.get_kind_display()}）", [(k.pk, k.name) for k in kids])
            )
        else:
            choices.append((top.pk, f"{top.name}（{top.get_kind_display()}）"))
    return choices


class CategoryField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", CaseCategory.objects.filter(is_active=True))
        kwargs.setdefault("label", gettext_lazy("category"))
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = gettext_lazy("Choose a category from the list.")

    def refresh_choices(self) -> None:
        self.widget.choices = category_choices()


class CaseForm(forms.Form):
    """A new case, by staff, a secretary on a visit or a grid worker on their round."""

    source = forms.ChoiceField(label=pgettext_lazy("case", "source"))
    request_type = forms.ChoiceField(
        label=gettext_lazy("request type"),
        choices=RequestType.choices,
        initial=RequestType.REQUEST,
        help_text=gettext_lazy(
            "Sets the time limit: enquiry 1 working day, follow-up 3, request or complaint 5, "
            "complex matter 15."
        ),
    )
    category = CategoryField()
    title = forms.CharField(
        label=gettext_lazy("title"),
        max_length=100,
        error_messages={"required": gettext_lazy("Give the demand a short title.")},
    )
    description = forms.CharField(
        label=pgettext_lazy("case", "description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Describe the demand.")},
    )
    entity = forms.ModelChoiceField(
        queryset=Entity.objects.none(), required=False, label=gettext_lazy("market entity")
    )
    lat = forms.DecimalField(
        label=gettext_lazy("latitude"), max_digits=9, decimal_places=6, required=False
    )
    lon = forms.DecimalField(
        label=gettext_lazy("longitude"), max_digits=10, decimal_places=6, required=False
    )
    address = forms.CharField(label=gettext_lazy("address"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=gettext_lazy("branch"),
        help_text=gettext_lazy("Empty: the branch that covers the shop."),
    )
    reporter_name = forms.CharField(label=gettext_lazy("reporter"), max_length=50, required=False)
    phone = forms.CharField(label=gettext_lazy("reporter's phone"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("The reporter agrees (read them the text above)"), required=False
    )
    photos = MultipleFileField(
        label=gettext_lazy("photos"),
        required=False,
        help_text=gettext_lazy("Up to 4 photos, JPEG, PNG or WebP, at most 5 MB each."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source"].choices = [c for c in Source.choices if c[0] != Source.QR]
        self.fields["category"].refresh_choices()
        self.fields["entity"].queryset = restrict(Entity.objects.all(), user)
        self.fields["organisation"].queryset = restrict(
            Organisation.objects.filter(dissolved_on__isnull=True), user
        )
        if not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(16))
            field_work = getattr(user, "role", "") in ("branch_secretary", "grid_worker")
            self.initial.setdefault("source", Source.VISIT if field_work else Source.STAFF)
        self.fields["lat"].widget.attrs.update(inputmode="decimal", step="0.000001")
        self.fields["lon"].widget.attrs.update(inputmode="decimal", step="0.000001")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    @property
    def consent_text(self) -> str:
        return str(CASE_CONSENT_TEXT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        nowhere = not cleaned.get("entity") and (
            cleaned.get("lat") is None or cleaned.get("lon") is None
        )
        if nowhere and "entity" not in self.errors and "lat" not in self.errors:
            self.add_error(
                "entity", _("Say where the demand is: choose the shop or place it on the map.")
            )
        if (cleaned.get("reporter_name") or cleaned.get("phone")) and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "The reporter's name and phone are kept only with their consent: read them "
                    "the consent text and tick the box, or leave name and phone empty."
                ),
            )
        return cleaned

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Put create_case's errors on the matching fields (the rest above the form)."""
        for name, messages in errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


# ---- actions on a case


class ActionForm(forms.Form):
    """Every action form carries the case's version as the page showed it."""

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        if case is not None and not self.is_bound:
            self.fields["loaded_at"].initial = case.updated_at.isoformat()

    def apply_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {k: v for k, v in data.items() if v not in (None, "")}


def _reason(label: Any, required: bool, message: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": message or gettext_lazy("Give the reason.")},
    )


class NoteForm(ActionForm):
    reason = _reason(gettext_lazy("note"), required=False)


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("assign to"),
        error_messages={"required": gettext_lazy("Choose the person to assign the case to.")},
    )
    reason = _reason(gettext_lazy("note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jiequ.accounts.models import User

        people = workflow.assignable_users(self.case) if self.case is not None else []
        field = self.fields["assignee"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in people])
        field.label_from_instance = lambda u: f"{u} · {u.get_role_display()}"


class ResolveForm(ActionForm):
    resolution = forms.CharField(
        label=gettext_lazy("how it was resolved"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say how the case was resolved.")},
    )


class ReasonForm(ActionForm):
    reason = _reason(gettext_lazy("reason"), required=True)


class EscalateForm(ActionForm):
    to_level = forms.ChoiceField(label=gettext_lazy("escalate to"))
    council = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("council"),
        help_text=gettext_lazy("Needed when the case goes to a council."),
    )
    reason = _reason(
        gettext_lazy("why escalate"), True, gettext_lazy("Give the reason for escalating.")
    )
    tried = forms.CharField(
        label=gettext_lazy("what this level tried"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say what this level tried before escalating.")},
    )
    urgent = forms.BooleanField(
        label=gettext_lazy("Urgent: may skip a level"),
        required=False,
    )
    urgent_reason = forms.CharField(
        label=gettext_lazy("why urgent"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jiequ.councils.models import Council

        case = self.case
        above = LEVEL_ORDER[LEVEL_ORDER.index(Level(case.level)) + 1 :] if case else []
        self.fields["to_level"].choices = [(lvl.value, lvl.label) for lvl in above]
        if case is not None and not self.is_bound and above:
            self.fields["to_level"].initial = above[0].value
        councils = []
        if case is not None:
            councils = workflow.eligible_councils(case, self.user, Level.COUNCIL)
            councils += workflow.eligible_councils(case, self.user, Level.GRID)
        self.fields["council"].queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        self.fields["council"].label_from_instance = lambda c: f"{c} · {c.get_kind_display()}"

    def apply_kwargs(self) -> dict[str, Any]:
        data = super().apply_kwargs()
        data["urgent"] = bool(self.cleaned_data.get("urgent"))
        return data


ACTION_FORMS: dict[str, type[ActionForm]] = {
    workflow.Action.ASSIGN: AssignForm,
    workflow.Action.START: NoteForm,
    workflow.Action.RESOLVE: ResolveForm,
    workflow.Action.CLOSE: NoteForm,
    workflow.Action.RETURN: ReasonForm,
    workflow.Action.REOPEN: ReasonForm,
    workflow.Action.SUSPEND: ReasonForm,
    workflow.Action.RESUME: NoteForm,
    workflow.Action.ESCALATE: EscalateForm,
}


class PhotoForm(forms.Form):
    photos = MultipleFileField(label=gettext_lazy("photos"))


# ---- taxonomy and time limits (admins)


class CategoryForm(ScopedModelForm):
    class Meta:
        model = CaseCategory
        fields = ["code", "name", "kind", "parent", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two levels: a sub-category hangs under a top category.
        tops = CaseCategory.objects.filter(parent__isnull=True)
        if self.instance.pk:
            tops = tops.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = tops
        self.fields["parent"].help_text = _("Empty for a top category.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if parent is not None and self.instance.pk and self.instance.children.exists():
            self.add_error(
                "parent",
                _("This category has sub-categories, so it stays a top category."),
            )
        if parent is not None and cleaned.get("kind") and parent.kind != cleaned["kind"]:
            self.add_error(
                "kind",
                _("A sub-category has the kind of its top category (%(kind)s).")
                % {"kind": parent.get_kind_display()},
            )
        return cleaned


class DeadlineRuleForm(ScopedModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["request_type", "level", "category", "working_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CaseCategory.objects.order_by("code")
        self.fields["category"].help_text = _("Empty: every category.")
        self.fields["working_days"].widget.attrs.update(min=1, max=120)

    def clean_working_days(self) -> int:
        days = self.cleaned_data["working_days"]
        if not 1 <= days <= 120:
            raise forms.ValidationError(_("A time limit is 1 to 120 working days."))
        return days

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        same = DeadlineRule.objects.filter(
            request_type=cleaned.get("request_type"),
            level=cleaned.get("level") or "",
            category=cleaned.get("category"),
        )
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if cleaned.get("request_type") and same.exists():
            raise forms.ValidationError(
                _("There is already a time limit for this request type, level and category.")
            )
        return cleaned
