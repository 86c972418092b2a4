"""JSON API of councils, their meetings (agenda and decisions), tasks and street-pulse topics.

Read-only lists and records, scoped like the pages; two actions: close a meeting (applies its
decisions once) and mark a task done or not done. Topic phones never leave the server.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jiequ.api.viewsets import ScopedReadOnlyViewSet
from jiequ.core.scoping import restrict

from . import meetings as service
from .filtersets import CouncilFilterSet, MeetingFilterSet, TaskFilterSet, TopicFilterSet
from .models import AgendaItem, Council, CouncilMeeting, CouncilMember, Decision, PulseTopic, Task


class SeatSerializer(serializers.ModelSerializer):
    person = serializers.CharField(read_only=True)
    sits_for = serializers.CharField(read_only=True)

    class Meta:
        model = CouncilMember
        fields = [
            "id",
            "kind",
            "post",
            "person",
            "sits_for",
            "entity",
            "organisation",
            "department",
            "joined_on",
            "left_on",
        ]


class CouncilSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Council
        fields = [
            "id",
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
            "members",
            "created_at",
            "updated_at",
        ]

    def get_members(self, obj: Council) -> list[dict]:
        request = self.context.get("request")
        if request is None or not request.user.has_perm("councils.view_councilmember"):
            return []  # who sits is for those who may read seats
        return SeatSerializer(obj.members.all(), many=True).data


class AgendaItemSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "label", "case", "topic", "notes"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "position",
            "agenda_item",
            "kind",
            "title",
            "text",
            "tried",
            "case",
            "due_on",
            "applied_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = CouncilMeeting
        fields = [
            "id",
            "council",
            "held_on",
            "starts_at",
            "place",
            "subject",
            "state",
            "present",
            "guests",
            "minutes",
            "agenda",
            "decisions",
            "closed_at",
            "created_at",
            "updated_at",
        ]


class TaskSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "council",
            "meeting",
            "case",
            "title",
            "details",
            "owner",
            "due_on",
            "done_on",
            "done_note",
            "is_overdue",
        ]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = PulseTopic
        fields = [
            "id",
            "board",
            "title",
            "text",
            "author_name",
            "votes",
            "state",
            "hidden_at",
            "hidden_reason",
            "created_at",
        ]


class CouncilViewSet(ScopedReadOnlyViewSet):
    queryset = Council.objects.select_related("region").prefetch_related("members")
    serializer_class = CouncilSerializer
    filterset_class = CouncilFilterSet


class MeetingViewSet(ScopedReadOnlyViewSet):
    queryset = CouncilMeeting.objects.select_related("council").prefetch_related(
        "agenda", "decisions", "present"
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Apply the meeting's decisions and close it (once; a second call is refused)."""
        meeting = get_object_or_404(
            restrict(CouncilMeeting.objects.all(), request.user, "change"), pk=pk
        )
        try:
            closed = service.close_meeting(meeting, user=request.user)
        except service.MeetingError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return Response(MeetingSerializer(closed, context={"request": request}).data)


class TaskViewSet(ScopedReadOnlyViewSet):
    queryset = Task.objects.select_related("owner_member", "owner_user")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        """{"done": true, "note": "…"} marks it done; {"done": false} not done again."""
        task = get_object_or_404(restrict(Task.objects.all(), request.user, "change"), pk=pk)
        done = bool(request.data.get("done", True))
        marked = service.mark_task(
            task, done=done, user=request.user, note=str(request.data.get("note", ""))
        )
        return Response(TaskSerializer(marked).data)


class TopicViewSet(ScopedReadOnlyViewSet):
    queryset = PulseTopic.objects.select_related("board")
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
