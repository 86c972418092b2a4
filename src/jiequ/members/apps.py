from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MembersConfig(AppConfig):
    name = "jiequ.members"
    verbose_name = pgettext_lazy("people", "Party members")
