import re

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import DepartmentFactory, DirectorateFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_and_opens_the_organisation_chart(page, login):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    DepartmentFactory(directorate=planning, name="Τμήμα Ευρωπαϊκών Προγραμμάτων")
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    secretary.set_password("correct-horse-battery")
    secretary.save()
    totp_device_for(secretary)

    page.goto("/accounts/login/")
    assert_accessible(page)
    login("secretary")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Καλώς ήρθατε"))
    assert_accessible(page)

    page.get_by_role("navigation", name="Κύρια πλοήγηση").get_by_role(
        "link", name="Οργανόγραμμα"
    ).click()
    expect(page.get_by_role("heading", name="Οργανόγραμμα", level=1)).to_be_visible()
    expect(page.get_by_text("Τμήμα Ευρωπαϊκών Προγραμμάτων")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Διεύθυνση Προγραμματισμού").click()
    expect(page.get_by_role("heading", name="Διεύθυνση Προγραμματισμού", level=1)).to_be_visible()
    assert_accessible(page)


def test_pages_fit_a_phone_screen(page, login, browser, live_server):
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    secretary.set_password("correct-horse-battery")
    secretary.save()  # no app yet: the login helper goes through the set-up
    page.set_viewport_size({"width": 375, "height": 740})
    login("secretary")
    page.goto("/organisation/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    menu_link = page.get_by_role("navigation", name="Κύρια πλοήγηση").get_by_role(
        "link", name="Οργανόγραμμα"
    )
    expect(menu_link).to_be_hidden()
    page.get_by_role("button", name="Εμφάνιση ή απόκρυψη του μενού").click()
    expect(menu_link).to_be_visible()
    assert_accessible(page)
