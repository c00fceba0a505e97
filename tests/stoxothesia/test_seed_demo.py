from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates.models import Department, Directorate, User
from directorates.roles import Role
from meetings.models import MeetingPaper
from stoxothesia.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_loads_the_heraklion_organisation_and_accounts():
    assert Directorate.objects.count() == 17  # 14 directorates and 3 independent departments
    assert Department.objects.filter(directorate__code="PSIF").count() == 3
    for username in ["admin", "mayor", "deputy", "secretary", "head-prog", "head-oik", "head-kep"]:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="secretary").is_coordinator
    head = User.objects.get(username="head-psif")
    assert head.is_head_of_directorate and head.directorate.head == head


def test_second_run_changes_nothing(settings):
    """Not one row more in any table, history included, and the meeting papers keep their files."""
    settings.DEBUG = True
    before = row_counts()
    papers = dict(MeetingPaper.objects.values_list("pk", "document"))

    call_command("seed_demo", verbosity=0)

    assert row_counts() == before
    assert dict(MeetingPaper.objects.values_list("pk", "document")) == papers


def test_demo_accounts_with_a_second_factor_accept_the_printed_code(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("demo_code", stdout=out)

    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    for username in ["admin", "mayor", "secretary"]:
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed
    assert TOTPDevice.objects.get(user__username="mayor").verify_token(code)


def test_demo_code_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")


def test_the_demo_accounts_listed_exist_and_log_in_heads_of_department_included(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("demo_accounts", stdout=out)

    lines = [line.split() for line in out.getvalue().splitlines() if line.strip()]
    usernames = [words[0] for words in lines if not words[0].startswith("…")]
    for username in usernames:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert {"admin", "secretary", "mayor", "deputy", "staff"} <= set(usernames)
    heads_of_department = [
        u for u in usernames if User.objects.get(username=u).has_role(Role.HEAD_OF_DEPARTMENT)
    ]
    assert len(heads_of_department) == 3
    assert "(+ code)" in out.getvalue()


def test_demo_accounts_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_accounts")
