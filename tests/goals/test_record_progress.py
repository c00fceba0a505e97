"""Heads record measured values; achievement rolls up from departments to the goal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals import reports
from goals.models import Allocation, Goal, ProgressUpdate
from goals.services.cycles import open_evaluation
from goals.services.monitoring import record_progress
from tests.factories import DepartmentFactory


@pytest.fixture
def allocations(adopted, head_of_planning):
    second = DepartmentFactory(directorate=adopted.goal.directorate, code="PROG-EUR")
    first = Allocation.objects.create(
        goal=adopted.goal,
        department=adopted.department,
        target=150,
        deadline=adopted.goal.deadline,
        share=60,
        allocated_by=head_of_planning,
    )
    other = Allocation.objects.create(
        goal=adopted.goal,
        department=second,
        baseline=10,
        target=20,
        deadline=adopted.goal.deadline,
        share=40,
        allocated_by=head_of_planning,
    )
    return first, other


def post(client, goal, **data):
    values = {"value": "125", "measured_on": "2024-05-31", "status": "on_track", "comment": ""}
    return client.post(reverse("goals:progress", args=[goal.pk]), {**values, **data})


def test_head_of_department_reports_on_their_allocation(
    client_for, head_of_department, adopted, allocations
):
    first, _other = allocations
    response = post(client_for(head_of_department), adopted.goal, allocation=first.pk)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.allocation == first
    assert update.author == head_of_department
    assert update.value == Decimal("125")


def test_head_of_department_cannot_report_for_another_department(
    client_for, head_of_department, adopted, allocations
):
    _first, other = allocations
    response = post(client_for(head_of_department), adopted.goal, allocation=other.pk)
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()


def test_head_of_directorate_reports_on_the_whole_goal(client_for, head_of_planning, adopted):
    response = post(client_for(head_of_planning), adopted.goal)
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().allocation is None


def test_a_future_or_out_of_year_date_is_refused(client_for, head_of_planning, adopted):
    client = client_for(head_of_planning)
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert post(client, adopted.goal, measured_on=future).status_code == 200
    assert post(client, adopted.goal, measured_on="2023-12-31").status_code == 200
    assert post(client, adopted.goal, value="πολύ").status_code == 200
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("person", ["secretary", "mayor", "staff"])
def test_readers_cannot_record_progress(request, client_for, head_of_planning, adopted, person):
    response = post(client_for(request.getfixturevalue(person)), adopted.goal)
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_another_directorate_gets_404(client_for, head_of_finance, adopted):
    assert post(client_for(head_of_finance), adopted.goal).status_code == 404
    url = reverse("goals:progress", args=[adopted.goal.pk])
    assert client_for(head_of_finance).get(url).status_code == 404


def test_no_progress_once_the_evaluation_opened(head_of_planning, secretary, adopted):
    open_evaluation(cycle=adopted.cycle, by=secretary)
    with pytest.raises(ValidationError):
        record_progress(
            goal=adopted.goal,
            by=head_of_planning,
            value=Decimal(1),
            measured_on=datetime.date(2024, 6, 1),
            status="on_track",
        )


def rolled_up(goal) -> Goal:
    return reports.with_achievement(Goal.objects.filter(pk=goal.pk))[0]


def test_goal_achievement_rolls_up_from_departments_by_share(
    adopted, allocations, head_of_department, head_of_planning
):
    first, other = allocations
    assert rolled_up(adopted.goal).achievement is None  # no measurement yet
    record_progress(
        goal=adopted.goal,
        allocation=first,
        by=head_of_department,
        value=Decimal(125),  # 50% of 100 → 150
        measured_on=datetime.date(2024, 5, 31),
        status="at_risk",
    )
    goal = rolled_up(adopted.goal)
    by_pk = {a.pk: a for a in goal.allocation_list}
    assert by_pk[first.pk].achievement == Decimal("50.0")
    assert by_pk[other.pk].achievement is None
    assert goal.achievement == Decimal("30.0")  # 50% × 60% + 0% × 40%
    record_progress(
        goal=adopted.goal,
        allocation=other,
        by=head_of_planning,
        value=Decimal(25),  # overshoot: 150% of 10 → 20, capped at 100 in the roll-up
        measured_on=datetime.date(2024, 5, 31),
        status="on_track",
    )
    goal = rolled_up(adopted.goal)
    assert {a.pk: a for a in goal.allocation_list}[other.pk].achievement == Decimal("150.0")
    assert goal.achievement == Decimal("70.0")  # 50 × 0.6 + 100 × 0.4


def test_a_whole_goal_measurement_wins_over_the_departments(adopted, allocations, head_of_planning):
    first, _other = allocations
    ProgressUpdate.objects.create(
        goal=adopted.goal,
        allocation=first,
        value=150,
        measured_on=datetime.date(2024, 5, 1),
        status="on_track",
        author=head_of_planning,
    )
    ProgressUpdate.objects.create(
        goal=adopted.goal,
        value=110,
        measured_on=datetime.date(2024, 4, 1),
        status="behind",
        author=head_of_planning,
    )
    goal = rolled_up(adopted.goal)
    assert goal.achievement == Decimal("20.0")
    assert goal.latest_update.value == 150


def test_a_decrease_goal_moving_the_wrong_way_is_0(adopted, head_of_planning):
    record_progress(
        goal=adopted.other_goal,  # days to payment 90 → 60
        by=head_of_planning,
        value=Decimal(97),
        measured_on=datetime.date(2024, 6, 30),
        status="behind",
    )
    goal = rolled_up(adopted.other_goal)
    assert goal.achievement == Decimal("0.0")
    assert goal.is_behind


def test_progress_page_shows_the_measurements(client_for, head_of_planning, adopted):
    post(client_for(head_of_planning), adopted.goal, comment="Καθυστέρηση στις προμήθειες")
    page = client_for(head_of_planning).get(reverse("goals:progress", args=[adopted.goal.pk]))
    content = page.content.decode()
    assert "Καθυστέρηση στις προμήθειες" in content
    assert "50%" in content
    assert "31/05/2024" in content
