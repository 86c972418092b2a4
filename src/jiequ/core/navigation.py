"""The main menu, in sections. Each entry shows only to users whose role has its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None  # None: every logged-in user

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def shows_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)


@dataclass(frozen=True)
class MenuSection:
    label: str
    items: tuple[MenuItem, ...]


MENU: list[MenuItem | MenuSection] = [
    MenuItem(_("Home"), "home", None),
    MenuItem(_("Map"), "areas:map", "areas.view_region"),
    MenuSection(
        _("Ledger"),
        (
            MenuItem(_("Ledger"), "ledger:entity_list", "ledger.view_entity"),
            MenuItem(_("My visits"), "ledger:walk_list", "ledger.add_visit"),
            MenuItem(_("Survey rounds"), "ledger:round_list", "ledger.view_surveyround"),
            MenuItem(
                _("Department data"), "ledger:registry_source_list", "ledger.view_registrysource"
            ),
            MenuItem(_("Sign-ups"), "ledger:registration_list", "ledger.view_memberregistration"),
            MenuItem(_("Buildings"), "areas:building_list", "areas.view_building"),
        ),
    ),
    MenuSection(
        _("Organisations"),
        (
            MenuItem(
                _("Party organisations"), "party:organisation_list", "party.view_organisation"
            ),
            MenuItem(_("Terms due"), "party:terms", "party.view_organisation"),
            MenuItem(_("Department cadres"), "party:cadre_list", "party.view_cadre"),
            MenuItem(_("Cross-postings"), "party:crossposting_list", "party.view_officer"),
            MenuItem(_("Rules"), "party:rules", "party.view_ruleoverride"),
        ),
    ),
    MenuSection(
        pgettext_lazy("menu", "Members"),
        (
            MenuItem(
                pgettext_lazy("people", "Party members"),
                "members:member_list",
                "members.view_member",
            ),
            MenuItem(
                _("Mobile-member liaison"), "members:liaison_due", "members.view_liaisonreport"
            ),
            MenuItem(_("Transfers"), "members:transfer_list", "members.view_transfer"),
            MenuItem(_("Dues"), "members:dues", "members.view_duespayment"),
            MenuItem(_("Applications"), "development:board", "development.view_application"),
        ),
    ),
    MenuSection(
        _("Organisational life"),
        (
            MenuItem(_("Regular meetings"), "life:compliance", "life.view_meeting"),
            MenuItem(_("Meeting records"), "life:meeting_list", "life.view_meeting"),
            MenuItem(_("Training"), "life:course_list", "life.view_course"),
            MenuItem(_("Secretary's handbook"), "life:handbook", "life.view_course"),
            MenuItem(_("Mentors"), "life:mentorship_list", "life.view_mentorship"),
        ),
    ),
    MenuSection(
        _("Coverage"),
        (
            MenuItem(_("Coverage"), "coverage:overview", "party.view_coveragelink"),
            MenuItem(_("Blind spots"), "coverage:blindspot_list", "party.view_coveragelink"),
            MenuItem(_("Coverage map"), "coverage:map", "party.view_coveragelink"),
            MenuItem(_("Instructors"), "coverage:instructor_list", "coverage.view_instructorpost"),
            MenuItem(_("Planner"), "coverage:plan_list", "coverage.view_plan"),
            MenuItem(_("Responsibility zones"), "coverage:zone_index", "coverage.view_zone"),
            MenuItem(_("Street chiefs"), "coverage:chief_index", "coverage.view_streetchief"),
        ),
    ),
    MenuSection(
        _("Demands"),
        (
            MenuItem(_("Cases"), "cases:case_list", "cases.view_case"),
            MenuItem(_("Overdue cases"), "cases:overdue", "cases.view_case"),
            MenuItem(_("Case figures"), "cases:figures", "cases.view_case"),
            MenuItem(_("Demand codes"), "cases:code_list", "cases.view_demandcode"),
            MenuItem(_("Road surveys"), "surveys:survey_list", "surveys.view_survey"),
            MenuItem(_("My survey visits"), "surveys:my_visits", "surveys.change_surveyvisit"),
            MenuItem(_("Case categories"), "cases:category_list", "cases.change_casecategory"),
            MenuItem(_("Outbox"), "outbox:message_list", "outbox.view_outboxmessage"),
        ),
    ),
    MenuSection(
        _("Councils"),
        (
            MenuItem(_("Councils"), "councils:council_list", "councils.view_council"),
            MenuItem(
                _("Grid consultations"), "councils:grid_overview", "councils.view_councilmeeting"
            ),
            MenuItem(
                _("Council meetings"), "councils:meeting_list", "councils.view_councilmeeting"
            ),
            MenuItem(_("Council tasks"), "councils:task_list", "councils.view_task"),
            MenuItem(_("Street pulse"), "councils:topic_list", "councils.view_pulsetopic"),
        ),
    ),
    MenuSection(
        _("Services"),
        (
            MenuItem(_("Supply coverage"), "services:coverage", "services.view_coverage"),
            MenuItem(_("Needs"), "services:need_list", "services.view_need"),
            MenuItem(_("Resources"), "services:resource_list", "services.view_resource"),
            MenuItem(_("Projects"), "services:project_list", "services.view_project"),
            MenuItem(_("Deliveries"), "services:delivery_list", "services.view_delivery"),
            MenuItem(_("Community talents"), "services:talent_list", "services.view_talent"),
            MenuItem(_("Merchant offers"), "offers:shop_list", "offers.view_matrixshop"),
            MenuItem(_("Coupon campaigns"), "offers:campaign_list", "offers.view_couponcampaign"),
        ),
    ),
    MenuSection(
        _("Positions"),
        (
            MenuItem(_("Service positions"), "positions:position_list", "positions.view_position"),
            MenuItem(_("Bookings"), "positions:booking_list", "positions.view_booking"),
            MenuItem(_("Duty rota"), "positions:duty_list", "positions.view_duty"),
            MenuItem(_("Duty gaps"), "positions:gap_list", "positions.view_duty"),
            MenuItem(_("Weekly menu"), "positions:menu", "positions.view_activity"),
        ),
    ),
    MenuSection(
        _("Volunteers"),
        (
            MenuItem(_("Service points"), "volunteers:point_list", "volunteers.view_servicepoint"),
            MenuItem(
                _("Service points map"), "volunteers:point_map", "volunteers.view_servicepoint"
            ),
            MenuItem(_("Volunteers"), "volunteers:volunteer_list", "volunteers.view_volunteer"),
            MenuItem(_("Volunteer tasks"), "volunteers:task_list", "volunteers.view_volunteertask"),
            MenuItem(_("Volunteer pool"), "volunteers:pool", "volunteers.view_volunteer"),
        ),
    ),
    MenuItem(_("Users"), "accounts:user_list", "accounts.view_user"),
]


def menu_for(user) -> list[MenuItem | MenuSection]:
    """The entries `user` may open; a section with one entry shows as that entry."""
    if not user.is_authenticated:
        return []
    entries: list[MenuItem | MenuSection] = []
    for entry in MENU:
        if isinstance(entry, MenuItem):
            if entry.shows_to(user):
                entries.append(entry)
            continue
        items = tuple(item for item in entry.items if item.shows_to(user))
        if len(items) == 1:
            entries.append(items[0])
        elif items:
            entries.append(MenuSection(entry.label, items))
    return entries


# Each app's figures for the home page: functions of the user returning (label, number, url).
HOME_FIGURES = [
    "jiequ.areas.figures.home_figures",
    "jiequ.ledger.figures.home_figures",
    "jiequ.party.figures.home_figures",
    "jiequ.members.figures.home_figures",
    "jiequ.development.figures.home_figures",
    "jiequ.life.figures.home_figures",
    "jiequ.coverage.figures.home_figures",
    "jiequ.cases.figures.home_figures",
    "jiequ.councils.figures.home_figures",
    "jiequ.services.figures.home_figures",
    "jiequ.positions.figures.home_figures",
    "jiequ.offers.figures.home_figures",
    "jiequ.volunteers.figures.home_figures",
]


def home_figures_for(user) -> list[tuple[str, int, str]]:
    from django.utils.module_loading import import_string

    return [figure for path in HOME_FIGURES for figure in import_string(path)(user)]
