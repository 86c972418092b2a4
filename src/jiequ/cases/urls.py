from . import urls_cases, urls_codes, urls_figures

app_name = "cases"

# Case handling, the figures and the demand codes each keep their own url module.
urlpatterns = urls_cases.urlpatterns + urls_figures.urlpatterns + urls_codes.urlpatterns
