"""JSON API of the ledger's entities."""

from jiequ.api.serializers import FormValidatedSerializer
from jiequ.api.viewsets import ScopedModelViewSet

from .filtersets import EntityFilterSet
from .forms import ENTITY_FIELDS, EntityForm
from .models import Entity


class EntitySerializer(FormValidatedSerializer):
    form_class = EntityForm

    class Meta:
        model = Entity
        fields = ["id", *ENTITY_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"region": {"required": False}}


class EntityViewSet(ScopedModelViewSet):
    queryset = Entity.objects.select_related("region", "road", "building")
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet
