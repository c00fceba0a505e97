from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def _matching_users(identifier: str):
    """The accounts a login identifier names: the username or the e-mail, in any letter case."""
    return (
        get_user_model()
        .objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .order_by("pk")
    )


class UsernameOrEmailBackend(ModelBackend):
    """Log in with either the username or the e-mail address, in any letter case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = _matching_users(username).first()
        if user is None:
            # Spend the same time as a real check, so timing does not reveal who exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials: dict | None) -> str:
    """What django-axes counts failed logins against (AXES_USERNAME_CALLABLE): the account.

    Whatever names the account (`head-pras`, `HEAD-PRAS`, its e-mail) counts against the one
    account the login backend would check, so no spelling gets tries of its own. An identifier
    that names no account is counted in lower case, the same way, so a lockout looks alike for
    accounts that exist and for those that do not.
    """
    identifier = (credentials or {}).get("username")
    if identifier is None and request is not None:
        identifier = request.POST.get("username")
    identifier = (identifier or "").strip()
    if not identifier:
        return ""
    username = _matching_users(identifier).values_list("username", flat=True).first()
    return (username or identifier.lower())[:255]
