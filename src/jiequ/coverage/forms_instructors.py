"""Forms for instructor posts: post an instructor at an entity, end a post."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.core.forms import ScopedModelForm
from jiequ.ledger.models import Entity, EntityState
from jiequ.members.models import Member
from jiequ.party.models import Cadre

from .models import InstructorPost

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.address}）" if obj.address else obj.display_name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.organisation}）"


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.department or obj.get_department_kind_display()}）"


class InstructorPostForm(ScopedModelForm):
    """A new post: the entity, and a Party member or a department cadre (one of the two)."""

    class Meta:
        model = InstructorPost
        fields = ["entity", "member", "cadre", "started_on"]
        field_classes = {
            "entity": EntityChoiceField,
            "member": MemberChoiceField,
            "cadre": CadreChoiceField,
        }
        widgets = {"started_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = (
            Entity.objects.restrict(self.user)
            .exclude(state__in=[EntityState.CLOSED, EntityState.MOVED])
            .order_by("name", "sign_name")
        )
        self.fields["member"].queryset = (
            Member.objects.restrict(self.user)
            .filter(left_on__isnull=True)
            .select_related("organisation")
        )
        self.fields["cadre"].queryset = Cadre.objects.restrict(self.user)
        self.fields["member"].help_text = gettext_lazy("A Party member as the instructor…")
        self.fields["cadre"].help_text = gettext_lazy("…or a department cadre (one of the two).")
        self.fields["started_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        member, cadre = cleaned.get("member"), cleaned.get("cadre")
        if member is None and cadre is None and not self.has_error("member"):
            self.add_error(
                "member", _("Choose the instructor: a Party member or a department cadre.")
            )
        if member is not None and cadre is not None:
            self.add_error(
                "cadre",
                _("An instructor is either a Party member or a department cadre, not both."),
            )
        entity = cleaned.get("entity")
        if entity is not None and (member or cadre) is not None and not self.errors:
            person = Q(member=member) if member is not None else Q(cadre=cadre)
            today = timezone.localdate()
            current = InstructorPost.objects.filter(person, entity=entity).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=today)
            )
            if current.exists():
                raise forms.ValidationError(
                    _("%(person)s is already the instructor at “%(entity)s”.")
                    % {"person": member or cadre, "entity": entity}
                )
        return cleaned


class EndPostForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("until"), widget=DATE)

    def __init__(self, *args: Any, post: InstructorPost, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self) -> date:
        ended_on = self.cleaned_data["ended_on"]
        if self.post.ended_on is not None and self.post.ended_on < timezone.localdate():
            raise forms.ValidationError(_("This post has already ended."))
        if ended_on < self.post.started_on:
            raise forms.ValidationError(
                _("A post cannot end before it began (%(date)s).") % {"date": self.post.started_on}
            )
        return ended_on
