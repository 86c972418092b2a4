from rest_framework import viewsets

from jiequ.core.scoping import restrict

from .permissions import METHOD_ACTIONS


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose every query goes through the scoping layer."""

    def get_queryset(self):
        action = METHOD_ACTIONS.get(self.request.method, "view")
        return restrict(super().get_queryset(), self.request.user, action)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, "view")
