"""Remind the heads of goals left without a progress update, and tell the General Secretary.

Exists because a goal nobody measures for a month is a goal nobody watches. Run it once a week
from the scheduler (see README, "Scheduled jobs"), e.g. cron:
`0 8 * * 1 cd /srv/stoxothesia && .venv/bin/python manage.py send_progress_reminders`.
Each head of directorate with goals over 30 days without an update gets one e-mail listing them;
the General Secretary gets the weekly summary of all of them. The e-mails are queued as
background tasks, sent by `manage.py db_worker`.
"""

from django.core.management.base import BaseCommand

from goals.services.monitoring import send_overdue_summary, send_progress_reminders


class Command(BaseCommand):
    help = "Queue reminders to heads of goals without an update for 30 days, and the GS summary."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many heads and goals the e-mails would cover.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        heads = send_progress_reminders(dry_run=dry_run)
        goals = send_overdue_summary(dry_run=dry_run)
        if verbosity:
            verb = "would remind" if dry_run else "reminds"
            self.stdout.write(
                f"{goals} goal(s) without an update for 30 days; {verb} {heads} head(s)."
            )
