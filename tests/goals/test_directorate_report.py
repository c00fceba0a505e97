"""A directorate's report: its goals with achievement, on screen and as a PDF."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import AllocationFactory, GoalFactory, ProgressUpdateFactory


def test_head_reads_their_directorates_report(client_for, head_of_planning, adopted):
    ProgressUpdateFactory(goal=adopted.goal, value=125)
    page = client_for(head_of_planning).get(reverse("goals:report", args=["PROG"]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "PROG-01" in content
    assert "50%" in content
    assert "OIK-01" not in content


def test_another_directorates_report_is_a_404(client_for, head_of_finance, staff, adopted):
    assert (
        client_for(head_of_finance).get(reverse("goals:report", args=["PROG"])).status_code == 404
    )
    assert client_for(staff).get(reverse("goals:report", args=["OIK"])).status_code == 404


def test_the_report_pdf_has_the_greek_text(client_for, mayor, adopted):
    ProgressUpdateFactory(goal=adopted.goal, value=125)
    response = client_for(mayor).get(reverse("goals:report_pdf", args=["PROG"]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Διεύθυνση Προγραμματισμού" in text
    assert "Ταχύτερη εξυπηρέτηση" in text
    assert "50%" in text


def test_the_report_runs_a_fixed_number_of_queries(
    client_for, mayor, adopted, django_assert_num_queries
):
    client = client_for(mayor)
    url = reverse("goals:report", args=["PROG"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(8):
        goal = GoalFactory(
            cycle=adopted.cycle,
            directorate=adopted.goal.directorate,
            code=f"PROG-X{index}",
            status="adopted",
            category=["services", "skills"][index % 2],
        )
        allocation = AllocationFactory(goal=goal, department=adopted.department)
        ProgressUpdateFactory.create_batch(3, goal=goal, allocation=allocation)
        ProgressUpdateFactory(goal=goal)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "PROG-X7" in response.content.decode()
