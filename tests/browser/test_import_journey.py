import datetime
import os

import pytest
from playwright.sync_api import expect

from directorates.roles import Role
from goals.models import Goal
from tests.browser.conftest import assert_accessible
from tests.factories import DirectorateFactory, GoalCycleFactory, UserFactory
from tests.goals.spreadsheet_helpers import GREEK_HEADERS, workbook_bytes
from tests.goals.test_sheet_indicators import indicator_row, two_sheets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("STOX_SCREENSHOTS", "")


def row(code: str, target: object) -> list[object]:
    return [
        code,
        "PROG",
        "Παρεχόμενες υπηρεσίες",
        "Ψηφιοποίηση διαδικασιών",
        "Διαδικασίες διαθέσιμες ηλεκτρονικά",
        "Αριθμός προς αύξηση",
        4,
        target,
        datetime.date(2024, 12, 31),
        10,
    ]


def looked_at(page, name: str) -> None:
    """Check the page with axe, at desktop width and on a 375 px phone."""
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_the_secretary_imports_goals_after_correcting_the_file(page, login, tmp_path):
    DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    GoalCycleFactory(year=2024, phase="drafting")
    secretary = UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    secretary.set_password("correct-horse-battery")
    secretary.save()
    wrong, right = tmp_path / "goals-wrong.xlsx", tmp_path / "goals.xlsx"
    wrong.write_bytes(workbook_bytes([GREEK_HEADERS, row("PROG-01", 12), row("PROG-02", 2)]))
    # The right file measures PROG-01 by a further indicator too, in a sheet of its own.
    right.write_bytes(
        two_sheets(
            [row("PROG-01", 12), row("PROG-02", 20)],
            [indicator_row("PROG-01", "Ικανοποίηση πολιτών", weight=30)],
        )
    )

    not_a_workbook = tmp_path / "notes.txt"
    not_a_workbook.write_text("Στόχοι σε απλό κείμενο")

    login("secretary")
    page.goto("/goals/")
    looked_at(page, "goal-list")
    page.get_by_role("link", name="Εισαγωγή").click()
    looked_at(page, "import")

    page.get_by_label("Βιβλίο εργασίας (.xlsx)").set_input_files(str(not_a_workbook))
    page.get_by_role("button", name="Έλεγχος του αρχείου").click()
    expect(page.get_by_role("alert")).to_contain_text("δεν είναι βιβλίο εργασίας Excel")
    looked_at(page, "import-bad-file")

    page.get_by_label("Βιβλίο εργασίας (.xlsx)").set_input_files(str(wrong))
    page.get_by_role("button", name="Έλεγχος του αρχείου").click()
    expect(page.get_by_role("alert")).to_contain_text("Το αρχείο έχει λάθη")
    expect(page.get_by_role("table", name="Κάθε λάθος με τη γραμμή")).to_contain_text("Τιμή-στόχος")
    looked_at(page, "import-errors")

    page.get_by_role("link", name="Εισαγωγή").click()
    page.get_by_label("Βιβλίο εργασίας (.xlsx)").set_input_files(str(right))
    page.get_by_role("button", name="Έλεγχος του αρχείου").click()
    expect(page.get_by_text("Νέοι στόχοι: 2")).to_be_visible()
    looked_at(page, "import-preview")
    assert not Goal.objects.exists()

    page.get_by_role("button", name="Επιβεβαίωση της εισαγωγής").click()
    expect(page.get_by_role("status")).to_contain_text("2 νέοι στόχοι")
    assert sorted(Goal.objects.values_list("code", flat=True)) == ["PROG-01", "PROG-02"]
    further = Goal.objects.get(code="PROG-01").extra_indicators.get()
    assert (further.name, further.weight) == ("Ικανοποίηση πολιτών", 30)


def test_a_head_reports_progress_from_the_filled_in_workbook(page, login, tmp_path):
    from django.test import Client

    from goals.models import ProgressUpdate
    from tests.factories import (
        DepartmentFactory,
        GoalFactory,
        GoalIndicatorFactory,
        issued_adoption,
    )
    from tests.goals.test_import_progress import JUNE
    from tests.goals.test_sheet_indicators import fill_rows

    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    DepartmentFactory(directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης")
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    issued_adoption(cycle=cycle, goals=[goal], mayor=UserFactory(roles=[Role.MAYOR]))
    # The goal is measured by a further indicator too: the sheet has a row for it.
    indicator = GoalIndicatorFactory(goal=goal, name="Ικανοποίηση πολιτών", weight=40)
    head = UserFactory(username="head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    head.set_password("correct-horse-battery")
    head.save()
    client = Client()
    client.force_login(head)
    workbook = tmp_path / "progress.xlsx"
    workbook.write_bytes(
        fill_rows(
            client.get("/progress/workbook.xlsx").content,
            {
                ("PROG-01", "", goal.indicator): [
                    130,
                    JUNE,
                    "Εντός χρονοδιαγράμματος",
                    "Ολοκληρώθηκαν 30 αιτήσεις",
                ],
                ("PROG-01", "", "Ικανοποίηση πολιτών"): [72],
            },
        )
    )

    login("head-prog")
    page.goto("/allocations/")
    page.get_by_role("link", name="Επικαιροποιήσεις προόδου από υπολογιστικό φύλλο").click()
    looked_at(page, "progress-import")
    page.get_by_label("Βιβλίο εργασίας (.xlsx)").set_input_files(str(workbook))
    page.get_by_role("button", name="Έλεγχος του αρχείου").click()
    expect(page.get_by_text("Επικαιροποιήσεις προς καταγραφή: 1")).to_be_visible()
    expect(page.get_by_text("Ικανοποίηση πολιτών: 72")).to_be_visible()
    looked_at(page, "progress-preview")

    page.get_by_role("button", name="Επιβεβαίωση της εισαγωγής").click()
    expect(page.get_by_role("status")).to_contain_text("Καταγράφηκε 1 επικαιροποίηση")
    update = ProgressUpdate.objects.get()
    assert (update.value, update.author, update.comment) == (130, head, "Ολοκληρώθηκαν 30 αιτήσεις")
    assert update.indicator_values.get(indicator=indicator).value == 72
