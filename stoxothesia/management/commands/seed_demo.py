"""Load the realistic demo data of the Municipality of Heraklion.

Exists so that a newcomer, a trainer or a tester gets a working municipality with one command.
Idempotent: it only creates what is missing, so a second run changes nothing. It refuses to run
when DEBUG is off (a production database) unless given --force.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directorates.demo import seed_organisation
from goals.demo.acting import seed_acting_heads
from goals.demo.consultation import seed_goals
from goals.demo.past_years import seed_decisions
from meetings.demo import seed_meetings
from stoxothesia.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the Heraklion demo organisation, accounts and data (only what is missing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a real municipality's database).",
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production database. "
                "Use --force to load demo data anyway."
            )
        with transaction.atomic():
            created = seed_organisation(password=DEMO_PASSWORD)
            created |= seed_goals()
            created |= seed_decisions()
            created |= seed_meetings()
            for what, count in seed_acting_heads(password=DEMO_PASSWORD).items():
                created[what] = created.get(what, 0) + count
        if verbosity:
            summary = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data ready (created: {summary})."))
