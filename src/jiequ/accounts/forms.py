"""Managing user accounts inside the admin's own scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import region_in_scope

from .models import User
from .roles import Role

# Roles a subdistrict admin may hand out: never their own level or above (no escalation).
ASSIGNABLE_ROLES = [
    Role.SUBDISTRICT_STAFF,
    Role.BRANCH_SECRETARY,
    Role.GRID_WORKER,
    Role.MEMBER,
]


class UserForm(ScopedModelForm):
    password = forms.CharField(
        label=gettext_lazy("initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=gettext_lazy("Only for a new account; the user changes it after logging in."),
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "scope_region", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        if not user.is_superuser:
            self.fields["role"].choices = [(r.value, r.label) for r in ASSIGNABLE_ROLES]
        self.fields["scope_region"].queryset = Region.objects.restrict(user, "view").filter(
            path__startswith=user.scope_region.path if user.scope_region_id else "/"
        )
        self.fields["scope_region"].required = True
        if self.instance.pk:
            del self.fields["password"]
        else:
            self.fields["password"].required = True

    def clean_scope_region(self) -> Region:
        region = self.cleaned_data["scope_region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("This region is outside your area of work."))
        return region

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if password:
            validate_password(password, self.instance)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        editing_self = self.instance.pk and self.instance.pk == self.user.pk
        demoting = cleaned.get("role") != self.instance.role or not cleaned.get("is_active", True)
        if editing_self and demoting:
            raise forms.ValidationError(
                _("You cannot change your own role or deactivate yourself.")
            )
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user
