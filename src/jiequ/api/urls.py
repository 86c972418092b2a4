from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from jiequ.areas import api as areas_api
from jiequ.ledger import api as ledger_api
from jiequ.members import api as members_api
from jiequ.party import api as party_api

router = DefaultRouter()
router.register("areas/regions", areas_api.RegionViewSet)
router.register("areas/roads", areas_api.RoadViewSet)
router.register("areas/buildings", areas_api.BuildingViewSet)
router.register("ledger/entities", ledger_api.EntityViewSet)
router.register("party/organisations", party_api.OrganisationViewSet)
router.register("members/members", members_api.MemberViewSet)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path("", include(router.urls)),
]
