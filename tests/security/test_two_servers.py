"""Two application servers on one database: nothing depends on one process's memory.

Sessions, the second factor's verification, django-axes' lockouts and background tasks are all
kept in the database; no part of the application relies on a cache for correctness.
"""

import contextlib

import pytest

from directorates.roles import Role
from tests.factories import UserFactory, totp_code, totp_device_for
from tests.servers import Browser, database_url, gunicorn, server_env

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def servers(django_db_setup, production_static):
    env = server_env(
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(production_static),
        SECURE_SSL_REDIRECT="false",
        AXES_FAILURE_LIMIT="3",
    )
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(gunicorn(env)) for _ in range(2)]


@pytest.fixture
def make_user(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # gunicorn's

    def make(username, **kwargs):
        user = UserFactory(username=username, **kwargs)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


def test_a_session_made_on_one_server_works_on_the_other(servers, make_user):
    make_user("eleni")
    first = Browser(servers[0])
    first.log_in("eleni", PASSWORD)

    second = Browser(servers[1], cookies=first.cookies)
    response = second.get("/profile/")

    assert response.status == 200 and "eleni" in response.text


def test_a_second_factor_passed_on_one_server_holds_on_the_other(servers, make_user):
    mayor = make_user("mayor", roles=[Role.MAYOR])
    device = totp_device_for(mayor)
    first = Browser(servers[0])
    first.log_in("mayor", PASSWORD)
    second = Browser(servers[1], cookies=first.cookies)
    assert second.get("/profile/").status == 302  # still to enter a code

    entered = second.post_form("/accounts/two-factor/", {"code": totp_code(device)})

    assert entered.status == 302
    assert Browser(servers[0], cookies=second.cookies).get("/profile/").status == 200


def test_a_lockout_recorded_on_one_server_holds_on_the_other(servers, make_user):
    make_user("eleni")
    first = Browser(servers[0])
    for _ in range(3):
        response = first.post_form(
            "/accounts/login/", {"username": "eleni", "password": "wrong-password"}
        )
    assert response.status == 429

    refused = Browser(servers[1]).post_form(
        "/accounts/login/", {"username": "eleni", "password": PASSWORD}
    )

    assert refused.status == 429
    assert "Πάρα πολλές αποτυχημένες προσπάθειες" in refused.text
