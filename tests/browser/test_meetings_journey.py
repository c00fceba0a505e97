import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from directorates.roles import Role
from meetings.models import Attendance, Meeting
from tests.browser.conftest import assert_accessible
from tests.factories import DirectorateFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_schedules_builds_an_agenda_and_records_a_meeting(page, login):
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    secretary.set_password("correct-horse-battery")
    secretary.save()
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    head = UserFactory(
        username="head-prog", first_name="Νίκος", last_name="Σπανουδάκης", directorate=planning
    )
    planning.head = head
    planning.save()
    # The series starts two weeks back, so that its first meeting can be recorded today.
    today = timezone.localdate()
    first_date = today - datetime.timedelta(days=14 + today.weekday())

    login("secretary")
    page.get_by_role("navigation", name="Κύρια πλοήγηση").get_by_role(
        "link", name="Συσκέψεις"
    ).click()
    expect(page.get_by_role("heading", name="Συντονιστικές συσκέψεις", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Νέα σειρά συσκέψεων").click()
    assert_accessible(page)
    page.get_by_label("Πρώτη ημερομηνία").fill(first_date.isoformat())
    page.get_by_label("Αριθμός συσκέψεων").fill("3")
    page.get_by_role("button", name="Αποθήκευση").click()
    expect(page.get_by_text("Η σειρά δημιουργήθηκε με 3 συσκέψεις")).to_be_visible()
    assert_accessible(page)

    meeting = Meeting.objects.order_by("date").first()
    with translation.override("el"):
        day = date_format(meeting.date, "DATE_FORMAT")
    page.get_by_role("link", name=day).click()
    expect(page.get_by_role("heading", name="Ημερήσια διάταξη")).to_be_visible()
    assert_accessible(page)

    for title in ["Ανακύκλωση", "Πληρωμές προμηθευτών"]:
        page.get_by_role("link", name="Προσθήκη θέματος").click()
        page.get_by_label("Τίτλος").fill(title)
        page.get_by_label("Εισηγητής").select_option(label=str(head))
        page.get_by_role("button", name="Αποθήκευση").click()
        expect(page.get_by_text("Το θέμα προστέθηκε στην ημερήσια διάταξη.")).to_be_visible()
    assert_accessible(page)

    # Reordering with the keyboard swaps the list in place (no page reload) and keeps the
    # focus on the moved item: its "Down" button, now that it is at the top.
    page.evaluate("window.stillTheSamePage = true")
    up = page.get_by_role("button", name=re.compile("^Πάνω.*Πληρωμές προμηθευτών"))
    up.focus()
    page.keyboard.press("Enter")
    items = page.locator("#agenda li")
    expect(items.first).to_contain_text("Πληρωμές προμηθευτών")
    expect(items.nth(1)).to_contain_text("Ανακύκλωση")
    assert page.evaluate("window.stillTheSamePage") is True
    moved = meeting.agenda_items.get(title="Πληρωμές προμηθευτών")
    assert page.evaluate("document.activeElement.id") == f"move-down-{moved.pk}"
    assert_accessible(page)

    page.get_by_role("link", name="Καταγραφή παρουσιών").click()
    assert_accessible(page)
    page.get_by_role("group", name=str(head)).get_by_label("Δικαιολογημένη απουσία").check()
    page.get_by_role("button", name="Αποθήκευση παρουσιών").click()
    expect(page.get_by_text("Η παρουσία καταγράφηκε.")).to_be_visible()
    expect(page.get_by_text("Παρόντες 1, απόντες 0, δικαιολογημένα απόντες 1")).to_be_visible()
    assert_accessible(page)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.attendances.get(person=head).status == Attendance.Status.EXCUSED
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Πληρωμές προμηθευτών",
        "Ανακύκλωση",
    ]
