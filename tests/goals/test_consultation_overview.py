import pytest
from django.urls import reverse

from goals.views.observations import LISTED
from tests.factories import GoalFactory, ObservationFactory

pytestmark = pytest.mark.django_db

URL = reverse("goals:consultation")


def test_secretary_sees_per_directorate_submitted_answered_and_waiting(
    client_for, secretary, head_of_planning, head_of_finance, planning_goal, finance_goal
):
    waiting = ObservationFactory(goal=planning_goal, author=head_of_planning)
    ObservationFactory(
        goal=planning_goal,
        author=head_of_planning,
        status="noted",
        answered_at="2024-01-20T10:00:00Z",
    )
    ObservationFactory(goal=finance_goal, author=head_of_finance)
    response = client_for(secretary).get(URL)
    assert response.status_code == 200
    rows = {d.code: (d.submitted, d.answered, d.waiting) for d in response.context["directorates"]}
    assert rows["PROG"] == (2, 1, 1)
    assert rows["OIK"] == (1, 0, 1)
    assert waiting in response.context["waiting"]
    assert waiting.get_absolute_url() in response.content.decode()


def test_a_head_sees_their_goals_and_the_state_of_their_observations(
    client_for,
    head_of_planning,
    head_of_finance,
    cycle,
    planning,
    finance,
    planning_goal,
    finance_goal,
):
    shared = GoalFactory(cycle=cycle, directorate=finance, participating_directorates=[planning])
    mine = ObservationFactory(goal=planning_goal, author=head_of_planning)
    ObservationFactory(goal=finance_goal, author=head_of_finance)
    response = client_for(head_of_planning).get(URL)
    assert set(response.context["goals"]) == {planning_goal, shared}
    assert list(response.context["observations"]) == [mine]
    assert response.context["may_observe"]


@pytest.mark.parametrize("person", ["staff", "head_of_department"])
def test_people_without_a_part_in_the_consultation_get_403(client_for, request, cycle, person):
    assert client_for(request.getfixturevalue(person)).get(URL).status_code == 403


def test_the_overview_runs_a_constant_number_of_queries(
    client_for, secretary, head_of_planning, planning_goal, django_assert_num_queries
):
    ObservationFactory(goal=planning_goal, author=head_of_planning)
    client = client_for(secretary)
    client.get(URL)
    # With the secretary's second-factor device (django-otp's middleware), the page of
    # directorates (its count and rows) and their goals with SMART warnings (one count)
    with django_assert_num_queries(14):
        client.get(URL)
    ObservationFactory.create_batch(30, goal=planning_goal, author=head_of_planning)
    with django_assert_num_queries(14):
        client.get(URL)


def test_the_waiting_observations_come_a_page_at_a_time_the_oldest_first(
    client_for, secretary, head_of_planning, planning_goal
):
    waiting = ObservationFactory.create_batch(
        LISTED + 2, goal=planning_goal, author=head_of_planning
    )
    client = client_for(secretary)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert list(first.context["waiting"]) == waiting[:LISTED]
    assert list(second.context["waiting"]) == waiting[LISTED:]
    assert f"{LISTED + 2} παρατηρήσεις" in first.content.decode()


def test_a_heads_observations_come_a_page_at_a_time_the_latest_first(
    client_for, head_of_planning, planning_goal
):
    mine = ObservationFactory.create_batch(LISTED + 1, goal=planning_goal, author=head_of_planning)

    response = client_for(head_of_planning).get(URL)

    assert list(response.context["observations"]) == mine[::-1][:LISTED]
    assert response.context["page_obj"].paginator.count == LISTED + 1
