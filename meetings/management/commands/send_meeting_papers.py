"""Make and send the meeting papers that are due today.

Exists because the briefing pack must reach the invitees two working days before each meeting
(weekends and holidays skipped) and the commitments memo those concerned within two working
days after it, whether or not anyone remembers. Run it once a day from the scheduler, e.g.
cron: `30 6 * * * cd /srv/stoxothesia && .venv/bin/python manage.py send_meeting_papers`. It
keeps each PDF and queues the e-mails as background tasks (sent by `manage.py db_worker`); a
paper already sent is not sent again, so running it twice a day changes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.papers import send_due_papers


class Command(BaseCommand):
    help = "Make and send the briefing packs and commitments memos due today."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the papers that are due."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        papers = send_due_papers(today=timezone.localdate(), dry_run=dry_run)
        if verbosity:
            verb = "due" if dry_run else "sent"
            for paper in papers:
                self.stdout.write(
                    f"{paper.kind} {verb}: meeting {paper.meeting.pk} ({paper.meeting.date})"
                )
            self.stdout.write(f"{len(papers)} paper(s) {verb}.")
