from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from .filtersets import EntityFilterSet
from .forms import ENTITY_FIELDS, EntityForm
from .importers import EntityImporter
from .models import Entity, Visit


class EntityMixin:
    model = Entity
    url_prefix = "ledger:entity"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "road", "building")


class EntityListView(EntityMixin, generic.ObjectListView):
    filterset_class = EntityFilterSet
    columns = [
        "display_name",
        "kind",
        "state",
        "address",
        "worker_count",
        "member_count",
        "region",
    ]


class EntityDetailView(EntityMixin, generic.ObjectDetailView):
    template_name = "ledger/entity_detail.html"
    fields = ENTITY_FIELDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["visits"] = restrict(
            Visit.objects.filter(entity=self.object).select_related("visitor", "round"), user
        )[:20]
        context["can_visit"] = user.has_perm("ledger.add_visit")
        return context


class EntityEditView(EntityMixin, generic.ObjectEditView):
    form_class = EntityForm


class EntityDeleteView(EntityMixin, generic.ObjectDeleteView):
    pass


class EntityExportView(EntityMixin, generic.ObjectExportView):
    filterset_class = EntityFilterSet
    columns = ENTITY_FIELDS
    basename = "entities"


class EntityImportView(EntityMixin, generic.ObjectImportView):
    importer_class = EntityImporter


class EntityHistoryView(EntityMixin, generic.ObjectHistoryView):
    pass
