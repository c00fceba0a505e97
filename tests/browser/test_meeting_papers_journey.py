"""From the invitation to the briefing pack: a head answers that a deputy attends in their
place, the General Secretary reads the expected attendance, makes the pack and downloads it,
and follows a goal of the agenda to its trend."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directorates.roles import Role
from meetings.models import Rsvp
from tests.browser.conftest import assert_accessible
from tests.factories import (
    AgendaItemFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.set_password("correct-horse-battery")
    user.save()
    return user


def test_a_head_sends_a_deputy_and_the_secretary_sends_the_pack(page, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person("secretary", roles=[Role.GENERAL_SECRETARY])
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    head = person(
        "head-prog",
        first_name="Νίκος",
        last_name="Σπανουδάκης",
        directorate=planning,
        roles=[Role.HEAD_OF_DIRECTORATE],
    )
    planning.head = head
    planning.save()
    department = DepartmentFactory(directorate=planning, name="Τμήμα Οργάνωσης")
    deputy = UserFactory(
        first_name="Ελένη", last_name="Μαρκάκη", directorate=planning, department=department
    )
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=9))
    goal = GoalFactory(directorate=planning, code="PROG-01", status="adopted")
    for month, value in [(3, 110), (6, 130)]:
        ProgressUpdateFactory(goal=goal, value=value, measured_on=datetime.date(2024, month, 30))
    AgendaItemFactory(meeting=meeting, title="Απορρόφηση προγραμμάτων").goals.add(goal)

    login("head-prog")
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_role("heading", name="Θα παραστείτε;")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Αναπληρωτής/τρια που θα παραστεί στη θέση μου").select_option(
        label=str(deputy)
    )
    page.get_by_role("button", name="Ορισμός αναπληρωτή").click()
    expect(page.get_by_text("Η απάντησή σας καταχωρίστηκε.")).to_be_visible()
    expect(page.get_by_text(f"Αναπληρωτής/τρια: {deputy}.")).to_be_visible()
    assert Rsvp.objects.get().deputy == deputy
    assert_accessible(page)

    page.context.clear_cookies()
    login("secretary")
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_text("Με αναπληρωτή: 1")).to_be_visible()
    page.get_by_role("button", name="Σύνταξη και αποστολή του σημειώματος τώρα").click()
    expect(page.get_by_text("Το ενημερωτικό σημείωμα συντάχθηκε και αποστέλλεται.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ενημερωτικό σημείωμα (PDF)").click()
    assert download.value.suggested_filename == f"enimerosi-{meeting.date:%Y-%m-%d}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="PROG-01").click()
    expect(page.get_by_role("heading", name="Εξέλιξη των τιμών του δείκτη")).to_be_visible()
    page.get_by_text("Οι τιμές των μετρήσεων σε πίνακα").click()
    expect(page.get_by_role("cell", name="130")).to_be_visible()
    assert_accessible(page)
