"""A cross-cutting goal: the heads of its participating directorates allocate it to their own
departments, which report progress; the owner's head sees every allocation; the roll-up counts
them all. A directorate that does not take part is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directorates.roles import Role
from goals.models import Allocation, Goal, ProgressUpdate
from goals.services.monitoring import allocation_stamp, save_allocations
from tests.factories import AllocationFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cross_cutting(adopted, digital):
    adopted.goal.participating_directorates.add(digital)
    return adopted.goal


@pytest.fixture
def infrastructure(digital):
    return DepartmentFactory(directorate=digital, code="PSIF-INF", name="Τμήμα Υποδομών")


@pytest.fixture
def head_of_infrastructure(infrastructure):
    return UserFactory(
        username="head-psif-inf",
        directorate=infrastructure.directorate,
        department=infrastructure,
        roles=[Role.HEAD_OF_DEPARTMENT],
    )


def row(department, share="100"):
    return {
        "department": department,
        "specification": "Υποδομή ηλεκτρονικών αιτήσεων",
        "baseline": Decimal(100),
        "target": Decimal(150),
        "deadline": datetime.date(2024, 12, 31),
        "share": Decimal(share),
    }


def allocate(goal, by, rows):
    return save_allocations(goal=goal, by=by, rows=rows, stamp=allocation_stamp(goal))


def test_participating_head_allocates_to_their_own_departments_and_keeps_the_owners_part(
    head_of_planning, head_of_digital, cross_cutting, adopted, infrastructure
):
    allocate(cross_cutting, head_of_planning, [row(adopted.department)])
    allocate(cross_cutting, head_of_digital, [row(infrastructure)])

    allocations = Allocation.objects.filter(goal=cross_cutting).order_by("pk")
    assert [(a.department, a.allocated_by) for a in allocations] == [
        (adopted.department, head_of_planning),
        (infrastructure, head_of_digital),
    ]


def test_participating_head_cannot_allocate_to_the_owners_departments(
    head_of_digital, cross_cutting, adopted
):
    with pytest.raises(ValidationError, match="συμμετέχουσας διεύθυνσης"):
        allocate(cross_cutting, head_of_digital, [row(adopted.department)])
    assert not Allocation.objects.exists()


def test_a_directorate_that_does_not_take_part_is_refused(
    client_for, head_of_finance, cross_cutting
):
    assert (
        client_for(head_of_finance)
        .get(reverse("goals:allocate", args=[cross_cutting.pk]))
        .status_code
        == 404
    )
    with pytest.raises(ValidationError):
        allocate(cross_cutting, head_of_finance, [])


def test_the_allocation_page_offers_only_their_own_departments(
    client_for, head_of_digital, cross_cutting, adopted, infrastructure
):
    response = client_for(head_of_digital).get(reverse("goals:allocate", args=[cross_cutting.pk]))

    assert response.status_code == 200
    choices = response.context["formset"].forms[0].fields["department"].queryset
    assert list(choices) == [infrastructure]
    assert "Οριζόντιος στόχος" in response.content.decode()


def test_a_participating_department_reports_progress_and_the_rollup_counts_it(
    client_for, head_of_planning, head_of_infrastructure, cross_cutting, adopted, infrastructure
):
    AllocationFactory(goal=cross_cutting, department=adopted.department, share=100)
    share = AllocationFactory(goal=cross_cutting, department=infrastructure, share=100)
    url = reverse("goals:progress", args=[cross_cutting.pk])
    data = {"value": "150", "measured_on": "2024-05-31", "status": "on_track", "comment": ""}

    response = client_for(head_of_infrastructure).post(url, {**data, "allocation": share.pk})

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().allocation == share
    cross_cutting.refresh_from_db()
    # Each directorate's part weighs the same: Digital's reached its target (100%), Planning's
    # has no measurement yet (0%).
    assert cross_cutting.current_achievement == 50


def test_the_owners_head_sees_every_allocation(
    client_for, head_of_planning, cross_cutting, adopted, infrastructure
):
    AllocationFactory(goal=cross_cutting, department=adopted.department, share=100)
    AllocationFactory(goal=cross_cutting, department=infrastructure, share=100)

    page = client_for(head_of_planning).get(reverse("goals:allocations"))

    listed = [goal for row in page.context["directorates"] for goal in row["goals"]]
    goal = next(goal for goal in listed if goal.pk == cross_cutting.pk)
    assert {a.department for a in goal.allocation_list} == {adopted.department, infrastructure}


def test_the_participating_head_finds_the_goal_to_allocate(
    client_for, head_of_digital, cross_cutting
):
    page = client_for(head_of_digital).get(reverse("goals:allocations"))

    goals = [goal for row in page.context["directorates"] for goal in row["goals"]]
    assert [(goal.code, goal.may_allocate) for goal in goals] == [(cross_cutting.code, True)]


def test_the_allocation_overview_runs_a_fixed_number_of_queries(
    client_for, head_of_digital, cross_cutting, infrastructure, django_assert_num_queries
):
    from tests.factories import GoalFactory

    client = client_for(head_of_digital)
    url = reverse("goals:allocations")
    client.get(url)
    with django_assert_num_queries(10) as small:
        client.get(url)
    for index in range(6):
        goal = GoalFactory(
            cycle=cross_cutting.cycle,
            directorate=cross_cutting.directorate,
            status=Goal.Status.ADOPTED,
            code=f"X-{index}",
        )
        goal.participating_directorates.add(infrastructure.directorate)
        AllocationFactory(goal=goal, department=infrastructure)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
