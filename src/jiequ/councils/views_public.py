"""The public street-pulse pages (no account): the board of an area or a council, posting a
topic, voting, and one topic with what became of it. Only public fields are shown: title, text,
the name the poster chose to sign with, votes and the council's decision; never a phone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import ratelimit

from . import pulse
from .forms import PublicTopicForm
from .meetings import decision_for_topic
from .models import PulseBoard, PulseTopic


def _board(token: str) -> PulseBoard:
    board = PulseBoard.objects.filter(token=token).select_related("region", "council").first()
    if board is None or not board.is_active:
        raise Http404
    return board


def _agenda_of(topics: list[PulseTopic]) -> dict[int, Any]:
    """For each topic on an agenda: the latest meeting it is on (council and date)."""
    from .models import AgendaItem

    found: dict[int, Any] = {}
    items = (
        AgendaItem.objects.filter(topic__in=topics)
        .select_related("meeting", "meeting__council")
        .order_by("meeting__held_on", "pk")
    )
    for item in items:
        found[item.topic_id] = item.meeting
    return found


def _page(
    request: HttpRequest, board: PulseBoard, form: PublicTopicForm, status: int = 200, **extra: Any
) -> HttpResponse:
    device, new = pulse.ensure_device(request)
    topics = list(pulse.visible_topics(board)[:100])
    voted = pulse.voted_ids(device, PulseTopic.objects.filter(pk__in=[t.pk for t in topics]))
    on_agenda = _agenda_of(topics)
    rows = [
        {
            "topic": t,
            "voted": t.pk in voted,
            "meeting": on_agenda.get(t.pk),
            "votable": t.state in pulse.VOTABLE,
        }
        for t in topics
    ]
    response = render(
        request,
        "councils/public_board.html",
        {"board": board, "form": form, "rows": rows, **extra},
        status=status,
    )
    if new:
        pulse.remember_device(response, device)
    return response


def board(request: HttpRequest, token: str) -> HttpResponse:
    found = _board(token)
    posted = request.GET.get("posted")
    return _page(request, found, PublicTopicForm(), posted=posted)


@require_POST
def post(request: HttpRequest, token: str) -> HttpResponse:
    found = _board(token)
    form = PublicTopicForm(request.POST)
    if not ratelimit.allow(
        f"pulse-post:{ratelimit.client_ip(request)}", pulse.TOPICS_PER_NETWORK, pulse.WINDOW_SECONDS
    ):
        return _page(request, found, form, status=429, limited=True)
    if not form.is_valid():
        return _page(request, found, form, status=400)
    data = form.cleaned_data
    if data["website"]:  # a bot: pretend all went well
        return redirect(reverse("pulse:board", args=[token]))
    device, new = pulse.ensure_device(request)
    try:
        topic, _created = pulse.post_topic(
            found,
            pulse.Post(
                title=data["title"],
                text=data["text"],
                author_name=data["author_name"],
                phone=data["phone"],
                consent=data["consent"],
            ),
            device,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return _page(request, found, form, status=400)
    response = redirect(
        reverse("pulse:board", args=[token]) + f"?posted={topic.pk}#topic-{topic.pk}"
    )
    if new:
        pulse.remember_device(response, device)
    return response


@require_POST
def vote(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    found = _board(token)
    topic = get_object_or_404(PulseTopic, pk=pk, board=found, hidden_at__isnull=True)
    device, new = pulse.ensure_device(request)
    limited = not ratelimit.allow(
        f"pulse-vote:{ratelimit.client_ip(request)}", pulse.VOTES_PER_NETWORK, pulse.WINDOW_SECONDS
    )
    counted = False if limited else pulse.vote(topic, device)
    topic.refresh_from_db(fields=["votes"])
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "councils/_public_vote.html",
            {
                "board": found,
                "topic": topic,
                "voted": counted or pulse.voted_ids(device, PulseTopic.objects.filter(pk=topic.pk)),
                "votable": True,
                "limited": limited,
            },
            status=429 if limited else 200,
        )
    else:
        response = redirect(reverse("pulse:board", args=[token]) + f"#topic-{topic.pk}")
    if new:
        pulse.remember_device(response, device)
    return response


def topic(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    found = _board(token)
    item = get_object_or_404(PulseTopic, pk=pk, board=found, hidden_at__isnull=True)
    device = pulse.device_of(request)
    meeting = _agenda_of([item]).get(item.pk)
    decision = decision_for_topic(item)
    return render(
        request,
        "councils/public_topic.html",
        {
            "board": found,
            "topic": item,
            "meeting": meeting,
            "decision": decision,
            "voted": item.pk in pulse.voted_ids(device, PulseTopic.objects.filter(pk=item.pk)),
            "votable": item.state in pulse.VOTABLE,
            "title_text": _("Street pulse"),
        },
    )
