"""Time a 2,000-row goal import (reading, preview, save) and the export of those goals.

Run with `.venv/bin/python bench/import_2000.py` (DATABASE_URL picks the database, as for the
tests). It works in a throw-away test database and prints the figures; `--profile` also prints
where the time goes. The tests check the outcome; timings live here, not in the tests.
"""

import cProfile
import datetime
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoxothesia.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

ROWS = 2000
HEADERS = ["Κωδικός", "Διεύθυνση", "Κατηγορία", "Τίτλος", "Δείκτης μέτρησης", "Είδος στόχου"]
HEADERS += ["Τιμή βάσης", "Τιμή-στόχος", "Προθεσμία", "Βαρύτητα"]


def workbook(year: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Στόχοι")
    sheet.append(HEADERS)
    for n in range(ROWS):
        sheet.append(
            [
                f"G-{n:04d}",
                "BENCH",
                "Παρεχόμενες υπηρεσίες",
                f"Ταχύτερη εξυπηρέτηση των πολιτών {n}",
                "Αιτήσεις που διεκπεραιώθηκαν μέσα στην προθεσμία",
                "Αριθμός προς αύξηση",
                100,
                150,
                datetime.date(year, 12, 31),
                10,
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def timed(label: str, function, profile: bool):
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = function()
    if profiler:
        profiler.disable()
    print(f"{label:<34} {time.perf_counter() - start:6.2f} s")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return result


def main() -> None:
    from directorates.models import Directorate, User
    from directorates.roles import Role
    from goals.models import Goal, GoalCycle
    from goals.sheets.goal_import import import_goals, plan_goal_import, read_goal_sheet

    profile = "--profile" in sys.argv
    translation.activate("el")
    Directorate.objects.create(code="BENCH", name="Διεύθυνση Δοκιμών")
    cycle = GoalCycle.objects.create(year=2024, phase="drafting")
    secretary = User.objects.create(username="bench-secretary")
    from django.contrib.auth.models import Group

    secretary.groups.add(Group.objects.get_or_create(name=Role.GENERAL_SECRETARY)[0])
    content = workbook(cycle.year)
    print(f"{ROWS} rows, {len(content) // 1024} KB, on {connection.vendor}")
    upload = SimpleUploadedFile("bench.xlsx", content)
    sheet = timed("read the workbook", lambda: read_goal_sheet(upload), profile)
    plan = timed(
        "preview (check every row)",
        lambda: plan_goal_import(cycle=cycle, rows=sheet.rows),
        profile,
    )
    assert len(plan.to_create) == ROWS and not plan.errors, plan.errors[:3]
    timed("import (one transaction)", lambda: import_goals(plan=plan, by=secretary), profile)
    assert Goal.objects.count() == ROWS
    again = timed(
        "preview of the same file again",
        lambda: plan_goal_import(cycle=cycle, rows=sheet.rows),
        profile,
    )
    assert len(again.unchanged) == ROWS

    from goals.sheets.exports import goal_export_sheet
    from goals.sheets.workbooks import write_csv, write_xlsx

    def export(writer):
        sheet = goal_export_sheet(Goal.objects.filter(cycle=cycle), user=secretary)
        return writer(sheet)

    xlsx = timed("export to .xlsx", lambda: export(lambda sheet: write_xlsx([sheet])), profile)
    timed("export to CSV", lambda: export(lambda s: write_csv(s.columns, s.rows)), profile)
    print(f"(the .xlsx export is {len(xlsx) // 1024} KB)")


if __name__ == "__main__":
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
