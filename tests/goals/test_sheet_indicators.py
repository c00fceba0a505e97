"""Every indicator of a goal in the spreadsheets: the goal workbook's sheet of further
indicators (export, template, import), the progress sheet's rows of further indicators, and the
evaluation workbook."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from goals.models import Goal, GoalIndicator, IndicatorValue, ProgressUpdate
from goals.services.monitoring import record_progress
from goals.services.yearend import save_final_value
from goals.sheets import goal_import
from goals.sheets.indicator_sheet import FURTHER_COLUMNS
from tests.factories import GoalCycleFactory, GoalFactory, GoalIndicatorFactory
from tests.goals.spreadsheet_helpers import GREEK_HEADERS, read_back, upload
from tests.goals.test_import_goals import goal_row

pytestmark = pytest.mark.django_db

EXPORT_XLSX = reverse("goals:export_xlsx")
IMPORT = reverse("goals:import")
CONFIRM = reverse("goals:import_confirm")
SHEET = "Πρόσθετοι δείκτες μέτρησης"


@pytest.fixture
def cycle(db):
    return GoalCycleFactory(year=2024, phase="drafting")


def further_headers() -> list[str]:
    with translation.override("el"):
        return [str(column.header) for column in FURTHER_COLUMNS]


def indicator_row(code="PROG-01", name="Ικανοποίηση πολιτών", **overrides) -> list:
    values = {
        "code": code,
        "name": name,
        "unit": "%",
        "kind": "Ποσοστό",
        "baseline": 50,
        "target": 90,
        "weight": 40,
    }
    values.update(overrides)
    return list(values.values())


def two_sheets(goal_rows: list[list], indicator_rows: list[list] | None) -> bytes:
    """A goal workbook: the goal sheet and, unless None, the further indicators' sheet."""
    workbook = Workbook(write_only=True)
    goals = workbook.create_sheet("Στόχοι")
    for row in [GREEK_HEADERS, *goal_rows]:
        goals.append(row)
    if indicator_rows is not None:
        further = workbook.create_sheet(SHEET)
        for row in [further_headers(), *indicator_rows]:
            further.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def preview(client, cycle, content: bytes):
    return client.post(IMPORT, {"cycle": cycle.pk, "file": upload(content)})


def test_new_goals_are_imported_with_their_further_indicators(
    client_for, secretary, planning, cycle
):
    client = client_for(secretary)
    content = two_sheets(
        [goal_row("PROG-01"), goal_row("PROG-02")],
        [
            indicator_row("PROG-01", "Ικανοποίηση πολιτών", weight=30),
            indicator_row(
                "prog-01",
                "Χρόνος απάντησης",
                unit="ημέρες",
                kind="Αριθμός προς μείωση",
                baseline=20,
                target=10,
                weight=20,
            ),
        ],
    )

    response = preview(client, cycle, content)

    assert response.context["plan"].errors == []
    assert "Χρόνος απάντησης: τιμή-στόχος 10, βαρύτητα 20" in response.content.decode()
    assert not GoalIndicator.objects.exists()
    assert client.post(CONFIRM, {"token": response.context["token"]}).status_code == 302
    goal = Goal.objects.get(code="PROG-01")
    first, second = goal.extra_indicators.order_by("order")
    assert (first.name, first.weight, first.target_kind) == (
        "Ικανοποίηση πολιτών",
        30,
        "percentage",
    )
    assert (second.name, second.unit_of_measure, second.target) == (
        "Χρόνος απάντησης",
        "ημέρες",
        10,
    )
    assert second.target_kind == "decrease" and second.order == 2
    assert first.history.get().history_user == secretary
    assert not Goal.objects.get(code="PROG-02").extra_indicators.exists()


def test_what_the_export_writes_the_import_reads_back_and_a_changed_sheet_updates(
    client_for, secretary, planning, cycle
):
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    kept = GoalIndicatorFactory(goal=goal, name="Ικανοποίηση πολιτών", weight=30)
    GoalIndicatorFactory(
        goal=goal, name="Παράπονα", target_kind="decrease", baseline=40, target=20, weight=20
    )
    client = client_for(secretary)
    exported = client.get(EXPORT_XLSX, {"cycle": cycle.pk}).content
    assert read_back(exported, SHEET)[1:] == [
        ("PROG-01", "Ικανοποίηση πολιτών", "%", "Ποσοστό", 50, 90, 30),
        ("PROG-01", "Παράπονα", "%", "Αριθμός προς μείωση", 40, 20, 20),
    ]

    response = preview(client, cycle, exported)
    assert response.context["plan"].errors == []
    assert not response.context["plan"].has_changes

    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook[SHEET]
    sheet["G2"] = 45  # a new weight for the first, the second removed, a third added
    sheet.delete_rows(3)
    sheet.append(["PROG-01", "Δημοσιεύσεις", "", "Ορόσημο (ναι/όχι)", None, None, 10])
    output = io.BytesIO()
    workbook.save(output)

    response = preview(client, cycle, output.getvalue())
    plan = response.context["plan"]
    assert plan.errors == []
    [planned] = plan.to_update
    [(column, old, new)] = planned.changes
    assert column == SHEET and "Παράπονα" in old and "Δημοσιεύσεις" in new
    assert "Δημοσιεύσεις" in response.content.decode()
    client.post(CONFIRM, {"token": response.context["token"]})
    names = list(goal.extra_indicators.order_by("order").values_list("name", "weight"))
    assert names == [("Ικανοποίηση πολιτών", 45), ("Δημοσιεύσεις", 10)]
    assert goal.extra_indicators.get(name="Ικανοποίηση πολιτών").pk == kept.pk
    goal.refresh_from_db()
    assert goal.version == 2


def test_a_workbook_without_the_sheet_leaves_the_further_indicators_as_they_are(
    client_for, secretary, planning, cycle
):
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", title="Παλιός")
    GoalIndicatorFactory(goal=goal, weight=30)

    response = preview(client_for(secretary), cycle, two_sheets([goal_row("PROG-01")], None))

    [planned] = response.context["plan"].to_update
    assert planned.indicators is None
    assert all(column != SHEET for column, _old, _new in planned.changes)


def test_unknown_codes_weights_and_non_numbers_are_refused_by_row_and_column_in_greek(
    client_for, secretary, planning, cycle
):
    content = two_sheets(
        [goal_row("PROG-01"), goal_row("PROG-02")],
        [
            indicator_row("PROG-09"),
            indicator_row("PROG-01", "Α", weight=60),
            indicator_row("PROG-01", "Β", weight=50),
            indicator_row("PROG-02", "Γ", target="πολλά"),
            indicator_row("PROG-02", "Δ", baseline=None, kind=""),
            indicator_row("PROG-02", "Ε", kind="Αριθμός προς αύξηση", baseline=20, target=10),
        ],
    )

    response = preview(client_for(secretary), cycle, content)

    plan = response.context["plan"]
    errors = {(e.row, e.column.split(" (")[0]): e.message for e in plan.errors}
    assert "δεν έχει τον κωδικό «PROG-09»" in errors[(2, "Κωδικός στόχου")]
    assert "100" in errors[(3, "Βαρύτητα δείκτη")]
    assert "αριθμό" in errors[(5, "Τιμή-στόχος")]
    assert "είδος" in errors[(6, "Είδος στόχου")].lower()
    assert (7, "Τιμή-στόχος") in errors
    assert all("φύλλο «Πρόσθετοι δείκτες μέτρησης»" in e.column for e in plan.errors)
    assert response.context["token"] == ""
    assert "δεν έχει τον κωδικό" in response.content.decode()


def test_a_weight_outside_1_to_99_is_refused(client_for, secretary, planning, cycle):
    content = two_sheets([goal_row("PROG-01")], [indicator_row(weight=0)])

    plan = preview(client_for(secretary), cycle, content).context["plan"]

    [error] = plan.errors
    assert error.row == 2 and "1" in error.message and "99" in error.message


def test_nothing_is_saved_when_saving_an_indicator_fails_midway(
    client_for, secretary, planning, cycle, monkeypatch
):
    client = client_for(secretary)
    content = two_sheets(
        [goal_row("PROG-01"), goal_row("PROG-02")],
        [indicator_row("PROG-01"), indicator_row("PROG-02")],
    )
    token = preview(client, cycle, content).context["token"]
    save = goal_import.save_indicators
    calls = []

    def fails_the_second_time(**kwargs):
        calls.append(kwargs["goal"].code)
        if len(calls) == 2:
            raise ValidationError("Η βάση δεδομένων δεν απάντησε.")
        return save(**kwargs)

    monkeypatch.setattr(goal_import, "save_indicators", fails_the_second_time)

    response = client.post(CONFIRM, {"token": token})

    assert response.status_code == 302 and calls == ["PROG-01", "PROG-02"]
    assert not Goal.objects.exists()
    assert not GoalIndicator.objects.exists()


def test_the_template_has_the_further_indicators_sheet_and_its_instructions(
    client_for, secretary, planning, cycle
):
    response = client_for(secretary).get(reverse("goals:import_template"), {"cycle": cycle.pk})

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Στόχοι", SHEET]
    assert list(read_back(response.content, SHEET)[0]) == further_headers()
    instructions = " ".join(str(c) for row in read_back(response.content, 2) for c in row if c)
    assert "Βαρύτητα δείκτη (φύλλο «Πρόσθετοι δείκτες μέτρησης»)" in instructions


# --- Progress ---------------------------------------------------------------------------------
@pytest.fixture
def measured(adopted):
    adopted.indicator = GoalIndicatorFactory(
        goal=adopted.goal, name="Ικανοποίηση πολιτών", baseline=50, target=90, weight=40
    )
    return adopted


def fill_rows(content: bytes, rows: dict[tuple[str, str, str], list]) -> bytes:
    """The progress workbook with new values in the rows (code, department, indicator)."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    first_new, indicator = header.index("Νέα τιμή") + 1, header.index("Δείκτης μέτρησης")
    for row in sheet.iter_rows(min_row=2):
        key = (row[0].value, row[1].value or "", row[indicator].value)
        for offset, value in enumerate(rows.get(key, [])):
            sheet.cell(row=row[0].row, column=first_new + offset, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


PROGRESS_WORKBOOK = reverse("goals:progress_workbook")
PROGRESS_IMPORT = reverse("goals:progress_import")
PROGRESS_CONFIRM = reverse("goals:progress_import_confirm")
JUNE = "30/06/2024"


def test_the_progress_sheet_has_a_row_per_further_indicator_with_its_latest_value(
    client_for, head_of_planning, measured
):
    record_progress(
        goal=measured.goal,
        by=head_of_planning,
        value=Decimal(120),
        measured_on=datetime.date(2024, 5, 31),
        status="on_track",
        indicator_values={measured.indicator.pk: Decimal(66)},
    )

    content = client_for(head_of_planning).get(PROGRESS_WORKBOOK).content

    header, *rows = read_back(content)
    by_indicator = {
        row[3]: dict(zip(header, row, strict=True)) for row in rows if row[0] == "PROG-01"
    }
    further = by_indicator["Ικανοποίηση πολιτών"]
    assert further["Τελευταία τιμή"] == 66 and further["Τιμή-στόχος"] == 90
    assert by_indicator[measured.goal.indicator]["Τελευταία τιμή"] == 120


def test_head_reports_every_indicator_in_the_sheet_and_the_values_are_stored(
    client_for, head_of_planning, measured
):
    client = client_for(head_of_planning)
    content = fill_rows(
        client.get(PROGRESS_WORKBOOK).content,
        {
            ("PROG-01", "", measured.goal.indicator): [130, JUNE, "Εντός χρονοδιαγράμματος"],
            ("PROG-01", "", "Ικανοποίηση πολιτών"): [75],
        },
    )

    response = client.post(PROGRESS_IMPORT, {"cycle": measured.cycle.pk, "file": upload(content)})

    plan = response.context["plan"]
    assert plan.errors == []
    [planned] = plan.to_record
    assert planned.indicator_values == {measured.indicator.pk: Decimal(75)}
    assert "Ικανοποίηση πολιτών: 75" in response.content.decode()
    client.post(PROGRESS_CONFIRM, {"token": response.context["token"]})
    update = ProgressUpdate.objects.get()
    assert update.value == 130
    assert update.indicator_values.get().value == 75


def test_a_missing_or_orphan_further_value_is_an_error_and_nothing_is_recorded(
    client_for, head_of_planning, measured
):
    client = client_for(head_of_planning)
    workbook = client.get(PROGRESS_WORKBOOK).content
    missing = fill_rows(
        workbook, {("PROG-01", "", measured.goal.indicator): [130, JUNE, "Εντός χρονοδιαγράμματος"]}
    )
    orphan = fill_rows(workbook, {("PROG-01", "", "Ικανοποίηση πολιτών"): [75]})
    not_a_number = fill_rows(
        workbook,
        {
            ("PROG-01", "", measured.goal.indicator): [130, JUNE, "Εντός χρονοδιαγράμματος"],
            ("PROG-01", "", "Ικανοποίηση πολιτών"): ["πολύ"],
        },
    )

    for content, words in (
        (missing, "λείπει"),
        (orphan, "γραμμή του στόχου"),
        (not_a_number, "αριθμό"),
    ):
        response = client.post(
            PROGRESS_IMPORT, {"cycle": measured.cycle.pk, "file": upload(content)}
        )
        [error] = response.context["plan"].errors
        assert words in error.message and error.column == "Νέα τιμή"
        assert response.context["token"] == ""
    assert not ProgressUpdate.objects.exists() and not IndicatorValue.objects.exists()


def test_a_head_reports_no_further_indicator_of_another_directorate(
    client_for, head_of_finance, measured
):
    client = client_for(head_of_finance)
    content = client.get(PROGRESS_WORKBOOK).content
    assert all(row[0] != "PROG-01" for row in read_back(content)[1:])
    header = read_back(content)[0]
    sheet = Workbook(write_only=True)
    rows = sheet.create_sheet("Πρόοδος")
    rows.append(list(header))
    blank = [None] * len(header)
    main = list(blank)
    main[0], main[3] = "PROG-01", measured.goal.indicator
    main[header.index("Νέα τιμή") : header.index("Νέα τιμή") + 3] = [
        130,
        JUNE,
        "Εντός χρονοδιαγράμματος",
    ]
    further = list(blank)
    further[0], further[3], further[header.index("Νέα τιμή")] = "PROG-01", "Ικανοποίηση πολιτών", 75
    rows.append(main)
    rows.append(further)
    output = io.BytesIO()
    sheet.save(output)

    response = client.post(
        PROGRESS_IMPORT, {"cycle": measured.cycle.pk, "file": upload(output.getvalue())}
    )

    messages = " ".join(e.message for e in response.context["plan"].errors)
    assert "άλλη διεύθυνση" in messages or "άλλης διεύθυνσης" in messages
    assert not ProgressUpdate.objects.exists()


# --- The evaluation workbook --------------------------------------------------------------------
def test_the_evaluation_workbook_has_a_row_per_further_indicator_with_its_values(
    client_for, head_of_planning, measured
):
    record_progress(
        goal=measured.goal,
        by=head_of_planning,
        value=Decimal(125),
        measured_on=datetime.date(2024, 5, 31),
        status="on_track",
        indicator_values={measured.indicator.pk: Decimal(70)},
    )
    url = reverse("goals:report_xlsx", args=["PROG"])

    content = client_for(head_of_planning).get(url, {"cycle": measured.cycle.pk}).content

    workbook = load_workbook(io.BytesIO(content))
    rows = [
        row
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] == "PROG-01"
    ]
    assert len(rows) == 2
    goal_row_, further = rows
    assert "60" in goal_row_[2]
    assert further[2].startswith("Ικανοποίηση πολιτών") and "40" in further[2]
    assert further[9] == 70 and further[6] == 90


# --- The trend and the final values --------------------------------------------------------------
def test_the_goal_page_draws_a_trend_for_each_further_indicator(
    client_for, head_of_planning, measured
):
    for day, value, further in ((5, 110, 60), (6, 125, 70)):
        record_progress(
            goal=measured.goal,
            by=head_of_planning,
            value=Decimal(value),
            measured_on=datetime.date(2024, day, 28),
            status="on_track",
            indicator_values={measured.indicator.pk: Decimal(further)},
        )

    response = client_for(head_of_planning).get(measured.goal.get_absolute_url())

    [(indicator, trend)] = response.context["indicator_trends"]
    assert indicator == measured.indicator
    assert trend.target == 90
    assert [values for _day, values in trend.rows] == [
        [("Σύνολο του στόχου", Decimal(60))],
        [("Σύνολο του στόχου", Decimal(70))],
    ]
    assert response.context["trend"].rows[-1][1][0][1] == 125
    page = response.content.decode()
    assert page.count('class="trend-chart') == 2
    assert '<h3 class="h5 mt-3">Ικανοποίηση πολιτών (%)</h3>' in page


def _submit_with_indicators(goal, head, indicator, value="77", *, submit=True):
    return save_final_value(
        goal=goal,
        by=head,
        final_value=Decimal(160),
        further_values={indicator.pk: Decimal(value)},
        explanation="Από το μητρώο.",
        files=[_pdf()],
        expected_stamp="",
        submit=submit,
    )


@pytest.mark.parametrize(
    ("who", "url_name"),
    [("head_of_planning", "goals:final_values"), ("secretary", "goals:final_value_queue")],
)
def test_the_final_value_lists_show_every_indicators_value_at_a_fixed_cost(
    request,
    client_for,
    head_of_planning,
    adopted,
    secretary,
    django_assert_num_queries,
    who,
    url_name,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from goals.services.cycles import open_evaluation

    open_evaluation(cycle=adopted.cycle, by=secretary)
    indicator = GoalIndicatorFactory(goal=adopted.goal, name="Ικανοποίηση πολιτών", weight=40)
    adopted.goal.refresh_from_db()
    _submit_with_indicators(adopted.goal, head_of_planning, indicator)
    client = client_for(request.getfixturevalue(who))
    url = reverse(url_name)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert "Ικανοποίηση πολιτών: 77" in response.content.decode()
    for index in range(5):
        goal = GoalFactory(
            cycle=adopted.cycle,
            directorate=adopted.goal.directorate,
            code=f"PROG-X{index}",
            status=Goal.Status.ADOPTED,
        )
        more = GoalIndicatorFactory.create_batch(2, goal=goal, weight=20)
        save_final_value(
            goal=goal,
            by=head_of_planning,
            final_value=Decimal(5),
            further_values={i.pk: Decimal(index) for i in more},
            explanation="Μέτρηση.",
            files=[_pdf()],
            expected_stamp="",
            submit=True,
        )

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("further-values") >= 6


def _pdf():
    from tests.goals.test_final_values import pdf

    return pdf()
