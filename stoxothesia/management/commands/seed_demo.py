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
from goals.demo.allocation_acts import seed_allocation_acts
from goals.demo.consultation import seed_goals
from goals.demo.corrections import seed_correction
from goals.demo.indicators import seed_indicators
from goals.demo.organisation_change import seed_organisation_change
from goals.demo.past_years import seed_decisions
from goals.demo.rounds import seed_rounds
from goals.demo.staff import seed_staff_goals
from meetings.demo import seed_meetings
from stoxothesia.demo import DEMO_PASSWORD

# The demo's steps, in order: each creates only what is missing and returns {what: how many}.
# The years each step works on come from `goals.demo.years` (last year closed, this year
# monitored, next year in consultation, and the story's 2024); a new demo adds its step here.
STEPS = [
    lambda: seed_organisation(password=DEMO_PASSWORD),
    seed_goals,
    seed_decisions,
    seed_indicators,
    seed_correction,
    seed_meetings,
    seed_organisation_change,
    lambda: seed_acting_heads(password=DEMO_PASSWORD),
    seed_allocation_acts,
    lambda: seed_staff_goals(password=DEMO_PASSWORD),
    seed_rounds,
]


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
        created = {}
        with transaction.atomic():
            for step in STEPS:
                for what, count in step().items():
                    created[what] = created.get(what, 0) + count
        if verbosity:
            summary = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data ready (created: {summary})."))
