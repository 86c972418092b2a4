"""JSON API of the ledger's entities."""

from rest_framework import serializers

from jiequ.api.viewsets import ScopedModelViewSet

from .filtersets import EntityFilterSet
from .forms import ENTITY_FIELDS, EntityForm
from .models import Entity


class EntitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["id", *ENTITY_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"region": {"required": False}}

    def validate(self, attrs):
        # The web form's rules: placement, scope, names, counts, unique credit code.
        instance = self.instance
        if instance is not None:
            data = {k: getattr(instance, k) for k in ENTITY_FIELDS}
        else:  # a create: fields left out take the model's defaults, as on the web form
            data = {k: Entity._meta.get_field(k).get_default() for k in ENTITY_FIELDS}
        data.update(attrs)
        for fk in ("road", "building", "region"):
            if data.get(fk) is not None:
                data[fk] = data[fk].pk
        form = EntityForm(data=data, instance=instance, user=self.context["request"].user)
        if not form.is_valid():
            raise serializers.ValidationError(
                {k if k != "__all__" else "non_field_errors": v for k, v in form.errors.items()}
            )
        self._form = form
        return attrs

    def save(self, **kwargs):
        self.instance = self._form.save()
        return self.instance


class EntityViewSet(ScopedModelViewSet):
    queryset = Entity.objects.select_related("region", "road", "building")
    serializer_class = EntitySerializer
    filterset_class = EntityFilterSet
