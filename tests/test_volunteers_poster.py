"""The printable sign-up poster of a volunteer code: a PDF for staff, 404 outside their scope."""

import pytest
from django.urls import reverse

from .factories_volunteers import vol  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_staff_prints_the_poster_of_a_point_code(vol, users, login):  # noqa: F811
    response = login(users.staff).get(reverse("volunteers:code_poster", args=[vol.codes.sw.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_neighbour_cannot_print_our_poster(vol, users, login):  # noqa: F811
    url = reverse("volunteers:code_poster", args=[vol.codes.sw.pk])
    assert login(users.other_admin).get(url).status_code == 404
