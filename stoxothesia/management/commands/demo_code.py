"""Print the current two-factor code of the demo accounts (admin, mayor, secretary).

Exists so that someone trying the demo can log in as the people who must use a second factor
without setting up an authenticator app. Only for demo data: it refuses when DEBUG is off.
"""

from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directorates.demo import DEMO_TOTP_KEY, DEMO_TWO_FACTOR_USERNAMES, current_demo_code


class Command(BaseCommand):
    help = "Print the current six-digit code of the demo accounts' authenticator app."

    def handle(self, *args, verbosity=1, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: demo codes exist only on demo databases.")
        self.stdout.write(current_demo_code())
        if verbosity > 1:
            key = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
            self.stdout.write(
                f"Accounts: {', '.join(DEMO_TWO_FACTOR_USERNAMES)}. "
                f"Authenticator app key: {key} (valid 30 seconds per code)."
            )
