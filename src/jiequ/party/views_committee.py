"""Coverage links and committees: entities an organisation covers, committee posts, department
cadres, and the people who serve on several committees."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiequ.core import views as generic
from jiequ.core.scoping import organisation_in_scope, restrict

from .filtersets import CadreFilterSet
from .forms import CadreForm, CoverageLinkForm, EndPostForm, OfficerForm
from .models import Cadre, CoverageLink, Officer, Organisation

SEARCH_RESULTS = 20


def _organisation_for(request: HttpRequest, pk: int, permission: str) -> Organisation:
    """The organisation (404 outside the user's sight), if the user may change its records."""
    org = get_object_or_404(
        restrict(Organisation.objects.select_related("region"), request.user), pk=pk
    )
    if not (request.user.has_perm(permission) and organisation_in_scope(request.user, org)):
        raise PermissionDenied
    return org


def _entity_results(user: Any, q: str, org: Organisation) -> Any:
    from jiequ.ledger.models import Entity

    q = q.strip()
    if not q:
        return []
    return (
        Entity.objects.restrict(user)
        .filter(Q(name__icontains=q) | Q(sign_name__icontains=q) | Q(address__icontains=q))
        .exclude(coverage_links__organisation=org)
        .order_by("name")[:SEARCH_RESULTS]
    )


@login_required
def coverage_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Search an entity of the user's scope by name and link it to the organisation."""
    org = _organisation_for(request, pk, "party.add_coveragelink")
    user = request.user
    q = request.GET.get("q") or request.POST.get("q") or ""
    results = list(_entity_results(user, q, org))
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "party/_entity_results.html", {"results": results, "q": q})
    form = CoverageLinkForm(request.POST or None, organisation=org, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            link = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("“%(entity)s” is now covered by “%(org)s” (%(kind)s).")
                % {"entity": link.entity, "org": org, "kind": link.get_kind_display()},
            )
            return redirect(org)
    chosen = form.cleaned_data.get("entity") if form.is_bound and form.is_valid() else None
    if form.is_bound and chosen is None:
        chosen = (
            form.fields["entity"].queryset.filter(pk=request.POST.get("entity")).first()
            if str(request.POST.get("entity", "")).isdigit()
            else None
        )
    if chosen is not None and chosen not in results:
        results.insert(0, chosen)
    return render(
        request,
        "party/coverage_form.html",
        {"organisation": org, "form": form, "results": results, "q": q, "chosen": chosen},
    )


@login_required
@require_POST
def coverage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        restrict(CoverageLink.objects.select_related("organisation", "entity"), request.user),
        pk=pk,
    )
    org = link.organisation
    if not (
        request.user.has_perm("party.delete_coveragelink")
        and organisation_in_scope(request.user, org)
    ):
        raise PermissionDenied
    link._change_reason = "unlinked"
    link.delete()
    messages.success(
        request,
        _("“%(entity)s” is no longer covered by “%(org)s”.") % {"entity": link.entity, "org": org},
    )
    return redirect(org)


# Committee posts.


def _form_page(request: HttpRequest, form: Any, title: str, back: Any, **extra: Any):
    return render(request, "party/form.html", {"form": form, "title": title, "back": back, **extra})


@login_required
def officer_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _organisation_for(request, pk, "party.add_officer")
    form = OfficerForm(request.POST or None, organisation=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        officer = form.save()
        messages.success(
            request,
            _("%(person)s recorded as %(role)s.")
            % {"person": officer.person_name, "role": officer.get_role_display()},
        )
        return redirect(org)
    return _form_page(request, form, _("Add a committee post to %(org)s") % {"org": org}, org)


def _officer_for(request: HttpRequest, pk: int) -> Officer:
    officer = get_object_or_404(
        restrict(
            Officer.objects.select_related("organisation", "organisation__region"),
            request.user,
            "change",
        ),
        pk=pk,
    )
    if not organisation_in_scope(request.user, officer.organisation):
        raise PermissionDenied
    return officer


@login_required
@permission_required("party.change_officer", raise_exception=True)
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer_for(request, pk)
    org = officer.organisation
    form = OfficerForm(request.POST or None, instance=officer, organisation=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved “%(obj)s”.") % {"obj": officer})
        return redirect(org)
    return _form_page(request, form, _("Edit %(obj)s") % {"obj": officer}, org)


@login_required
@permission_required("party.change_officer", raise_exception=True)
def officer_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a post (the person leaves the committee); the post stays in the record."""
    officer = _officer_for(request, pk)
    org = officer.organisation
    form = EndPostForm(request.POST or None, officer=officer)
    if request.method == "POST" and form.is_valid():
        officer.ended_on = form.cleaned_data["ended_on"]
        officer._change_reason = "post ended"
        officer.save()
        messages.success(
            request,
            _("The post of %(person)s ends on %(date)s.")
            % {"person": officer.person_name, "date": officer.ended_on.isoformat()},
        )
        return redirect(org)
    return _form_page(request, form, _("End the post: %(obj)s") % {"obj": officer}, org)


# Department cadres.


class CadreMixin:
    model = Cadre
    url_prefix = "party:cadre"

    def get_queryset(self):
        return super().get_queryset().select_related("subdistrict")


class CadreListView(CadreMixin, generic.ObjectListView):
    filterset_class = CadreFilterSet

    def get_queryset(self):
        today = timezone.localdate()
        current = Q(posts__ended_on__isnull=True) | Q(posts__ended_on__gte=today)
        return (
            super()
            .get_queryset()
            .annotate(post_count=Count("posts", filter=current))
            .order_by("department_kind", "name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meta = Cadre._meta
        context["headers"] = [
            meta.get_field("name").verbose_name,
            meta.get_field("department_kind").verbose_name,
            meta.get_field("department").verbose_name,
            meta.get_field("post").verbose_name,
            _("phone"),
            _("current committee posts"),
        ]
        context["rows"] = [
            (
                c,
                [
                    c.name,
                    c.get_department_kind_display(),
                    c.department,
                    c.post,
                    c.phone_masked if c.phone_encrypted else "",
                    c.post_count,
                ],
            )
            for c in context["object_list"]
        ]
        return context


class CadreDetailView(CadreMixin, generic.ObjectDetailView):
    """A cadre's person page: their posts on every committee."""

    template_name = "party/cadre_detail.html"
    fields = ["name", "department_kind", "department", "post", "subdistrict"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["posts"] = _posts(self.request.user, Q(cadre=self.object))
        return context


class CadreEditView(CadreMixin, generic.ObjectEditView):
    form_class = CadreForm


class CadreDeleteView(CadreMixin, generic.ObjectDeleteView):
    pass


class CadreHistoryView(CadreMixin, generic.ObjectHistoryView):
    pass


def _posts(user: Any, condition: Q) -> list[Officer]:
    return list(
        restrict(Officer.objects.filter(condition), user)
        .select_related("organisation", "entity")
        .order_by("ended_on", "organisation__name")
    )


@login_required
@permission_required("members.view_member", raise_exception=True)
def member_posts(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's person page in the party app: their posts on every committee."""
    from jiequ.members.models import Member

    member = get_object_or_404(
        restrict(Member.objects.select_related("organisation"), request.user), pk=pk
    )
    return render(
        request,
        "party/person_posts.html",
        {"person": member, "posts": _posts(request.user, Q(member=member)), "is_member": True},
    )


@login_required
@permission_required("party.view_officer", raise_exception=True)
def crossposting_list(request: HttpRequest) -> HttpResponse:
    """People who hold current posts on two or more committees."""
    today = timezone.localdate()
    posts = (
        restrict(Officer.objects.all(), request.user)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("organisation", "member", "cadre", "entity")
        .order_by("organisation__name")
    )
    people: dict[tuple[str, int], list[Officer]] = {}
    for post in posts:
        key = ("member", post.member_id) if post.member_id else ("cadre", post.cadre_id)
        people.setdefault(key, []).append(post)
    rows = [
        {
            "person": person_posts[0].member or person_posts[0].cadre,
            "is_member": kind == "member",
            "posts": person_posts,
            "committees": len({p.organisation_id for p in person_posts}),
            "inside": person_posts[0].is_inside,
        }
        for (kind, _pk), person_posts in people.items()
        if len({p.organisation_id for p in person_posts}) >= 2
    ]
    rows.sort(key=lambda r: (-r["committees"], str(r["person"])))
    return render(
        request,
        "party/crossposting_list.html",
        {
            "rows": rows,
            "can_view_cadres": request.user.has_perm("party.view_cadre"),
            "can_view_members": request.user.has_perm("members.view_member"),
        },
    )
