import pytest
from django.urls import reverse

from goals.services.goals import save_goal
from goals.services.observations import answer_observation
from goals.views.goals import OBSERVATIONS_PER_PAGE
from tests.factories import GoalFactory, ObservationFactory, ProgrammeActionFactory

pytestmark = pytest.mark.django_db


def test_everyone_logged_in_reads_a_goal_with_every_field(client_for, staff, finance_goal):
    finance_goal.programme_action = ProgrammeActionFactory(title="Ηλεκτρονικές πληρωμές")
    finance_goal.save()
    response = client_for(staff).get(finance_goal.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        finance_goal.code,
        finance_goal.title,
        finance_goal.indicator,
        "Ηλεκτρονικές πληρωμές",
    ):
        assert text in page


def test_anonymous_is_sent_to_the_login_page(client, finance_goal):
    response = client.get(finance_goal.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_missing_goal_is_a_404(client_for, staff):
    assert client_for(staff).get(reverse("goals:detail", args=[999])).status_code == 404


def test_observations_are_shown_only_to_those_who_may_read_them(
    client_for, head_of_planning, head_of_finance, mayor, planning_goal
):
    observation = ObservationFactory(goal=planning_goal, author=head_of_planning)
    assert list(
        client_for(mayor).get(planning_goal.get_absolute_url()).context["observations"]
    ) == [observation]
    own = client_for(head_of_planning).get(planning_goal.get_absolute_url())
    assert list(own.context["observations"]) == [observation]
    outsider = client_for(head_of_finance).get(planning_goal.get_absolute_url())
    assert list(outsider.context["observations"]) == []
    assert observation.text not in outsider.content.decode()


def test_the_history_shows_who_changed_what_from_which_value_to_which(
    client_for, staff, secretary, planning_goal
):
    planning_goal.title = "Νέος τίτλος"
    planning_goal.target = 180
    save_goal(goal=planning_goal, by=secretary, expected_version=planning_goal.version)
    response = client_for(staff).get(planning_goal.get_absolute_url())
    latest = response.context["history"][0]
    assert latest.who == secretary
    changes = {str(change.label): (change.old, change.new) for change in latest.changes}
    assert changes["τίτλος"] == ("Απορρόφηση προγραμμάτων", "Νέος τίτλος")
    assert changes["τιμή-στόχος"] == (150, 180)
    assert len(response.context["history"]) == 2


def test_the_history_shows_changes_of_the_participating_directorates(
    client_for, staff, secretary, planning_goal, finance
):
    save_goal(
        goal=planning_goal,
        by=secretary,
        participants=[finance],
        expected_version=planning_goal.version,
    )
    response = client_for(staff).get(planning_goal.get_absolute_url())
    labels = [str(c.label) for entry in response.context["history"] for c in entry.changes]
    assert "συμμετέχουσες διευθύνσεις" in labels


def test_an_applied_observation_is_named_in_the_history(
    client_for, staff, secretary, head_of_planning, planning_goal
):
    observation = ObservationFactory(
        goal=planning_goal, author=head_of_planning, proposed_target=170
    )
    answer_observation(
        observation=observation, by=secretary, status="accepted", reply="Ναι", apply_change=True
    )
    response = client_for(staff).get(planning_goal.get_absolute_url())
    assert response.context["history"][0].observation == observation
    assert observation.get_absolute_url() in response.content.decode()


def test_the_goal_page_runs_a_constant_number_of_queries(
    client_for,
    mayor,
    secretary,
    head_of_planning,
    planning_goal,
    finance,
    django_assert_num_queries,
):
    ObservationFactory(goal=planning_goal, author=head_of_planning)
    client = client_for(mayor)
    url = planning_goal.get_absolute_url()
    client.get(url)
    # 9 (the history in two: its rows with their related objects, and the participants; the
    # observations counted, then a page of them), 1 for the decisions that adopted and amended
    # the goal, 1 for the Mayor's second-factor device (django-otp's middleware), 1 for the
    # trend's measurements, 1 for the risks and blockers, 2 for the SMART check of the draft
    # (the cycle's goals and their further indicators)
    with django_assert_num_queries(16):
        client.get(url)
    for target in range(151, 161):
        planning_goal.target = target
        save_goal(goal=planning_goal, by=secretary, expected_version=planning_goal.version)
    save_goal(
        goal=planning_goal,
        by=secretary,
        participants=[finance],
        expected_version=planning_goal.version,
    )
    ObservationFactory.create_batch(25, goal=planning_goal, author=head_of_planning)
    with django_assert_num_queries(16):
        client.get(url)
    GoalFactory()  # other goals change nothing
    with django_assert_num_queries(16):
        client.get(url)


def test_a_goals_observations_come_a_page_at_a_time_the_latest_first(
    client_for, mayor, head_of_planning, planning_goal
):
    observations = ObservationFactory.create_batch(
        OBSERVATIONS_PER_PAGE + 3, goal=planning_goal, author=head_of_planning
    )
    client = client_for(mayor)
    url = planning_goal.get_absolute_url()

    first = client.get(url)
    second = client.get(url, {"page": 2})

    latest_first = observations[::-1]
    assert list(first.context["observations"]) == latest_first[:OBSERVATIONS_PER_PAGE]
    assert list(second.context["observations"]) == latest_first[OBSERVATIONS_PER_PAGE:]
