"""Serializers that validate with the web form: the API and the pages enforce the same rules."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers


class FormValidatedSerializer(serializers.ModelSerializer):
    """Runs `form_class` (a ScopedModelForm) on the merged data and saves through it."""

    form_class: type  # set by subclasses

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        names = self.form_class._meta.fields
        model = self.Meta.model
        if self.instance is not None:
            data = {k: getattr(self.instance, k) for k in names}
        else:  # a create: fields left out take the model's defaults, as on the web form
            data = {k: model._meta.get_field(k).get_default() for k in names}
        data.update(attrs)
        data = {k: v.pk if isinstance(v, models.Model) else v for k, v in data.items()}
        form = self.form_class(data=data, instance=self.instance, user=self.context["request"].user)
        if not form.is_valid():
            raise serializers.ValidationError(
                {k if k != "__all__" else "non_field_errors": v for k, v in form.errors.items()}
            )
        self._form = form
        return attrs

    def save(self, **kwargs: Any) -> models.Model:
        self.instance = self._form.save()
        return self.instance
