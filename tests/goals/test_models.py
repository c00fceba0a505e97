import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals.models import Goal, GoalCycle, Observation
from goals.models.goals import normalise_for_search
from tests.factories import GoalCycleFactory, GoalFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def test_search_normalisation_ignores_accents_case_and_final_sigma():
    assert normalise_for_search("ΣΤΟΧΟΘΕΣΊΑ") == "στοχοθεσια"
    assert normalise_for_search("Στοχοθεσία") == normalise_for_search("στοχοθεσια")
    assert normalise_for_search("ΔΡΆΣΕΙΣ") == normalise_for_search("δράσεις")


def test_goal_keeps_its_search_text_up_to_date():
    goal = GoalFactory(title="Ψηφιοποίηση Διαδικασιών")
    goal.title = "Νέα Στοχοθεσία"
    goal.save(update_fields=["title"])
    goal.refresh_from_db()
    assert "νεα στοχοθεσια" in goal.search_text


@pytest.mark.parametrize(
    ("kind", "baseline", "target"),
    [
        ("decrease", 3, 5),
        ("decrease", None, 1),
        ("increase", 10, 5),
        ("percentage", 40, 120),
        ("increase", 1, None),
    ],
)
def test_database_refuses_a_target_that_contradicts_its_kind(kind, baseline, target):
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(target_kind=kind, baseline=baseline, target=target)


def test_goal_code_is_unique_within_a_cycle_only():
    goal = GoalFactory(code="PROG-01")
    GoalFactory(code="PROG-01", cycle=GoalCycleFactory(year=2025))
    duplicate = Goal(cycle=goal.cycle, directorate=goal.directorate, code="PROG-01")
    with pytest.raises(ValidationError, match="έχει ήδη αυτόν τον κωδικό"):
        duplicate.validate_constraints()


def test_a_milestone_needs_no_target():
    goal = GoalFactory(target_kind="milestone", baseline=None, target=None)
    assert goal.is_milestone


def test_current_cycle_is_the_latest_not_closed():
    GoalCycleFactory(year=2023, phase="closed")
    current = GoalCycleFactory(year=2024, phase="monitoring")
    assert GoalCycle.objects.current() == current
    current.phase = "closed"
    current.save()
    assert GoalCycle.objects.current().year == 2024


def test_consultation_is_open_only_in_its_phase_and_dates():
    cycle = GoalCycleFactory(
        phase="consultation",
        consultation_opens_on=datetime.date(2024, 1, 10),
        consultation_closes_on=datetime.date(2024, 2, 10),
    )
    assert cycle.is_consultation_open(datetime.date(2024, 1, 10))
    assert cycle.is_consultation_open(datetime.date(2024, 2, 10))
    assert not cycle.is_consultation_open(datetime.date(2024, 2, 11))
    cycle.phase = "drafting"
    assert not cycle.is_consultation_open(datetime.date(2024, 1, 20))


def test_goals_concerning_a_directorate_include_cross_cutting_ones(planning, finance):
    own = GoalFactory(directorate=planning)
    shared = GoalFactory(directorate=finance, participating_directorates=[planning])
    GoalFactory(directorate=finance)
    assert set(Goal.objects.concerning(planning.pk)) == {own, shared}


def test_observations_are_read_by_the_authors_directorate_and_oversight(
    head_of_planning, head_of_finance, staff, mayor, deputy, secretary
):
    observation = ObservationFactory(goal=GoalFactory(directorate=head_of_planning.directorate))
    for reader in (head_of_planning, staff, mayor, deputy, secretary):
        assert Observation.objects.visible_to(reader).filter(pk=observation.pk).exists()
    assert not Observation.objects.visible_to(head_of_finance).exists()


def test_an_answered_observation_must_say_when():
    observation = ObservationFactory()
    observation.status = Observation.Status.ACCEPTED
    with pytest.raises(IntegrityError), transaction.atomic():
        observation.save()


def test_goals_and_observations_of_the_current_cycle(head_of_planning):
    old = GoalFactory(cycle=GoalCycleFactory(year=2023, phase="closed"))
    new = GoalFactory(cycle=GoalCycleFactory(year=2024, phase="drafting"))
    ObservationFactory(goal=old, author=head_of_planning)
    current = ObservationFactory(goal=new, author=head_of_planning)
    assert list(Goal.objects.current()) == [new]
    assert list(Observation.objects.current()) == [current]
    assert Observation.objects.pending().count() == 2
    assert not Observation.objects.answered().exists()


def test_only_coordinators_and_heads_of_open_proposals_may_edit(
    secretary, head_of_planning, head_of_finance, mayor, planning
):
    proposal = GoalFactory(directorate=planning, status="proposed")
    accepted = GoalFactory(directorate=planning, cycle=proposal.cycle)
    assert set(Goal.objects.editable_by(secretary)) == {proposal, accepted}
    assert list(Goal.objects.editable_by(head_of_planning)) == [proposal]
    assert not Goal.objects.editable_by(head_of_finance).exists()
    assert not Goal.objects.editable_by(mayor).exists()


def test_one_goal_open_for_observations_agrees_with_the_queryset(
    head_of_planning, head_of_finance, planning, finance, staff
):
    open_cycle = GoalCycleFactory(open=True)
    closed_cycle = GoalCycleFactory(year=open_cycle.year + 1, phase="drafting")
    own = GoalFactory(cycle=open_cycle, directorate=planning)
    shared = GoalFactory(cycle=open_cycle, directorate=finance)
    shared.participating_directorates.add(planning)
    others = GoalFactory(cycle=open_cycle, directorate=finance)
    not_open = GoalFactory(cycle=closed_cycle, directorate=planning)

    for person in (head_of_planning, head_of_finance, staff):
        expected = set(Goal.objects.open_for_observations_by(person))
        for goal in (own, shared, others, not_open):
            fetched = Goal.objects.select_related("cycle").get(pk=goal.pk)
            prefetched = (
                Goal.objects.select_related("cycle")
                .prefetch_related("participating_directorates")
                .get(pk=goal.pk)
            )
            assert fetched.is_open_for_observations_by(person) == (goal in expected)
            assert prefetched.is_open_for_observations_by(person) == (goal in expected)
    assert {own, shared} == set(Goal.objects.open_for_observations_by(head_of_planning))
