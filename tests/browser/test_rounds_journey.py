"""The General Secretary opens last month's reporting round (refused first, the directorates
given no more working days than their departments) and follows who has reported on its
tracker, on a desktop and on a phone, with axe-core and the Nu checker."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import ReportingRound
from tests.browser.conftest import assert_accessible, html_problems
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    ProgressUpdateFactory,
    UserFactory,
    issued_adoption,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(username: str, **kwargs):
    user = UserFactory(username=username, **kwargs)
    user.set_password("correct-horse-battery")
    user.save()
    return user


def test_the_secretary_opens_a_round_and_sees_who_has_reported(page, login, tmp_path):
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    department = DepartmentFactory(directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης")
    planning.head = person("head-prog", first_name="Νίκος", directorate=planning)
    planning.save()
    cycle = GoalCycleFactory(year=last_month.year, phase="consultation")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    mayor = person("mayor", roles=[Role.MAYOR])
    issued_adoption(
        cycle=cycle, goals=[goal], mayor=mayor, decision_date=datetime.date(last_month.year, 1, 20)
    )
    goal.refresh_from_db()
    allocation = AllocationFactory(goal=goal, department=department)
    ProgressUpdateFactory(goal=goal, allocation=allocation, measured_on=last_month)
    person("secretary", first_name="Αργυρώ", roles=[Role.GENERAL_SECRETARY])

    login("secretary")
    page.goto("/rounds/")
    assert_accessible(page)
    page.get_by_role("link", name="Άνοιγμα κύκλου αναφοράς").click()
    expect(page.get_by_label("Μήνας")).to_have_value(str(last_month.month))
    assert_accessible(page)
    page.get_by_label("Εργάσιμες ημέρες για τα τμήματα").fill("8")
    page.get_by_label("Εργάσιμες ημέρες για τις διευθύνσεις").fill("5")
    page.get_by_role("button", name="Άνοιγμα του κύκλου").click()
    expect(page.get_by_text("ορίστε περισσότερες εργάσιμες ημέρες").first).to_be_visible()
    assert_accessible(page)
    assert not ReportingRound.objects.exists()

    page.get_by_label("Εργάσιμες ημέρες για τα τμήματα").fill("5")
    page.get_by_label("Εργάσιμες ημέρες για τις διευθύνσεις").fill("8")
    page.get_by_role("button", name="Άνοιγμα του κύκλου").click()
    round_ = ReportingRound.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Κύκλος αναφοράς {round_.title}")
    expect(page.get_by_role("status")).to_contain_text("άνοιξε")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name="Τμήμα Οργάνωσης")).to_contain_text("1 από 1")
    expect(table.get_by_role("row", name="Διεύθυνση Προγραμματισμού")).to_contain_text("Νίκος")
    assert_accessible(page)
    file = tmp_path / "round.html"
    file.write_text(page.content(), encoding="utf-8")

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    assert_accessible(page)
    assert html_problems({str(file): "the round's tracker"}) == []
