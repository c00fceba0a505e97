"""Send the General Secretary the day's digest of new observations.

Exists because the General Secretary wants one e-mail a day, not one per observation. Run it once
a day from the scheduler, e.g. cron: `0 7 * * * cd /srv/stoxothesia && .venv/bin/python manage.py
send_observation_digest`. It queues the e-mail as a background task (sent by
`manage.py db_worker`); observations it reported are not reported again.
"""

from django.core.management.base import BaseCommand

from goals.services.observations import send_observation_digest


class Command(BaseCommand):
    help = "Queue one e-mail to the General Secretary listing the observations not yet reported."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many observations the digest would report.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        count = send_observation_digest(dry_run=dry_run)
        if verbosity:
            verb = "would report" if dry_run else "reports"
            self.stdout.write(f"The digest {verb} {count} new observation(s).")
