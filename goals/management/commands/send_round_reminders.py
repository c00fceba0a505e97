"""Remind the units whose figures an open monthly reporting round still waits for.

Run it once a day from the scheduler (see README, "Scheduled jobs"), e.g. cron:
`30 7 * * 1-5 cd /srv/stoxothesia && .venv/bin/python manage.py send_round_reminders`.
Before and on a unit's due date, whoever answers for it is reminded; once the departments' due
date has passed, the head of their directorate is told; once the directorates' due date has
passed, the General Secretary. Each reminder goes once (recorded in `RoundReminder`), so
running the command again the same day sends nothing new. The e-mails are queued as
background tasks, sent by `manage.py db_worker`.
"""

from django.core.management.base import BaseCommand

from goals.services.rounds import send_round_reminders


class Command(BaseCommand):
    help = "Queue the reminders and escalations of the open monthly reporting rounds."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many reminders would be sent.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        count = send_round_reminders(dry_run=dry_run)
        if verbosity:
            verb = "would send" if dry_run else "sends"
            self.stdout.write(f"The open reporting rounds {verb} {count} new reminder(s).")
