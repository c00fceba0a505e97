"""Evaluation statements: a unit's and a person's goals of a year with targets, final values,
achievement, justification and evidence, as PDF and workbook, for those who may read them."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from directorates.roles import Role
from goals.models import Allocation
from tests.factories import (
    AllocationFactory,
    GoalFactory,
    ProgressUpdateFactory,
    StaffGoalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def workbook_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


def url(name: str, key, cycle) -> str:
    return reverse(f"goals:{name}", args=[key]) + f"?cycle={cycle.pk}"


def test_directorate_statement_has_goals_targets_final_values_and_evidence(
    client_for, secretary, evaluated
):
    response = client_for(secretary).get(url("statement_directorate_xlsx", "PROG", evaluated.cycle))
    assert response.status_code == 200
    rows = workbook_rows(response.content)
    prog_01 = next(row for row in rows if row[0] == "PROG-01")
    assert prog_01[1] == evaluated.goal.title
    assert prog_01[6] == 150  # target
    assert prog_01[10] == 140  # final value
    assert prog_01[11] == 80  # achievement
    assert prog_01[12] == "Έλλειψη προσωπικού."
    assert prog_01[13] == "μητρώο-αιτήσεων.pdf"
    assert any(row[0] == "PROG-02" for row in rows)
    assert not any(row[0] == "OIK-01" for row in rows)
    heading = " ".join(str(row[0]) for row in rows[:6])
    assert "2024" in heading
    assert "Παππά" in " ".join(str(row[0]) for row in rows[:8])  # the acting period


def test_directorate_statement_pdf_has_the_greek_administrative_heading(
    client_for, secretary, evaluated
):
    response = client_for(secretary).get(url("statement_directorate_pdf", "PROG", evaluated.cycle))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ" in text
    assert "ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ" in text
    assert "2024" in text
    assert "Προϊστάμενος Διεύθυνσης" in text
    assert "Έλλειψη προσωπικού." in text
    assert "αιτήσεων.pdf" in text
    assert "1 Μαρτίου 2024" in text  # the acting period, the month in the genitive


def test_department_statement_has_its_share_its_target_and_latest_value(
    client_for, head_of_planning, evaluated
):
    response = client_for(head_of_planning).get(
        url("statement_department_xlsx", "PROG-ORG", evaluated.cycle)
    )
    assert response.status_code == 200
    prog_01 = next(row for row in workbook_rows(response.content) if row[0] == "PROG-01")
    assert prog_01[9] == 100  # share
    assert prog_01[10] == 140  # the department's latest value
    assert prog_01[12] == "Καθυστέρηση προμήθειας."


def test_head_statement_covers_the_units_they_stood_in_for_with_the_period(
    client_for, secretary, evaluated
):
    stand_in = evaluated.stand_in
    response = client_for(secretary).get(url("statement_person_pdf", stand_in.pk, evaluated.cycle))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Παππά" in text
    assert "PROG-01" in text
    assert "30 Απριλίου 2024" in text
    assert "Απόφαση Δημάρχου 45/2024" in text


def test_head_statement_lists_their_own_unit(client_for, head_of_planning, evaluated):
    response = client_for(head_of_planning).get(
        url("statement_person_xlsx", head_of_planning.pk, evaluated.cycle)
    )
    assert response.status_code == 200
    codes = {row[0] for row in workbook_rows(response.content)}
    assert {"PROG-01", "PROG-02"} <= codes
    assert "OIK-01" not in codes


def test_a_statement_title_follows_the_persons_gender(client_for, secretary, evaluated):
    head = evaluated.goal.directorate.head
    head.gender = "female"
    head.save()
    response = client_for(secretary).get(url("statement_person_pdf", head.pk, evaluated.cycle))
    assert "Προϊσταμένη Διεύθυνσης" in pdf_text(response.content)


@pytest.mark.parametrize(
    ("person", "name", "key", "status"),
    [
        ("mayor", "statement_directorate_pdf", "PROG", 200),
        ("deputy", "statement_department_xlsx", "PROG-ORG", 200),
        ("head_of_department", "statement_department_pdf", "PROG-ORG", 200),
        ("head_of_department", "statement_directorate_pdf", "PROG", 404),
        ("head_of_finance", "statement_directorate_pdf", "PROG", 404),
        ("head_of_finance", "statement_department_xlsx", "PROG-ORG", 404),
        ("staff", "statement_directorate_xlsx", "PROG", 404),
        ("staff", "statement_department_pdf", "PROG-ORG", 404),
    ],
)
def test_who_downloads_a_units_statement(request, client_for, evaluated, person, name, key, status):
    user = request.getfixturevalue(person)
    assert client_for(user).get(url(name, key, evaluated.cycle)).status_code == status


@pytest.mark.parametrize(
    ("reader", "subject", "status"),
    [
        ("staff", "staff", 200),  # the person
        ("head_of_department", "staff", 200),  # their evaluator
        ("head_of_planning", "staff", 200),  # the head above
        ("head_of_planning", "head_of_department", 200),
        ("secretary", "head_of_planning", 200),
        ("admin_user", "staff", 200),
        ("mayor", "staff", 404),  # a unit's statement, yes; a person's, no
        ("deputy", "head_of_planning", 404),
        ("head_of_department", "head_of_planning", 404),
        ("staff", "head_of_department", 404),
        ("head_of_finance", "staff", 404),
    ],
)
def test_who_downloads_a_persons_statement(
    request,
    client_for,
    evaluated,
    head_of_finance,
    mayor,
    deputy,
    admin_user,
    reader,
    subject,
    status,
):
    user, person = request.getfixturevalue(reader), request.getfixturevalue(subject)
    response = client_for(user).get(url("statement_person_pdf", person.pk, evaluated.cycle))
    assert response.status_code == status


def test_an_unknown_cycle_is_a_404(client_for, secretary, evaluated):
    response = client_for(secretary).get(
        reverse("goals:statement_directorate_pdf", args=["PROG"]) + "?cycle=999999"
    )
    assert response.status_code == 404


def test_the_list_offers_a_head_their_units_and_people(client_for, head_of_planning, evaluated):
    response = client_for(head_of_planning).get(reverse("goals:statements"))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("goals:statement_directorate_pdf", args=["PROG"]) in page
    assert reverse("goals:statement_department_pdf", args=["PROG-ORG"]) in page
    assert reverse("goals:statement_directorate_pdf", args=["OIK"]) not in page
    assert reverse("goals:statement_person_pdf", args=[evaluated.stand_in.pk]) in page
    assert reverse("goals:national_xlsx") in page


def test_the_list_offers_staff_only_their_own(client_for, staff, head_of_department, evaluated):
    response = client_for(staff).get(reverse("goals:statements"))
    page = response.content.decode()
    assert reverse("goals:statement_person_pdf", args=[staff.pk]) in page
    assert reverse("goals:statement_person_pdf", args=[head_of_department.pk]) not in page
    assert reverse("goals:statement_department_pdf", args=["PROG-ORG"]) not in page
    assert reverse("goals:national_xlsx") not in page


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_whatever_the_number_of_units_and_people(
    client_for, secretary, evaluated, django_assert_num_queries
):
    client = client_for(secretary)
    address = reverse("goals:statements")
    few = _queries(client, address)
    for number in range(12):
        department = AllocationFactory(goal=evaluated.other_goal).department
        UserFactory(directorate=department.directorate, department=department)
        UserFactory(directorate=evaluated.finance_goal.directorate, roles=[Role.STAFF])
        assert number >= 0
    with django_assert_num_queries(few):
        client.get(address)


def test_a_units_statement_runs_the_same_queries_whatever_its_number_of_goals(
    client_for, secretary, evaluated, django_assert_num_queries
):
    client = client_for(secretary)
    address = url("statement_directorate_xlsx", "PROG", evaluated.cycle)
    few = _queries(client, address)
    for number in range(10):
        goal = GoalFactory(
            cycle=evaluated.cycle,
            directorate=evaluated.goal.directorate,
            code=f"PROG-{number + 10}",
            status="adopted",
        )
        ProgressUpdateFactory(goal=goal, value=number)
    with django_assert_num_queries(few):
        client.get(address)


def test_an_employees_statement_lists_their_own_goals(
    client_for, head_of_department, staff, evaluated
):
    allocation = Allocation.objects.get(goal=evaluated.goal)
    StaffGoalFactory(
        allocation=allocation,
        employee=staff,
        title="Ψηφιοποίηση φακέλων",
        target=40,
        final_value=30,
        evaluated_at=timezone.now(),
        year_end_comment="Καλή πρόοδος.",
    )
    response = client_for(head_of_department).get(
        url("statement_person_pdf", staff.pk, evaluated.cycle)
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Ψηφιοποίηση φακέλων" in text
    assert "Καλή πρόοδος." in text
    assert "50%" in text  # 20 → 40, reached 30
    rows = workbook_rows(
        client_for(staff).get(url("statement_person_xlsx", staff.pk, evaluated.cycle)).content
    )
    own = next(row for row in rows if row[1] == "Ψηφιοποίηση φακέλων")
    assert own[10] == 30
    assert own[11] == 50
