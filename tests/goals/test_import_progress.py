import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from goals.models import Goal, ProgressUpdate
from goals.sheets.progress_import import (
    PROGRESS_COLUMNS_BY_KEY,
    _refusal_column,
    import_progress,
    plan_progress_import,
)
from tests.factories import AllocationFactory, ProgressUpdateFactory
from tests.goals.spreadsheet_helpers import read_back, upload

pytestmark = pytest.mark.django_db

WORKBOOK = reverse("goals:progress_workbook")
IMPORT = reverse("goals:progress_import")
CONFIRM = reverse("goals:progress_import_confirm")
JUNE = datetime.date(2024, 6, 30)


@pytest.fixture
def allocation(adopted, head_of_planning):
    return AllocationFactory(
        goal=adopted.goal, department=adopted.department, share=100, target=150, baseline=100
    )


def filled_in(content: bytes, rows: dict[tuple[str, str], list]) -> bytes:
    """The downloaded workbook with new value, date, progress and comment in the given rows."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    first_new = header.index("Νέα τιμή") + 1
    for row in sheet.iter_rows(min_row=2):
        key = (row[0].value, row[1].value or "")
        for offset, value in enumerate(rows.get(key, [])):
            sheet.cell(row=row[0].row, column=first_new + offset, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_head_downloads_their_goals_and_allocations_with_the_latest_values(
    client_for, head_of_planning, adopted, allocation
):
    ProgressUpdateFactory(goal=adopted.goal, value=110, measured_on=JUNE, author=head_of_planning)

    response = client_for(head_of_planning).get(WORKBOOK)

    assert response.status_code == 200
    header, *rows = read_back(response.content)
    assert header[:2] == ("Κωδικός", "Τμήμα")
    by_key = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_key) == {("PROG-01", None), ("PROG-01", "Τμήμα Οργάνωσης"), ("PROG-02", None)}
    assert by_key[("PROG-01", None)]["Τελευταία τιμή"] == 110
    assert by_key[("PROG-01", "Τμήμα Οργάνωσης")]["Ποσοστό συμμετοχής (%)"] == 100


def test_head_previews_and_confirms_new_values_each_recorded_with_its_author(
    client_for, head_of_planning, adopted, allocation
):
    client = client_for(head_of_planning)
    content = filled_in(
        client.get(WORKBOOK).content,
        {
            ("PROG-01", ""): [130, JUNE, "Εντός χρονοδιαγράμματος", "Πάμε καλά"],
            ("PROG-01", "Τμήμα Οργάνωσης"): [125, JUNE, "Σε κίνδυνο"],
        },
    )

    response = client.post(IMPORT, {"cycle": adopted.cycle.pk, "file": upload(content)})

    plan = response.context["plan"]
    assert (len(plan.to_record), plan.errors) == (2, [])
    assert not ProgressUpdate.objects.exists()

    response = client.post(CONFIRM, {"token": response.context["token"]})

    assert response.status_code == 302
    whole, department = (
        ProgressUpdate.objects.get(allocation=None),
        ProgressUpdate.objects.get(allocation=allocation),
    )
    assert (whole.value, whole.status, whole.comment) == (130, "on_track", "Πάμε καλά")
    assert (department.value, department.status) == (125, "at_risk")
    assert {whole.author, department.author} == {head_of_planning}


def test_rows_of_another_directorate_are_errors_and_nothing_is_recorded(
    client_for, head_of_planning, adopted
):
    from tests.goals.spreadsheet_helpers import workbook_bytes

    content = workbook_bytes(
        [
            ["Κωδικός", "Τμήμα", "Νέα τιμή", "Ημερομηνία της νέας τιμής", "Πρόοδος"],
            ["PROG-01", None, 120, JUNE, "Εντός χρονοδιαγράμματος"],
            ["OIK-01", None, 120, JUNE, "Εντός χρονοδιαγράμματος"],
        ],
        title="Πρόοδος",
    )

    response = client_for(head_of_planning).post(
        IMPORT, {"cycle": adopted.cycle.pk, "file": upload(content)}
    )

    [error] = response.context["plan"].errors
    assert (error.row, error.column) == (3, "Κωδικός")
    assert "ανήκει σε άλλη διεύθυνση" in error.message
    assert response.context["token"] == ""
    assert not ProgressUpdate.objects.exists()


def test_the_progress_rules_are_reported_on_their_row(
    client_for, head_of_planning, head_of_department, adopted, allocation
):
    client = client_for(head_of_planning)
    content = filled_in(
        client.get(WORKBOOK).content,
        {
            ("PROG-01", ""): [130, datetime.date(2023, 12, 31), "Εντός χρονοδιαγράμματος"],
            ("PROG-02", ""): ["πολλά", JUNE, "Εντός χρονοδιαγράμματος"],
            ("PROG-01", "Τμήμα Οργάνωσης"): [125, JUNE, "Τέλεια"],
        },
    )

    response = client.post(IMPORT, {"cycle": adopted.cycle.pk, "file": upload(content)})

    errors = {(e.row, e.column): e.message for e in response.context["plan"].errors}
    assert "έτος της στοχοθεσίας" in errors[(2, "Ημερομηνία της νέας τιμής")]
    assert "Επιλέξτε την πρόοδο" in errors[(3, "Πρόοδος")]
    assert "αριθμό" in errors[(4, "Νέα τιμή")]
    assert not ProgressUpdate.objects.exists()


def test_a_head_of_department_reports_only_on_their_allocations(
    client_for, head_of_department, adopted, allocation
):
    client = client_for(head_of_department)
    content = client.get(WORKBOOK).content
    assert [row[:2] for row in read_back(content)[1:]] == [("PROG-01", "Τμήμα Οργάνωσης")]

    from tests.goals.spreadsheet_helpers import workbook_bytes

    forged = workbook_bytes(
        [
            ["Κωδικός", "Τμήμα", "Νέα τιμή", "Ημερομηνία της νέας τιμής", "Πρόοδος"],
            ["PROG-01", "Τμήμα Οργάνωσης", 120, JUNE, "Εντός χρονοδιαγράμματος"],
            ["PROG-01", None, 120, JUNE, "Εντός χρονοδιαγράμματος"],
        ]
    )
    response = client.post(IMPORT, {"cycle": adopted.cycle.pk, "file": upload(forged)})

    [error] = response.context["plan"].errors
    assert error.row == 3
    assert len(response.context["plan"].to_record) == 1


def test_a_failure_while_confirming_records_nothing(
    client_for, head_of_planning, adopted, allocation
):
    rows = [
        {
            "row": 2,
            "values": {
                "code": "PROG-01",
                "department": "",
                "new_value": 130,
                "new_measured_on": JUNE,
                "new_status": "on_track",
                "comment": "",
            },
        },
        {
            "row": 3,
            "values": {
                "code": "PROG-02",
                "department": "",
                "new_value": 70,
                "new_measured_on": JUNE,
                "new_status": "behind",
                "comment": "",
            },
        },
    ]
    plan = plan_progress_import(cycle=adopted.cycle, rows=rows, by=head_of_planning)
    assert (len(plan.to_record), plan.errors) == (2, [])
    Goal.objects.filter(pk=adopted.other_goal.pk).update(status="withdrawn")

    with pytest.raises(ValidationError, match="Γραμμή 3"):
        import_progress(plan=plan, by=head_of_planning)

    assert not ProgressUpdate.objects.exists()


def test_the_same_file_twice_records_nothing_the_second_time(
    client_for, head_of_planning, adopted, allocation
):
    client = client_for(head_of_planning)
    content = filled_in(
        client.get(WORKBOOK).content, {("PROG-01", ""): [130, JUNE, "Εντός χρονοδιαγράμματος"]}
    )
    response = client.post(IMPORT, {"cycle": adopted.cycle.pk, "file": upload(content)})
    client.post(CONFIRM, {"token": response.context["token"]})

    response = client.post(IMPORT, {"cycle": adopted.cycle.pk, "file": upload(content)})

    plan = response.context["plan"]
    assert (len(plan.to_record), len(plan.already_recorded)) == (0, 1)
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize("person", ["staff", "mayor", "deputy", "secretary", "admin_user"])
def test_only_heads_report_progress_in_bulk(
    request, client_for, head_of_planning, head_of_finance, adopted, person
):
    # Every directorate has its head: a headless one's duties would fall to the General
    # Secretary.
    client = client_for(request.getfixturevalue(person))
    assert client.get(WORKBOOK).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


@pytest.mark.parametrize("language", ["en", "el"])
def test_a_refused_date_points_to_the_date_column_in_either_language(
    language, head_of_planning, adopted
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    rows = [
        {
            "row": 2,
            "values": {
                "code": "PROG-01",
                "new_value": 130,
                "new_status": "on_track",
                "new_measured_on": datetime.date(2023, 12, 31),
            },
        },
        {
            "row": 3,
            "values": {
                "code": "PROG-02",
                "new_value": 70,
                "new_status": "on_track",
                "new_measured_on": tomorrow,
            },
        },
    ]
    with translation.override(language):
        plan = plan_progress_import(cycle=adopted.cycle, rows=rows, by=head_of_planning)
        date_column = str(PROGRESS_COLUMNS_BY_KEY["new_measured_on"].header)
    assert [(e.row, e.column) for e in plan.errors] == [(2, date_column), (3, date_column)]
    assert not plan.to_record


def test_a_refusal_finds_its_column_by_its_code_not_its_wording():
    worded_otherwise = ValidationError("Η μέτρηση είναι μεταγενέστερη.", code="measured_in_future")
    assert _refusal_column(worded_otherwise) == PROGRESS_COLUMNS_BY_KEY["new_measured_on"].header
    assert _refusal_column(ValidationError("Other.")) == PROGRESS_COLUMNS_BY_KEY["code"].header
