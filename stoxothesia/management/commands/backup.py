"""Back up the database and the uploaded files into one folder, for `restore` to bring back.

Exists so that a backup is one command whatever the database engine; see stoxothesia/backup.py
and the README's "Backup and restore".
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stoxothesia.backup import back_up


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new or empty folder")

    def handle(self, *args, destination: Path, **options):
        try:
            manifest = back_up(destination=destination)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Backed up the {manifest['engine']} database and media to {destination}"
            )
