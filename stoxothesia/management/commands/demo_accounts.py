"""Print the demo accounts as the demo database has them: one line each, by role, with the unit.

`scripts/start` prints this after loading the demo data, so the list always names accounts that
exist (heads of department included). Only for demo data: it refuses when DEBUG is off.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch
from django.utils import translation

from directorates.demo import DEMO_TWO_FACTOR_USERNAMES
from directorates.models import User
from directorates.roles import Role

# The order in which the roles are listed, the people who run the cycle first.
ROLE_ORDER = [
    Role.ADMINISTRATOR,
    Role.GENERAL_SECRETARY,
    Role.MAYOR,
    Role.DEPUTY_MAYOR,
    Role.HEAD_OF_DIRECTORATE,
    Role.HEAD_OF_DEPARTMENT,
    Role.STAFF,
]


class Command(BaseCommand):
    help = "List the demo accounts that exist, by role, with their directorate or department."

    def add_arguments(self, parser):
        parser.add_argument(
            "--heads",
            type=int,
            default=4,
            help="How many heads of directorate to name (the rest are counted); 0 for all.",
        )

    def handle(self, *args, heads=4, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: demo accounts exist only on demo databases.")
        with translation.override("en"):  # as the rest of scripts/start's messages
            self._list(heads)

    def _list(self, heads: int) -> None:
        people = (
            User.objects.filter(is_active=True)
            .select_related("directorate", "department")
            .prefetch_related(Prefetch("groups", queryset=Group.objects.only("name")))
            .order_by("directorate__order", "department__order", "username")
        )
        by_role: dict[str, list[User]] = {role: [] for role in ROLE_ORDER}
        for person in people:
            names = {group.name for group in person.groups.all()}
            role = next((r for r in ROLE_ORDER if r in names), None)
            if person.is_superuser and role is None:
                role = Role.ADMINISTRATOR
            if role:
                by_role[role].append(person)
        width = max((len(p.username) for group in by_role.values() for p in group), default=8)
        for role in ROLE_ORDER:
            listed = by_role[role]
            if role == Role.HEAD_OF_DIRECTORATE and heads:
                listed, rest = listed[:heads], len(listed) - heads
            else:
                rest = 0
            for person in listed:
                unit = person.department or person.directorate or ""
                code = " (+ code)" if person.username in DEMO_TWO_FACTOR_USERNAMES else ""
                self.stdout.write(
                    f"    {person.username:<{width}}  {Role(role).label}{code}"
                    + (f": {unit}" if unit else "")
                )
            if rest > 0:
                self.stdout.write(
                    f"    {'':<{width}}  … and {rest} more heads of directorate (head-<code>)"
                )
