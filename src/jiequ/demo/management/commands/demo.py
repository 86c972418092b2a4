from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jiequ.demo.builder import DEMO_PASSWORD, DEMO_USERNAMES, build_demo, is_empty


class Command(BaseCommand):
    help = "Fill an empty database with the demo subdistrict (静安区 石门二路街道)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, seed: int, **options):
        if not is_empty():
            self.stdout.write(_("The database already holds data; the demo was not loaded."))
            self._print_logins()
            return
        summary = build_demo(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {summary.regions} regions, {summary.roads} roads, "
                f"{summary.buildings} buildings, {summary.entities} market entities."
            )
        )
        self.stdout.write(
            _(
                "%(organisations)d emerging-sector Party organisations, %(members)d Party "
                "members; the street shops divided into %(street_blocks)d street-block branches, "
                "%(zones)d members' responsibility zones, street chiefs on %(chiefs)d roads."
            )
            % {
                "organisations": summary.organisations,
                "members": summary.members,
                "street_blocks": summary.street_blocks,
                "zones": summary.zones,
                "chiefs": summary.street_chiefs,
            }
        )
        self.stdout.write(
            _(
                "%(cases)d demands over a year, %(street)d street councils and %(building)d "
                "building councils; %(positions)d service positions, %(volunteers)d volunteers."
            )
            % {
                "cases": summary.cases,
                "street": summary.street_councils,
                "building": summary.building_councils,
                "positions": summary.positions,
                "volunteers": summary.volunteers,
            }
        )
        self._print_logins()

    def _print_logins(self):
        from jiequ.accounts.models import User

        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        users = User.objects.filter(username__in=DEMO_USERNAMES).select_related("scope_region")
        for user in sorted(users, key=lambda u: DEMO_USERNAMES.index(u.username)):
            scope = user.scope_region.name if user.scope_region else "—"
            role = "superuser" if user.is_superuser else user.get_role_display()
            self.stdout.write(f"  {user.username:<10} {role:<12} {scope:<8} {user.display_name}")
        team = User.objects.filter(username__startswith="grid0").order_by("username")
        if team:
            self.stdout.write(
                f"  visit team (grid workers, same password): {', '.join(u.username for u in team)}"
            )
