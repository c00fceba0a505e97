"""The national platform's sheet: each evaluator's rows in the Ministry form's fields, as .xlsx
and CSV, imported back with a preview, in one transaction, for the rows they evaluate only."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from goals.models import Allocation, StaffGoal
from goals.statements.national import NATIONAL_COLUMNS
from tests.factories import AllocationFactory, StaffGoalFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Κωδικός γραμμής",
    "Αξιολογούμενος/η",
    "ΑΦΜ ή αριθμός μητρώου",
    "Οργανική μονάδα",
    "Στόχος",
    "Δείκτης μέτρησης",
    "Τιμή-στόχος",
    "Προθεσμία",
    "Κατηγορία στόχου",
    "Τελική τιμή",
    "Επίτευξη (%)",
]


@pytest.fixture
def staff_goal(evaluated, staff):
    """The employee's goal serving their department's share of PROG-01: 20 → 40."""
    allocation = Allocation.objects.get(goal=evaluated.goal)
    return StaffGoalFactory(
        allocation=allocation, employee=staff, title="Ψηφιοποίηση φακέλων", target=40
    )


def export(client, cycle, fmt="xlsx"):
    name = "goals:national_xlsx" if fmt == "xlsx" else "goals:national_csv"
    return client.get(reverse(name) + f"?cycle={cycle.pk}")


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def rows_of(response) -> list[tuple]:
    return list(sheet_of(response).iter_rows(values_only=True))


def upload(client, cycle, worksheet):
    output = io.BytesIO()
    worksheet.parent.save(output)
    file = SimpleUploadedFile(
        "form.xlsx",
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return client.post(reverse("goals:national_import"), {"cycle": cycle.pk, "file": file})


def confirm(client, response):
    token = response.context["token"]
    assert token
    return client.post(reverse("goals:national_import_confirm"), {"token": token})


def column(key: str) -> int:
    """The 1-based position of a column of the sheet."""
    return [c.key for c in NATIONAL_COLUMNS].index(key) + 1


def row_of(worksheet, reference: str) -> int:
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if values[0] == reference:
            return number
    raise AssertionError(reference)


def test_the_sheet_has_the_forms_fields_in_order(client_for, secretary, evaluated):
    rows = rows_of(export(client_for(secretary), evaluated.cycle))
    assert list(rows[0]) == HEADERS


def test_the_secretary_evaluates_the_heads_of_directorates_on_their_goals(
    client_for, secretary, head_of_planning, evaluated
):
    head_of_planning.registry_number = "123456789"
    head_of_planning.save()
    rows = rows_of(export(client_for(secretary), evaluated.cycle))[1:]
    prog_01 = next(row for row in rows if row[0] == f"G-{evaluated.goal.pk}")
    assert prog_01[1] == str(head_of_planning)
    assert prog_01[2] == "123456789"
    assert prog_01[4] == evaluated.goal.title
    assert prog_01[6] == 150
    assert prog_01[8] == "Παρεχόμενες υπηρεσίες"
    assert prog_01[10] == 80
    # Finance has no head: nobody to evaluate on its goal.
    assert not any(row[0] == f"G-{evaluated.finance_goal.pk}" for row in rows)


def test_a_head_evaluates_the_heads_of_departments_and_not_the_staff_below_them(
    client_for, head_of_planning, head_of_department, staff_goal, evaluated
):
    rows = rows_of(export(client_for(head_of_planning), evaluated.cycle))[1:]
    allocation = Allocation.objects.get(goal=evaluated.goal)
    department_row = next(row for row in rows if row[0] == f"A-{allocation.pk}")
    assert department_row[1] == str(head_of_department)
    assert department_row[2] == head_of_department.username  # no registry number held
    assert not any(row[0].startswith("S-") for row in rows)  # the department's head does
    assert not any(row[0].startswith("G-") for row in rows)


def test_a_head_of_department_evaluates_their_staff_on_their_own_goals(
    client_for, head_of_department, staff, staff_goal, evaluated
):
    rows = rows_of(export(client_for(head_of_department), evaluated.cycle))[1:]
    assert [row[0] for row in rows] == [f"S-{staff_goal.pk}"]
    assert rows[0][1] == str(staff)
    assert rows[0][4] == "Ψηφιοποίηση φακέλων"
    assert rows[0][6] == 40


def test_the_csv_has_the_same_columns_in_greek_conventions(
    client_for, head_of_department, staff_goal, evaluated
):
    response = export(client_for(head_of_department), evaluated.cycle, fmt="csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == HEADERS
    assert f"S-{staff_goal.pk};" in lines[1]


def test_staff_and_the_mayor_have_no_sheet(client_for, staff, mayor, evaluated):
    assert export(client_for(staff), evaluated.cycle).status_code == 403
    assert export(client_for(mayor), evaluated.cycle).status_code == 403


def test_round_trip_changes_the_target_and_final_value_with_history(
    client_for, head_of_department, staff_goal, evaluated
):
    client = client_for(head_of_department)
    worksheet = sheet_of(export(client, evaluated.cycle))
    row = row_of(worksheet, f"S-{staff_goal.pk}")
    worksheet.cell(row, column("target")).value = 50
    worksheet.cell(row, column("final_value")).value = 35
    response = upload(client, evaluated.cycle, worksheet)
    assert response.status_code == 200
    assert [c.platform_row.reference for c in response.context["plan"].to_change] == [
        f"S-{staff_goal.pk}"
    ]
    staff_goal.refresh_from_db()
    assert staff_goal.target == 40  # nothing saved by the preview
    assert confirm(client, response).status_code == 302
    staff_goal.refresh_from_db()
    assert staff_goal.target == 50
    assert staff_goal.final_value == 35
    assert staff_goal.achievement == Decimal("50.0")  # 20 → 50, reached 35
    assert staff_goal.evaluated_by == head_of_department
    assert staff_goal.version == 2
    assert staff_goal.history.count() == 2


def test_the_sheet_as_exported_changes_nothing(client_for, head_of_planning, staff_goal, evaluated):
    client = client_for(head_of_planning)
    response = upload(client, evaluated.cycle, sheet_of(export(client, evaluated.cycle)))
    plan = response.context["plan"]
    assert plan.errors == []
    assert plan.unchanged >= 1
    assert not plan.to_change
    assert response.context["token"] == ""


def test_a_units_goal_is_only_read(client_for, head_of_planning, evaluated):
    client = client_for(head_of_planning)
    worksheet = sheet_of(export(client, evaluated.cycle))
    allocation = Allocation.objects.get(goal=evaluated.goal)
    worksheet.cell(row_of(worksheet, f"A-{allocation.pk}"), column("target")).value = 999
    response = upload(client, evaluated.cycle, worksheet)
    errors = response.context["plan"].errors
    assert [error.column for error in errors] == ["Τιμή-στόχος"]
    assert "Δημάρχου" in errors[0].message
    assert response.context["token"] == ""
    allocation.refresh_from_db()
    assert allocation.target == 150


def test_an_achievement_typed_over_is_refused(
    client_for, head_of_department, staff_goal, evaluated
):
    client = client_for(head_of_department)
    worksheet = sheet_of(export(client, evaluated.cycle))
    worksheet.cell(row_of(worksheet, f"S-{staff_goal.pk}"), column("achievement")).value = 90
    response = upload(client, evaluated.cycle, worksheet)
    assert [error.column for error in response.context["plan"].errors] == ["Επίτευξη (%)"]


def test_rows_of_someone_the_uploader_does_not_evaluate_are_refused(
    client_for, head_of_department, staff_goal, evaluated
):
    colleague = UserFactory(directorate=evaluated.goal.directorate, department=evaluated.department)
    other_head = UserFactory(
        directorate=evaluated.goal.directorate,
        department=evaluated.department,
        roles=["head_of_department"],
    )
    worksheet = sheet_of(export(client_for(head_of_department), evaluated.cycle))
    row = row_of(worksheet, f"S-{staff_goal.pk}")
    worksheet.cell(row, column("target")).value = 70
    # A colleague of the same department does not evaluate the employee.
    response = upload(client_for(colleague), evaluated.cycle, worksheet)
    assert response.status_code == 403
    # Nor does the person whose number is typed in place of the employee's.
    worksheet.cell(row, column("identifier")).value = other_head.username
    response = upload(client_for(head_of_department), evaluated.cycle, worksheet)
    assert [error.column for error in response.context["plan"].errors] == ["Κωδικός γραμμής"]
    staff_goal.refresh_from_db()
    assert staff_goal.target == 40


def test_a_goal_changed_after_the_preview_is_not_overwritten(
    client_for, head_of_department, staff_goal, evaluated
):
    client = client_for(head_of_department)
    worksheet = sheet_of(export(client, evaluated.cycle))
    worksheet.cell(row_of(worksheet, f"S-{staff_goal.pk}"), column("target")).value = 50
    response = upload(client, evaluated.cycle, worksheet)
    StaffGoal.objects.filter(pk=staff_goal.pk).update(deadline=staff_goal.deadline, version=5)
    confirmed = confirm(client, response)
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("goals:national_import")
    staff_goal.refresh_from_db()
    assert staff_goal.target == 40
    assert staff_goal.version == 5


def test_final_values_wait_for_the_evaluation(client_for, head_of_department, adopted, staff):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    staff_goal = StaffGoalFactory(allocation=allocation, employee=staff)
    client = client_for(head_of_department)
    worksheet = sheet_of(export(client, adopted.cycle))
    worksheet.cell(row_of(worksheet, f"S-{staff_goal.pk}"), column("final_value")).value = 30
    response = upload(client, adopted.cycle, worksheet)
    assert [error.column for error in response.context["plan"].errors] == ["Τελική τιμή"]
