"""Forms of the party app: organisations, coverage links, committee posts, cadres, rule values.

Each form refuses what the rules refuse, in words that name the rule; nothing is saved from a
form that does not validate.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region, RegionLevel
from jiequ.core.crypto import lookup_hash
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import organisation_in_scope, region_in_scope, user_scope_path
from jiequ.core.validators import mask_phone, normalise_phone

from . import checks, rules
from .models import (
    INSIDE_ORIGINS,
    Cadre,
    CoverageKind,
    DepartmentKind,
    Level,
    Officer,
    OfficerRole,
    Organisation,
    Origin,
    RuleOverride,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

ORGANISATION_FIELDS = [
    "name",
    "level",
    "category",
    "parent",
    "region",
    "service_position",
    "founded_on",
    "term_started_on",
    "term_years",
    "dissolved_on",
    "notes",
]

# Levels a Party group may sit under.
GROUP_PARENT_LEVELS = frozenset({Level.BRANCH, Level.JOINT_BRANCH})
ORGANISATION_REGION_LEVELS = [RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]


def regions_for(user: Any) -> Any:
    """Regions an organisation of `user`'s may be placed in: subdistricts down to grids inside
    the user's scope (not the regions above it)."""
    qs = Region.objects.restrict(user).filter(level__in=ORGANISATION_REGION_LEVELS)
    path = user_scope_path(user)
    if path and not user.is_superuser:
        qs = qs.filter(path__startswith=path)
    return qs


class OrganisationForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {
            "founded_on": DATE,
            "term_started_on": DATE,
            "dissolved_on": DATE,
            "term_years": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Organisation.objects.restrict(self.user).filter(dissolved_on__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk__in=self.instance.subtree_ids())
        self.fields["parent"].queryset = parents.exclude(level=Level.GROUP).select_related("region")
        self.fields["region"].queryset = regions_for(self.user)
        self.fields["parent"].help_text = gettext_lazy(
            "Required, except for a Party committee at the top of the tree."
        )

    def clean_term_years(self) -> int | None:
        years = self.cleaned_data.get("term_years")
        if years is not None and not 1 <= years <= 10:
            raise ValidationError(_("A term lasts from 1 to 10 years."))
        return years

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        level, parent, region = (
            cleaned.get("level"),
            cleaned.get("parent"),
            cleaned.get("region"),
        )
        if region is not None and not region_in_scope(self.user, region):
            self.add_error("region", _("This region is outside your area of work."))
        if parent is None:
            if level and level != Level.COMMITTEE:
                self.add_error("parent", _("Choose the higher organisation this one belongs to."))
        else:
            self._check_parent(parent, level, region)
        founded, started, dissolved = (
            cleaned.get("founded_on"),
            cleaned.get("term_started_on"),
            cleaned.get("dissolved_on"),
        )
        today = timezone.localdate()
        if founded and founded > today:
            self.add_error("founded_on", _("The founding date cannot be in the future."))
        if founded and started and started < founded:
            self.add_error(
                "term_started_on", _("The term cannot begin before the organisation was founded.")
            )
        if founded and dissolved and dissolved < founded:
            self.add_error(
                "dissolved_on", _("An organisation cannot be dissolved before it was founded.")
            )
        return cleaned

    def _check_parent(self, parent: Organisation, level: str | None, region: Region | None) -> None:
        if not organisation_in_scope(self.user, parent):
            self.add_error("parent", _("This organisation is outside your area of work."))
            return
        if self.instance.pk and parent.pk in self.instance.subtree_ids():
            self.add_error(
                "parent", _("An organisation cannot sit under itself or one of its own.")
            )
            return
        if parent.level == Level.GROUP:
            self.add_error("parent", _("Nothing can sit under a Party group."))
        if level == Level.GROUP and parent.level not in GROUP_PARENT_LEVELS:
            self.add_error(
                "parent",
                _("A Party group sits under a branch or a joint branch, not under a %(level)s.")
                % {"level": parent.get_level_display()},
            )
        if region is not None:
            anchor = parent.region.subdistrict or parent.region
            if not region.path.startswith(anchor.path):
                self.add_error(
                    "region",
                    _("The region must lie inside %(region)s, where the higher organisation is.")
                    % {"region": anchor},
                )


class EntityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} · {obj.address}" if obj.address else obj.display_name


class CoverageLinkForm(forms.Form):
    """Link an entity (found by name among those in the user's scope) to an organisation."""

    entity = EntityChoiceField(
        label=gettext_lazy("entity"), queryset=None, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label=gettext_lazy("coverage"), choices=CoverageKind.choices)
    since = forms.DateField(label=gettext_lazy("since"), required=False, widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jiequ.ledger.models import Entity

        self.organisation, self.user = organisation, user
        self.fields["entity"].queryset = Entity.objects.restrict(user)
        self.fields["entity"].error_messages["invalid_choice"] = _(
            "Choose an entity of your area of work from the search results."
        )
        self.fields["entity"].error_messages["required"] = _(
            "Search for the entity by name and choose it."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        entity, kind = cleaned.get("entity"), cleaned.get("kind")
        if entity is not None and kind:
            refusal = checks.coverage_refusal(self.organisation, entity, kind)
            if refusal:
                raise ValidationError(refusal, code="rule")
        return cleaned

    def save(self) -> Any:
        from .models import CoverageLink

        with transaction.atomic():
            # Re-check under a lock on the organisation: two links added at once must not
            # both slip under a joint branch's limit.
            Organisation.objects.select_for_update().filter(pk=self.organisation.pk).first()
            data = self.cleaned_data
            refusal = checks.coverage_refusal(self.organisation, data["entity"], data["kind"])
            if refusal:
                raise ValidationError(refusal, code="rule")
            link = CoverageLink(
                organisation=self.organisation,
                entity=data["entity"],
                kind=data["kind"],
                since=data.get("since"),
            )
            link._change_reason = "linked"
            link.save()
        return link


# Committee posts.

CADRE_ORIGIN = {
    DepartmentKind.MARKET_SUPERVISION: Origin.MARKET_SUPERVISION,
    DepartmentKind.CITY_MANAGEMENT: Origin.CITY_MANAGEMENT,
    DepartmentKind.PARTY_MASS: Origin.PARTY_MASS,
    DepartmentKind.POLICE: Origin.POLICE,
    DepartmentKind.OTHER: Origin.OTHER_DEPARTMENT,
}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.organisation}）"


class OfficerForm(ScopedModelForm):
    """A post on `organisation`'s committee: inside (a member from a covered entity) or outside
    (a department cadre)."""

    class Meta:
        model = Officer
        fields = ["role", "origin", "member", "cadre", "entity", "started_on", "ended_on"]
        field_classes = {"member": MemberChoiceField}
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jiequ.ledger.models import Entity
        from jiequ.members.models import Member

        self.organisation = organisation
        self.instance.organisation = organisation
        self.fields["member"].queryset = (
            Member.objects.restrict(self.user)
            .filter(left_on__isnull=True)
            .select_related("organisation")
        )
        self.fields["cadre"].queryset = Cadre.objects.restrict(self.user)
        self.fields["entity"].queryset = Entity.objects.restrict(self.user).filter(
            coverage_links__organisation=organisation
        )
        self.fields["member"].help_text = gettext_lazy(
            "For a post held from inside: the Party member."
        )
        self.fields["cadre"].help_text = gettext_lazy(
            "For a post held from outside: the department cadre."
        )
        self.fields["entity"].help_text = gettext_lazy(
            "For a post held from inside: the covered entity they own, are a partner in or "
            "work for."
        )
        if not self.instance.pk:
            self.fields["started_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        origin = cleaned.get("origin")
        member, cadre, entity = cleaned.get("member"), cleaned.get("cadre"), cleaned.get("entity")
        if origin in INSIDE_ORIGINS:
            if member is None:
                self.add_error(
                    "member", _("A post held from inside needs the Party member who holds it.")
                )
            if cadre is not None:
                self.add_error(
                    "cadre", _("A post held from inside is held by a member, not a cadre.")
                )
            if entity is None:
                self.add_error(
                    "entity",
                    _("Choose the entity they come from; it must be covered by this organisation."),
                )
        elif origin:
            if cadre is None:
                self.add_error(
                    "cadre", _("A post held from outside needs the department cadre who holds it.")
                )
            elif CADRE_ORIGIN.get(cadre.department_kind) != origin:
                self.add_error(
                    "origin",
                    _("%(cadre)s comes from %(department)s; choose that as the origin.")
                    % {"cadre": cadre, "department": cadre.get_department_kind_display()},
                )
            if member is not None:
                self.add_error(
                    "member", _("A post held from outside is held by a cadre, not a member.")
                )
            if entity is not None:
                self.add_error("entity", _("Only posts held from inside come from an entity."))
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("A post cannot end before it began."))
        if not self.errors:
            self._check_committee(cleaned)
        return cleaned

    def _check_committee(self, cleaned: dict[str, Any]) -> None:
        ended = cleaned.get("ended_on")
        if ended is not None and ended < timezone.localdate():
            return  # a past post takes no seat on today's committee
        today = timezone.localdate()
        current = checks._current_officers(today).filter(organisation=self.organisation)
        if self.instance.pk:
            current = current.exclude(pk=self.instance.pk)
        person = cleaned.get("member") or cleaned.get("cadre")
        same = (
            current.filter(member=person) if cleaned.get("member") else current.filter(cadre=person)
        )
        if same.exists():
            raise ValidationError(
                _("%(person)s already holds a current post on this committee: %(post)s.")
                % {"person": person, "post": same.first().get_role_display()}
            )
        if cleaned.get("role") == OfficerRole.SECRETARY:
            secretary = current.filter(role=OfficerRole.SECRETARY).first()
            if secretary is not None:
                raise ValidationError(
                    _(
                        "%(person)s is the current secretary; end that post before recording "
                        "a new secretary."
                    )
                    % {"person": secretary.person_name}
                )
        if self.organisation.level in checks.BRANCH_LEVELS:
            limit = int(rules.value("committee_max_size", self.organisation.region))
            count = current.count()
            if count >= limit:
                rule = rules.RULES["committee_max_size"]
                raise ValidationError(
                    _(
                        "The committee already has %(count)d current posts; a branch committee "
                        "has at most %(n)d (rule “%(label)s”: %(n)d). %(source)s"
                    )
                    % {"count": count, "n": limit, "label": rule.label, "source": rule.source}
                )

    def save(self, commit: bool = True) -> Officer:
        officer = super().save(commit=False)
        officer.organisation = self.organisation
        if commit:
            officer.save()
        return officer


class EndPostForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("until"), widget=DATE)

    def __init__(self, *args: Any, officer: Officer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self) -> date:
        ended = self.cleaned_data["ended_on"]
        if ended < self.officer.started_on:
            raise ValidationError(_("A post cannot end before it began."))
        return ended


# Department cadres.


def subdistricts_for(user: Any) -> Any:
    return regions_for(user).filter(level=RegionLevel.SUBDISTRICT)


class CadreForm(ScopedModelForm):
    phone = forms.CharField(
        label=gettext_lazy("phone"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    remove_phone = forms.BooleanField(label=gettext_lazy("remove the phone number"), required=False)

    class Meta:
        model = Cadre
        fields = ["name", "department_kind", "department", "post", "subdistrict"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subdistricts = subdistricts_for(self.user)
        self.fields["subdistrict"].queryset = subdistricts
        if not self.instance.pk and subdistricts.count() == 1:
            self.fields["subdistrict"].initial = subdistricts.first().pk
        if self.instance.phone_encrypted:
            self.fields["phone"].help_text = _(
                "Now %(phone)s. Leave empty to keep it; type a new number to replace it."
            ) % {"phone": self.instance.phone_masked}
        else:
            del self.fields["remove_phone"]
        self._phone = ""

    def clean_phone(self) -> str:
        text = self.cleaned_data.get("phone", "").strip()
        return normalise_phone(text) if text else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        subdistrict = cleaned.get("subdistrict")
        if subdistrict is not None and not region_in_scope(self.user, subdistrict):
            self.add_error("subdistrict", _("This region is outside your area of work."))
        phone = cleaned.get("phone")
        if phone:
            others = Cadre.objects.filter(phone_hash=lookup_hash(phone))
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            other = others.first()
            if other is not None:
                self.add_error(
                    "phone",
                    _("%(name)s is already recorded with this phone number (%(phone)s).")
                    % {"name": other, "phone": mask_phone(phone)},
                )
        return cleaned

    def save(self, commit: bool = True) -> Cadre:
        cadre = super().save(commit=False)
        phone = self.cleaned_data.get("phone")
        if phone:
            cadre.set_phone(phone)
        elif self.cleaned_data.get("remove_phone"):
            cadre.phone_encrypted = cadre.phone_hash = ""
        if commit:
            cadre.save()
        return cadre


# Rule values.

NO_LIMIT_WORDS = {"", "-", "—", "none", "null", "以上", "无", "不限"}


def _positive_decimal(text: str, what: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("“%(text)s” is not a number (%(what)s).") % {"text": text, "what": what}
        ) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError(
            _("%(what)s must be a number above zero, not %(text)s.") % {"what": what, "text": text}
        )
    return number


def parse_rule_value(rule: rules.Rule, text: str) -> Any:
    """A rule's value from what a person typed, in the form the rule's default has.

    Whole-number rules take a positive whole number; the flat dues a positive amount; tables
    one bracket a line, "3000 0.5" (pay up to, percent), the last one without a limit.
    """
    text = (text or "").strip()
    if rule.is_table:
        return _parse_table(text)
    if isinstance(rule.default, str):  # an amount in yuan, kept as text like the default
        amount = _positive_decimal(text, _("the amount"))
        if amount.as_tuple().exponent < -2:
            raise ValidationError(_("An amount in yuan has at most two decimals."))
        return format(amount.normalize(), "f")
    if not re.fullmatch(r"\d+", text):
        raise ValidationError(_("Give a whole number above zero, not “%(text)s”.") % {"text": text})
    number = int(text)
    if number <= 0:
        raise ValidationError(_("Give a whole number above zero, not “%(text)s”.") % {"text": text})
    if number > 100000:
        raise ValidationError(_("%(n)d is too large for this rule.") % {"n": number})
    return number


def _parse_table(text: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if text.startswith("["):
        try:
            data = json.loads(text)
        except ValueError:
            raise ValidationError(_("This is not a table of brackets.")) from None
        if not isinstance(data, list) or not all(isinstance(r, list) and len(r) == 2 for r in data):
            raise ValidationError(_("This is not a table of brackets."))
        lines = [("" if r[0] is None else str(r[0]), str(r[1])) for r in data]
    else:
        lines = []
        for line in text.splitlines():
            if not line.strip():
                continue
            parts = [p for p in re.split(r"[\s,，、;；]+", line.strip()) if p]
            if len(parts) == 1:
                parts = ["", parts[0]]
            if len(parts) != 2:
                raise ValidationError(
                    _("Each line holds a limit and a percent, e.g. “3000 0.5”: %(line)s")
                    % {"line": line.strip()}
                )
            lines.append((parts[0], parts[1]))
    if not lines:
        raise ValidationError(_("Give at least one bracket."))
    previous = None
    for i, (limit_text, percent_text) in enumerate(lines):
        last = i == len(lines) - 1
        percent = _positive_decimal(percent_text.rstrip("%％"), _("the percent"))
        if percent > 100:
            raise ValidationError(_("A percent cannot exceed 100: %(p)s.") % {"p": percent_text})
        if limit_text.lower() in NO_LIMIT_WORDS:
            if not last:
                raise ValidationError(_("Only the last bracket is without a limit."))
            limit = None
        else:
            if last:
                raise ValidationError(
                    _("The last bracket has no limit: write “以上 %(p)s”.") % {"p": percent_text}
                )
            if not re.fullmatch(r"\d+", limit_text):
                raise ValidationError(
                    _("A limit is a whole number of yuan, not “%(text)s”.") % {"text": limit_text}
                )
            limit = int(limit_text)
            if limit <= 0 or (previous is not None and limit <= previous):
                raise ValidationError(_("The limits must increase from one bracket to the next."))
            previous = limit
        rows.append([limit, format(percent.normalize(), "f")])
    return rows


def format_rule_value(value: Any) -> str:
    """A rule value as a person types it (the inverse of parse_rule_value)."""
    if isinstance(value, list):
        return "\n".join(f"{'以上' if limit is None else limit} {p}" for limit, p in value)
    return str(value)


class RuleOverrideForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("value"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args: Any, rule: rules.Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        if not rule.is_table:
            self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields["value"].help_text = gettext_lazy("A number above zero.")
        else:
            self.fields["value"].help_text = gettext_lazy(
                "One bracket a line: the monthly pay up to which it applies and the percent, "
                "e.g. “3000 0.5”; the last line without a limit, e.g. “以上 2”."
            )

    def clean_value(self) -> Any:
        return parse_rule_value(self.rule, self.cleaned_data.get("value", ""))


RECOMPUTE_TERMS = frozenset({"branch_term_years", "community_branch_term_years"})


def _recompute_terms(region: Region, key: str) -> None:
    """Term ends are stored; a new term length changes those taken from the rule."""
    if key not in RECOMPUTE_TERMS:
        return
    organisations = Organisation.objects.filter(
        region__path__startswith=region.path, term_years__isnull=True, term_started_on__isnull=False
    ).select_related("region")
    for org in organisations:
        end = org.computed_term_end()
        if end != org.term_ends_on:
            org._change_reason = "term length rule changed"
            org.save()


def set_override(region: Region, key: str, value: Any, reason: str, user: Any) -> RuleOverride:
    """Sets `region`'s own value of a rule; the change log keeps the old one and the reason."""
    with transaction.atomic():
        override = RuleOverride.objects.filter(region=region, key=key).first()
        if override is None:
            override = RuleOverride(region=region, key=key)
        override.value, override.reason = value, reason
        override._change_reason = reason[:100]
        override._history_user = user
        override.save()
        _recompute_terms(region, key)
    return override


def clear_override(region: Region, key: str, reason: str, user: Any) -> bool:
    """Goes back to the default for `region`; the deletion and its reason stay in the log."""
    with transaction.atomic():
        override = RuleOverride.objects.filter(region=region, key=key).first()
        if override is None:
            return False
        override.reason = reason
        override._change_reason = reason[:100]
        override._history_user = user
        override.delete()
        _recompute_terms(region, key)
    return True


class ClearOverrideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)
