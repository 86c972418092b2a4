"""Street pulse for staff: the boards (with their QR code), the topics to moderate (hide with a
reason, show again) and to put on a council meeting's agenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.qr import qr_svg
from jiequ.core.scoping import can, restrict

from . import pulse
from .filtersets import BoardFilterSet, TopicFilterSet
from .forms import HideForm, PulseBoardForm, TopicAgendaForm
from .meetings import MeetingError, add_agenda_item, decision_for_topic
from .models import PulseBoard, PulseTopic

TOPIC_COLUMNS = ["title", "board", "votes", "state", "is_hidden", "created_at"]
TOPIC_EXPORT = [
    "title",
    "board",
    "text",
    "author_name",
    "votes",
    "state",
    "is_hidden",
    "hidden_reason",
    "created_at",
]


class TopicMixin:
    model = PulseTopic
    url_prefix = "councils:topic"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("board", "board__region")
            .order_by("-votes", "-created_at")
        )


class TopicListView(TopicMixin, generic.ObjectListView):
    filterset_class = TopicFilterSet
    columns = TOPIC_COLUMNS
    template_name = "councils/topic_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["boards"] = restrict(PulseBoard.objects.all(), self.request.user)
        context["can_add_board"] = self.request.user.has_perm("councils.add_pulseboard")
        return context


class TopicExportView(TopicMixin, generic.ObjectExportView):
    filterset_class = TopicFilterSet
    columns = TOPIC_EXPORT
    basename = "street-pulse"


class TopicDetailView(TopicMixin, generic.ObjectDetailView):
    template_name = "councils/topic_detail.html"
    fields = [
        "board",
        "text",
        "author_name",
        "votes",
        "state",
        "created_at",
        "hidden_reason",
        "hidden_by",
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        topic, user = self.object, self.request.user
        context.update(
            hide_form=HideForm(),
            agenda_form=TopicAgendaForm(topic=topic, user=user),
            agenda_items=topic.agenda_items.select_related("meeting", "meeting__council").order_by(
                "-meeting__held_on"
            ),
            decision=decision_for_topic(topic),
            can_moderate=can(user, "change", topic),
            public_url=self.request.build_absolute_uri(
                reverse("pulse:topic", args=[topic.board.token, topic.pk])
            ),
            has_phone=bool(topic.phone_encrypted),
        )
        return context


class TopicHistoryView(generic.ObjectHistoryView):
    model = PulseTopic
    url_prefix = "councils:topic"


def _topic_for(request: HttpRequest, pk: int) -> PulseTopic:
    if not request.user.has_perm("councils.change_pulsetopic"):
        raise PermissionDenied
    return get_object_or_404(
        restrict(PulseTopic.objects.select_related("board"), request.user, "change"), pk=pk
    )


@login_required
@require_POST
def topic_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide (with a reason) or show again."""
    topic = _topic_for(request, pk)
    if request.POST.get("do") == "show":
        pulse.unhide(topic, user=request.user)
        messages.success(request, _("The topic shows on the public page again."))
        return redirect(topic)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the topic is hidden."))
        return redirect(topic)
    try:
        pulse.hide(topic, reason=form.cleaned_data["reason"], user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("The topic is hidden from the public page."))
    return redirect(topic)


@login_required
@require_POST
def topic_to_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic_for(request, pk)
    form = TopicAgendaForm(request.POST, topic=topic, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a planned meeting of a council in the topic's area."))
        return redirect(topic)
    meeting = form.cleaned_data["meeting"]
    try:
        add_agenda_item(meeting, topic=topic, user=request.user)
    except MeetingError as exc:
        messages.error(request, exc.message)
        return redirect(topic)
    messages.success(
        request,
        _("“%(topic)s” is on the agenda of %(meeting)s.") % {"topic": topic, "meeting": meeting},
    )
    return redirect(meeting.get_absolute_url() + "#agenda")


class BoardMixin:
    model = PulseBoard
    url_prefix = "councils:board"


class BoardListView(BoardMixin, generic.ObjectListView):
    filterset_class = BoardFilterSet
    columns = ["name", "region", "council", "is_active"]


class BoardDetailView(BoardMixin, generic.ObjectDetailView):
    template_name = "councils/board_detail.html"
    fields = ["region", "council", "intro", "is_active"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        board = self.object
        url = self.request.build_absolute_uri(reverse("pulse:board", args=[board.token]))
        context.update(
            public_url=url,
            qr_svg=qr_svg(url),
            topic_count=board.topics.count(),
        )
        return context


class BoardEditView(BoardMixin, generic.ObjectEditView):
    form_class = PulseBoardForm


class BoardHistoryView(generic.ObjectHistoryView):
    model = PulseBoard
    url_prefix = "councils:board"
