from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jiequ.core.scoping import ScopedQuerySet

from .roles import Role


class UserManager(AuthUserManager.from_queryset(ScopedQuerySet)):
    """Keeps Django's create_user/create_superuser and adds `.restrict()`."""


class User(AbstractUser):
    """A person who logs in. They are here because they hold a role."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.MEMBER)
    scope_region = models.ForeignKey(
        "areas.Region",
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The region this user works in; they see nothing outside it."),
    )

    scope_organisation = models.ForeignKey(
        "party.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For a branch secretary: the branch whose records they keep."),
    )

    objects = UserManager()
    # Password hashes and login times stay out of the change log.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    scope_lookup = "scope_region__path"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def organisation_scope_ids(self) -> list[int] | None:
        """Organisations a branch secretary's Party records are limited to; None for others."""
        if self.role != Role.BRANCH_SECRETARY or self.is_superuser:
            return None
        if self.scope_organisation_id is None:
            return []  # a secretary without a branch sees no branch's records
        cache = self.__dict__.setdefault("_organisation_scope", {})
        if self.scope_organisation_id not in cache:
            cache[self.scope_organisation_id] = self.scope_organisation.subtree_ids()
        return cache[self.scope_organisation_id]

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])
