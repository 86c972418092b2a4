"""Authentication backend that answers `user.has_perm()` from the role matrix."""

from django.contrib.auth.backends import ModelBackend

from .roles import ACTIONS, allowed_actions


class RoleBackend(ModelBackend):
    """Permissions are "<app>.<action>_<model>", e.g. "areas.import_building"."""

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or not user_obj.is_authenticated:
            return False
        if user_obj.is_superuser:
            return True
        app_label, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        if action not in ACTIONS:
            return super().has_perm(user_obj, perm, obj)
        return action in allowed_actions(user_obj.role, f"{app_label}.{model_name}")

    def has_module_perms(self, user_obj, app_label):
        # The Django admin is for superusers only; staff work in the app's own pages.
        return user_obj.is_active and user_obj.is_superuser
