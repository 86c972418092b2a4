from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from jiequ.core import views_pages
from jiequ.ledger import views_signup

urlpatterns = [
    path("", views_pages.home, name="home"),
    path("healthz/", views_pages.healthz, name="healthz"),
    # Public pages behind QR codes: no account needed.
    path("join/<slug:token>/", views_signup.join, name="join"),
    path("join/<slug:token>/done/", views_signup.join_done, name="join_done"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("jiequ.accounts.urls")),
    path("areas/", include("jiequ.areas.urls")),
    path("ledger/", include("jiequ.ledger.urls")),
    path("party/", include("jiequ.party.urls")),
    path("members/", include("jiequ.members.urls")),
    path("applications/", include("jiequ.development.urls")),
    path("life/", include("jiequ.life.urls")),
    path("coverage/", include("jiequ.coverage.urls")),
    path("cases/", include("jiequ.cases.urls")),
    path("councils/", include("jiequ.councils.urls")),
    path("outbox/", include("jiequ.outbox.urls")),
    path("surveys/", include("jiequ.surveys.urls")),
    path("services/", include("jiequ.services.urls")),
    path("positions/", include("jiequ.positions.urls")),
    path("offers/", include("jiequ.offers.urls")),
    path("volunteers/", include("jiequ.volunteers.urls")),
    # Public phone pages (no account): demands, street pulse, coupons, volunteer sign-up.
    path("p/", include("jiequ.config.urls_public")),
    path("api/", include("jiequ.api.urls")),
    path("admin/", admin.site.urls),
]
