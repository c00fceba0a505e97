"""A head of department opens the evaluation statements, downloads an employee's statement as
PDF, downloads the national platform's sheet, changes the employee's target in it and uploads it
back: a preview, then the change saved."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
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
    StaffGoalFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_downloads_a_statement_and_brings_the_platforms_sheet_back(page, login, tmp_path):
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    department = DepartmentFactory(directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης")
    head = person(
        "head-prog-org",
        directorate=planning,
        department=department,
        roles=[Role.HEAD_OF_DEPARTMENT],
    )
    department.head = head
    department.save()
    employee = person(
        "staff-prog-org",
        first_name="Νίκος",
        last_name="Αλεξίου",
        directorate=planning,
        department=department,
        roles=[Role.STAFF],
    )
    cycle = GoalCycleFactory(year=2024, phase="evaluation")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-04", status="adopted")
    allocation = AllocationFactory(goal=goal, department=department, deadline=goal.deadline)
    staff_goal = StaffGoalFactory(
        allocation=allocation,
        employee=employee,
        title="Ψηφιοποίηση φακέλων",
        target=40,
        deadline=datetime.date(2024, 12, 31),
    )

    login("head-prog-org")
    page.get_by_role("link", name="Καταστάσεις").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Καταστάσεις αξιολόγησης")
    assert_accessible(page)
    saved = tmp_path / "statements.html"
    saved.write_text(page.content(), encoding="utf-8")
    assert html_problems({str(saved): page.url}) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF Νίκος Αλεξίου").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    with page.expect_download() as download:
        page.get_by_role("link", name="Λήψη (.xlsx)").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    row = next(
        number
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        if values[0] == f"S-{staff_goal.pk}"
    )
    sheet.cell(row, 7).value = 45  # the target value
    edited = io.BytesIO()
    workbook.save(edited)

    page.get_by_role("link", name="Ανέβασμα του διορθωμένου φύλλου").click()
    assert_accessible(page)
    page.get_by_label("Βιβλίο εργασίας (.xlsx)").set_input_files(
        {
            "name": "entypo.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": edited.getvalue(),
        }
    )
    page.get_by_role("button", name="Έλεγχος του αρχείου").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Έλεγχος των αλλαγών")
    expect(page.get_by_text("Ψηφιοποίηση φακέλων")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Επιβεβαίωση της εισαγωγής").click()
    expect(page.get_by_text("Άλλαξε 1 στόχος.")).to_be_visible()
    staff_goal.refresh_from_db()
    assert staff_goal.target == 45
    assert StaffGoal.history.filter(id=staff_goal.pk).count() == 2
