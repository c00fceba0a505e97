"""Every HTML page in Greek, as a Greek civil servant reads it: no accented capitals in text
written in capitals, no 12-hour times, no month in the nominative after a day, no English words
but the allowed ones (tests/stoxothesia/greek_text.py).

The application's pages and who sees each are the browser walk's (PAGES in
tests/browser/test_every_page.py, over the demo municipality), and Django admin's pages are
each model's list and forms as the administrator sees them; the test client fetches them all,
which is much faster than a browser.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates.models import Department, Directorate
from directorates.roles import Role
from directorates.services import APP_DEVICE_NAME, SESSION_TWO_FACTOR_STEP
from tests.browser.test_every_page import PAGES, complete_the_demo
from tests.factories import totp_device_for
from tests.stoxothesia.greek_text import language_problems

pytestmark = pytest.mark.django_db

User = get_user_model()


def client_as(username: str) -> Client:
    """A Greek client for a demo person, past the second factor ("pending": before it)."""
    client = Client()
    if username != "anonymous":
        user = User.objects.get(username="mayor" if username == "pending" else username)
        client.force_login(user)
        session = client.session
        if username == "pending":
            session[SESSION_TWO_FACTOR_STEP] = "verify"
        else:
            session[SESSION_TWO_FACTOR_STEP] = ""
            device = TOTPDevice.objects.filter(user=user).first()
            if device is None and user.requires_two_factor:
                device = totp_device_for(user)
            if device is not None:
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.cookies["django_language"] = "el"
    return client


def application_pages() -> list[tuple[str, str, str]]:
    """(name, path, username) of each page of the application, from the browser walk."""
    pages = []
    for name, visit in PAGES.items():
        user = visit.user() if callable(visit.user) else visit.user
        pages.append((name, reverse(name, kwargs=visit.kwargs()), user))
    return pages


def admin_pages() -> list[tuple[str, str, str]]:
    """Django admin's index, and for each model its list, its form for a new row (where one
    may add: Django admin answers 403 otherwise) and the form of its first row."""
    pages = [("admin:index", reverse("admin:index"), "admin")]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{prefix}_changelist", reverse(f"{prefix}_changelist"), "admin"))
        if model_admin.has_add_permission(_AdminRequest()):
            pages.append((f"{prefix}_add", reverse(f"{prefix}_add"), "admin"))
        if first := model._default_manager.order_by("pk").first():
            path = reverse(f"{prefix}_change", args=[first.pk])
            pages.append((f"{prefix}_change", path, "admin"))
    return pages


class _AdminRequest:
    """Enough of a request for `has_add_permission`: the demo's administrator."""

    @property
    def user(self):
        return User.objects.get(username="admin")


# What the libraries write in English without gettext, so that no catalogue can translate it;
# it reaches only administrators, in Django admin. By library: the words that stay English.
HARD_CODED_IN_LIBRARIES = {
    # django.contrib.admin.templatetags.admin_list._boolean_icon: alt="True" / "False".
    "django.contrib.admin": ["'True'", "'False'"],
    # Its models' names, fields, help texts and admin (its own pages, and the names of its
    # devices and permissions elsewhere).
    "django-otp": [
        "/admin/otp_totp/",
        "/admin/otp_static/",
        "TOTP device",
        "Static devices",
        "static device",
        "static token",
    ],
    # Its objects' names ("Access Log for admin @ …") and one model's name.
    "django-axes": [
        "Access Log for",
        "Failed access:",
        "Attempted Access:",
        "access attempt expiration",
        "Locked Out",
        "'Pk'",
        "'<unknown>'",
    ],
    # The history rows of the participating directorates and of the actions of a year's action
    # programme, named by Django from the model names.
    "django-simple-history": ["goal-directorate", "actionprogramme-programmeaction"],
}


def hard_coded_in_a_library(where: str, problem: str) -> bool:
    found = f"{where}: {problem}"
    return any(text in found for texts in HARD_CODED_IN_LIBRARIES.values() for text in texts)


def identifiers() -> set[str]:
    """Data written in Latin letters that is no English: unit codes, usernames, the role
    groups' names."""
    codes = [*Directorate.objects.values_list("code", flat=True), *Role.values]
    codes += APP_DEVICE_NAME.split()  # the name the application gives a person's device
    codes += Department.objects.values_list("code", flat=True)
    codes += User.objects.values_list("username", flat=True)
    return {part for code in codes for part in [code, *re.split(r"[-_]", code)]}


def walk_in_greek(pages: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Each page's language problems, by "name (path) [user]"."""
    allowed = identifiers()
    clients: dict[str, Client] = {}
    found = {}
    for name, path, user in pages:
        client = clients.setdefault(user, client_as(user))
        response = client.get(path)
        where = f"{name} ({path}) [{user}]"
        if response.status_code != 200:
            found[where] = [f"answered {response.status_code}, not the page"]
        elif problems := language_problems(response.content.decode(), identifiers=allowed):
            found[where] = problems
    return found


@pytest.fixture(scope="module")
def demo(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        complete_the_demo()


def report(found: dict[str, list[str]]) -> str:
    lines = [f"{where}: {problem}" for where, problems in found.items() for problem in problems]
    return f"{len(lines)} language problems:\n" + "\n".join(lines)


def test_every_page_of_the_application_reads_as_greek(demo):
    found = walk_in_greek(application_pages())
    assert not found, report(found)


def test_every_page_of_django_admin_reads_as_greek(demo):
    found = {}
    for where, problems in walk_in_greek(admin_pages()).items():
        if left := [problem for problem in problems if not hard_coded_in_a_library(where, problem)]:
            found[where] = left
    assert not found, report(found)
