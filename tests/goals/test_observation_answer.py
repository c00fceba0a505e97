import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.models import Observation
from goals.services.observations import answer_observation
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def answer_url(observation) -> str:
    return reverse("goals:answer", args=[observation.pk])


@pytest.fixture
def observation(head_of_planning, planning_goal):
    return ObservationFactory(
        goal=planning_goal,
        author=head_of_planning,
        proposed_target=170,
        proposed_indicator="Ποσοστό απορρόφησης",
    )


def test_secretary_answers_and_the_head_is_told_by_mail(
    client_for, secretary, observation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            answer_url(observation), {"status": "rejected", "reply": "Ο στόχος μένει."}
        )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.status == Observation.Status.REJECTED
    assert observation.answered_by == secretary
    assert observation.answered_at is not None
    assert not observation.applied
    [message] = mail.outbox
    assert message.to == [observation.author.email]
    assert "Ο στόχος μένει." in message.body
    assert "Απορρίφθηκε" in message.body


def test_the_mail_is_in_the_recipients_language(
    client_for, secretary, observation, django_capture_on_commit_callbacks
):
    observation.author.language = "en"
    observation.author.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary).post(answer_url(observation), {"status": "noted", "reply": "OK"})
    [message] = mail.outbox
    assert "was answered" in message.subject
    assert "Noted" in message.body


def test_accepting_applies_the_proposed_change_in_one_step(
    client_for, secretary, observation, planning_goal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            answer_url(observation),
            {"status": "accepted", "reply": "Δεκτό.", "apply_change": "on"},
        )
    assert response.status_code == 302
    planning_goal.refresh_from_db()
    observation.refresh_from_db()
    assert planning_goal.target == 170
    assert planning_goal.indicator == "Ποσοστό απορρόφησης"
    assert planning_goal.version == 2
    assert observation.applied
    latest = planning_goal.history.latest()
    assert latest.applied_observation == observation
    assert latest.history_user == secretary
    assert str(observation.pk) in latest.history_change_reason


def test_a_change_that_would_break_the_goal_is_refused_and_nothing_is_saved(
    client_for, secretary, head_of_planning, planning_goal
):
    # The goal raises 100 → 150: a target of 90 would no longer be an increase.
    observation = ObservationFactory(
        goal=planning_goal, author=head_of_planning, proposed_target=90
    )
    response = client_for(secretary).post(
        answer_url(observation), {"status": "accepted", "reply": "Δεκτό", "apply_change": "on"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    observation.refresh_from_db()
    planning_goal.refresh_from_db()
    assert observation.status == Observation.Status.PENDING
    assert planning_goal.target == 150
    assert mail.outbox == []


def test_a_rejected_observation_cannot_be_applied(
    client_for, secretary, observation, planning_goal
):
    response = client_for(secretary).post(
        answer_url(observation), {"status": "rejected", "reply": "Όχι", "apply_change": "on"}
    )
    assert response.status_code == 400
    assert "apply_change" in response.context["form"].errors
    planning_goal.refresh_from_db()
    assert planning_goal.target == 150


def test_an_answer_without_reply_is_refused(client_for, secretary, observation):
    response = client_for(secretary).post(answer_url(observation), {"status": "noted", "reply": ""})
    assert response.status_code == 400
    observation.refresh_from_db()
    assert observation.status == Observation.Status.PENDING


def test_an_observation_is_answered_once(secretary, observation):
    answer_observation(observation=observation, by=secretary, status="noted", reply="Ναι")
    with pytest.raises(ValidationError):
        answer_observation(observation=observation, by=secretary, status="rejected", reply="Όχι")


@pytest.mark.parametrize("person", ["mayor", "deputy", "head_of_planning", "staff"])
def test_only_the_secretary_answers(client_for, request, observation, person):
    response = client_for(request.getfixturevalue(person)).post(
        answer_url(observation), {"status": "accepted", "reply": "Ναι"}
    )
    assert response.status_code == 403
    observation.refresh_from_db()
    assert observation.status == Observation.Status.PENDING


def test_an_outsider_gets_404(client_for, head_of_finance, observation):
    response = client_for(head_of_finance).post(
        answer_url(observation), {"status": "accepted", "reply": "Ναι"}
    )
    assert response.status_code == 404


def test_the_answer_form_is_shown_to_the_secretary_only(client_for, secretary, mayor, observation):
    assert client_for(secretary).get(observation.get_absolute_url()).context["form"] is not None
    assert client_for(mayor).get(observation.get_absolute_url()).context["form"] is None
