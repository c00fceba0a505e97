import logging
import time

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from directorates import limits, services
from tests.factories import totp_code, totp_device_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-much-longer-new-passphrase"


@pytest.fixture
def caplog(caplog):
    caplog.set_level(logging.INFO, logger="stoxothesia.security")
    return caplog


@pytest.fixture
def eleni(staff):
    staff.set_password(PASSWORD)
    staff.save()
    return staff


def events(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "stoxothesia.security"]


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_successful_and_failed_logins_are_logged(client, eleni, caplog):
    login(client, "staff", "wrong-password")
    login(client, "staff")

    failed, succeeded = events(caplog)
    assert failed.startswith("login.failed user='-'") and "username='staff'" in failed
    assert succeeded.startswith("login.succeeded user='staff' ip='127.0.0.1'")
    assert "wrong-password" not in failed


def test_logout_is_logged(client, eleni, caplog):
    login(client, "staff")

    client.post(reverse("logout"))

    assert events(caplog)[-1].startswith("logout user='staff'")


def test_lockout_is_logged(client, eleni, caplog, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        login(client, "staff", "wrong-password")

    response = login(client, "staff")

    assert response.status_code == 429
    assert any(e.startswith("login.locked_out") and "'staff'" in e for e in events(caplog))


def test_password_change_is_logged(client, eleni, caplog):
    login(client, "staff")

    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert events(caplog)[-1].startswith("password.changed user='staff'")


def test_password_reset_request_and_completion_are_logged(
    client, eleni, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": eleni.email})
    assert len(mail.outbox) == 1
    uid = urlsafe_base64_encode(force_bytes(eleni.pk))
    token = default_token_generator.make_token(eleni)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token])).url

    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    requested, completed = events(caplog)
    assert requested.startswith("password.reset_requested") and eleni.email in requested
    assert completed.startswith("password.reset_completed") and "account='staff'" in completed


def test_two_factor_events_are_logged(client, eleni, caplog):
    device = totp_device_for(eleni)
    recovery = services.regenerate_recovery_codes(user=eleni)
    login(client, "staff")

    client.post(reverse("two_factor_verify"), {"code": "000000"})
    second = Client()
    login(second, "staff")
    second.post(reverse("two_factor_verify"), {"code": recovery[0]})
    third = Client()
    login(third, "staff")
    device.throttle_reset()
    third.post(reverse("two_factor_verify"), {"code": totp_code(device)})

    logged = [e.split(" ")[0] for e in events(caplog)]
    assert logged == [
        "login.succeeded",
        "two_factor.refused",
        "login.succeeded",
        "two_factor.recovery_code_used",
        "login.succeeded",
        "two_factor.verified",
    ]


def test_every_refusal_is_logged_with_user_path_and_method(client_for, staff, caplog):
    response = client_for(staff).post(reverse("two_factor_disable"))

    assert response.status_code == 403
    assert events(caplog)[-1] == (
        "request.refused user='staff' ip='127.0.0.1' method='POST' "
        "path='/accounts/two-factor/disable/'"
    )


def test_a_missing_csrf_token_is_refused_and_logged(staff, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    response = client.post(reverse("directorates:profile"), {"first_name": "X"})

    assert response.status_code == 403
    assert events(caplog)[-1].startswith("request.refused user='staff'")
    assert "method='POST' path='/profile/'" in events(caplog)[-1]


def walk_ids(client, count: int, start: int = 900_000) -> list[int]:
    """Ask for goal pages by id, as someone guessing the ids of others' objects would."""
    return [client.get(reverse("goals:detail", args=[start + n])).status_code for n in range(count)]


def bursts(caplog) -> list[str]:
    return [e for e in events(caplog) if e.startswith("request.not_found_burst")]


def test_a_burst_of_not_found_object_pages_is_logged_once(client_for, head_of_finance, caplog):
    answers = walk_ids(client_for(head_of_finance), 25)

    assert set(answers) == {404}
    assert bursts(caplog) == [
        "request.not_found_burst user='head-oik' ip='127.0.0.1' count=10 seconds=60 "
        "path='/goals/900009/'"
    ]


def test_a_few_not_found_pages_leave_no_line(client_for, head_of_finance, caplog):
    walk_ids(client_for(head_of_finance), 9)

    assert bursts(caplog) == []


def test_each_session_is_counted_on_its_own(client_for, head_of_finance, staff, caplog):
    walk_ids(client_for(head_of_finance), 9)
    walk_ids(client_for(staff), 9)

    assert bursts(caplog) == []


def test_pages_that_do_not_exist_at_all_are_not_counted_as_probing(
    client_for, head_of_finance, caplog
):
    client = client_for(head_of_finance)

    answers = [client.get(f"/no-such-page-{n}/").status_code for n in range(15)]

    assert set(answers) == {404}
    assert bursts(caplog) == []


def test_a_walk_that_goes_on_is_logged_again_in_the_next_minute(
    client_for, head_of_finance, caplog, monkeypatch
):
    client = client_for(head_of_finance)
    walk_ids(client, 10)
    later = time.time() + 61
    monkeypatch.setattr(limits.time, "time", lambda: later)

    walk_ids(client, 10, start=800_000)

    assert len(bursts(caplog)) == 2
