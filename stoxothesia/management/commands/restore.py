"""Restore a backup made by `backup`: replaces the whole database and the uploaded files.

Destructive, so `--dry-run` only checks the backup (its checksums and database engine) and says
what would be replaced. Stop the application (gunicorn and the task worker) before restoring.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from stoxothesia.backup import check_backup, restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by `manage.py backup`")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the backup, change nothing"
        )

    def handle(self, *args, source: Path, dry_run: bool, **options):
        try:
            manifest = check_backup(source=source) if dry_run else restore(source=source)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["verbosity"] >= 1:
            what = "Would replace" if dry_run else "Replaced"
            self.stdout.write(
                f"{what} the {connection.vendor} database {connection.settings_dict['NAME']} "
                f"and {settings.MEDIA_ROOT} with the backup of {manifest['created']}"
            )
