"""Forms of councils, their seats, meetings, agendas, decisions, tasks and the street pulse.
Every choice is limited to the user's scope; every refusal says why in the user's language."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jiequ.accounts.models import User
from jiequ.accounts.roles import Role
from jiequ.areas.models import Building, Region, RegionLevel, Road
from jiequ.core.forms import ScopedModelForm
from jiequ.core.scoping import ancestor_paths, region_in_scope, restrict
from jiequ.ledger.models import Entity
from jiequ.members.models import Member
from jiequ.party.models import Cadre, Organisation

from . import pulse
from .models import (
    AgendaItem,
    Council,
    CouncilKind,
    CouncilMeeting,
    CouncilMember,
    Decision,
    DecisionKind,
    MemberKind,
    PulseBoard,
    Task,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
GRID_INTERVAL_DAYS = 14


def council_regions(user: Any) -> Any:
    """Areas and grids (and the subdistrict) a user may put a council in."""
    regions = Region.objects.filter(
        level__in=[RegionLevel.SUBDISTRICT, RegionLevel.AREA, RegionLevel.GRID]
    )
    if user.is_superuser:
        return regions
    path = getattr(getattr(user, "scope_region", None), "path", None)
    return regions.filter(path__startswith=path) if path else regions.none()


def grids_within(region: Region) -> Any:
    """The grids of a region (itself if it is a grid)."""
    if region.level == RegionLevel.GRID:
        return Region.objects.filter(pk=region.pk)
    return Region.objects.filter(level=RegionLevel.GRID, path__startswith=region.path)


def current_members(council: Council, also: Any = ()) -> Any:
    today = timezone.localdate()
    return (
        CouncilMember.objects.filter(council=council)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today) | Q(pk__in=list(also)))
        .select_related("entity", "organisation", "member", "cadre")
    )


def working_users(council: Council) -> Any:
    """Users who could own a task of this council: those whose area holds or lies in it."""
    path = council.region.path
    return (
        User.objects.filter(
            is_active=True,
            role__in=[
                Role.SUBDISTRICT_ADMIN,
                Role.SUBDISTRICT_STAFF,
                Role.BRANCH_SECRETARY,
                Role.GRID_WORKER,
            ],
        )
        .filter(
            Q(scope_region__path__in=[*ancestor_paths(path), path])
            | Q(scope_region__path__startswith=path)
        )
        .order_by("role", "display_name", "username")
    )


class CouncilForm(ScopedModelForm):
    class Meta:
        model = Council
        fields = [
            "name",
            "kind",
            "region",
            "road",
            "building",
            "organisation",
            "founded_on",
            "meets_every_days",
            "is_active",
            "notes",
        ]
        widgets = {"founded_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["region"].queryset = council_regions(user).order_by("path")
        self.fields["road"].queryset = restrict(Road.objects.all(), user).order_by("name")
        self.fields["building"].queryset = restrict(Building.objects.all(), user).order_by("name")
        self.fields["organisation"].queryset = restrict(Organisation.objects.all(), user).filter(
            dissolved_on__isnull=True
        )

    def clean_region(self) -> Region:
        region = self.cleaned_data["region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("You may only add councils in your own area."))
        return region

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == CouncilKind.STREET and not cleaned.get("road"):
            self.add_error("road", _("A street council is for a road: choose it."))
        if kind == CouncilKind.BUILDING and not cleaned.get("building"):
            self.add_error("building", _("A building council is for a building: choose it."))
        if kind == CouncilKind.GRID and not cleaned.get("meets_every_days"):
            cleaned["meets_every_days"] = GRID_INTERVAL_DAYS
        region, building = cleaned.get("region"), cleaned.get("building")
        if region and building and not building.region.path.startswith(region.path):
            self.add_error(
                "building",
                _("%(building)s is not in %(region)s.") % {"building": building, "region": region},
            )
        name = cleaned.get("name")
        if (
            region
            and name
            and Council.objects.filter(region=region, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "name", _("%(region)s already has a council of this name.") % {"region": region}
            )
        return cleaned


class CouncilMemberForm(ScopedModelForm):
    """A seat: who sits, for what, with which post."""

    class Meta:
        model = CouncilMember
        fields = [
            "kind",
            "post",
            "name",
            "entity",
            "organisation",
            "member",
            "department",
            "unit",
            "cadre",
            "joined_on",
            "left_on",
        ]
        widgets = {"joined_on": DATE_WIDGET, "left_on": DATE_WIDGET}

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        self.council = council
        super().__init__(*args, **kwargs)
        user = self.user
        entities = restrict(Entity.objects.all(), user).filter(
            region__path__startswith=council.region.path
        )
        if council.building_id:
            entities = entities.filter(building=council.building)
        elif council.road_id:
            entities = entities.filter(road=council.road)
        if self.instance.entity_id:
            entities = entities | Entity.objects.filter(pk=self.instance.entity_id)
        self.fields["entity"].queryset = entities.order_by("name")
        self.fields["organisation"].queryset = restrict(Organisation.objects.all(), user).filter(
            dissolved_on__isnull=True
        )
        self.fields["member"].queryset = (
            restrict(Member.objects.all(), user)
            .filter(left_on__isnull=True)
            .select_related("organisation")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.organisation}）"
        self.fields["member"].help_text = gettext_lazy(
            "For a Party organisation: the member who represents it."
        )
        self.fields["cadre"].queryset = restrict(Cadre.objects.all(), user)
        self.fields["name"].help_text = gettext_lazy(
            "The person's name (for a cadre or a member it is taken from the record)."
        )
        if not self.instance.pk:
            self.initial.setdefault("joined_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        needed = {
            MemberKind.ENTITY: [
                ("entity", _("Choose the shop or company this person sits for.")),
                ("name", _("Give the name of the owner or representative.")),
            ],
            MemberKind.ORGANISATION: [("organisation", _("Choose the Party organisation."))],
            MemberKind.DEPARTMENT: [("department", _("Choose the department."))],
            MemberKind.RESIDENT: [("name", _("Give the person's name."))],
            MemberKind.SUBDISTRICT: [("name", _("Give the person's name."))],
        }
        for name, message in needed.get(kind, []):
            value = cleaned.get(name)
            if not (value.strip() if isinstance(value, str) else value):
                self.add_error(name, message)
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("Someone cannot leave before they joined."))
        return cleaned

    def save(self, commit: bool = True) -> CouncilMember:
        seat = super().save(commit=False)
        seat.council = self.council
        if commit:
            seat.save()
        return seat


class MeetingPlanForm(ScopedModelForm):
    """A new meeting: when and where; its agenda is pre-filled with the council's cases."""

    prefill = forms.BooleanField(
        label=gettext_lazy("Put the council's open cases on the agenda"),
        required=False,
        initial=True,
    )

    class Meta:
        model = CouncilMeeting
        fields = ["held_on", "starts_at", "place", "subject"]
        widgets = {"held_on": DATE_WIDGET, "starts_at": TIME_WIDGET}


class MeetingRecordForm(ScopedModelForm):
    """What happened at the meeting: who was there, how many guests, the minutes."""

    class Meta:
        model = CouncilMeeting
        fields = ["held_on", "starts_at", "place", "subject", "present", "guests", "minutes"]
        widgets = {
            "held_on": DATE_WIDGET,
            "starts_at": TIME_WIDGET,
            "present": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 10}),
            "guests": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance
        already = meeting.present.values_list("pk", flat=True) if meeting.pk else []
        field = self.fields["present"]
        field.queryset = current_members(meeting.council, also=already)
        field.label_from_instance = str
        field.help_text = gettext_lazy("Tick the council members who came.")
        self.fields["guests"].help_text = gettext_lazy(
            "How many others attended (residents, shop staff, observers): a number, no names."
        )
        if meeting.is_closed:
            # A closed meeting's record stays; only the minutes can be corrected (logged).
            for name in list(self.fields):
                if name not in ("minutes", "loaded_at"):
                    del self.fields[name]

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        founded = self.instance.council.founded_on
        if founded and held_on < founded:
            raise forms.ValidationError(
                _("The council was founded on %(day)s; the meeting cannot be earlier.")
                % {"day": founded.isoformat()}
            )
        return held_on

    def save(self, commit: bool = True) -> CouncilMeeting:
        meeting = super().save(commit=False)
        meeting._change_reason = (
            _("Minutes corrected after closing") if meeting.is_closed else _("Record updated")
        )
        if commit:
            meeting.save()
            if "present" in self.cleaned_data:
                meeting.present.set(self.cleaned_data["present"])
        return meeting


class AgendaAddForm(forms.Form):
    """Put on the agenda: a case (by its number), a street-pulse topic, or a free-text point."""

    case_number = forms.CharField(label=gettext_lazy("case number"), max_length=20, required=False)
    topic = forms.ModelChoiceField(
        label=gettext_lazy("street-pulse topic"), queryset=None, required=False
    )
    title = forms.CharField(
        label=gettext_lazy("or a point in words"), max_length=200, required=False
    )

    def __init__(self, *args: Any, meeting: CouncilMeeting, user: Any, **kwargs: Any) -> None:
        self.meeting, self.user = meeting, user
        super().__init__(*args, **kwargs)
        from .models import PulseTopic, TopicState

        region = meeting.council.region
        topics = restrict(PulseTopic.objects.all(), user).filter(
            hidden_at__isnull=True, state__in=[TopicState.OPEN, TopicState.ON_AGENDA]
        )
        topics = topics.filter(
            Q(board__region__path__startswith=region.path)
            | Q(board__region__path__in=ancestor_paths(region.path))
        ).exclude(agenda_items__meeting=meeting)
        self.fields["topic"].queryset = topics.order_by("-votes", "-created_at")
        self.fields["topic"].label_from_instance = lambda t: (
            _("%(title)s (%(n)d votes)")
            % {
                "title": t.title,
                "n": t.votes,
            }
        )

    def clean_case_number(self) -> Any:
        from jiequ.cases.models import Case

        number = (self.cleaned_data.get("case_number") or "").strip()
        if not number:
            return None
        case = restrict(Case.objects.all(), self.user).filter(number=number).first()
        if case is None:
            raise forms.ValidationError(
                _("No case numbered %(number)s in your area of work.") % {"number": number}
            )
        return case

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = [k for k in ("case_number", "topic", "title") if cleaned.get(k)]
        if not chosen and not self.errors:
            raise forms.ValidationError(
                _("Say what the agenda item is: a case number, a topic, or a point in words.")
            )
        if len(chosen) > 1:
            raise forms.ValidationError(_("One item at a time: a case, a topic or a point."))
        return cleaned


class DecisionForm(ScopedModelForm):
    class Meta:
        model = Decision
        fields = [
            "agenda_item",
            "kind",
            "title",
            "text",
            "tried",
            "category",
            "region",
            "entity",
            "owner_member",
            "owner_user",
            "owner_department",
            "due_on",
        ]
        widgets = {
            "due_on": DATE_WIDGET,
            "text": forms.Textarea(attrs={"rows": 3}),
            "tried": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, meeting: CouncilMeeting, **kwargs: Any) -> None:
        from jiequ.cases.models import CaseCategory

        self.meeting = meeting
        super().__init__(*args, **kwargs)
        council = meeting.council
        items = AgendaItem.objects.filter(meeting=meeting).select_related("case", "topic")
        self.fields["agenda_item"].queryset = items
        self.fields["agenda_item"].label_from_instance = lambda i: f"{i.position}. {i.label}"
        self.fields["category"].queryset = CaseCategory.objects.filter(
            is_active=True, parent__isnull=False
        ).select_related("parent")
        self.fields["region"].queryset = grids_within(council.region).order_by("path")
        self.fields["region"].help_text = gettext_lazy("For a new case without a shop.")
        entities = restrict(Entity.objects.all(), self.user).filter(
            region__path__startswith=council.region.path
        )
        if council.building_id:
            entities = entities.filter(building=council.building)
        elif council.road_id:
            entities = entities.filter(road=council.road)
        self.fields["entity"].queryset = entities.order_by("name")
        self.fields["entity"].help_text = gettext_lazy("For a new case about one shop.")
        self.fields["owner_member"].queryset = current_members(council)
        self.fields["owner_member"].label_from_instance = str
        self.fields["owner_user"].queryset = working_users(council)
        self.fields["text"].help_text = gettext_lazy(
            "The decision in words: how the case was resolved, why it goes up, what the task is."
        )
        self.fields["title"].help_text = gettext_lazy("Of a new case or of a task.")
        if not self.instance.pk:
            self.initial.setdefault("due_on", timezone.localdate() + datetime.timedelta(days=14))

    def clean(self) -> dict[str, Any]:
        from django.core.exceptions import ValidationError

        from .meetings import check_decision

        cleaned = super().clean()
        if self.errors:
            return cleaned
        decision = self.instance
        for name in self.Meta.fields:
            if name in cleaned:
                setattr(decision, name, cleaned[name])
        decision.meeting = self.meeting
        kind = cleaned.get("kind")
        if kind not in (DecisionKind.TASK,):
            # Owners and due dates belong to tasks only.
            for name in ("owner_member", "owner_user", "owner_department", "due_on"):
                cleaned[name] = None if name != "owner_department" else ""
        if kind != DecisionKind.NEW_CASE:
            cleaned["category"] = cleaned["region"] = cleaned["entity"] = None
        if (
            kind == DecisionKind.TASK
            and cleaned.get("due_on")
            and cleaned["due_on"] < self.meeting.held_on
        ):
            self.add_error("due_on", _("A task cannot be due before the meeting that gives it."))
        try:
            check_decision(decision)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def save(self, commit: bool = True) -> Decision:
        decision = super().save(commit=False)
        decision.meeting = self.meeting
        if not decision.position:
            decision.position = self.meeting.decisions.count() + 1
        if commit:
            decision.save()
        return decision


class TaskForm(ScopedModelForm):
    class Meta:
        model = Task
        fields = ["title", "details", "owner_member", "owner_user", "owner_department", "due_on"]
        widgets = {"due_on": DATE_WIDGET, "details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council = self.instance.council
        self.fields["owner_member"].queryset = current_members(
            council, also=[self.instance.owner_member_id] if self.instance.owner_member_id else []
        )
        self.fields["owner_member"].label_from_instance = str
        self.fields["owner_user"].queryset = working_users(council)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (
            cleaned.get("owner_member")
            or cleaned.get("owner_user")
            or cleaned.get("owner_department")
        ):
            self.add_error(
                "owner_member", _("Say who does it: a council member, a user or a department.")
            )
        return cleaned


class TaskDoneForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("how it was done"), max_length=200, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("why hide it"), max_length=200)


class TopicAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(label=gettext_lazy("meeting"), queryset=None)

    def __init__(self, *args: Any, topic: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = topic.board.region
        meetings = (
            restrict(CouncilMeeting.objects.all(), user, "change")
            .filter(state="planned")
            .filter(
                Q(council__region__path__startswith=region.path)
                | Q(council__region__path__in=ancestor_paths(region.path))
            )
            .exclude(agenda__topic=topic)
            .select_related("council")
            .order_by("held_on", "council__name")
        )
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].help_text = gettext_lazy(
            "A planned meeting of a council of the board's area. Plan one on the council's page."
        )


class PulseBoardForm(ScopedModelForm):
    class Meta:
        model = PulseBoard
        fields = ["name", "region", "council", "intro", "is_active"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = council_regions(self.user).order_by("path")
        self.fields["council"].queryset = restrict(Council.objects.all(), self.user)

    def clean_region(self) -> Region:
        region = self.cleaned_data["region"]
        if not region_in_scope(self.user, region):
            raise forms.ValidationError(_("You may only add boards in your own area."))
        return region


class PublicTopicForm(forms.Form):
    """What a shop owner or worker fills in on the phone."""

    title = forms.CharField(label=pgettext_lazy("topic", "title"), max_length=60)
    text = forms.CharField(
        label=gettext_lazy("what it is about"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    author_name = forms.CharField(
        label=gettext_lazy("your name or shop (optional, shown with the topic)"),
        max_length=30,
        required=False,
    )
    phone = forms.CharField(
        label=gettext_lazy("phone (optional, never shown)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label=pulse.CONSENT_TEXT, required=False)
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.HiddenInput)
