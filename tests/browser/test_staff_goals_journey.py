"""A head of department sets an employee's goal from the department's goal (the indicator and
unit filled in from it), and the employee acknowledges it: each page checked with axe and the
Nu Html Checker."""

import re

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import StaffGoal
from tests.browser.conftest import assert_accessible, html_problems
from tests.browser.test_meeting_papers_journey import person
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_page(page, tmp_path, name: str, files: dict[str, str]) -> None:
    saved = tmp_path / f"{name}.html"
    saved.write_text(page.content(), encoding="utf-8")
    files[str(saved)] = page.url


def test_a_head_of_department_sets_a_goal_that_the_employee_acknowledges(page, login, tmp_path):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    department = DepartmentFactory(directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης")
    person(
        "head-prog-org",
        first_name="Χρυσούλα",
        last_name="Αντωνάκη",
        directorate=planning,
        department=department,
        roles=[Role.HEAD_OF_DEPARTMENT],
    )
    employee = person(
        "staff-prog-org",
        first_name="Κατερίνα",
        last_name="Σηφάκη",
        directorate=planning,
        department=department,
        roles=[Role.STAFF],
    )
    cycle = GoalCycleFactory(year=2024, phase="monitoring")
    goal = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-01",
        title="Ψηφιοποίηση του αρχείου αποφάσεων",
        indicator="Αποφάσεις που ψηφιοποιήθηκαν",
        unit_of_measure="αποφάσεις",
        status="adopted",
    )
    AllocationFactory(goal=goal, department=department, target=400)
    files: dict[str, str] = {}

    login("head-prog-org")
    page.goto("/staff-goals/")
    assert_accessible(page)
    save_page(page, tmp_path, "staff", files)
    page.get_by_role("link", name=re.compile("Ορισμός στόχων · Κατερίνα Σηφάκη")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Ορισμός στόχου").click()
    page.get_by_label(re.compile(r"^\s*Στόχος που υπηρετεί")).select_option(
        label=f"PROG-01 {goal.title}"
    )
    # The indicator and unit come from the goal served.
    expect(page.get_by_label(re.compile(r"^\s*Δείκτης μέτρησης"))).to_have_value(goal.indicator)
    expect(page.get_by_label(re.compile(r"^\s*Μονάδα μέτρησης"))).to_have_value("αποφάσεις")
    page.get_by_label(re.compile(r"^\s*Τίτλος")).fill("Ψηφιοποίηση των αποφάσεων του 2019")
    page.get_by_label(re.compile(r"^\s*Τιμή βάσης")).fill("0")
    page.get_by_label(re.compile(r"^\s*Τιμή-στόχος")).fill("120")
    page.get_by_label(re.compile(r"^\s*Βαρύτητα")).fill("110")
    page.get_by_role("button", name="Αποθήκευση").click()
    # Refused with a message on the field: the weights of a year add up to 100.
    expect(page.locator("#error_1_id_weight")).to_contain_text("θα αθροίζουν 110")
    assert page.title().startswith("Σφάλμα: ")
    assert_accessible(page)
    save_page(page, tmp_path, "form-errors", files)
    page.get_by_label(re.compile(r"^\s*Βαρύτητα")).fill("100")
    page.get_by_role("button", name="Αποθήκευση").click()
    expect(
        page.get_by_text("Ο στόχος ορίστηκε. Ο υπάλληλος καλείται να λάβει γνώση.")
    ).to_be_visible()
    assert_accessible(page)
    save_page(page, tmp_path, "person", files)
    staff_goal = StaffGoal.objects.get(employee=employee)
    assert staff_goal.indicator == goal.indicator and staff_goal.weight == 100

    page.context.clear_cookies()
    login("staff-prog-org")
    page.get_by_role("button", name=str(employee)).click()  # the person's own menu
    page.get_by_role("link", name="Οι στόχοι μου").click()
    expect(page.get_by_text("Δεν έχει λάβει γνώση ακόμη")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Έλαβα γνώση του στόχου")).click()
    expect(page.get_by_text("Λάβατε γνώση του στόχου.")).to_be_visible()
    assert_accessible(page)
    save_page(page, tmp_path, "my-goals", files)
    staff_goal.refresh_from_db()
    assert staff_goal.acknowledged_at is not None
    page.get_by_role("link", name=re.compile("^Ιστορικό")).click()
    expect(page.get_by_role("heading", name="Ιστορικό αλλαγών")).to_be_visible()
    assert_accessible(page)
    save_page(page, tmp_path, "goal", files)

    assert html_problems(files) == []
