"""Instructor posts (党建指导员): list, post an instructor, end a post.

An instructor gives an entity work coverage (jiequ.coverage.status). The posts name people, so
the district, which reads figures, does not see this list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from jiequ.core import views as generic
from jiequ.core.scoping import restrict

from .forms_instructors import EndPostForm, InstructorPostForm
from .models import InstructorPost


class InstructorFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=gettext_lazy("Search"))
    current = filters.BooleanFilter(method="only_current", label=gettext_lazy("current"))

    class Meta:
        model = InstructorPost
        fields = ["q", "current"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(entity__name__icontains=value)
            | Q(entity__sign_name__icontains=value)
            | Q(member__name__icontains=value)
            | Q(cadre__name__icontains=value)
        )

    def only_current(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        return queryset.filter(current) if value else queryset.exclude(current)


class InstructorMixin:
    model = InstructorPost
    url_prefix = "coverage:instructor"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("entity", "member__organisation", "cadre", "entity__region")
        )


class InstructorListView(InstructorMixin, generic.ObjectListView):
    filterset_class = InstructorFilterSet
    template_name = "coverage/instructor_list.html"
    columns: list[str] = []

    def get_template_names(self) -> list[str]:
        if (
            self.request.headers.get("HX-Request")
            and self.request.headers.get("HX-Target") == "object-table"
        ):
            return ["coverage/instructor_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["can_end"] = self.request.user.has_perm("coverage.change_instructorpost")
        context["posts"] = [
            (post, post.ended_on is None or post.ended_on >= today)
            for post in context["object_list"]
        ]
        return context


class InstructorAddView(InstructorMixin, generic.ObjectEditView):
    form_class = InstructorPostForm

    def get_success_url(self) -> str:
        return reverse("coverage:instructor_list")


@login_required
def instructor_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a post (from the given day on the entity has no instructor from it)."""
    user = request.user
    if not user.has_perm("coverage.change_instructorpost"):
        raise PermissionDenied
    post = (
        restrict(InstructorPost.objects.all(), user, "change")
        .select_related("entity", "member", "cadre")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    form = EndPostForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        post.ended_on = form.cleaned_data["ended_on"]
        post._change_reason = "Instructor post ended"
        post.save()
        messages.success(
            request,
            _("%(person)s’s post at “%(entity)s” ends on %(date)s.")
            % {"person": post.member or post.cadre, "entity": post.entity, "date": post.ended_on},
        )
        return HttpResponseRedirect(reverse("coverage:instructor_list"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coverage/instructor_end.html", {"post": post, "form": form}, status=status
    )
