import datetime

import pytest
from django.urls import reverse

from goals.models import Observation
from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def observe_url(goal) -> str:
    return reverse("goals:observe", args=[goal.pk])


def test_head_submits_observation_on_their_directorates_goal(
    client_for, head_of_planning, planning_goal
):
    response = client_for(head_of_planning).post(
        observe_url(planning_goal),
        {"text": "Ο στόχος χρειάζεται περισσότερο χρόνο.", "proposed_deadline": "2024-11-30"},
    )
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert response.url == observation.get_absolute_url()
    assert observation.author == head_of_planning
    assert observation.directorate == head_of_planning.directorate
    assert observation.goal == planning_goal
    assert observation.proposed_deadline == datetime.date(2024, 11, 30)
    assert observation.status == Observation.Status.PENDING


def test_acting_head_submits_an_observation_that_says_so(
    client_for, head_of_planning, acting_head_of_planning, planning_goal
):
    client = client_for(acting_head_of_planning)
    response = client.post(observe_url(planning_goal), {"text": "Συμφωνούμε με τον στόχο."})

    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.author == acting_head_of_planning
    assert observation.directorate == head_of_planning.directorate
    assert observation.as_acting_head
    page = client.get(observation.get_absolute_url()).content.decode()
    assert "(ως αναπληρώτρια)" in page


def test_head_submits_observation_on_a_cross_cutting_goal_they_take_part_in(
    client_for, head_of_planning, cycle, finance, planning
):
    shared = GoalFactory(cycle=cycle, directorate=finance, participating_directorates=[planning])
    response = client_for(head_of_planning).post(observe_url(shared), {"text": "Συμφωνούμε."})
    assert response.status_code == 302
    assert Observation.objects.get().directorate == planning


def test_head_submits_a_general_observation_on_their_directorates_goals(
    client_for, head_of_planning, cycle
):
    response = client_for(head_of_planning).post(
        reverse("goals:observe_general"), {"text": "Οι στόχοι είναι πολλοί για το προσωπικό μας."}
    )
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.is_general
    assert observation.cycle == cycle


def test_the_form_is_not_offered_on_another_directorates_goal(
    client_for, head_of_planning, finance_goal
):
    client = client_for(head_of_planning)
    page = client.get(finance_goal.get_absolute_url())
    assert page.context["may_observe"] is False
    assert observe_url(finance_goal) not in page.content.decode()
    assert client.get(observe_url(finance_goal)).status_code == 403
    assert client.post(observe_url(finance_goal), {"text": "Πλαστό"}).status_code == 403
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "cycle_change",
    [
        {"phase": "drafting"},
        {"phase": "adopted"},
        {"consultation_closes_on": datetime.date.today() - datetime.timedelta(days=1)},
        {"consultation_opens_on": datetime.date.today() + datetime.timedelta(days=1)},
    ],
)
def test_outside_the_window_the_form_is_not_offered_and_a_forged_post_is_refused(
    client_for, head_of_planning, cycle, planning_goal, cycle_change
):
    for field, value in cycle_change.items():
        setattr(cycle, field, value)
    cycle.save()
    client = client_for(head_of_planning)
    assert client.get(planning_goal.get_absolute_url()).context["may_observe"] is False
    assert client.post(observe_url(planning_goal), {"text": "Αργά"}).status_code == 403
    assert client.post(reverse("goals:observe_general"), {"text": "Αργά"}).status_code == 403
    assert not Observation.objects.exists()


@pytest.mark.parametrize("person", ["secretary", "mayor", "staff", "head_of_department"])
def test_only_heads_of_directorates_submit_observations(
    client_for, request, head_of_planning, planning_goal, person
):
    client = client_for(request.getfixturevalue(person))
    assert client.post(observe_url(planning_goal), {"text": "Όχι"}).status_code == 403
    assert not Observation.objects.exists()


def test_an_empty_observation_is_refused_with_a_message(
    client_for, head_of_planning, planning_goal
):
    response = client_for(head_of_planning).post(observe_url(planning_goal), {"text": " "})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not Observation.objects.exists()


def test_a_bad_proposed_value_is_refused_and_nothing_is_saved(
    client_for, head_of_planning, planning_goal
):
    response = client_for(head_of_planning).post(
        observe_url(planning_goal), {"text": "Κείμενο", "proposed_target": "πολύ"}
    )
    assert response.status_code == 200
    assert "proposed_target" in response.context["form"].errors
    assert not Observation.objects.exists()


def test_another_directorates_observation_is_a_404(
    client_for, head_of_finance, head_of_planning, planning_goal
):
    observation = Observation.objects.create(
        cycle=planning_goal.cycle,
        goal=planning_goal,
        directorate=head_of_planning.directorate,
        author=head_of_planning,
        text="Εσωτερική παρατήρηση",
    )
    url = observation.get_absolute_url()
    assert client_for(head_of_finance).get(url).status_code == 404
    assert client_for(head_of_planning).get(url).status_code == 200
