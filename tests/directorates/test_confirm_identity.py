"""Turning two-factor off, changing the e-mail address and making new recovery codes ask for the
password again, and for a code of the second factor where one is set up."""

import logging

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates import services
from tests.factories import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def eleni(staff):
    """Staff, who chose an authenticator app (nobody requires it of her)."""
    staff.set_password(PASSWORD)
    staff.save()
    return staff


@pytest.fixture
def eleni_with_app(eleni):
    device = services.pending_totp_device(user=eleni)
    assert services.confirm_totp_device(user=eleni, device=device, code=totp_code(device))
    return eleni


@pytest.fixture
def signed_in(client_for):
    """A client whose session has passed the second factor, as after a full login."""

    def make(user):
        client = client_for(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return client

    return make


def app_of(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user)


# --- Turning two-factor authentication off ------------------------------------------------
def test_turning_two_factor_off_asks_for_password_and_code(signed_in, eleni_with_app):
    page = signed_in(eleni_with_app).get(reverse("two_factor_disable"))

    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"password", "code"}


def test_turning_two_factor_off_with_password_and_code(signed_in, eleni_with_app):
    client = signed_in(eleni_with_app)

    response = client.post(
        reverse("two_factor_disable"),
        {"password": PASSWORD, "code": totp_code(app_of(eleni_with_app))},
    )

    assert response.status_code == 302
    assert response.url == reverse("directorates:profile")
    assert not TOTPDevice.objects.filter(user=eleni_with_app).exists()


@pytest.mark.parametrize("wrong", ["password", "code"])
def test_turning_two_factor_off_is_refused_with_a_wrong_password_or_code(
    signed_in, eleni_with_app, wrong, caplog
):
    caplog.set_level(logging.INFO, logger="stoxothesia.security")
    client = signed_in(eleni_with_app)
    data = {"password": PASSWORD, "code": totp_code(app_of(eleni_with_app))}
    data[wrong] = "not-my-password" if wrong == "password" else "000000"

    response = client.post(reverse("two_factor_disable"), data)

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {wrong}
    assert TOTPDevice.objects.filter(user=eleni_with_app).exists()
    assert caplog.records[-1].getMessage().startswith("account.confirmation_refused user='staff'")


def test_turning_two_factor_off_without_anything_is_refused(signed_in, eleni_with_app):
    response = signed_in(eleni_with_app).post(reverse("two_factor_disable"))

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=eleni_with_app).exists()


def test_roles_that_require_it_still_cannot_turn_it_off(client_for, mayor):
    mayor.set_password(PASSWORD)
    mayor.save()
    client = client_for(mayor)

    response = client.post(
        reverse("two_factor_disable"), {"password": PASSWORD, "code": totp_code(app_of(mayor))}
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=mayor).exists()


# --- New recovery codes ---------------------------------------------------------------------
def test_new_recovery_codes_need_password_and_code(signed_in, eleni_with_app):
    old = set(StaticToken.objects.values_list("token", flat=True))
    client = signed_in(eleni_with_app)

    response = client.post(
        reverse("two_factor_recovery_codes"),
        {"password": PASSWORD, "code": totp_code(app_of(eleni_with_app))},
    )

    assert response.status_code == 302
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == services.RECOVERY_CODE_COUNT and not new & old


@pytest.mark.parametrize("wrong", ["password", "code"])
def test_new_recovery_codes_are_refused_with_a_wrong_password_or_code(
    signed_in, eleni_with_app, wrong
):
    old = set(StaticToken.objects.values_list("token", flat=True))
    client = signed_in(eleni_with_app)
    data = {"password": PASSWORD, "code": totp_code(app_of(eleni_with_app))}
    data[wrong] = "not-my-password" if wrong == "password" else "000000"

    response = client.post(reverse("two_factor_recovery_codes"), data)

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {wrong}
    assert set(StaticToken.objects.values_list("token", flat=True)) == old


# --- The e-mail address ---------------------------------------------------------------------
def profile_data(user, **changes) -> dict:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "language": "el",
        **changes,
    }


def test_a_new_email_address_needs_the_password(client_for, eleni):
    client = client_for(eleni)

    refused = client.post(
        reverse("directorates:profile"), profile_data(eleni, email="someone@else.gr")
    )
    wrong = client.post(
        reverse("directorates:profile"),
        {**profile_data(eleni, email="someone@else.gr"), "confirm-password": "not-my-password"},
    )

    assert refused.status_code == wrong.status_code == 200
    assert "confirm-password" in refused.context["confirm_form"].add_prefix("password")
    assert refused.context["confirm_form"].errors.keys() == {"password"}
    assert "Αυτό δεν είναι το συνθηματικό σας" in wrong.content.decode()
    eleni.refresh_from_db()
    assert eleni.email == "staff@example.gr"


def test_a_new_email_address_with_the_password_is_saved(client_for, eleni, caplog):
    caplog.set_level(logging.INFO, logger="stoxothesia.security")

    response = client_for(eleni).post(
        reverse("directorates:profile"),
        {**profile_data(eleni, email="eleni@heraklion.gr"), "confirm-password": PASSWORD},
    )

    assert response.status_code == 302
    eleni.refresh_from_db()
    assert eleni.email == "eleni@heraklion.gr"
    assert caplog.records[-1].getMessage().startswith("account.email_changed user='staff'")


def test_with_a_second_factor_a_new_email_address_needs_its_code_too(signed_in, eleni_with_app):
    client = signed_in(eleni_with_app)
    data = {
        **profile_data(eleni_with_app, email="eleni@heraklion.gr"),
        "confirm-password": PASSWORD,
    }

    without_code = client.post(reverse("directorates:profile"), data)
    wrong_code = client.post(reverse("directorates:profile"), {**data, "confirm-code": "000000"})
    eleni_with_app.refresh_from_db()
    assert eleni_with_app.email == "staff@example.gr"
    app_of(eleni_with_app).throttle_reset()  # django-otp slows down the try after a wrong code
    right_code = client.post(
        reverse("directorates:profile"),
        {**data, "confirm-code": totp_code(app_of(eleni_with_app))},
    )

    assert without_code.status_code == wrong_code.status_code == 200
    assert right_code.status_code == 302
    eleni_with_app.refresh_from_db()
    assert eleni_with_app.email == "eleni@heraklion.gr"


def test_other_profile_changes_need_no_password(client_for, eleni):
    response = client_for(eleni).post(
        reverse("directorates:profile"), profile_data(eleni, job_title="Πληροφορικός")
    )

    assert response.status_code == 302
    eleni.refresh_from_db()
    assert eleni.job_title == "Πληροφορικός"


# --- Guessing the password through these forms --------------------------------------------
def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(client_for, eleni):
    client = client_for(eleni)
    url = reverse("directorates:profile")
    for _ in range(5):
        client.post(url, {**profile_data(eleni, email="x@else.gr"), "confirm-password": "guess"})

    response = client.post(
        url, {**profile_data(eleni, email="x@else.gr"), "confirm-password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Πάρα πολλές λανθασμένες προσπάθειες" in response.content.decode()
    eleni.refresh_from_db()
    assert eleni.email == "staff@example.gr"
