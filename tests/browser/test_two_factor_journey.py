import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from directorates.roles import Role
from tests.browser.conftest import assert_accessible, log_in_with_password
from tests.factories import UserFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_mayor_sets_up_two_factor_at_first_login(page, width):
    mayor = UserFactory(username="mayor", roles=[Role.MAYOR])
    mayor.set_password("correct-horse-battery")
    mayor.save()
    page.set_viewport_size({"width": width, "height": 900})

    log_in_with_password(page, "mayor")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ενεργοποίηση ελέγχου ταυτότητας δύο παραγόντων"
    )
    expect(page.get_by_role("img", name="Κωδικός QR για σάρωση")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=mayor, confirmed=False)
    page.get_by_label("Κωδικός").fill(totp_code(device))
    page.get_by_role("button", name="Ενεργοποίηση").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Κωδικοί ανάκτησης")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Συνέχεια").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Καλώς ήρθατε"))


def test_a_person_with_an_app_enters_the_code_after_the_password(page):
    head = UserFactory(username="head-prog", roles=[Role.HEAD_OF_DIRECTORATE])
    head.set_password("correct-horse-battery")
    head.save()
    device = TOTPDevice.objects.create(user=head, name="app", confirmed=True)

    log_in_with_password(page, "head-prog")

    expect(page.get_by_role("heading", level=1)).to_have_text("Εισαγάγετε τον κωδικό σας")
    assert_accessible(page)
    page.get_by_label("Κωδικός").fill("000000")
    page.get_by_role("button", name="Επιβεβαίωση").click()
    # Under the field, and again in the summary of errors at the top of the page.
    expect(page.get_by_role("strong").filter(has_text="δεν είναι έγκυρος")).to_be_visible()
    expect(page.get_by_role("link", name="δεν είναι έγκυρος")).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong one
    page.get_by_label("Κωδικός").fill(totp_code(device))
    page.get_by_role("button", name="Επιβεβαίωση").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Καλώς ήρθατε"))
