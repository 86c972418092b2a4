"""The scoping layer ties a branch secretary's Party records to their own branch."""

from jiequ.core.scoping import organisation_in_scope, restrict
from jiequ.members.models import Member
from jiequ.party.models import Organisation


def test_secretary_sees_own_branch_and_its_groups_only(party, users):
    seen = set(restrict(Organisation.objects.all(), users.secretary))
    assert seen == {party.west, party.group}


def test_secretary_sees_only_own_branch_members(party, users):
    seen = set(restrict(Member.objects.all(), users.secretary))
    assert seen == set(party.west_members)


def test_secretary_without_branch_sees_no_members(party, users):
    users.secretary.scope_organisation = None
    users.secretary.save()
    assert not restrict(Member.objects.all(), users.secretary).exists()


def test_staff_see_every_branch_of_their_subdistrict_not_the_neighbours(party, users):
    seen = set(restrict(Organisation.objects.all(), users.staff))
    assert seen == {party.committee, party.west, party.group, party.east}
    assert not restrict(Member.objects.filter(organisation=party.other), users.staff).exists()


def test_neighbouring_admin_sees_only_their_own(party, users):
    assert set(restrict(Organisation.objects.all(), users.other_admin)) == {party.other}


def test_organisation_in_scope_for_writes(party, users):
    assert organisation_in_scope(users.secretary, party.group)
    assert not organisation_in_scope(users.secretary, party.east)
    assert organisation_in_scope(users.staff, party.east)
    assert not organisation_in_scope(users.staff, party.other)


def test_district_reads_organisations_but_not_member_lists(party, users):
    assert restrict(Organisation.objects.all(), users.district).count() == 5
    assert not restrict(Member.objects.all(), users.district).exists()


def test_secretary_reads_the_entities_their_branch_covers_outside_their_area(world, party, users):
    from jiequ.ledger.models import Entity
    from tests.factories import CoverageLinkFactory, EntityFactory

    # A shop in the east area, planned into the secretary's (west) street-block branch.
    planned = EntityFactory(region=world.grid_e, is_street_shop=True)
    elsewhere = EntityFactory(region=world.grid_e, is_street_shop=True)
    CoverageLinkFactory(organisation=party.west, entity=planned, kind="area")
    seen = set(restrict(Entity.objects.all(), users.secretary))
    assert planned in seen and elsewhere not in seen
    assert planned in set(restrict(Entity.objects.all(), users.secretary, "export"))
    # Reading is all it gives: the shop is not theirs to change.
    assert planned not in set(restrict(Entity.objects.all(), users.secretary, "change"))
    # Staff of the east area see it as before; a secretary without a branch does not.
    users.secretary.scope_organisation = None
    users.secretary.save()
    users.secretary.__dict__.pop("_organisation_scope", None)
    assert planned not in set(restrict(Entity.objects.all(), users.secretary))
