"""A head of directorate allocates each adopted goal to departments; shares add up to 100%."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Allocation
from goals.services.monitoring import allocation_stamp, save_allocations
from tests.factories import AllocationFactory, DepartmentFactory, ProgressUpdateFactory


@pytest.fixture
def second_department(planning):
    return DepartmentFactory(directorate=planning, code="PROG-EUR", name="Τμήμα Ευρωπαϊκών")


def formset_data(goal, rows, *, stamp="", total=None):
    data = {
        "form-TOTAL_FORMS": str(total or len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "stamp": stamp,
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"form-{index}-{field}"] = value
    return data


def row(department, share, target="150"):
    return {
        "department": department.pk,
        "title": "Ηλεκτρονική υποβολή στο τμήμα",
        "specification": "Ηλεκτρονική υποβολή αιτήσεων",
        "indicator": "Αιτήσεις που υποβλήθηκαν ηλεκτρονικά",
        "unit_of_measure": "αιτήσεις",
        "baseline": "100",
        "target": target,
        "deadline": "2024-12-31",
        "share": share,
    }


def test_head_allocates_a_goal_to_two_departments(
    client_for, head_of_planning, adopted, second_department
):
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    client = client_for(head_of_planning)
    page = client.get(url)
    assert page.status_code == 200
    data = formset_data(
        adopted.goal, [row(adopted.department, "60"), row(second_department, "40", "120")]
    )
    response = client.post(url, data)
    assert response.status_code == 302
    allocations = Allocation.objects.filter(goal=adopted.goal).order_by("share")
    assert [(a.department, a.share) for a in allocations] == [
        (second_department, 40),
        (adopted.department, 60),
    ]
    assert allocations[0].history.latest().history_user == head_of_planning


@pytest.mark.parametrize("shares", [("60", "30"), ("60", "50"), ("100", "0.5")])
def test_shares_that_do_not_add_up_to_100_are_refused(
    client_for, head_of_planning, adopted, second_department, shares
):
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    data = formset_data(
        adopted.goal, [row(adopted.department, shares[0]), row(second_department, shares[1])]
    )
    response = client_for(head_of_planning).post(url, data)
    assert response.status_code == 200
    assert "πρέπει να αθροίζουν 100%" in response.content.decode()
    assert not Allocation.objects.exists()


def test_the_same_department_twice_is_refused(client_for, head_of_planning, adopted):
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    data = formset_data(
        adopted.goal, [row(adopted.department, "50"), row(adopted.department, "50")]
    )
    assert client_for(head_of_planning).post(url, data).status_code == 200
    assert not Allocation.objects.exists()


def test_another_directorates_department_is_not_offered(client_for, head_of_planning, adopted):
    outsider = DepartmentFactory(directorate=adopted.finance_goal.directorate)
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    data = formset_data(adopted.goal, [row(outsider, "100")])
    response = client_for(head_of_planning).post(url, data)
    assert response.status_code == 200
    assert not Allocation.objects.exists()


def test_another_directorates_goal_is_a_404(client_for, head_of_finance, adopted):
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    assert client_for(head_of_finance).get(url).status_code == 404


@pytest.mark.parametrize("person", ["secretary", "mayor", "admin_user"])
def test_readers_who_do_not_allocate_get_403(
    request, client_for, head_of_planning, adopted, person
):
    # Planning has its head: a headless directorate's duties would fall to the General Secretary.
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    assert client_for(request.getfixturevalue(person)).get(url).status_code == 403


def test_a_stale_page_does_not_overwrite_allocations(
    client_for, head_of_planning, adopted, second_department
):
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    stale = allocation_stamp(adopted.goal)
    save_allocations(
        goal=adopted.goal,
        by=head_of_planning,
        rows=[
            {
                "department": second_department,
                "target": 150,
                "deadline": adopted.goal.deadline,
                "share": 100,
            }
        ],
        stamp=stale,
    )
    data = formset_data(adopted.goal, [row(adopted.department, "100")], stamp=stale)
    response = client_for(head_of_planning).post(url, data)
    assert response.status_code == 200
    assert Allocation.objects.get().department == second_department


def test_a_department_that_reported_stays_allocated(head_of_planning, adopted, second_department):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    ProgressUpdateFactory(goal=adopted.goal, allocation=allocation)
    rows = [
        {
            "department": second_department,
            "target": 150,
            "deadline": adopted.goal.deadline,
            "share": 100,
        }
    ]
    with pytest.raises(ValidationError):
        save_allocations(
            goal=adopted.goal,
            by=head_of_planning,
            rows=rows,
            stamp=allocation_stamp(adopted.goal),
        )
    assert Allocation.objects.get().department == adopted.department


def test_goals_are_not_allocated_before_adoption(head_of_planning, planning_department):
    from tests.factories import GoalFactory

    goal = GoalFactory(directorate=planning_department.directorate)
    with pytest.raises(ValidationError):
        save_allocations(
            goal=goal,
            by=head_of_planning,
            rows=[{"department": planning_department, "deadline": goal.deadline, "share": 100}],
            stamp="",
        )


def test_secretary_sees_how_many_goals_are_allocated_per_directorate(
    client_for, secretary, adopted
):
    AllocationFactory(goal=adopted.goal, department=adopted.department)

    response = client_for(secretary).get(reverse("goals:allocations"))

    rows = {
        row["directorate"].code: (row["goals"], row["allocated"], row["missing"])
        for row in response.context["summary"]
    }
    assert rows == {"PROG": (2, 1, 1), "OIK": (1, 0, 1)}
    assert "Διεύθυνση Οικονομικών" in response.content.decode()


def test_secretary_opens_one_directorates_goals(client_for, secretary, adopted):
    AllocationFactory(goal=adopted.goal, department=adopted.department)
    url = reverse("goals:allocations") + "?directorate=PROG"

    page = client_for(secretary).get(url).content.decode()

    assert "PROG-02" in page
    assert adopted.department.name in page
    assert "OIK-01" not in page


def test_an_unknown_directorate_is_a_404(client_for, secretary, adopted):
    url = reverse("goals:allocations") + "?directorate=NOPE"
    assert client_for(secretary).get(url).status_code == 404


def test_head_of_department_sees_what_is_allocated_to_them(
    client_for, head_of_department, secretary, adopted
):
    AllocationFactory(
        goal=adopted.goal, department=adopted.department, specification="Ψηφιοποίηση του αρχείου"
    )
    page = client_for(head_of_department).get(reverse("goals:allocations")).content.decode()
    assert "Ψηφιοποίηση του αρχείου" in page
    assert "OIK-01" not in page  # another directorate's goal


def test_the_overview_of_every_directorate_reads_no_progress_updates(
    client_for, secretary, head_of_planning, adopted
):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    ProgressUpdateFactory.create_batch(3, goal=adopted.goal, allocation=allocation)
    client = client_for(secretary)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("goals:allocations") + "?directorate=PROG")

    assert adopted.department.name in response.content.decode()
    assert not [q for q in queries.captured_queries if "goals_progressupdate" in q["sql"]]


def test_head_of_department_sees_how_far_their_share_has_come(
    client_for, head_of_department, adopted
):
    allocation = AllocationFactory(
        goal=adopted.goal, department=adopted.department, target=150, share=100
    )
    # The goal rises from 100 to 150; the department measured 125: half of the way.
    ProgressUpdateFactory(goal=adopted.goal, allocation=allocation, value=125)

    response = client_for(head_of_department).get(reverse("goals:allocations"))

    mine = response.context["department_allocations"]
    assert [(goal.pk, share.pk) for goal, share in mine] == [(adopted.goal.pk, allocation.pk)]
    assert mine[0][1].achievement == 50


@pytest.mark.parametrize("query", ["", "?directorate=PROG"])
def test_allocation_overview_runs_a_fixed_number_of_queries(
    client_for, secretary, adopted, django_assert_num_queries, query
):
    from tests.factories import GoalFactory

    url = reverse("goals:allocations") + query
    client = client_for(secretary)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(10):
        goal = GoalFactory(
            cycle=adopted.cycle,
            directorate=adopted.goal.directorate,
            code=f"X-{index}",
            status="adopted",
        )
        AllocationFactory(goal=goal, department=adopted.department)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("shares", [("-50", "150"), ("abc", "100"), ("1000", "-900"), ("100", "0")])
def test_impossible_shares_get_a_message_not_a_500(
    client_for, head_of_planning, adopted, second_department, shares
):
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    data = formset_data(
        adopted.goal, [row(adopted.department, shares[0]), row(second_department, shares[1])]
    )
    response = client_for(head_of_planning).post(url, data)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    assert not Allocation.objects.exists()
