"""Background tasks of the people's accounts: e-mail, sent by the task worker (`db_worker`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@task
def send_password_reset(*, email: str) -> int:
    """Send a link to choose a new password to each active account with this e-mail address.

    The reset page queues this for any address it is given: only here, in the worker, is it
    found out whether the address belongs to someone, so the page answers alike, and as fast,
    for every address. Each e-mail is in its recipient's language.
    """
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    sent = 0
    for user in form.get_users(email):
        context = {
            "email": user.email,
            "domain": site.netloc,
            "site_name": site.netloc,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme,
        }
        with translation.override(user.language or settings.LANGUAGE_CODE):
            form.send_mail(
                "registration/password_reset_subject.txt",
                "registration/password_reset_email.html",
                context,
                None,
                user.email,
            )
        sent += 1
    return sent
