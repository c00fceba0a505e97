import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from goals.models import Goal
from tests.factories import AllocationFactory, GoalCycleFactory, GoalFactory, ProgressUpdateFactory
from tests.goals.spreadsheet_helpers import read_back, upload

pytestmark = pytest.mark.django_db

EXPORT_XLSX = reverse("goals:export_xlsx")
EXPORT_CSV = reverse("goals:export_csv")


def as_dicts(rows: list[tuple]) -> list[dict]:
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def test_export_has_greek_headers_typed_cells_and_a_frozen_header(client_for, staff, planning):
    cycle = GoalCycleFactory(year=2024)
    GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-01",
        title="Ψηφιοποίηση διαδικασιών",
        baseline=Decimal("4.5"),
        target=12,
        deadline=datetime.date(2024, 6, 30),
    )

    response = client_for(staff).get(EXPORT_XLSX)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Στόχοι"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width > 30
    [row] = as_dicts(read_back(response.content))
    assert row["Κωδικός"] == "PROG-01"
    assert row["Τίτλος"] == "Ψηφιοποίηση διαδικασιών"
    assert row["Διεύθυνση"] == "Διεύθυνση Προγραμματισμού"
    assert row["Κατηγορία"] == "Παρεχόμενες υπηρεσίες"
    assert row["Τιμή βάσης"] == 4.5
    assert row["Βαρύτητα"] == 10
    assert row["Προθεσμία"] == datetime.datetime(2024, 6, 30)
    assert sheet["M2"].number_format == "dd/mm/yyyy"


def test_export_follows_the_goal_list_filters(client_for, staff, planning, finance):
    cycle = GoalCycleFactory(year=2024)
    GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    GoalFactory(cycle=cycle, directorate=finance, code="OIK-01", category="skills")
    GoalFactory(cycle=GoalCycleFactory(year=2023), directorate=planning, code="OLD-01")
    client = client_for(staff)

    def codes(**filters):
        response = client.get(EXPORT_XLSX, {"cycle": cycle.pk, **filters})
        return [row["Κωδικός"] for row in as_dicts(read_back(response.content))]

    assert codes() == ["PROG-01", "OIK-01"] or codes() == ["OIK-01", "PROG-01"]
    assert codes(directorate=finance.pk) == ["OIK-01"]
    assert codes(category="services") == ["PROG-01"]
    assert codes(q="prog") == ["PROG-01"]


def test_export_speaks_english_to_an_english_user(client_for, staff, planning):
    GoalFactory(cycle=GoalCycleFactory(year=2024), directorate=planning)
    staff.language = "en"
    staff.save()

    # The request activates English; the override gives the next test its language back.
    with translation.override("el"):
        response = client_for(staff).get(EXPORT_XLSX)

    header = read_back(response.content)[0]
    assert header[:3] == ("Year", "Code", "Directorate")
    assert as_dicts(read_back(response.content))[0]["Directorate"] == "Planning"


def test_csv_is_utf8_with_a_bom_in_the_greek_conventions(client_for, staff, planning):
    GoalFactory(
        cycle=GoalCycleFactory(year=2024),
        directorate=planning,
        code="PROG-01",
        title="Ταχύτερη έκδοση πιστοποιητικών",
        baseline=Decimal("3.5"),
        target=1,
        target_kind="decrease",
    )

    response = client_for(staff).get(EXPORT_CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, row = response.content.decode("utf-8-sig").splitlines()
    assert header.startswith("Έτος;Κωδικός;Διεύθυνση;")
    assert ";Ταχύτερη έκδοση πιστοποιητικών;" in row
    assert ";3,5;1;2024-12-31;" in row


def test_a_text_that_looks_like_a_formula_stays_text(client_for, staff, planning):
    GoalFactory(
        cycle=GoalCycleFactory(year=2024), directorate=planning, title='=HYPERLINK("http://x")'
    )
    client = client_for(staff)

    workbook = load_workbook(io.BytesIO(client.get(EXPORT_XLSX).content))
    cell = workbook.worksheets[0]["F2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    csv_text = client.get(EXPORT_CSV).content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in csv_text
    assert ';"=' not in csv_text and ";=" not in csv_text


def test_export_shows_decision_allocations_latest_value_and_achievement(
    client_for, head_of_planning, adopted
):
    AllocationFactory(goal=adopted.goal, department=adopted.department, share=100, target=150)
    ProgressUpdateFactory(
        goal=adopted.goal,
        value=125,
        measured_on=datetime.date(2024, 6, 30),
        author=head_of_planning,
    )

    response = client_for(head_of_planning).get(EXPORT_XLSX, {"cycle": adopted.cycle.pk})

    row = next(r for r in as_dicts(read_back(response.content)) if r["Κωδικός"] == "PROG-01")
    with translation.override("el"):
        assert row["Απόφαση έγκρισης"] == str(adopted.decision)
    assert row["ΑΔΑ"] == "Ψ4ΚΣΩΗΓ-3ΞΛ"
    assert adopted.department.name in row["Επιμερισμοί"]
    assert row["Τελευταία τιμή"] == 125
    assert row["Ημερομηνία μέτρησης"] == datetime.datetime(2024, 6, 30)
    assert row["Επίτευξη (%)"] == 50


def test_another_directorates_progress_is_left_out(client_for, head_of_finance, adopted):
    ProgressUpdateFactory(goal=adopted.goal, value=125, measured_on=datetime.date(2024, 6, 30))

    response = client_for(head_of_finance).get(EXPORT_XLSX, {"cycle": adopted.cycle.pk})

    rows = {r["Κωδικός"]: r for r in as_dicts(read_back(response.content))}
    assert rows["PROG-01"]["ΑΔΑ"] == "Ψ4ΚΣΩΗΓ-3ΞΛ"
    assert rows["PROG-01"]["Τελευταία τιμή"] is None
    assert rows["PROG-01"]["Επίτευξη (%)"] is None


def test_export_runs_the_same_queries_for_few_goals_and_many(client_for, mayor, planning, finance):
    cycle = GoalCycleFactory(year=2024)
    client = client_for(mayor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(EXPORT_XLSX, {"cycle": cycle.pk}).status_code == 200
        return len(context.captured_queries)

    GoalFactory(cycle=cycle, directorate=planning, participating_directorates=[finance])
    few = queries()
    for _ in range(15):
        goal = GoalFactory(cycle=cycle, directorate=finance, participating_directorates=[planning])
        AllocationFactory(goal=goal)
        ProgressUpdateFactory(goal=goal)
    assert queries() == few


def test_export_then_import_of_the_export_changes_nothing(client_for, secretary, planning, finance):
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    GoalFactory(
        cycle=cycle, directorate=planning, code="PROG-01", participating_directorates=[finance]
    )
    GoalFactory(
        cycle=cycle,
        directorate=finance,
        code="OIK-01",
        target_kind="decrease",
        baseline=90,
        target=60,
    )
    GoalFactory(
        cycle=cycle,
        directorate=finance,
        code="OIK-02",
        target_kind="milestone",
        baseline=None,
        target=None,
        description="",
    )
    GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-02",
        target_kind="percentage",
        baseline=Decimal("45.5"),
        target=70,
        status="proposed",
    )
    client = client_for(secretary)
    before = (list(Goal.objects.values().order_by("pk")), Goal.history.count())

    exported = client.get(EXPORT_XLSX, {"cycle": cycle.pk}).content
    response = client.post(reverse("goals:import"), {"cycle": cycle.pk, "file": upload(exported)})

    plan = response.context["plan"]
    assert plan.errors == []
    assert len(plan.unchanged) == 4
    assert not plan.has_changes
    assert (list(Goal.objects.values().order_by("pk")), Goal.history.count()) == before


@pytest.mark.skipif(
    not shutil.which("libreoffice"), reason="LibreOffice is installed by scripts/test"
)
def test_libreoffice_converts_the_export_with_the_greek_intact(
    client_for, staff, planning, tmp_path
):
    GoalFactory(
        cycle=GoalCycleFactory(year=2024),
        directorate=planning,
        code="PROG-01",
        title="Ψηφιοποίηση διαδικασιών – «Στοχοθεσία»",
    )
    (tmp_path / "goals.xlsx").write_bytes(client_for(staff).get(EXPORT_XLSX).content)

    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "goals.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    text = (tmp_path / "goals.csv").read_text(encoding="utf-8")
    assert "Κωδικός" in text
    assert "Ψηφιοποίηση διαδικασιών – «Στοχοθεσία»" in text
    assert "Διεύθυνση Προγραμματισμού" in text
    assert "2024" in text


def test_anonymous_people_are_sent_to_log_in(client):
    assert client.get(EXPORT_XLSX).status_code == 302


def test_directorate_workbook_has_a_sheet_per_category_and_the_decision(
    client_for, head_of_planning, adopted
):
    ProgressUpdateFactory(
        goal=adopted.goal,
        value=125,
        measured_on=datetime.date(2024, 6, 30),
        author=head_of_planning,
    )
    url = reverse("goals:report_xlsx", kwargs={"code": "PROG"})

    response = client_for(head_of_planning).get(url, {"cycle": adopted.cycle.pk})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Σύνοψη",
        "Παρεχόμενες υπηρεσίες",
        "Εσωτερική οργάνωση και λειτουργ",
    ]
    services_rows = read_back(response.content, "Παρεχόμενες υπηρεσίες")
    assert "ΑΔΑ Ψ4ΚΣΩΗΓ-3ΞΛ" in services_rows[1][0]
    header_at = next(i for i, row in enumerate(services_rows) if row[0] == "Κωδικός")
    assert workbook["Παρεχόμενες υπηρεσίες"].freeze_panes == f"A{header_at + 2}"
    goal_row = dict(zip(services_rows[header_at], services_rows[header_at + 1], strict=True))
    assert (goal_row["Κωδικός"], goal_row["Τελευταία τιμή"], goal_row["Επίτευξη (%)"]) == (
        "PROG-01",
        125,
        50,
    )
    summary = read_back(response.content, "Σύνοψη")
    assert summary[-1][0] == "Όλοι οι στόχοι"


def test_another_directorates_workbook_is_not_found(client_for, head_of_finance, mayor, adopted):
    url = reverse("goals:report_xlsx", kwargs={"code": "PROG"})
    assert client_for(head_of_finance).get(url).status_code == 404
    assert client_for(mayor).get(url).status_code == 200


def test_csv_follows_the_english_conventions_for_an_english_user(client_for, staff, planning):
    GoalFactory(cycle=GoalCycleFactory(year=2024), directorate=planning, baseline=Decimal("3.5"))
    staff.language = "en"
    staff.save()

    with translation.override("el"):  # the request activates English: not for the next test
        response = client_for(staff).get(EXPORT_CSV)
    header, row = response.content.decode("utf-8-sig").splitlines()

    assert header.startswith("Year,Code,Directorate,")
    assert ",3.5,150,2024-12-31," in row
