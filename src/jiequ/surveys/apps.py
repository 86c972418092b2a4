from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "jiequ.surveys"
    verbose_name = _("Road surveys")
