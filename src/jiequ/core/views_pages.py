"""Pages that belong to no one resource: the home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .navigation import home_figures_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the user's area of work holds; every figure links to the records behind it."""
    user = request.user
    return render(
        request,
        "core/home.html",
        {"scope": user.scope_region, "figures": home_figures_for(user)},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
