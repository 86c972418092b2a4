from jiequ.core import views as generic

from .filtersets import UserFilterSet
from .forms import UserForm
from .models import User


class UserMixin:
    model = User
    url_prefix = "accounts:user"

    def get_queryset(self):
        return super().get_queryset().select_related("scope_region")


class UserListView(UserMixin, generic.ObjectListView):
    filterset_class = UserFilterSet
    columns = ["username", "display_name", "role", "scope_region", "is_active", "last_login"]


class UserDetailView(UserMixin, generic.ObjectDetailView):
    fields = ["username", "display_name", "role", "scope_region", "is_active", "last_login"]


class UserEditView(UserMixin, generic.ObjectEditView):
    form_class = UserForm


class UserHistoryView(UserMixin, generic.ObjectHistoryView):
    pass
