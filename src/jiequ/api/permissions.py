from rest_framework.permissions import BasePermission

from jiequ.core.scoping import permission_name

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RolePermission(BasePermission):
    """The role matrix decides which methods a user may call on a resource at all.

    Which records they reach is decided by the view's queryset (`restrict()`), so a record
    outside the user's scope answers 404, not 403.
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        return user.has_perm(permission_name(model, METHOD_ACTIONS.get(request.method, "view")))
