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
    # ---- councils (meetings, agenda, decisions, tasks, street pulse) ----
    "councils.council": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    # Seats name people (by name, no phones): the district reads councils, not who sits.
    "councils.councilmember": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Secretaries convene street councils, grid workers run the grid consultation: both record
    # meetings of the councils in their scope. Agenda items and decisions go with the meeting.
    "councils.councilmeeting": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE}),
        _R.GRID_WORKER: frozenset({VIEW, ADD, CHANGE}),
    },
    "councils.agendaitem": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.GRID_WORKER: frozenset({VIEW, ADD, CHANGE, DELETE}),
    },
    "councils.decision": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, DELETE}),
        _R.GRID_WORKER: frozenset({VIEW, ADD, CHANGE, DELETE}),
    },
    "councils.task": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, CHANGE}),
        _R.GRID_WORKER: frozenset({VIEW, CHANGE}),
    },
    "councils.pulseboard": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Moderation (hide with a reason, put on an agenda) is a change of the topic.
    "councils.pulsetopic": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, CHANGE}),
        _R.GRID_WORKER: frozenset({VIEW, CHANGE}),
    },
    # ---- outbox ----
    # Outgoing messages (hand-offs to the district platform, notices): the subdistrict's office
    # watches them; "change" is "retry now". Nobody deletes one.
    "outbox.outboxmessage": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, CHANGE}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, CHANGE}),
    },
    # ---- surveys ----
    # Road surveys: staff plan them; secretaries and grid workers visit the shops of their
    # area; the district reads the reports (figures about shops, no people).
    "surveys.survey": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    "surveys.surveyvisit": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, CHANGE}),
        _R.GRID_WORKER: frozenset({VIEW, CHANGE}),
    },
    "surveys.surveydemand": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
        _R.GRID_WORKER: frozenset({VIEW, ADD}),
    },
    # ---- services (needs, resources, projects, talents) ----
    # Needs: a secretary keeps their own branch's (the model's organisation scope); the district
    # reads the supply figures (services.coverage), not the lists.
    "services.need": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    # Resources: a secretary and a grid worker read those of their region and the ones offered
    # to the whole subdistrict.
    "services.resource": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Projects: a secretary reads those delivered to their branch or meeting its needs.
    "services.project": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    # Deliveries: a secretary reads their branch's and gives its feedback (rating, comments).
    "services.delivery": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, CHANGE, EXPORT}),
    },
    # The "兜网式" supply page (not a model): the district sees counts per subdistrict.
    "services.coverage": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    # Community talents are named people: listed to subdistrict staff only.
    "services.talent": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    # ---- positions (positions, rooms, bookings, rota, weekly menu) ----
    # Positions and rooms are shared context of the whole subdistrict (every user of it reads
    # them); the staff keep them and decide bookings of rooms that need approval.
    "positions.position": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    "positions.room": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    # Bookings are seen by the booker's side: a secretary books and cancels for their branch,
    # a grid worker for the councils of their grid; staff for anyone of the subdistrict.
    "positions.booking": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW, ADD, CHANGE}),
    },
    "positions.rotamember": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
    },
    # The rota is posted at the positions: who is on duty is no secret in the subdistrict.
    "positions.duty": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    # A duty master proposes and answers their own swaps (jiequ.positions.rota checks who).
    "positions.dutyswap": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD}),
        _R.GRID_WORKER: frozenset({VIEW, ADD}),
        _R.MEMBER: frozenset({VIEW, ADD}),
    },
    "positions.activity": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
        _R.MEMBER: frozenset({VIEW}),
    },
    # Sign-ups name members: staff and a branch's secretary (their members) keep them; a member
    # signs up and cancels for themselves through the menu (jiequ.positions.menu).
    "positions.signup": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    "positions.menufeed": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, ADD, CHANGE}),
    },
    # ---- offers (merchant offers, coupons) ----
    # Shops and their offers are public information; secretaries and grid workers read the
    # ones of their area (and a secretary those their branch covers). The shop's counter page
    # needs no account: it is a secret link (see offers.views_public).
    "offers.matrixshop": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    "offers.offer": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW, EXPORT}),
        _R.GRID_WORKER: frozenset({VIEW}),
    },
    # Campaigns are run by the subdistrict; the district reads their figures.
    "offers.couponcampaign": {
        _R.DISTRICT_VIEWER: frozenset({VIEW}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    # Coupon codes are bearer tokens: only those who issue and print them see the lists
    # (masked), and "add" is issuing codes and printing batches.
    "offers.coupon": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, ADD, EXPORT}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, EXPORT}),
    },
    "offers.redemption": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, EXPORT}),
    },
    # ---- volunteers (service points, volunteers, tasks) ----
    # Service points are public places: everyone with a scope reads them; grid workers keep
    # their grid's points (hours, offers) up to date on their rounds.
    "volunteers.servicepoint": {
        _R.DISTRICT_VIEWER: frozenset({VIEW, EXPORT}),
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        _R.BRANCH_SECRETARY: frozenset({VIEW}),
        _R.GRID_WORKER: frozenset({VIEW, CHANGE}),
    },
    "volunteers.volunteercode": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE}),
    },
    # Volunteers are people who signed up themselves: only the staff who look after them read
    # their records (phones masked); the district reads the pool's figures elsewhere.
    "volunteers.volunteer": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, CHANGE, EXPORT}),
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, CHANGE, EXPORT}),
    },
    "volunteers.volunteertask": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT}),
    },
    "volunteers.tasksignup": {
        _R.SUBDISTRICT_ADMIN: ALL,
        _R.SUBDISTRICT_STAFF: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    },
    "accounts.user": {
        _R.SUBDISTRICT_ADMIN: frozenset({VIEW, ADD, CHANGE}),
    },
}


def allowed_actions(role: str, model_label: str) -> frozenset[str]:
    """The actions `role` may take on records of `model_label` (e.g. "areas.building")."""
    return PERMISSIONS.get(model_label, {}).get(role, frozenset())
