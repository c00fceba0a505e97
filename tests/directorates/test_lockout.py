"""The login lockout counts against the account, whatever identifier was typed."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from directorates.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture
def head_of_social_services(db):
    user = UserFactory(
        username="head-pras", email="Pras@heraklion.gr", roles=[Role.HEAD_OF_DIRECTORATE]
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def three_tries(settings):
    settings.AXES_FAILURE_LIMIT = 3


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_failures_in_other_spellings_and_the_email_lock_the_one_account(
    client, head_of_social_services, three_tries
):
    for spelling in ["head-pras", "HEAD-PRAS", "pras@heraklion.gr"]:
        login(client, spelling, "wrong-password")

    for spelling in ["Head-Pras", "head-pras", "PRAS@HERAKLION.GR"]:
        response = login(client, spelling)  # the right password, in any spelling

        assert response.status_code == 429
        assert client.get(reverse("home")).status_code == 302
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"head-pras"}


def test_a_locked_account_opens_in_no_spelling_before_the_cool_off(
    client, head_of_social_services, three_tries
):
    for _ in range(3):
        login(client, "Pras@Heraklion.gr", "wrong-password")

    assert login(client, "HEAD-pras").status_code == 429
    assert login(client, "head-pras").status_code == 429


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(
    client, head_of_social_services, three_tries
):
    login(client, "HEAD-PRAS", "wrong-password")
    login(client, "pras@heraklion.gr", "wrong-password")

    response = login(client, "head-pras")

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not AccessAttempt.objects.exists()  # a success clears the count


def test_unknown_identifiers_are_counted_alike_whatever_their_case(client, three_tries):
    for spelling in ["nobody", "NOBODY", "NoBody"]:
        login(client, spelling, "wrong-password")

    response = login(client, "nobody")

    assert response.status_code == 429
    assert "Πάρα πολλές αποτυχημένες προσπάθειες" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["nobody"]


def test_another_account_is_not_locked_by_someone_elses_failures(
    client, head_of_social_services, three_tries
):
    other = UserFactory(username="head-kep", roles=[Role.HEAD_OF_DIRECTORATE])
    other.set_password(PASSWORD)
    other.save()
    for _ in range(3):
        login(client, "HEAD-PRAS", "wrong-password")

    assert login(client, "head-kep").status_code == 302
