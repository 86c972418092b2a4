"""Forms of organisational life: meetings, courses and mentorships, each limited to the user's
scope; every refusal says why in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiequ.areas.models import Region
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import organisation_in_scope, region_in_scope, restrict, user_scope_path
from jiequ.members.models import Member
from jiequ.party.models import Organisation

from .compliance import kinds_for_level
from .models import Course, Meeting, MeetingKind, Mentorship
from .training import current_mentorships

MEETING_FIELDS = [
    "organisation",
    "kind",
    "held_on",
    "topic",
    "place",
    "expected",
    "attendees",
    "minutes",
]
COURSE_FIELDS = [
    "title",
    "kind",
    "region",
    "starts_on",
    "ends_on",
    "hours",
    "place",
    "description",
]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_member_count(organisation: Organisation) -> int:
    """Members (not left) of the organisation and of the organisations under it."""
    return Member.objects.filter(
        organisation_id__in=organisation.subtree_ids(), left_on__isnull=True
    ).count()


class AttendeeChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.organisation: Organisation | None = None
        self.subtree: set[int] = set()
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Member) -> str:
        if self.organisation is not None and obj.organisation_id not in self.subtree:
            return _("%(name)s (guest from %(organisation)s)") % {
                "name": obj.name,
                "organisation": obj.organisation,
            }
        return obj.name


class MeetingForm(ScopedModelForm):
    attendees = AttendeeChoices(
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("attended"),
        help_text=gettext_lazy(
            "Members of the organisation (and of its Party groups) and its guest members."
        ),
    )

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {
            "held_on": DATE_WIDGET,
            "expected": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        organisations = restrict(Organisation.objects.all(), user).select_related("region")
        self.fields["organisation"].queryset = organisations
        self.fields["expected"].required = False
        self.fields["expected"].help_text = gettext_lazy(
            "Leave empty for the organisation's current members."
        )
        organisation = self._chosen_organisation(organisations)
        members = restrict(Member.objects.all(), user).filter(left_on__isnull=True)
        already = (
            list(self.instance.attendees.values_list("pk", flat=True)) if self.instance.pk else []
        )
        field = self.fields["attendees"]
        if organisation is not None and not self.is_bound:
            # The members to tick; what is posted is checked in clean(), with names.
            field.organisation = organisation
            field.subtree = set(organisation.subtree_ids())
            narrowed = Q(organisation_id__in=field.subtree) & Q(pk__in=members.values("pk"))
            narrowed |= Q(other_organisations=organisation, left_on__isnull=True)
            narrowed |= Q(pk__in=already)
            field.queryset = (
                Member.objects.filter(narrowed).distinct().select_related("organisation")
            )
            if not self.is_bound and not self.instance.pk:
                self.initial.setdefault("expected", active_member_count(organisation))
        elif not self.is_bound and organisation is None:
            field.queryset = Member.objects.none()  # the page asks for the organisation first
        else:
            allowed = Q(pk__in=members.values("pk")) | Q(pk__in=already)
            if organisation is not None:
                allowed |= Q(other_organisations=organisation)
            field.queryset = (
                Member.objects.filter(allowed).distinct().select_related("organisation")
            )

    def _chosen_organisation(self, organisations: Any) -> Organisation | None:
        if self.is_bound:
            raw = self.data.get(self.add_prefix("organisation"))
        else:
            raw = self.initial.get("organisation") or self.instance.organisation_id
        raw = getattr(raw, "pk", raw)
        try:
            return organisations.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            return None

    def clean_organisation(self) -> Organisation:
        organisation = self.cleaned_data["organisation"]
        if not organisation_in_scope(self.user, organisation):
            raise forms.ValidationError(
                _("You may only record meetings of organisations in your own scope.")
            )
        return organisation

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("A meeting is recorded after it is held: the date cannot be in the future.")
            )
        return held_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation is None:
            return cleaned
        kind, held_on = cleaned.get("kind"), cleaned.get("held_on")
        if kind and kind not in kinds_for_level(organisation.level):
            self.add_error(
                "kind",
                _("A %(level)s does not hold a %(kind)s; it holds: %(kinds)s.")
                % {
                    "level": organisation.get_level_display(),
                    "kind": MeetingKind(kind).label,
                    "kinds": "、".join(
                        str(MeetingKind(k).label) for k in kinds_for_level(organisation.level)
                    )
                    or "—",
                },
            )
        if held_on and organisation.founded_on and held_on < organisation.founded_on:
            self.add_error(
                "held_on",
                _("%(organisation)s was founded on %(day)s; the meeting cannot be earlier.")
                % {"organisation": organisation, "day": organisation.founded_on},
            )
        if held_on and organisation.dissolved_on and held_on > organisation.dissolved_on:
            self.add_error(
                "held_on",
                _("%(organisation)s was dissolved on %(day)s; the meeting cannot be later.")
                % {"organisation": organisation, "day": organisation.dissolved_on},
            )
        attendees = cleaned.get("attendees")
        if attendees is not None:
            self._check_attendees(organisation, list(attendees), cleaned)
        return cleaned

    def _check_attendees(
        self, organisation: Organisation, attendees: list[Member], cleaned: dict[str, Any]
    ) -> None:
        subtree = set(organisation.subtree_ids())
        guests = set(
            Member.objects.filter(other_organisations=organisation).values_list("pk", flat=True)
        )
        already = set()
        if self.instance.pk:
            already = set(self.instance.attendees.values_list("pk", flat=True))
        strangers = [
            m.name
            for m in attendees
            if m.organisation_id not in subtree and m.pk not in guests and m.pk not in already
        ]
        if strangers:
            self.add_error(
                "attendees",
                _("%(names)s: neither a member nor a guest member of %(organisation)s.")
                % {"names": "、".join(strangers), "organisation": organisation},
            )
            return
        own = sum(1 for m in attendees if m.organisation_id in subtree)
        expected = cleaned.get("expected")
        if expected is None:
            expected = cleaned["expected"] = active_member_count(organisation)
        if own > expected:
            self.add_error(
                "expected",
                _(
                    "%(own)d members of the organisation attended, more than the %(expected)d "
                    "expected: correct the number expected."
                )
                % {"own": own, "expected": expected},
            )

    def save(self, commit: bool = True) -> Meeting:
        meeting = super().save(commit=False)
        if meeting.recorded_by_id is None and getattr(self.user, "pk", None):
            meeting.recorded_by = self.user
        if commit:
            meeting.save_with_attendees(self.cleaned_data.get("attendees") or [])
        return meeting


def regions_for_courses(user: Any) -> Any:
    """Regions a user may hold a course in: their own and those inside it."""
    if user.is_superuser:
        return Region.objects.all()
    path = user_scope_path(user)
    if not path:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=path)


class CourseForm(ScopedModelForm):
    class Meta:
        model = Course
        fields = COURSE_FIELDS
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": 0}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_courses(self.user)
        self.fields["region"].help_text = gettext_lazy(
            "The members of organisations in this region may take part."
        )

    def clean_region(self) -> Region:
        region = self.cleaned_data["region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("You may only add courses in your own region."))
        return region

    def clean_hours(self) -> Any:
        hours = self.cleaned_data["hours"]
        if hours is not None and hours < 0:
            raise forms.ValidationError(_("Hours cannot be negative."))
        return hours

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("A course cannot end before it starts."))
        return cleaned


class MentorshipForm(ScopedModelForm):
    class Meta:
        model = Mentorship
        fields = ["mentor", "mentee", "started_on", "note"]
        widgets = {"started_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            restrict(Member.objects.all(), self.user)
            .filter(left_on__isnull=True)
            .select_related("organisation")
        )
        self.fields["mentor"].queryset = members
        self.fields["mentee"].queryset = members
        label = lambda m: f"{m.name}（{m.organisation}）"  # noqa: E731
        self.fields["mentor"].label_from_instance = label
        self.fields["mentee"].label_from_instance = label
        self.fields["mentor"].help_text = gettext_lazy(
            "Normally a serving secretary of renown; anyone else is allowed and shown with a note."
        )
        if not self.instance.pk:
            self.initial.setdefault("started_on", timezone.localdate())

    def clean_mentee(self) -> Member:
        mentee = self.cleaned_data["mentee"]
        if not organisation_in_scope(self.user, mentee.organisation):
            raise forms.ValidationError(_("You may only add mentors for members in your scope."))
        return mentee

    def clean_started_on(self) -> Any:
        started = self.cleaned_data["started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError(_("The mentorship cannot start in the future."))
        return started

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor"), cleaned.get("mentee")
        if mentor and mentee:
            if mentor == mentee:
                self.add_error("mentee", _("A member cannot mentor themselves."))
            elif (
                current_mentorships()
                .filter(mentor=mentor, mentee=mentee)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "mentee", _("%(mentor)s already mentors %(mentee)s.") % cleaned_names(cleaned)
                )
        return cleaned


def cleaned_names(cleaned: dict[str, Any]) -> dict[str, str]:
    return {"mentor": cleaned["mentor"].name, "mentee": cleaned["mentee"].name}


class EndMentorshipForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("until"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, mentorship: Mentorship, **kwargs: Any) -> None:
        self.mentorship = mentorship
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self) -> Any:
        ended = self.cleaned_data["ended_on"]
        if ended > timezone.localdate():
            raise forms.ValidationError(_("The end date cannot be in the future."))
        if ended < self.mentorship.started_on:
            raise forms.ValidationError(
                _("The mentorship began on %(day)s; it cannot end earlier.")
                % {"day": self.mentorship.started_on}
            )
        return ended
