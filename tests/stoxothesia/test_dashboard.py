"""The start page shows each role what matters to it, in a fixed number of queries."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalFactory,
    MeetingFactory,
    ObservationFactory,
    ProgressUpdateFactory,
)


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_mayor_sees_the_municipalitys_progress_with_charts(client_for, mayor, adopted):
    ProgressUpdateFactory(goal=adopted.goal, value=125, status="behind")
    page = home(client_for(mayor))
    assert "<svg" in page
    assert 'class="bar-fill"' in page
    assert "Διεύθυνση Προγραμματισμού" in page
    assert "<table" in page  # the charts' table equivalent
    assert "PROG-01" in page  # listed as behind
    assert "style=" not in page


def test_deputy_sees_the_same_charts(client_for, deputy, adopted):
    assert "<svg" in home(client_for(deputy))


def test_secretary_sees_what_waits(client_for, secretary, adopted):
    ObservationFactory(goal=adopted.goal)
    page = home(client_for(secretary))
    assert reverse("goals:allocations") in page
    assert reverse("goals:progress", args=[adopted.goal.pk]) not in page or "OIK-01" in page


def test_secretary_counts_unallocated_goals(client_for, secretary, adopted):
    response = client_for(secretary).get(reverse("home"))
    assert response.context["unallocated_count"] == 3


def test_head_sees_their_goals_and_next_steps(client_for, head_of_planning, adopted):
    page = home(client_for(head_of_planning))
    assert "PROG-01" in page
    assert "OIK-01" not in page
    assert reverse("goals:allocate", args=[adopted.goal.pk]) in page
    assert reverse("goals:report", args=["PROG"]) in page


def test_head_of_department_sees_their_allocations(
    client_for, head_of_department, head_of_planning, adopted
):
    AllocationFactory(goal=adopted.goal, department=adopted.department)
    page = home(client_for(head_of_department))
    assert "PROG-01" in page


def test_an_overseer_who_heads_a_department_also_sees_its_allocations(client_for, deputy, adopted):
    from directorates.roles import Role

    deputy.department = adopted.department
    deputy.directorate = adopted.department.directorate
    deputy.save()
    deputy.groups.add(Group.objects.get(name=Role.HEAD_OF_DEPARTMENT))
    AllocationFactory(goal=adopted.goal, department=adopted.department, share=100)

    response = client_for(deputy).get(reverse("home"))

    assert [goal.code for goal, _allocation in response.context["department_allocations"]] == [
        "PROG-01"
    ]


def test_without_adopted_goals_the_page_still_works(client_for, mayor, staff):
    assert "<svg" not in home(client_for(mayor))
    home(client_for(staff))


def grow(adopted, size: int) -> None:
    """More directorates, goals, allocations and updates."""
    for index in range(size):
        directorate = DirectorateFactory(code=f"GROW{index}")
        department = DepartmentFactory(directorate=directorate)
        goal = GoalFactory(
            cycle=adopted.cycle, directorate=directorate, status="adopted", code=f"GR-{index}"
        )
        allocation = AllocationFactory(goal=goal, department=department)
        ProgressUpdateFactory(
            goal=goal, allocation=allocation, measured_on=datetime.date(2024, 5, 1)
        )
        ProgressUpdateFactory(goal=goal, status="behind")
        ObservationFactory(goal=goal)


@pytest.mark.parametrize(
    ("person", "queries"),
    [
        ("mayor", 14),  # 12 before the chart by directorate came a page at a time
        ("deputy", 13),
        ("secretary", 24),  # and the units in their charge (headless), shown: +2
        ("head_of_planning", 15),  # their headless department, shown: +1
        ("head_of_department", 13),  # 12 before the reporting rounds
        ("staff", 12),
    ],
)
def test_the_start_page_runs_a_fixed_number_of_queries(
    request, client_for, adopted, django_assert_num_queries, person, queries
):
    client = client_for(request.getfixturevalue(person))
    grow(adopted, 2)
    client.get(reverse("home"))
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
    grow_more = 12
    adopted.cycle.refresh_from_db()
    for index in range(grow_more):
        directorate = DirectorateFactory(code=f"MORE{index}")
        goal = GoalFactory(
            cycle=adopted.cycle, directorate=directorate, status="adopted", code=f"MO-{index}"
        )
        ProgressUpdateFactory.create_batch(2, goal=goal)
    # The heads' own directorate and department grow too: goals, shares, updates of each.
    for index in range(6):
        goal = GoalFactory(
            cycle=adopted.cycle,
            directorate=adopted.goal.directorate,
            status="adopted",
            code=f"PROG-X{index}",
        )
        allocation = AllocationFactory(goal=goal, department=adopted.department)
        ProgressUpdateFactory.create_batch(3, goal=goal, allocation=allocation)
        ProgressUpdateFactory(goal=goal, status="behind")
    with django_assert_num_queries(queries):
        page = home(client)
    if person.startswith("head"):
        assert "PROG-X5" in page


def test_the_start_page_shows_the_next_meeting_to_those_invited(
    client_for, secretary, head_of_planning, staff
):
    today = timezone.localdate()
    MeetingFactory(date=today - datetime.timedelta(days=14), status="held")
    MeetingFactory(date=today + datetime.timedelta(days=3), status="cancelled")
    upcoming = MeetingFactory(date=today + datetime.timedelta(days=10), mayor_attends=True)

    for person in (secretary, head_of_planning):
        page = client_for(person).get(reverse("home")).content.decode()
        assert "Επόμενη συντονιστική σύσκεψη" in page
        assert upcoming.get_absolute_url() in page
        assert "με τον Δήμαρχο" in page
    # Staff are not invited to the coordination meetings.
    assert (
        "Επόμενη συντονιστική σύσκεψη"
        not in client_for(staff).get(reverse("home")).content.decode()
    )


def test_secretary_sees_how_many_goals_are_overdue_and_the_first_five(
    client_for, secretary, adopted
):
    from goals.services.monitoring import overdue_goals

    for index in range(6):
        GoalFactory(
            cycle=adopted.cycle, directorate=adopted.goal.directorate, status="adopted",
            code=f"PROG-L{index}",
        )  # fmt: skip
    recent = GoalFactory(cycle=adopted.cycle, status="adopted", code="PROG-R")
    ProgressUpdateFactory(goal=recent, measured_on=datetime.date(2024, 12, 20))

    response = client_for(secretary).get(reverse("home"))

    expected = overdue_goals().order_by("directorate__order", "code")
    assert response.context["overdue_total"] == expected.count() == 9
    assert [goal.code for goal in response.context["overdue_goals"]] == [
        goal.code for goal in expected[:5]
    ]
    assert response.context["overdue_count"] == 9


@pytest.mark.parametrize(
    "phases",
    [
        [],
        [("closed", True)],
        [("closed", True), ("monitoring", True), ("consultation", False)],
        [("closed", True), ("evaluation", True), ("allocation", True), ("drafting", False)],
        [("closed", False), ("closed", True)],
    ],
)
def test_the_cycles_at_hand_are_those_each_page_would_look_up(db, phases):
    from goals import reports
    from goals.models import GoalCycle
    from tests.factories import GoalCycleFactory

    for year, (phase, with_adopted_goal) in enumerate(phases, start=2020):
        cycle = GoalCycleFactory(year=year, phase=phase)
        GoalFactory(cycle=cycle, status="adopted" if with_adopted_goal else "draft")

    cycles = reports.cycles_at_hand()

    assert cycles.current == GoalCycle.objects.current()
    assert cycles.monitored == reports.monitored_cycle()
    assert cycles.in_monitoring == list(
        GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year")
    )
