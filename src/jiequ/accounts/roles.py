"""Roles and what each may do: the permission matrix, kept in one place.

A user has one role and one scope region. The role says which actions on which kinds of record
are allowed at all; the scope (see jiequ.core.scoping) says on which records. Later apps add
their models to PERMISSIONS.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_VIEWER = "district_viewer", _("District viewer")
    SUBDISTRICT_ADMIN = "subdistrict_admin", _("Subdistrict admin")
    SUBDISTRICT_STAFF = "subdistrict_staff", _("Subdistrict staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    GRID_WORKER = "grid_worker", _("Grid worker")
    MEMBER = "member", _("Party member")


VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT = "view", "add", "change", "delete", "import", "export"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT)
ALL = frozenset(ACTIONS)
_R = Role

# model label → role → allowed actions. Anything not listed is refused.
PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    "areas.region": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, CHANGE}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    "areas.road": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    "areas.building": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, IMPORT, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        # Grid workers keep their grid's buildings up to date on foot, but do not add or remove.
        _R.GRID_WORKER: frozenset({VIEW, CHANGE}),
    },
    "ledger.entity": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, IMPORT, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        # Grid workers find new shops and closures on their rounds.
        _R.GRID_WORKER: frozenset({VIEW, ADD, CHANGE}),
    },
    "ledger.surveyround": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, ADD, CHANGE}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Walk lists are read with the round they belong to.
    "ledger.visitassignment": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Visits carry contact people's names: the district reads figures, not visit records.
    "ledger.visit": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, ADD, EXPORT}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
        _R.GRID_WORKER: frozenset({VIEW, ADD}),
    },
    "ledger.signupcode": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, ADD, CHANGE}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
        _R.GRID_WORKER: frozenset({VIEW, ADD}),
    },
    # Registrations hold people's details: only those who review them see them.
    "ledger.memberregistration": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, CHANGE}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    "ledger.registrysource": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, IMPORT}),
    },
    "ledger.registryimport": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
    },
    "ledger.registryrecord": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, CHANGE}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, CHANGE}),
    },
    # Party organisations and their committees. A branch secretary's account is tied to their
    # branch (User.scope_organisation): they see that branch and what is under it.
    "party.organisation": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    "party.coveragelink": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    "party.cadre": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
    },
    "party.officer": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    "party.ruleoverride": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    # Member records name people: the district reads figures, not member lists.
    "members.member": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, IMPORT, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    "members.liaisonreport": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
    },
    "members.transfer": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    "members.duespayment": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, EXPORT}),
    },
    "development.application": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE}),
    },
    "development.applicationstep": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
    },
    "life.meeting": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    "life.course": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    "life.courseattendance": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    "life.mentorship": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    # Coverage: instructors, the planner, responsibility zones and street chiefs.
    # Instructors are named people: the district reads the coverage figures, not the list.
    "coverage.instructorpost": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Branch plans need party.add_organisation too; secretaries plan their branch's zones.
    "coverage.plan": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, DELETE}),
    },
    "coverage.zone": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, DELETE}),
    },
    "coverage.streetchief": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Demands (cases). The district reads them (it receives the ones sent up) but does not
    # handle them; a secretary handles their branch's cases, a grid worker their grid's.
    "cases.case": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW, ADD, CHANGE}),
    },
    "cases.casecategory": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    "cases.deadlinerule": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
    },
    "cases.demandcode": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
        _R.GRID_WORKER: frozenset({VIEW, ADD}),
    },
    "councils.council": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    # ---- councils (meetings, agenda, decisions, tasks, street pulse): entries go here ----
    # ---- outbox: entries go here ----
    # ---- surveys: entries go here ----
    # ---- services (needs, resources, projects, talents): entries go here ----
    # ---- positions (positions, rooms, bookings, rota, weekly menu): entries go here ----
    # ---- offers (merchant offers, coupons): entries go here ----
    # ---- volunteers (service points, volunteers, tasks): entries go here ----
    "accounts.user": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, ADD, CHANGE}),
    },
}


def allowed_actions(role: str, model_label: str) -> frozenset[str]:
    """The actions `role` may take on records of `model_label` (e.g. "areas.building")."""
    return PERMISSIONS.get(model_label, {}).get(role, frozenset())
