"""The demo subdistrict's Party organisations, members and their records.

The demo is built once for the module (inside a transaction rolled back at the end); each test
reads it. The seed's figures: 87 emerging-sector organisations, among them 3 street-block
branches, 1 building branch and 3 non-public enterprise branches.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from jiequ.accounts.models import User
from jiequ.areas.models import Building, Region, RegionLevel
from jiequ.core import crypto
from jiequ.core.scoping import restrict
from jiequ.core.validators import mask_phone, normalise_phone
from jiequ.coverage.models import InstructorPost, Plan, PlanShop, StreetChief, Zone
from jiequ.demo import geography
from jiequ.demo.builder import DEFAULT_SEED, build_demo, party_rng
from jiequ.demo.party import build_party, clear_party, emerging_sector_organisations
from jiequ.development import procedure
from jiequ.development.models import Application, ApplicationStep, Stage
from jiequ.ledger.models import (
    Entity,
    EntityState,
    MemberRegistration,
    RegistrationState,
    SignupCode,
)
from jiequ.life.compliance import compliance, last_months
from jiequ.life.models import Course, CourseKind, Meeting, MeetingKind, Mentorship
from jiequ.life.training import current_secretary_posts
from jiequ.members import liaison, transfers
from jiequ.members.models import (
    ConsentSource,
    DuesPayment,
    LiaisonReport,
    Member,
    RecordLocation,
    Transfer,
    TransferDirection,
    TransferState,
)
from jiequ.party import rules
from jiequ.party.checks import annotate_facts, check_many
from jiequ.party.models import (
    INSIDE_ORIGINS,
    Cadre,
    Category,
    CoverageKind,
    CoverageLink,
    Level,
    Officer,
    OfficerRole,
    Organisation,
)

# Every test reads the database (and pytest-django runs database tests together).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def sub(demo, db):
    return Region.objects.get(code="310106011")


@pytest.fixture
def ours(sub):
    return emerging_sector_organisations(sub)


def _subtree(org):
    return Organisation.objects.filter(pk__in=org.subtree_ids())


def test_the_seed_figures_87_organisations_with_the_pilots_new_branches(demo, sub, ours):
    assert demo.organisations == 87
    assert ours.count() == 87
    assert not ours.filter(level=Level.GROUP).exists()
    committee = Organisation.objects.get(region=sub, level=Level.COMMITTEE, parent=None)
    assert committee.category == Category.EMERGING_AREA
    assert set(ours.values_list("pk", flat=True)) < set(committee.subtree_ids())
    # Party groups exist under branches but are not counted as organisations.
    assert Organisation.objects.filter(level=Level.GROUP, parent__in=ours).count() >= 10

    street = ours.filter(category=Category.STREET_BLOCK, level=Level.BRANCH)
    assert street.count() == 3
    areas = sub.descendants().filter(level=RegionLevel.AREA)
    assert set(street.values_list("region", flat=True)) == set(areas.values_list("pk", flat=True))
    assert ours.filter(category=Category.BUILDING, level=Level.BRANCH).count() == 1
    non_public = ours.filter(category=Category.NON_PUBLIC, level=Level.BRANCH)
    assert non_public.count() == 3
    # The non-public enterprise branches are the own organisations of the largest enterprises.
    own = CoverageLink.objects.filter(organisation__in=non_public, kind=CoverageKind.OWN)
    assert own.count() == 3
    assert all(link.entity.member_count >= 3 for link in own)
    largest = Entity.objects.filter(region__path__startswith=sub.path, is_street_shop=False)
    threshold = sorted(largest.values_list("member_count", flat=True), reverse=True)[20]
    assert all(link.entity.member_count > threshold for link in own)
    assert ours.filter(level=Level.GENERAL_BRANCH, children__level=Level.BRANCH).exists()
    assert ours.filter(category=Category.MOBILE_MEMBER).exists()
    assert ours.filter(category=Category.SOCIAL_ORGANISATION).count() >= 2


def test_street_block_branches_cover_the_street_shops_planned_into_them(sub, ours):
    # The planner divided the subdistrict's operating street shops among them (the plan and
    # its balance: tests/test_demo_coverage.py); each is named after, and lies in, an area
    # holding a good share of its shops (one area per branch).
    street = ours.filter(category=Category.STREET_BLOCK)
    covered = set()
    for branch in street:
        links = CoverageLink.objects.filter(organisation=branch)
        assert links.count() > 100
        assert set(links.values_list("kind", flat=True)) == {CoverageKind.AREA}
        assert not links.exclude(entity__is_street_shop=True).exists()
        assert not links.exclude(entity__state=EntityState.OPERATING).exists()
        areas = Counter(
            path.split("/")[3] for path in links.values_list("entity__region__path", flat=True)
        )
        assert areas[branch.region.code] >= links.count() / 3
        assert branch.name == branch.region.name.removesuffix("片区") + "街区党支部"
        shops = set(links.values_list("entity", flat=True))
        assert not shops & covered  # no shop in two branches
        covered |= shops
    operating = Entity.objects.filter(
        region__path__startswith=sub.path, is_street_shop=True, state=EntityState.OPERATING
    )
    assert covered == set(operating.values_list("pk", flat=True))
    building = ours.get(category=Category.BUILDING)
    kinds = Counter(building.coverage_links.values_list("kind", flat=True))
    assert kinds[CoverageKind.OWN] == 1 and kinds[CoverageKind.ATTACHED] > 10
    buildings = set(building.coverage_links.values_list("entity__building", flat=True))
    assert len(buildings) == 1


def test_every_joint_branch_covers_two_to_five_units(ours):
    maximum = rules.value("joint_branch_max_units")
    joint = ours.filter(level=Level.JOINT_BRANCH).annotate(units=Count("coverage_links"))
    assert joint.count() >= 10
    for branch in joint:
        assert 2 <= branch.units <= maximum, branch
        assert set(branch.coverage_links.values_list("kind", flat=True)) == {CoverageKind.JOINT}
    assert {b.units for b in joint} >= {2, 5}


def test_gaps_are_left_for_the_blind_spot_lists(sub, ours):
    entities = Entity.objects.filter(region__path__startswith=sub.path)
    without_own = entities.filter(member_count__gte=3).exclude(
        coverage_links__kind=CoverageKind.OWN
    )
    assert without_own.count() >= 20
    assert without_own.exclude(coverage_links__isnull=False).exists()  # no organisation at all
    building_branch = ours.get(category=Category.BUILDING)
    covered = set(building_branch.coverage_links.values_list("entity__building", flat=True))
    busy = Building.objects.annotate(n=Count("entities")).filter(n__gte=30).exclude(pk__in=covered)
    assert busy.count() >= 10


def test_members_work_where_their_organisation_covers_and_have_unique_phones(sub, ours):
    members = Member.objects.filter(organisation__in=ours)
    assert 500 <= members.count() <= 1000
    for member in members.filter(workplace__isnull=False).select_related("organisation"):
        assert CoverageLink.objects.filter(
            organisation=member.organisation, entity=member.workplace_id
        ).exists(), member
    hashes = list(Member.objects.values_list("phone_hash", flat=True))
    assert len(hashes) == len(set(hashes)) and all(hashes)
    sample = Member.objects.order_by("pk")[:50]
    for member in sample:
        phone = crypto.decrypt(member.phone_encrypted)
        assert normalise_phone(phone) == phone and phone.startswith("+86")
        assert crypto.lookup_hash(phone) == member.phone_hash
        assert member.phone_masked == mask_phone(phone) and "****" in member.phone_masked
    assert not Member.objects.filter(consent_at__isnull=True).exists()
    assert set(Member.objects.values_list("consent_source", flat=True)) == set(ConsentSource)
    # Every member's dues can be worked out.
    assert not Member.objects.filter(
        ~Q(dues_category="flat"), dues_base__isnull=True, left_on__isnull=True
    ).exists()


def test_mobile_members_from_jiangsu_anhui_and_elsewhere_with_liaison(sub, ours):
    members = Member.objects.filter(organisation__in=ours)
    mobile = members.filter(record_location=RecordLocation.ELSEWHERE)
    assert 0.1 <= mobile.count() / members.count() <= 0.2
    provinces = Counter(mobile.values_list("record_province", flat=True))
    assert provinces["江苏省"] >= 5 and provinces["安徽省"] >= 5 and len(provinces) >= 4
    assert not mobile.filter(Q(record_elsewhere_name="") | Q(record_city="")).exists()
    assert mobile.exclude(mobile_certificate_number="").count() >= 10
    # The seed's pet-shop worker from Anhui and restaurant owner from Yancheng.
    secretary_branch = User.objects.get(username="secretary").scope_organisation
    theirs = mobile.filter(organisation=secretary_branch)
    assert theirs.filter(record_province="安徽省", workplace__sign_name__endswith="宠物店").exists()
    assert theirs.filter(
        record_city="盐城市", workplace__sign_name__regex=r"(餐厅|面馆|小吃)$"
    ).exists()
    # Reports to the home organisations over two years; some are overdue.
    today = timezone.localdate()
    reports = LiaisonReport.objects.filter(member__in=mobile)
    assert reports.count() > mobile.count()
    assert not reports.filter(reported_on__gt=today).exists()
    assert reports.filter(reported_on__lt=today - timedelta(days=365)).exists()
    due = liaison.due_list(Member.objects.all(), today=today)
    overdue = [d for d in due if d.overdue]
    assert 3 <= len(overdue) <= 0.3 * mobile.count()
    assert mobile.filter(checked_in_area__isnull=False).count() > mobile.count() / 2


def test_some_members_came_from_confirmed_sign_up_registrations(demo):
    registered = Member.objects.filter(registration__isnull=False)
    assert registered.count() >= 5
    for member in registered.select_related("registration"):
        assert member.consent_source == ConsentSource.REGISTRATION
        assert member.registration.state == RegistrationState.CONFIRMED
        assert member.registration.phone_hash == member.phone_hash
    assert MemberRegistration.objects.filter(state=RegistrationState.PENDING).exists()


def test_committees_mix_inside_and_outside_with_cross_postings(ours):
    today = timezone.localdate()
    current = Officer.objects.filter(organisation__in=ours).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    for branch in ours.filter(category=Category.STREET_BLOCK):
        posts = current.filter(organisation=branch)
        inside = [p for p in posts if p.origin in INSIDE_ORIGINS]
        outside = [p for p in posts if p.cadre_id]
        assert inside and outside, branch
        secretary = posts.get(role=OfficerRole.SECRETARY)
        assert secretary.member and secretary.origin in INSIDE_ORIGINS
        assert secretary.entity == secretary.member.workplace
    kinds = set(current.filter(cadre__isnull=False).values_list("origin", flat=True))
    assert {"market_supervision", "city_management", "party_mass", "police"} <= kinds
    postings = Counter(current.filter(cadre__isnull=False).values_list("cadre", flat=True))
    assert any(n >= 2 for n in postings.values())
    assert max(postings.values()) <= 3
    # Inside officers belong to the organisation or to one under it.
    for post in current.filter(member__isnull=False).select_related("member", "organisation"):
        assert post.member.organisation_id in post.organisation.subtree_ids()
    assert Officer.objects.filter(organisation__in=ours, ended_on__lt=today).exists()
    assert Cadre.objects.count() >= 10


def test_the_demo_secretary_keeps_their_street_block_branch(sub):
    secretary = User.objects.get(username="secretary")
    branch = secretary.scope_organisation
    assert branch.category == Category.STREET_BLOCK and branch.level == Level.BRANCH
    assert branch.region == secretary.scope_region and branch.region.code == "02"
    post = branch.officers.get(role=OfficerRole.SECRETARY, ended_on__isnull=True)
    assert post.member.name == secretary.display_name == "张建国"
    assert post.member.user == secretary
    seen = restrict(Member.objects.all(), secretary)
    theirs = Member.objects.filter(organisation__in=branch.subtree_ids())
    assert seen.count() == theirs.count() > 20
    assert set(seen) == set(theirs)
    assert Member.objects.exclude(organisation__in=branch.subtree_ids()).count() > 500
    orgs = restrict(Organisation.objects.all(), secretary)
    assert set(orgs) == set(_subtree(branch)) and orgs.filter(level=Level.GROUP).exists()
    # Their branch has something in every list they see.
    assert restrict(Application.objects.all(), secretary).count() >= 5
    assert restrict(Transfer.objects.all(), secretary).exists()
    assert restrict(LiaisonReport.objects.all(), secretary).exists()
    assert restrict(Meeting.objects.all(), secretary).count() > 20
    # The demo member's account is a member's record too.
    account = User.objects.get(username="member")
    assert account.member.name == account.display_name


def test_most_organisations_follow_the_rules_with_a_few_deliberate_findings(ours):
    organisations = annotate_facts(
        Organisation.objects.filter(pk__in=ours.values("pk")).select_related("region")
    )
    findings = check_many(organisations)
    rules_found = Counter(f.rule for found in findings.values() for f in found)
    assert rules_found["branch_min_full_members"] == 1
    assert rules_found["branch_usual_max_members"] == 1
    assert rules_found["term_warning_days"] == 1
    overdue = [
        f
        for found in findings.values()
        for f in found
        if f.rule == "branch_term_years" and f.is_error
    ]
    assert len(overdue) == 1
    assert sum(1 for found in findings.values() if found) == 4
    # Committees where there are 7 or more full members, of 3 to 5.
    for org in organisations.filter(level=Level.BRANCH, full_member_count__gte=7):
        assert 3 <= org.officer_count <= 5, org


def test_application_steps_respect_the_rules(demo):
    today = timezone.localdate()
    stages = Counter(Application.objects.values_list("stage", flat=True))
    assert set(stages) == set(Stage) and all(n >= 3 for n in stages.values())
    for app in Application.objects.select_related("organisation__region", "member"):
        steps = list(app.steps.order_by("number"))
        assert [s.number for s in steps] == list(range(1, len(steps) + 1)), app
        assert procedure.age_on(app.birth_date, steps[0].done_on) >= rules.value(
            "min_applicant_age"
        )
        assert not procedure.late_flags(app), app
        if app.stage != Stage.STOPPED:
            assert procedure.stage_of(app) == app.stage, app
        else:
            assert app.stopped_on and app.stopped_reason and app.stopped_stage
            app.stage = app.stopped_stage  # replayed as it was before it stopped
        # Record the steps again, one by one, as the procedure checks them.
        app.steps.all().delete()
        for step in steps:
            refusals = procedure.check_step(app, step.number, step.done_on, today, step.people)
            refusals = [r for r in refusals if r.rule.key != "one_member_record"]
            assert not refusals, (app, step.number, [str(r) for r in refusals])
            ApplicationStep.objects.create(
                application=app, number=step.number, done_on=step.done_on, people=step.people
            )
        if app.stage in (Stage.PROBATIONARY, Stage.FULL):
            member = app.member
            assert member.membership == ("full" if app.stage == Stage.FULL else "probationary")
            assert member.joined_on == app.steps.get(number=15).done_on
            assert member.consent_source == ConsentSource.APPLICATION
        else:
            assert app.member is None
    # One applicant still waits for the talk the rules want within a month.
    applicants = Application.objects.filter(stage=Stage.APPLICANT)
    assert sum(1 for a in applicants if procedure.is_overdue(a, today)) == 1


def test_transfers_in_and_out_in_every_state(demo):
    today = timezone.localdate()
    by = Counter(Transfer.objects.values_list("direction", "state"))
    assert by[(TransferDirection.IN, TransferState.COMPLETED)] >= 5
    assert by[(TransferDirection.OUT, TransferState.COMPLETED)] >= 3
    completed = Transfer.objects.filter(state=TransferState.COMPLETED)
    assert not completed.filter(returned_on__isnull=True).exists()
    assert not completed.filter(returned_on__lt=F("issued_on")).exists()
    for transfer in Transfer.objects.filter(
        direction=TransferDirection.OUT, state=TransferState.COMPLETED
    ):
        assert transfer.member.left_on and transfer.member.left_reason
    still_valid = [
        t for t in Transfer.objects.filter(state=TransferState.ISSUED) if t.valid_until >= today
    ]
    assert len(still_valid) >= 2
    assert transfers.overdue(Transfer.objects.all(), today).count() >= 2
    assert Transfer.objects.filter(state=TransferState.EXPIRED).exists()
    moved_in = Member.objects.filter(consent_source=ConsentSource.TRANSFER)
    assert moved_in.count() >= 5
    assert not moved_in.exclude(record_location=RecordLocation.HERE).exists()


def test_a_year_of_meetings_with_some_gaps(ours):
    table = compliance(ours, last_months(12))
    missing = [row for row in table.rows if row.missing]
    assert 0.05 * 87 <= len(missing) <= 0.15 * 87
    assert sum(table.month_inquorate) == 1
    meetings = Meeting.objects.filter(
        Q(organisation__in=ours) | Q(organisation__parent__in=ours, organisation__level=Level.GROUP)
    )
    kinds = Counter(meetings.values_list("kind", flat=True))
    assert set(kinds) == set(MeetingKind) and kinds[MeetingKind.THEMED_DAY] > 800
    groups = Meeting.objects.filter(kind=MeetingKind.GROUP)
    assert groups.count() >= 100
    assert not groups.exclude(organisation__level=Level.GROUP).exists()
    # Attendees are members of the organisation (or of its branch, for a group meeting).
    through = Meeting.attendees.through
    for meeting in meetings.order_by("?")[:80]:
        branch = meeting.organisation
        if branch.level == Level.GROUP:
            branch = branch.parent
        present = set(meeting.attendees.values_list("organisation", flat=True))
        assert present <= set(branch.subtree_ids()), meeting
        assert meeting.attendees.count() <= meeting.expected
    assert through.objects.count() > 10000


def test_training_mentors_and_dues(sub, ours):
    today = timezone.localdate()
    assert set(Course.objects.values_list("kind", flat=True)) == set(CourseKind)
    assert Course.objects.filter(kind=CourseKind.HANDBOOK, starts_on__year=today.year).exists()
    mentorships = Mentorship.objects.all()
    assert mentorships.count() >= 3
    secretaries = set(current_secretary_posts().values_list("member", flat=True))
    for mentorship in mentorships:
        assert mentorship.mentor_id in secretaries and mentorship.mentee_id in secretaries
    active = Member.objects.filter(organisation__in=ours, left_on__isnull=True)
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    paid = DuesPayment.objects.filter(member__in=active, month=last_month)
    assert 0.8 * active.count() <= paid.count() < active.count()  # a few in arrears
    assert not DuesPayment.objects.filter(paid_on__gt=today).exists()
    assert DuesPayment.objects.aggregate(total=Sum("amount"))["total"] > 0


def test_building_the_party_data_again_gives_the_same_data(sub):
    def snapshot():
        return (
            list(
                Organisation.objects.order_by("name", "level").values_list(
                    "name", "level", "category", "region__code", "founded_on", "term_ends_on"
                )
            ),
            list(
                Member.objects.order_by("phone_hash").values_list(
                    "name",
                    "organisation__name",
                    "membership",
                    "record_elsewhere_name",
                    "workplace__credit_code",
                    "joined_on",
                    "left_on",
                )
            ),  # fmt: skip
            sorted(
                Officer.objects.values_list(
                    "organisation__name", "role", "member__name", "cadre__name", "started_on"
                ),
                key=str,
            ),
            list(
                ApplicationStep.objects.order_by("application__name", "number").values_list(
                    "application__name", "number", "done_on"
                )
            ),
            Meeting.objects.count(),
            Meeting.attendees.through.objects.count(),
            DuesPayment.objects.aggregate(total=Sum("amount"))["total"],
            # The coverage work: plans, zones, street chiefs, instructors.
            sorted(
                PlanShop.objects.values_list("plan__name", "plan__state", "entity", "group"),
                key=str,
            ),
            sorted(
                (
                    z.organisation.name,
                    z.member.name,
                    sorted(z.entities.values_list("pk", flat=True)),
                )
                for z in Zone.objects.select_related("organisation", "member")
            ),
            sorted(
                StreetChief.objects.values_list(
                    "road__name", "member__name", "cadre__name", "started_on", "ended_on"
                ),
                key=str,
            ),
            sorted(
                InstructorPost.objects.values_list("entity", "cadre__name", "started_on"), key=str
            ),
        )

    first = snapshot()
    clear_party()
    assert not Member.objects.exists() and not Organisation.objects.exists()
    assert not Plan.objects.exists() and not StreetChief.objects.exists()
    # The sign-up registrations the Party data brought are the ledger's: clear() removes them.
    MemberRegistration.objects.all().delete()
    SignupCode.objects.all().delete()
    other = Region.objects.get(code=geography.OTHER_SUBDISTRICT["code"])
    build_party(sub, other, party_rng(DEFAULT_SEED))
    assert snapshot() == first
