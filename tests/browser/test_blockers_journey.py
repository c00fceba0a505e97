"""A head raises a blocker on a goal and escalates it; the General Secretary finds it among the
suggestions for the next meeting and puts it on the agenda."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import GoalBlocker
from tests.browser.conftest import assert_accessible
from tests.browser.test_meeting_papers_journey import person
from tests.factories import DirectorateFactory, GoalCycleFactory, GoalFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_escalates_a_blocker_that_reaches_the_agenda(page, login):
    person("secretary", roles=[Role.GENERAL_SECRETARY])
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    head = person("head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = head
    planning.save()
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-04", status="adopted")
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=7))

    login("head-prog")
    page.goto(goal.get_absolute_url())
    page.get_by_role("link", name="Καταχώριση κινδύνου ή εμποδίου").click()
    assert_accessible(page)
    page.get_by_label("Εμπόδιο", exact=True).check()
    page.get_by_label("Τι εμποδίζει").fill("Δεν έχει ανανεωθεί η σύμβαση συντήρησης")
    page.get_by_label("Επίπτωση στον στόχο").fill("Οι μετρήσεις σταμάτησαν")
    page.get_by_label(re.compile(r"^\s*Από\W*$")).fill("2024-09-01")
    page.get_by_role("button", name="Καταχώριση", exact=True).click()
    expect(page.get_by_text("Ο κίνδυνος ή το εμπόδιο καταχωρίστηκε στον στόχο.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Κλιμάκωση στον/στη Γενικό/ή Γραμματέα").click()
    expect(page.get_by_text("Το εμπόδιο κλιμακώθηκε")).to_be_visible()
    assert GoalBlocker.objects.get().status == "escalated"

    page.context.clear_cookies()
    login("secretary")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Πρόταση ημερήσιας διάταξης").click()
    proposal = "Εμπόδιο στον στόχο PROG-04: Δεν έχει ανανεωθεί η σύμβαση συντήρησης"
    expect(page.get_by_text(proposal, exact=True)).to_be_visible()
    page.get_by_role("button", name="Αποδοχή της πρότασης").click()
    expect(page.locator("#agenda")).to_contain_text(proposal)
    assert_accessible(page)
