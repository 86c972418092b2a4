"""The main menu. Each entry shows only to users whose role has its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None  # None: every logged-in user

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU = [
    MenuItem(_("Home"), "home", None),
    MenuItem(_("Map"), "areas:map", "areas.view_region"),
    MenuItem(_("Ledger"), "ledger:entity_list", "ledger.view_entity"),
    MenuItem(_("My visits"), "ledger:walk_list", "ledger.add_visit"),
    MenuItem(_("Survey rounds"), "ledger:round_list", "ledger.view_surveyround"),
    MenuItem(_("Department data"), "ledger:registry_source_list", "ledger.view_registrysource"),
    MenuItem(_("Sign-ups"), "ledger:registration_list", "ledger.view_memberregistration"),
    MenuItem(_("Buildings"), "areas:building_list", "areas.view_building"),
    MenuItem(_("Users"), "accounts:user_list", "accounts.view_user"),
]


def menu_for(user) -> list[MenuItem]:
    if not user.is_authenticated:
        return []
    return [item for item in MENU if item.permission is None or user.has_perm(item.permission)]


# Each app's figures for the home page: functions of the user returning (label, number, url).
HOME_FIGURES = ["jiequ.areas.figures.home_figures", "jiequ.ledger.figures.home_figures"]


def home_figures_for(user) -> list[tuple[str, int, str]]:
    from django.utils.module_loading import import_string

    return [figure for path in HOME_FIGURES for figure in import_string(path)(user)]
