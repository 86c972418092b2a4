"""JSON API of positions, rooms, bookings, the rota and the weekly menu (read-only, scoped).

Bookings are made through the pages or `POST /api/positions/bookings/` with the same rules as
the booking form (jiequ.positions.bookings): one row lock per room, no double booking.
"""

from __future__ import annotations

from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from jiequ.api.viewsets import ScopedReadOnlyViewSet
from jiequ.core.scoping import restrict
from jiequ.councils.models import Council
from jiequ.party.models import Organisation

from . import bookings
from .filtersets import ActivityFilterSet, BookingFilterSet, DutyFilterSet, RoomFilterSet
from .models import Activity, Booking, Duty, Position, Room


class PositionSerializer(serializers.ModelSerializer):
    hours_text = serializers.CharField(read_only=True)

    class Meta:
        model = Position
        fields = [
            "id",
            "name",
            "address",
            "region",
            "lat",
            "lon",
            "floor_area",
            "opening_hours",
            "hours_text",
            "closed_on_public_holidays",
            "organisation",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = [
            "id",
            "position",
            "name",
            "kind",
            "capacity",
            "floor_area",
            "equipment",
            "needs_approval",
            "min_minutes",
            "max_minutes",
            "is_active",
        ]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "organisation",
            "council",
            "starts_at",
            "ends_at",
            "purpose",
            "attendees",
            "state",
            "reason",
            "created_at",
        ]
        read_only_fields = ["id", "state", "reason", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and request.method == "POST":
            # Only what the caller may book with is found at all.
            self.fields["room"].queryset = restrict(Room.objects.all(), user)
            self.fields["organisation"].queryset = restrict(Organisation.objects.all(), user)
            self.fields["council"].queryset = restrict(Council.objects.all(), user)


class DutySerializer(serializers.ModelSerializer):
    master = serializers.CharField(read_only=True)

    class Meta:
        model = Duty
        fields = ["id", "position", "day", "master", "note"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    place_text = serializers.CharField(read_only=True)
    taken = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "room",
            "place_text",
            "capacity",
            "taken",
            "waiting",
            "audience",
            "audience_organisation",
            "organiser",
            "description",
        ]
        read_only_fields = fields


class PositionViewSet(ScopedReadOnlyViewSet):
    queryset = Position.objects.select_related("region")
    serializer_class = PositionSerializer


class RoomViewSet(ScopedReadOnlyViewSet):
    queryset = Room.objects.select_related("position")
    serializer_class = RoomSerializer
    filterset_class = RoomFilterSet


class BookingViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Bookings the caller may see; POST books a room (refusals answer 400 with the reason)."""

    queryset = Booking.objects.select_related("room", "organisation", "council")
    serializer_class = BookingSerializer
    filterset_class = BookingFilterSet

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("positions.add_booking"):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        room, organisation, council = data["room"], data.get("organisation"), data.get("council")
        try:
            booking = bookings.request_booking(
                room=room,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                attendees=data["attendees"],
                organisation=organisation,
                council=council,
                user=user,
            )
        except bookings.BookingError as exc:
            field = exc.field or "detail"
            return Response({field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)


class DutyViewSet(ScopedReadOnlyViewSet):
    queryset = Duty.objects.select_related("member", "cadre")
    serializer_class = DutySerializer
    filterset_class = DutyFilterSet


class ActivityViewSet(ScopedReadOnlyViewSet):
    queryset = Activity.objects.select_related("room__position")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def get_queryset(self):
        from .menu import with_counts

        return with_counts(super().get_queryset()).order_by("starts_at", "pk")
