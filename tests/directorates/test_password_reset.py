"""Password reset: the e-mail is sent by the task worker, the page answers alike for every
address, and resets are limited per address and per client."""

import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from directorates import tasks
from directorates.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MAIL_SERVER_DELAY = 0.5


class SlowMailBackend(EmailBackend):
    """A mail server that takes its time to accept each message."""

    def send_messages(self, messages):
        time.sleep(MAIL_SERVER_DELAY)
        return super().send_messages(messages)


@pytest.fixture
def eleni(db):
    user = UserFactory(username="eleni", email="Eleni.T@heraklion.gr", roles=[Role.STAFF])
    user.set_password("a-long-enough-password")
    user.save()
    return user


@pytest.fixture
def slow_mail_and_a_real_queue(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowMailBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ask_for_reset(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def timed_reset(client, email, capture) -> tuple[float, object]:
    started = time.perf_counter()
    with capture(execute=True):
        response = ask_for_reset(client, email)
    return time.perf_counter() - started, response


def test_known_and_unknown_addresses_get_the_same_answer_as_fast_with_a_slow_mail_server(
    client, eleni, slow_mail_and_a_real_queue, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    timed_reset(client, "someone@example.gr", capture)  # the first request loads the code
    known_time, known = timed_reset(client, "eleni.t@heraklion.gr", capture)
    unknown_time, unknown = timed_reset(client, "nobody@example.gr", capture)

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert known_time < MAIL_SERVER_DELAY
    assert abs(known_time - unknown_time) < MAIL_SERVER_DELAY / 2
    assert mail.outbox == []  # nothing was sent inside the request
    queued = DBTaskResult.objects.order_by("enqueued_at")[1:]
    assert [r.task_path for r in queued] == ["directorates.tasks.send_password_reset"] * 2
    assert [r.args_kwargs["kwargs"] for r in queued] == [
        {"email": "eleni.t@heraklion.gr"},
        {"email": "nobody@example.gr"},
    ]


def test_the_worker_sends_the_link_to_a_known_address_only(eleni, settings):
    settings.SITE_URL = "https://stoxothesia.heraklion.gr"

    assert tasks.send_password_reset.call(email="nobody@example.gr") == 0
    assert tasks.send_password_reset.call(email="ELENI.T@heraklion.gr") == 1

    (message,) = mail.outbox
    assert message.to == ["Eleni.T@heraklion.gr"]
    assert "https://stoxothesia.heraklion.gr/accounts/reset/" in message.body


def test_the_reset_email_is_in_the_recipients_language(eleni):
    eleni.language = "en"
    eleni.save()

    tasks.send_password_reset.call(email=eleni.email)

    assert "Someone asked to reset the password" in mail.outbox[0].body


def test_an_inactive_account_gets_no_reset_email(eleni):
    eleni.is_active = False
    eleni.save()

    assert tasks.send_password_reset.call(email=eleni.email) == 0
    assert mail.outbox == []


def test_resets_for_one_address_are_limited_with_a_clear_message(
    client, eleni, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert ask_for_reset(client, "eleni.t@heraklion.gr").status_code == 302

        response = ask_for_reset(client, "ELENI.T@heraklion.gr")

    assert response.status_code == 429
    assert "Ζητήθηκαν πάρα πολλές επαναφορές συνθηματικού" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_limit_answers_alike_for_an_address_that_belongs_to_no_one(
    client, eleni, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = [ask_for_reset(client, "eleni.t@heraklion.gr").status_code for _ in range(4)]
        unknown = [ask_for_reset(client, "nobody@example.gr").status_code for _ in range(4)]

    assert known == unknown == [302, 302, 302, 429]


def test_resets_from_one_client_are_limited_whatever_the_address(
    client, eleni, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            ask_for_reset(client, f"person{n}@example.gr", REMOTE_ADDR="192.0.2.9").status_code
            for n in range(21)
        ]
        from_elsewhere = ask_for_reset(client, eleni.email, REMOTE_ADDR="192.0.2.10")

    assert answers == [302] * 20 + [429]
    assert from_elsewhere.status_code == 302
    assert len(mail.outbox) == 1


def test_the_limit_is_logged(client, eleni, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            ask_for_reset(client, "nobody@example.gr")

    logged = [r.getMessage() for r in caplog.records if r.name == "stoxothesia.security"]
    assert logged[-1].startswith("password.reset_limited user='-' ip='127.0.0.1'")
