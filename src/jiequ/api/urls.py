from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from jiequ.areas import api as areas_api
from jiequ.cases import api as cases_api
from jiequ.cases import api_platform
from jiequ.councils import api as councils_api
from jiequ.ledger import api as ledger_api
from jiequ.members import api as members_api
from jiequ.offers import api as offers_api
from jiequ.party import api as party_api
from jiequ.positions import api as positions_api
from jiequ.services import api as services_api
from jiequ.volunteers import api as volunteers_api

router = DefaultRouter()
router.register("councils/councils", councils_api.CouncilViewSet)
router.register("councils/meetings", councils_api.MeetingViewSet)
router.register("councils/tasks", councils_api.TaskViewSet)
router.register("councils/topics", councils_api.TopicViewSet)
router.register("areas/regions", areas_api.RegionViewSet)
router.register("areas/roads", areas_api.RoadViewSet)
router.register("areas/buildings", areas_api.BuildingViewSet)
router.register("ledger/entities", ledger_api.EntityViewSet)
router.register("party/organisations", party_api.OrganisationViewSet)
router.register("members/members", members_api.MemberViewSet)
router.register("positions/positions", positions_api.PositionViewSet)
router.register("positions/rooms", positions_api.RoomViewSet)
router.register("positions/bookings", positions_api.BookingViewSet)
router.register("positions/duties", positions_api.DutyViewSet)
router.register("positions/activities", positions_api.ActivityViewSet)
router.register("cases", cases_api.CaseViewSet)
router.register("volunteers/points", volunteers_api.ServicePointViewSet)
router.register("volunteers/volunteers", volunteers_api.VolunteerViewSet)
router.register("volunteers/tasks", volunteers_api.VolunteerTaskViewSet)
router.register("services/needs", services_api.NeedViewSet)
router.register("services/resources", services_api.ResourceViewSet)
router.register("services/projects", services_api.ProjectViewSet)
router.register("services/deliveries", services_api.DeliveryViewSet)
router.register("offers/shops", offers_api.MatrixShopViewSet)
router.register("offers/offers", offers_api.OfferViewSet)
router.register("offers/campaigns", offers_api.CampaignViewSet)
router.register("offers/redemptions", offers_api.RedemptionViewSet)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    # The district city-operations platform answers about a case (its own token, no account).
    path(
        "platform/cases/<str:number>/answer/",
        api_platform.CaseAnswerView.as_view(),
        name="api-platform-case-answer",
    ),
    path("", include(router.urls)),
]
