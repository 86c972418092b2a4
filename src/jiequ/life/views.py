"""Meetings: record, list, export, detail, edit and history, all within the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from jiequ.core import views as generic
from jiequ.core.columns import display_stored, field_label
from jiequ.members.models import Member

from .compliance import quorum_of
from .filtersets import MeetingFilterSet
from .forms import MEETING_FIELDS, MeetingForm
from .models import Meeting

MEETING_COLUMNS = ["held_on", "organisation", "kind", "topic", "expected", "present"]
MEETING_EXPORT = [
    "held_on",
    "organisation",
    "kind",
    "topic",
    "place",
    "expected",
    "present",
    "recorded_by",
    "minutes",
]


class MeetingMixin:
    model = Meeting
    url_prefix = "life:meeting"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organisation", "recorded_by")


class CountedMixin(MeetingMixin):
    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .annotate(attendee_count=Count("attendees"))
            .order_by("-held_on", "-pk")
        )


class MeetingListView(CountedMixin, generic.ObjectListView):
    filterset_class = MeetingFilterSet
    columns = MEETING_COLUMNS


class MeetingExportView(CountedMixin, generic.ObjectExportView):
    filterset_class = MeetingFilterSet
    columns = MEETING_EXPORT
    basename = "meetings"


class MeetingDetailView(MeetingMixin, generic.ObjectDetailView):
    template_name = "life/meeting_detail.html"
    fields = [f for f in MEETING_FIELDS if f != "attendees"] + ["recorded_by"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = self.object
        subtree = set(meeting.organisation.subtree_ids())
        attendees = list(meeting.attendees.select_related("organisation").order_by("name"))
        context.update(
            attendees=[(m, m.organisation_id not in subtree) for m in attendees],
            quorum=quorum_of(meeting),
            compliance_url=reverse("life:compliance_organisation", args=[meeting.organisation_id]),
        )
        return context


class MeetingEditView(MeetingMixin, generic.ObjectEditView):
    form_class = MeetingForm
    template_name = "life/meeting_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.headers.get("HX-Request"):
            # A new organisation was picked: its own member count, not the one typed before.
            initial.pop("expected", None)
        if self.object is None and "attendees" in self.request.GET:
            initial["attendees"] = self.request.GET.getlist("attendees")
        user = self.request.user
        if self.object is None and "organisation" not in initial and user.scope_organisation_id:
            # A branch secretary records for their own branch unless they pick one of its groups.
            initial["organisation"] = user.scope_organisation_id
        return initial

    def get_form(self, form_class: Any = None) -> MeetingForm:
        form = super().get_form(form_class)
        # Picking the organisation reloads who can be ticked as present.
        form.fields["organisation"].widget.attrs.update(
            {
                "hx-get": self.request.path,
                "hx-include": "closest form",
                "hx-select": "#meeting-people",
                "hx-target": "#meeting-people",
                "hx-swap": "outerHTML",
            }
        )
        return form


class MeetingHistoryView(MeetingMixin, generic.ObjectHistoryView):
    """The change log, with who was present shown by name."""

    template_name = "life/meeting_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super(generic.ObjectHistoryView, self).get_context_data(**kwargs)
        records = list(self.object.history.select_related("history_user").order_by("-history_id"))
        member_ids = {
            row.member_id
            for record in records
            for row in record.attendees.all()
            if row.member_id is not None
        }
        names = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "name"))
        entries = []
        for newer, older in zip(records, [*records[1:], None], strict=True):
            changes = []
            if older is not None:
                for change in newer.diff_against(older).changes:
                    if change.field == "attendees":
                        before = {row["member"] for row in change.old}
                        after = {row["member"] for row in change.new}
                        changes.append(
                            (
                                field_label(Meeting, "attendees"),
                                "、".join(sorted(names.get(i, f"#{i}") for i in before - after)),
                                "、".join(sorted(names.get(i, f"#{i}") for i in after - before)),
                            )
                        )
                        continue
                    changes.append(
                        (
                            field_label(Meeting, change.field),
                            display_stored(Meeting, change.field, change.old),
                            display_stored(Meeting, change.field, change.new),
                        )
                    )
            present = [names.get(row.member_id, "") for row in newer.attendees.all()]
            entries.append({"record": newer, "changes": changes, "present": sorted(present)})
        context["entries"] = entries
        context["detail_url"] = self.object.get_absolute_url()
        return context
