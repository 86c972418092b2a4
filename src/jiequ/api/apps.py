from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jiequ.api"
    verbose_name = "API"
