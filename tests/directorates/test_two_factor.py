import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates import services
from tests.factories import totp_code, totp_device_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def log_in_with_password(user) -> tuple[Client, object]:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    return client, response


def enter_code(client: Client, code: str, next_url: str = ""):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


def test_required_role_is_sent_to_set_up_two_factor(secretary):
    client, response = log_in_with_password(secretary)

    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    page = response.content.decode()
    assert "<svg" in page and 'class="qr-code"' in page  # the QR code, drawn by the server
    device = TOTPDevice.objects.get(user=secretary, confirmed=False)
    assert services.totp_secret(device) in page
    # Nothing else opens until the set-up is done.
    assert client.get(reverse("directorates:list")).url.startswith(reverse("two_factor_setup"))
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("person", ["mayor", "admin_user"])
def test_mayor_and_admins_must_set_up_two_factor_too(request, person):
    client, response = log_in_with_password(request.getfixturevalue(person))

    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("person", ["staff", "head_of_planning", "deputy"])
def test_roles_that_need_no_second_factor_are_not_asked(request, person):
    client, response = log_in_with_password(request.getfixturevalue(person))

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("home")
    assert client.get(reverse("directorates:list")).status_code == 200


def test_enrolment_with_a_valid_code_turns_it_on_and_shows_recovery_codes_once(secretary):
    client, _response = log_in_with_password(secretary)
    device = TOTPDevice.objects.get(user=secretary, confirmed=False)

    response = client.post(reverse("two_factor_setup"), {"code": totp_code(device)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed
    page = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=secretary).values_list("token", flat=True)
    )
    # Shown once: the page no longer lists them.
    again = client.get(reverse("two_factor_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert client.get(reverse("directorates:list")).status_code == 200


def test_enrolment_refuses_a_wrong_code(secretary):
    client, _response = log_in_with_password(secretary)

    response = client.post(reverse("two_factor_setup"), {"code": "000000"})

    assert response.status_code == 200
    assert "Ο κωδικός δεν είναι έγκυρος" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=secretary, confirmed=True).exists()


def test_person_with_a_device_logs_in_with_password_then_code(head_of_planning):
    device = totp_device_for(head_of_planning)
    client, response = log_in_with_password(head_of_planning)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("directorates:profile")).status_code == 302

    response = enter_code(client, totp_code(device), next_url=reverse("directorates:profile"))

    assert response.status_code == 302
    assert response.url == reverse("directorates:profile")
    assert client.get(reverse("directorates:profile")).status_code == 200


def test_a_wrong_code_is_refused(head_of_planning):
    totp_device_for(head_of_planning)
    client, _response = log_in_with_password(head_of_planning)

    response = enter_code(client, "123456")

    assert response.status_code == 200
    assert "δεν είναι έγκυρος" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_verify"))


def test_a_code_cannot_be_used_twice(head_of_planning):
    device = totp_device_for(head_of_planning)
    code = totp_code(device)
    first, _response = log_in_with_password(head_of_planning)
    assert enter_code(first, code).status_code == 302

    second, _response = log_in_with_password(head_of_planning)
    response = enter_code(second, code)

    assert response.status_code == 200
    assert second.get(reverse("home")).url.startswith(reverse("two_factor_verify"))


def test_a_recovery_code_works_once(head_of_planning):
    totp_device_for(head_of_planning)
    code = services.regenerate_recovery_codes(user=head_of_planning)[0]
    first, _response = log_in_with_password(head_of_planning)

    response = enter_code(first, code.upper())  # typed in capitals, still accepted

    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200
    assert services.remaining_recovery_codes(user=head_of_planning) == 9
    second, _response = log_in_with_password(head_of_planning)
    assert enter_code(second, code).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client_for, secretary):
    secretary.set_password(PASSWORD)
    secretary.save()
    client = client_for(secretary)
    old = services.regenerate_recovery_codes(user=secretary)
    device = TOTPDevice.objects.get(user=secretary)

    response = client.post(
        reverse("two_factor_recovery_codes"),
        {"password": PASSWORD, "code": totp_code(device)},
        follow=True,
    )

    page = response.content.decode()
    assert not any(code in page for code in old)
    assert StaticToken.objects.filter(device__user=secretary, token__in=old).count() == 0
    assert services.remaining_recovery_codes(user=secretary) == services.RECOVERY_CODE_COUNT


def test_a_person_with_a_pending_code_cannot_set_up_another_device(head_of_planning):
    totp_device_for(head_of_planning)
    client, _response = log_in_with_password(head_of_planning)

    response = client.get(reverse("two_factor_setup"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))


def test_anyone_may_turn_it_on_from_the_profile_and_off_again(client_for, staff):
    staff.set_password(PASSWORD)
    staff.save()
    client = client_for(staff)
    assert "Ενεργοποίηση" in client.get(reverse("directorates:profile")).content.decode()
    device = services.pending_totp_device(user=staff)
    client.post(reverse("two_factor_setup"), {"code": totp_code(device)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()

    response = client.post(
        reverse("two_factor_disable"), {"password": PASSWORD, "code": totp_code(device)}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert client.get(reverse("directorates:list")).status_code == 200


def test_roles_that_require_it_cannot_turn_it_off(client_for, mayor):
    response = client_for(mayor).post(reverse("two_factor_disable"))

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=mayor).exists()


def test_django_admin_needs_a_verified_second_factor(admin_user):
    client = Client()
    client.force_login(admin_user)
    totp_device_for(admin_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))


def test_admin_login_page_leads_to_the_application_login(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})

    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/"


def test_an_admin_can_remove_a_persons_lost_devices_in_django_admin(client_for, admin_user, staff):
    device = totp_device_for(staff)
    client = client_for(admin_user)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200

    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_a_person_whose_devices_were_removed_is_asked_to_set_up_anew(secretary):
    totp_device_for(secretary)
    client, _response = log_in_with_password(secretary)
    TOTPDevice.objects.filter(user=secretary).delete()

    response = client.get(reverse("two_factor_verify"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))


def test_a_required_second_factor_removed_during_the_session_is_asked_for_again(
    client_for, secretary
):
    client = client_for(secretary)  # logged in and verified
    assert client.get(reverse("home")).status_code == 200

    TOTPDevice.objects.filter(user=secretary).delete()

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
