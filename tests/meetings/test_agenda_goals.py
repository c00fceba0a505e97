"""Agenda items link to goals and observations; Suggest agenda proposes the goals with new
observations since the last meeting."""

import datetime

from django.urls import reverse
from django.utils import timezone

from goals.models import Observation
from meetings.models import AgendaItem
from tests.factories import (
    AgendaItemFactory,
    GoalCycleFactory,
    GoalFactory,
    MeetingFactory,
    ObservationFactory,
    ProgressUpdateFactory,
)


def submitted(observation: Observation, when: datetime.datetime) -> Observation:
    Observation.objects.filter(pk=observation.pk).update(submitted_at=when)
    return observation


def test_suggest_agenda_proposes_goals_with_observations_since_the_last_meeting(
    client_for, secretary, meeting, held_meeting, planning, head_of_planning
):
    cycle = GoalCycleFactory(year=timezone.localdate().year)
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-03")
    old = submitted(
        ObservationFactory(goal=goal), held_meeting.starts_at - datetime.timedelta(days=1)
    )
    new = submitted(
        ObservationFactory(goal=goal), held_meeting.starts_at + datetime.timedelta(days=1)
    )
    quiet = GoalFactory(cycle=cycle, directorate=planning)
    submitted(ObservationFactory(goal=quiet), held_meeting.starts_at - datetime.timedelta(days=3))
    ObservationFactory(goal=None, cycle=cycle, author=head_of_planning)

    url = reverse("meetings:agenda_suggest", args=[meeting.pk])
    client_for(secretary).post(url)
    client_for(secretary).post(url)

    (item,) = meeting.agenda_items.all()
    assert item.status == AgendaItem.Status.PROPOSED
    assert list(item.goals.all()) == [goal]
    assert list(item.observations.all()) == [new]
    assert old not in item.observations.all()
    assert item.presenter == head_of_planning
    assert list(item.directorates.all()) == [planning]
    assert item.title.startswith("Νέες παρατηρήσεις")


def test_an_item_links_goals_and_observations(client_for, secretary, meeting, planning):
    goal = GoalFactory(directorate=planning)
    observation = ObservationFactory(goal=goal)
    response = client_for(secretary).post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {
            "title": "Ψηφιακές υπηρεσίες",
            "duration": "10",
            "goals": [goal.pk],
            "observations": [observation.pk],
        },
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert list(item.goals.all()) == [goal]
    assert list(item.observations.all()) == [observation]
    page = client_for(secretary).get(meeting.get_absolute_url()).content.decode()
    assert goal.get_absolute_url() in page
    assert observation.get_absolute_url() in page


def test_a_head_links_only_observations_their_directorate_reads(
    client_for, head_of_finance, meeting, planning, finance
):
    other = ObservationFactory(goal=GoalFactory(directorate=planning))
    own = ObservationFactory(goal=GoalFactory(directorate=finance))
    form = (
        client_for(head_of_finance)
        .get(reverse("meetings:agenda_add", args=[meeting.pk]))
        .context["form"]
    )
    assert list(form.fields["observations"].queryset) == [own]
    response = client_for(head_of_finance).post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Πληρωμές", "duration": "10", "observations": [other.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["observations"]
    assert not meeting.agenda_items.exists()


def test_heads_see_a_count_not_links_to_other_directorates_observations(
    client_for, head_of_finance, meeting, planning
):
    observation = ObservationFactory(goal=GoalFactory(directorate=planning))
    item = AgendaItemFactory(meeting=meeting)
    item.observations.add(observation)
    page = client_for(head_of_finance).get(meeting.get_absolute_url()).content.decode()
    assert observation.get_absolute_url() not in page


def test_a_goal_already_on_the_agenda_is_not_suggested_again(client_for, secretary, planning):
    meeting = MeetingFactory()
    goal = GoalFactory(directorate=planning)
    ObservationFactory(goal=goal)
    AgendaItemFactory(meeting=meeting).goals.add(goal)
    client_for(secretary).post(reverse("meetings:agenda_suggest", args=[meeting.pk]))
    assert meeting.agenda_items.count() == 1


def test_suggest_agenda_proposes_goals_behind_or_without_a_recent_update(
    client_for, secretary, meeting, adopted, head_of_planning, head_of_finance
):
    ProgressUpdateFactory(
        goal=adopted.goal, measured_on=datetime.date(2024, 11, 20), status="behind"
    )
    ProgressUpdateFactory(
        goal=adopted.finance_goal, measured_on=datetime.date(2024, 12, 15), status="on_track"
    )
    # adopted.other_goal has had no update since its adoption: overdue.

    url = reverse("meetings:agenda_suggest", args=[meeting.pk])
    client_for(secretary).post(url)
    client_for(secretary).post(url)  # a second click adds nothing

    items = {item.goals.get(): item for item in meeting.agenda_items.filter(goals__isnull=False)}
    assert set(items) == {adopted.goal, adopted.other_goal}
    assert items[adopted.goal].title.startswith("Στόχος με καθυστέρηση")
    assert items[adopted.other_goal].title.startswith("Χωρίς επικαιροποίηση")
    assert items[adopted.goal].presenter == head_of_planning
    assert all(item.status == AgendaItem.Status.PROPOSED for item in items.values())


def test_a_goal_behind_already_on_the_agenda_is_not_suggested_again(
    client_for, secretary, meeting, adopted
):
    ProgressUpdateFactory(
        goal=adopted.goal, measured_on=datetime.date(2024, 11, 20), status="behind"
    )
    AgendaItemFactory(meeting=meeting).goals.add(adopted.goal)

    client_for(secretary).post(reverse("meetings:agenda_suggest", args=[meeting.pk]))

    assert meeting.agenda_items.filter(goals=adopted.goal).count() == 1
