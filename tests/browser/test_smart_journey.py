"""The General Secretary follows the SMART warnings of the draft from the consultation's overview
to the goal list, the goal's page and the draft decision; another directorate's head does not
see them."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directorates.roles import Role
from goals.services.decisions import prepare_decision
from tests.browser.conftest import assert_accessible
from tests.browser.test_meeting_papers_journey import person
from tests.factories import DirectorateFactory, GoalCycleFactory, GoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_follows_the_smart_warnings_of_the_draft(page, login):
    secretary = person("secretary", roles=[Role.GENERAL_SECRETARY])
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    finance = DirectorateFactory(code="OIK", name="Διεύθυνση Οικονομικών Υπηρεσιών")
    head = person("head-oik", directorate=finance, roles=[Role.HEAD_OF_DIRECTORATE])
    finance.head = head
    finance.save()
    cycle = GoalCycleFactory(year=2024, open=True)
    warned = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-07",
        title="Διοργάνωση ημερίδας για την ανακύκλωση",
        weight=100,
    )
    GoalFactory(cycle=cycle, directorate=finance, code="OIK-07", weight=100)

    login("secretary")
    page.goto(reverse("goals:consultation"))
    assert_accessible(page)
    page.get_by_role("link", name="1 · Διεύθυνση Προγραμματισμού").click()
    expect(page.get_by_role("link", name="Διοργάνωση ημερίδας για την ανακύκλωση")).to_be_visible()
    expect(page.get_by_role("link", name="Ταχύτερη εξυπηρέτηση")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="1 προειδοποίηση SMART").click()
    expect(page.get_by_role("heading", name="Έλεγχος SMART")).to_be_visible()
    expect(page.get_by_text("Ο τίτλος περιγράφει ενέργεια και όχι αποτέλεσμα")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    draft = prepare_decision(cycle=cycle, by=secretary)
    page.goto(draft.get_absolute_url())
    expect(page.get_by_role("heading", name="Εκκρεμείς προειδοποιήσεις SMART")).to_be_visible()
    expect(page.get_by_role("link", name="PROG-07 · Διοργάνωση ημερίδας")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    login("head-oik")
    page.goto(warned.get_absolute_url())
    expect(page.get_by_role("heading", name=warned.title)).to_be_visible()
    expect(page.get_by_role("heading", name="Έλεγχος SMART")).to_have_count(0)
