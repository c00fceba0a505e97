import pytest
from django.core import mail
from django.core.management import call_command

from directorates.roles import Role
from goals.models import Observation
from tests.factories import ObservationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_secretary_gets_one_digest_of_the_new_observations(
    secretary, head_of_planning, planning_goal, django_capture_on_commit_callbacks
):
    ObservationFactory.create_batch(3, goal=planning_goal, author=head_of_planning)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_observation_digest", verbosity=0)
    [message] = mail.outbox
    assert message.to == [secretary.email]
    assert "3" in message.subject
    assert planning_goal.code in message.body
    assert not Observation.objects.not_yet_in_digest().exists()


def test_an_observation_is_reported_once(
    secretary, head_of_planning, planning_goal, django_capture_on_commit_callbacks
):
    ObservationFactory(goal=planning_goal, author=head_of_planning)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_observation_digest", verbosity=0)
        call_command("send_observation_digest", verbosity=0)
    assert len(mail.outbox) == 1


def test_no_mail_when_nothing_is_new(secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_observation_digest", verbosity=0)
    assert mail.outbox == []


def test_dry_run_sends_and_marks_nothing(secretary, head_of_planning, planning_goal, capsys):
    ObservationFactory(goal=planning_goal, author=head_of_planning)
    call_command("send_observation_digest", dry_run=True)
    assert "1" in capsys.readouterr().out
    assert mail.outbox == []
    assert Observation.objects.not_yet_in_digest().count() == 1


def test_the_digest_is_in_each_secretarys_language(
    secretary, head_of_planning, planning_goal, django_capture_on_commit_callbacks
):
    UserFactory(username="gs-en", language="en", roles=[Role.GENERAL_SECRETARY])
    ObservationFactory(goal=planning_goal, author=head_of_planning)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_observation_digest", verbosity=0)
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == ["One new observation on the goals", "Μία νέα παρατήρηση στους στόχους"]
