"""Allocating a directorate's goal makes a department goal of its own: title, indicator, unit of
measure, baseline, target and deadline, derived from the goal and edited by the head of
directorate; shown on the department's page and on the goal's, with its achievement."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Allocation
from goals.services.monitoring import allocation_stamp, record_progress, save_allocations
from tests.factories import AllocationFactory, DepartmentFactory, GoalFactory, ProgressUpdateFactory


def test_a_new_department_goal_starts_from_the_goal(client_for, head_of_planning, adopted):
    goal = adopted.goal
    page = client_for(head_of_planning).get(reverse("goals:allocate", args=[goal.pk]))
    html = page.content.decode()
    assert f'name="form-0-title" value="{goal.title}"' in html
    assert f'name="form-0-indicator" value="{goal.indicator}"' in html
    assert f'name="form-0-deadline" value="{goal.deadline.isoformat()}"' in html
    assert 'name="form-0-target" value="150' in html


def test_a_department_goal_left_without_title_takes_the_goals(head_of_planning, adopted):
    row = {
        "department": adopted.department,
        "specification": "",
        "baseline": None,
        "target": Decimal(150),
        "deadline": adopted.goal.deadline,
        "share": Decimal(100),
    }
    (allocation,) = save_allocations(goal=adopted.goal, by=head_of_planning, rows=[row], stamp="")
    assert allocation.title == adopted.goal.title
    assert allocation.indicator == adopted.goal.indicator
    assert allocation.unit_of_measure == adopted.goal.unit_of_measure


def edited(allocation, **changes) -> dict:
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "stamp": allocation_stamp(allocation.goal),
    }
    row = {
        "department": allocation.department.pk,
        "title": allocation.title,
        "specification": "",
        "indicator": allocation.indicator,
        "unit_of_measure": allocation.unit_of_measure,
        "baseline": "100",
        "target": "150",
        "deadline": "2024-12-31",
        "share": "100",
    } | changes
    return data | {f"form-0-{name}": value for name, value in row.items()}


def test_the_head_of_directorate_edits_the_department_goal(client_for, head_of_planning, adopted):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    response = client_for(head_of_planning).post(
        reverse("goals:allocate", args=[adopted.goal.pk]),
        edited(
            allocation,
            title="Ηλεκτρονικές αιτήσεις του Τμήματος Οργάνωσης",
            indicator="Αιτήσεις μέσω πύλης",
            unit_of_measure="αιτήσεις",
            target="130",
        ),
    )
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.title == "Ηλεκτρονικές αιτήσεις του Τμήματος Οργάνωσης"
    assert (allocation.indicator, allocation.unit_of_measure) == ("Αιτήσεις μέσω πύλης", "αιτήσεις")
    assert allocation.target == 130
    earlier = allocation.history.earliest()
    assert earlier.title == adopted.goal.title  # the history keeps what it was
    assert allocation.history.latest().history_user == head_of_planning


@pytest.mark.parametrize("field", ["title", "indicator"])
def test_a_department_goal_needs_a_title_and_an_indicator(
    client_for, head_of_planning, adopted, field
):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    response = client_for(head_of_planning).post(
        reverse("goals:allocate", args=[adopted.goal.pk]), edited(allocation, **{field: "  "})
    )
    assert response.status_code == 200
    assert "Αυτό το πεδίο είναι απαραίτητο." in response.content.decode()
    allocation.refresh_from_db()
    assert getattr(allocation, field) == getattr(adopted.goal, field)


def test_a_head_of_department_does_not_edit_department_goals(
    client_for, head_of_department, adopted
):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    response = client_for(head_of_department).post(
        reverse("goals:allocate", args=[adopted.goal.pk]), edited(allocation, title="Άλλο")
    )
    assert response.status_code == 403
    allocation.refresh_from_db()
    assert allocation.title == adopted.goal.title


def test_the_goals_achievement_rolls_up_from_its_department_goals_by_share(
    head_of_planning, head_of_department, adopted, client_for
):
    second = DepartmentFactory(directorate=adopted.goal.directorate, code="PROG-EUR")
    rows = [
        {
            "department": department,
            "title": title,
            "indicator": "Αιτήσεις",
            "baseline": Decimal(0),
            "target": Decimal(100),
            "deadline": adopted.goal.deadline,
            "share": share,
        }
        for department, title, share in [
            (adopted.department, "Αιτήσεις στο Τμήμα Οργάνωσης", Decimal(60)),
            (second, "Αιτήσεις στο Τμήμα Ευρωπαϊκών", Decimal(40)),
        ]
    ]
    first, _ = save_allocations(goal=adopted.goal, by=head_of_planning, rows=rows, stamp="")
    record_progress(
        goal=adopted.goal,
        by=head_of_planning,
        allocation=first,
        value=Decimal(50),
        measured_on=datetime.date(2024, 5, 1),
        status="on_track",
    )
    adopted.goal.refresh_from_db()
    assert adopted.goal.current_achievement == Decimal(30)  # 50% of the 60% share
    page = client_for(head_of_planning).get(reverse("goals:progress", args=[adopted.goal.pk]))
    html = page.content.decode()
    assert "Στόχοι Τμημάτων" in html
    assert "Αιτήσεις στο Τμήμα Οργάνωσης" in html and "Αιτήσεις στο Τμήμα Ευρωπαϊκών" in html


def test_the_department_page_lists_its_department_goals_with_achievement(
    client_for, staff, head_of_department, head_of_planning, secretary, adopted
):
    allocation = AllocationFactory(
        goal=adopted.goal,
        department=adopted.department,
        title="Ψηφιακές αιτήσεις στο Τμήμα Οργάνωσης",
        baseline=0,
        target=200,
    )
    ProgressUpdateFactory(
        goal=adopted.goal, allocation=allocation, value=50, measured_on=datetime.date(2024, 4, 1)
    )
    url = reverse("goals:department", args=[adopted.department.code])
    for person in (staff, head_of_department, head_of_planning, secretary):
        html = client_for(person).get(url).content.decode()
        assert "Ψηφιακές αιτήσεις στο Τμήμα Οργάνωσης" in html
        assert "25%" in html


def test_another_directorate_sees_the_department_but_not_its_goals(
    client_for, head_of_finance, adopted
):
    AllocationFactory(
        goal=adopted.goal, department=adopted.department, title="Ψηφιακές αιτήσεις του Τμήματος"
    )
    response = client_for(head_of_finance).get(
        reverse("goals:department", args=[adopted.department.code])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Τμήμα Οργάνωσης" in html
    assert "Ψηφιακές αιτήσεις του Τμήματος" not in html
    assert "Στόχοι Τμημάτων" not in html


def test_an_unknown_department_is_a_404(client_for, staff, db):
    assert client_for(staff).get(reverse("goals:department", args=["NOPE"])).status_code == 404


def test_the_department_page_runs_a_fixed_number_of_queries(
    client_for, staff, adopted, django_assert_num_queries
):
    url = reverse("goals:department", args=[adopted.department.code])
    AllocationFactory(goal=adopted.goal, department=adopted.department)
    client = client_for(staff)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(8):
        goal = GoalFactory(
            cycle=adopted.cycle,
            directorate=adopted.goal.directorate,
            code=f"X-{index}",
            status="adopted",
        )
        allocation = AllocationFactory(goal=goal, department=adopted.department)
        ProgressUpdateFactory(
            goal=goal, allocation=allocation, measured_on=datetime.date(2024, 4, 1)
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
    assert Allocation.objects.filter(department=adopted.department).count() == 9
