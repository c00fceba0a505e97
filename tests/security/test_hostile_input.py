"""Every form that exists now, fed the hostile corpus of tests/hostile.py.

Never a 500, the input shown back only escaped, nothing stored half-way.
"""

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directorates.models import User
from tests.factories import totp_device_for
from tests.hostile import (
    HOSTILE_TEXTS,
    INVALID_CHOICES,
    assert_no_server_error,
    assert_shown_escaped,
    duplicated,
    hostile_text,
    text_id,
    without,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PROFILE = {
    "first_name": "Ελένη",
    "last_name": "Παπαδάκη",
    "email": "eleni@heraklion.gr",
    "job_title": "Προϊσταμένη",
    "language": "el",
}
PROFILE_TEXT_FIELDS = ["first_name", "last_name", "email", "job_title"]


def properties(max_examples: int):
    """hypothesis settings for tests that use pytest-django fixtures and the test client.

    The fixtures are shared by all examples of one test, which is fine here: each example
    compares the database with what it was just before that example.
    """
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def stored(user: User) -> dict:
    user.refresh_from_db()
    return model_to_dict(user, exclude=["groups", "user_permissions"])


def save_profile_with(client, user: User, field: str, value: str) -> None:
    """Send the profile form with one hostile field; check the answer and the database."""
    before = stored(user)
    data = {**PROFILE, field: value}

    response = client.post(reverse("directorates:profile"), data)

    assert_no_server_error(response)
    assert_shown_escaped(response, value)
    assert_profile_saved_whole_or_not_at_all(response, before, user, data)


def assert_profile_saved_whole_or_not_at_all(response, before: dict, user: User, data: dict):
    after = stored(user)
    if response.status_code == 302:
        for field in PROFILE_TEXT_FIELDS:
            assert after[field] == str(data[field]).strip(), field
    else:
        assert response.status_code == 200
        assert after == before, "a refused form changed the database"


@pytest.fixture
def eleni(staff):
    staff.set_password(PASSWORD)
    staff.save()
    return staff


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_login_form_survives_hostile_text(client, eleni, value):
    response = client.post(reverse("login"), {"username": value, "password": value})

    assert_no_server_error(response)
    assert response.status_code == 200  # refused, with the form shown again
    assert_shown_escaped(response, value)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
# One plain text field and the e-mail field; hypothesis below tries all four.
@pytest.mark.parametrize("field", ["first_name", "email"])
def test_profile_form_survives_hostile_text(client_for, eleni, field, value):
    save_profile_with(client_for(eleni), eleni, field, value)


def test_nul_bytes_are_refused_with_a_form_error(client_for, eleni):
    client = client_for(eleni)
    before = stored(eleni)

    response = client.post(reverse("directorates:profile"), {**PROFILE, "job_title": "a\x00b"})

    assert response.status_code == 200
    assert response.context["form"].has_error("job_title", code="null_characters_not_allowed")
    assert stored(eleni) == before


@pytest.mark.parametrize("value", INVALID_CHOICES)
def test_profile_refuses_an_invalid_language(client_for, eleni, value):
    client = client_for(eleni)
    before = stored(eleni)

    response = client.post(reverse("directorates:profile"), {**PROFILE, "language": value})

    assert response.status_code == 200
    assert stored(eleni) == before


@pytest.mark.parametrize("field", [*PROFILE_TEXT_FIELDS, "language"])
def test_profile_with_a_missing_or_doubled_field_never_fails(client_for, eleni, field):
    client = client_for(eleni)
    before = stored(eleni)

    missing = client.post(reverse("directorates:profile"), without(PROFILE, field))
    doubled = client.post(reverse("directorates:profile"), duplicated(PROFILE, field, "<b>x</b>"))

    assert_no_server_error(missing)
    assert_no_server_error(doubled)
    if missing.status_code == 200:
        assert stored(eleni) == before
    assert "<b>x</b>" not in doubled.content.decode()


def test_a_body_that_is_not_utf8_is_not_a_server_error(client_for, eleni):
    response = client_for(eleni).generic(
        "POST",
        reverse("directorates:profile"),
        b"first_name=%FF%FE%00&language=el&email=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
    )

    assert_no_server_error(response)


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_password_change_survives_hostile_text(client_for, eleni, value):
    response = client_for(eleni).post(
        reverse("password_change"),
        {"old_password": value, "new_password1": value, "new_password2": value},
    )

    assert_no_server_error(response)
    # Refused with the form again; three fields of 1 MB of Greek exceed the 5 MB request limit.
    assert response.status_code in (200, 400)
    assert_shown_escaped(response, value)
    eleni.refresh_from_db()
    assert eleni.check_password(PASSWORD)


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_a_hostile_new_password_is_refused_or_kept_whole(client_for, eleni, value):
    response = client_for(eleni).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": value, "new_password2": value},
    )

    assert_no_server_error(response)
    eleni.refresh_from_db()
    if response.status_code == 302:
        assert eleni.check_password(value)  # long, uncommon passphrases are allowed whole
    else:
        assert eleni.check_password(PASSWORD)


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_password_reset_survives_hostile_text(client, eleni, value):
    response = client.post(reverse("password_reset"), {"email": value})

    assert_no_server_error(response)
    assert_shown_escaped(response, value)
    assert mail.outbox == []


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_language_switch_survives_hostile_language_and_next(client_for, eleni, value):
    client = client_for(eleni)

    response = client.post(reverse("set_language"), {"language": value, "next": value})

    assert_no_server_error(response)
    assert response.status_code == 302
    assert not response.url.startswith(("javascript:", "//", "http"))
    eleni.refresh_from_db()
    assert eleni.language == ""


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_two_factor_code_page_survives_hostile_text(eleni, value):
    totp_device_for(eleni)
    client = Client()
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})

    response = client.post(reverse("two_factor_verify"), {"code": value, "next": value})

    assert_no_server_error(response)
    assert response.status_code == 200
    assert_shown_escaped(response, value)


@properties(max_examples=60)
@given(field=st.sampled_from(PROFILE_TEXT_FIELDS), value=hostile_text())
def test_any_text_in_the_profile_is_saved_whole_or_refused(client_for, eleni, field, value):
    save_profile_with(client_for(eleni), eleni, field, value)


@properties(max_examples=40)
@given(username=hostile_text(), password=hostile_text())
def test_any_login_attempt_is_answered_without_error(client, eleni, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})

    assert_no_server_error(response)
    assert_shown_escaped(response, username)
