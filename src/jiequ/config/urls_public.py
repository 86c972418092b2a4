"""Public pages behind QR codes and private links: no account needed, rate-limited."""

from django.urls import include, path

urlpatterns = [
    path("d/", include("jiequ.cases.urls_public")),
    path("pulse/", include("jiequ.councils.urls_public")),
    path("o/", include("jiequ.offers.urls_public")),
    path("v/", include("jiequ.volunteers.urls_public")),
    path("t/", include("jiequ.services.urls_public")),
]
