import datetime

import pytest
from django.urls import reverse

from goals.models import Goal
from tests.factories import GoalCycleFactory, GoalFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("goals:create")


def goal_data(cycle, directorate, **overrides) -> dict:
    data = {
        "cycle": cycle.pk,
        "directorate": directorate.pk,
        "category": "services",
        "code": "PROG-05",
        "title": "Ταχύτερη απάντηση σε αιτήματα",
        "description": "",
        "indicator": "Μέσος χρόνος απάντησης",
        "unit_of_measure": "ημέρες",
        "target_kind": "decrease",
        "baseline": "15",
        "target": "10",
        "deadline": f"{cycle.year}-12-31",
        "weight": "10",
        "status": "accepted",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_secretary_creates_a_goal_for_any_directorate(client_for, secretary, cycle, finance):
    response = client_for(secretary).post(CREATE, goal_data(cycle, finance))
    goal = Goal.objects.get(code="PROG-05")
    assert response.status_code == 302
    assert response.url == goal.get_absolute_url()
    assert goal.directorate == finance
    assert goal.status == Goal.Status.ACCEPTED
    assert goal.history.get().history_user == secretary


def test_head_proposes_a_goal_for_their_own_directorate(
    client_for, head_of_planning, cycle, planning
):
    response = client_for(head_of_planning).post(
        CREATE, goal_data(cycle, planning, status="accepted")
    )
    assert response.status_code == 302
    goal = Goal.objects.get(code="PROG-05")
    assert goal.status == Goal.Status.PROPOSED
    assert goal.proposed_by == head_of_planning


def test_head_cannot_propose_for_another_directorate(client_for, head_of_planning, cycle, finance):
    response = client_for(head_of_planning).post(CREATE, goal_data(cycle, finance))
    assert response.status_code == 200
    assert "directorate" in response.context["form"].errors
    assert not Goal.objects.exists()


def test_head_cannot_propose_once_the_goals_are_adopted(client_for, head_of_planning, planning):
    GoalCycleFactory(phase="adopted")
    assert client_for(head_of_planning).get(CREATE).status_code == 403


@pytest.mark.parametrize("person", ["mayor", "deputy", "staff", "head_of_department"])
def test_read_only_roles_cannot_create_goals(client_for, request, cycle, planning, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, goal_data(cycle, planning)).status_code == 403
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_kind": "decrease", "baseline": "3", "target": "5"}, "target", "κάτω από"),
        ({"target_kind": "decrease", "baseline": None, "target": "5"}, "baseline", "τιμή βάσης"),
        ({"target_kind": "increase", "baseline": "10", "target": "8"}, "target", "πάνω από"),
        ({"target_kind": "percentage", "baseline": "40", "target": "120"}, "target", "0 και 100"),
        ({"target_kind": "increase", "target": None}, "target", "τιμή-στόχο"),
        ({"deadline": "2025-03-31"}, "deadline", "2024"),
        ({"target_kind": "milestone", "baseline": None, "target": "7"}, "target", "ορόσημο"),
    ],
)
def test_a_target_that_contradicts_its_kind_is_refused_with_a_greek_message(
    client_for, secretary, cycle, planning, overrides, field, message
):
    response = client_for(secretary).post(CREATE, goal_data(cycle, planning, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Goal.objects.exists()


def test_a_milestone_is_saved_without_numbers(client_for, secretary, cycle, planning):
    response = client_for(secretary).post(
        CREATE,
        goal_data(cycle, planning, target_kind="milestone", baseline=None, target=None),
    )
    assert response.status_code == 302
    assert Goal.objects.get().deadline == datetime.date(2024, 12, 31)


def test_a_duplicate_code_in_the_cycle_is_refused(client_for, secretary, cycle, planning):
    GoalFactory(cycle=cycle, code="PROG-05")
    response = client_for(secretary).post(CREATE, goal_data(cycle, planning))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Goal.objects.count() == 1


def test_head_edits_their_proposal_until_it_is_accepted(
    client_for, head_of_planning, cycle, planning
):
    goal = GoalFactory(cycle=cycle, directorate=planning, status="proposed", code="PROG-05")
    url = reverse("goals:update", args=[goal.pk])
    client = client_for(head_of_planning)
    response = client.post(
        url, goal_data(cycle, planning, title="Διορθωμένος", version=goal.version)
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Διορθωμένος"
    assert goal.status == "proposed"
    assert goal.version == 2
    goal.status = "accepted"
    goal.save()
    assert client.get(url).status_code == 403
    assert client.post(url, goal_data(cycle, planning, version=goal.version)).status_code == 403


def test_head_cannot_edit_another_directorates_proposal(
    client_for, head_of_finance, cycle, planning
):
    goal = GoalFactory(cycle=cycle, directorate=planning, status="proposed")
    response = client_for(head_of_finance).get(reverse("goals:update", args=[goal.pk]))
    assert response.status_code == 403


def test_secretary_accepts_a_proposal_by_setting_its_status(client_for, secretary, cycle, planning):
    goal = GoalFactory(cycle=cycle, directorate=planning, status="proposed", code="PROG-05")
    response = client_for(secretary).post(
        reverse("goals:update", args=[goal.pk]),
        goal_data(cycle, planning, status="accepted", version=goal.version),
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "accepted"
    assert goal.history.latest().history_user == secretary


def test_a_goal_of_a_closed_cycle_cannot_be_changed(client_for, secretary, planning):
    # Once the General Secretary closes a cycle, nothing in it changes.
    cycle = GoalCycleFactory(year=2023, phase="closed")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-05")
    response = client_for(secretary).post(
        reverse("goals:update", args=[goal.pk]),
        goal_data(cycle, planning, title="Διόρθωση", deadline="2023-12-31", version=goal.version),
    )
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.title != "Διόρθωση"


@pytest.mark.parametrize("pk", ["99999999999999999999999", "-1", "1e3"])
def test_a_participating_directorate_id_out_of_range_is_refused_not_a_server_error(
    client_for, secretary, cycle, planning, pk
):
    # Found with the hostile corpus (tests/security): on SQLite a huge id was a 500.
    response = client_for(secretary).post(
        CREATE, goal_data(cycle, planning, participating_directorates=[pk])
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("participating_directorates")
    assert not Goal.objects.exists()
