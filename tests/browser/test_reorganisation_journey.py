"""The General Secretary maps the units of a new ΟΕΥ: a department splits in two, the map is saved,
an incomplete choice is refused in Greek, then the map applies and the chart of a past date still
shows the old department."""

import datetime

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import Allocation
from tests.browser.conftest import assert_accessible
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    OrganisationActFactory,
    UserFactory,
    totp_device_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_maps_a_split_department_and_applies_it(page, login):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    act = OrganisationActFactory(
        title="Οργανισμός Εσωτερικής Υπηρεσίας Δήμου Ηρακλείου",
        gazette_issue="ΦΕΚ Β' 3120/2024",
        effective_on=datetime.date(2024, 6, 3),
    )
    old = DepartmentFactory(
        directorate=planning, name="Τμήμα Προγραμματισμού και Οργάνωσης", abolished_by_act=act
    )
    DepartmentFactory(directorate=planning, name="Τμήμα Προγραμματισμού", created_by_act=act)
    DepartmentFactory(directorate=planning, name="Τμήμα Οργάνωσης", created_by_act=act)
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    allocation = AllocationFactory(
        goal__cycle=cycle, goal__directorate=planning, goal__code="PROG-01", department=old
    )
    UserFactory(
        username="staff",
        first_name="Μαρίνα",
        last_name="Γιαννακάκη",
        directorate=planning,
        department=old,
        roles=[Role.STAFF],
    )
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    secretary.set_password("correct-horse-battery")
    secretary.save()
    totp_device_for(secretary)
    login("secretary")

    page.goto("/organisation/")
    page.get_by_role("link", name="Αλλαγές του ΟΕΥ").click()
    assert_accessible(page)
    page.get_by_role("link", name="Οργανισμός Εσωτερικής Υπηρεσίας Δήμου Ηρακλείου").click()
    assert_accessible(page)

    page.get_by_label("Τμήμα Προγραμματισμού και Οργάνωσης").select_option(
        label=["Τμήμα Προγραμματισμού", "Τμήμα Οργάνωσης"]
    )
    page.get_by_role("button", name="Αποθήκευση της αντιστοίχισης").click()
    expect(page.get_by_text("Η αντιστοίχιση αποθηκεύτηκε.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("PROG-01", exact=False).select_option(label="Τμήμα Οργάνωσης")
    page.get_by_role("button", name="Εφαρμογή της αντιστοίχισης").click()
    expect(page.get_by_text("Επιλέξτε πού μεταφέρεται.", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("PROG-01", exact=False).select_option(label="Τμήμα Οργάνωσης")
    page.get_by_label("Μαρίνα Γιαννακάκη").select_option(label="Τμήμα Προγραμματισμού")
    page.get_by_role("button", name="Εφαρμογή της αντιστοίχισης").click()
    expect(page.get_by_text("Ο νέος ΟΕΥ εφαρμόζεται")).to_be_visible()
    assert_accessible(page)
    assert Allocation.objects.get(pk=allocation.pk).department.name == "Τμήμα Οργάνωσης"

    page.goto("/organisation/")
    page.get_by_label("Μονάδες σε ισχύ στις").fill("2024-05-31")
    page.get_by_role("button", name="Εμφάνιση").click()
    expect(page.get_by_text("Τμήμα Προγραμματισμού και Οργάνωσης")).to_be_visible()
    expect(page.get_by_text("Οι μονάδες που ίσχυαν στις 31 Μαΐου 2024.")).to_be_visible()
    assert_accessible(page)
