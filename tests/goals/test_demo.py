import pytest

from goals.demo import years
from goals.models import ActionProgramme, Goal, GoalCycle, Observation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_demo_has_next_years_cycle_in_open_consultation_with_goals_of_every_kind():
    cycle = GoalCycle.objects.get(year=years.consultation_year())
    assert cycle.is_consultation_open()
    goals = Goal.objects.filter(cycle=cycle)
    assert set(goals.values_list("category", flat=True)) == set(Goal.Category.values)
    assert set(goals.values_list("target_kind", flat=True)) == set(Goal.TargetKind.values)
    assert goals.filter(status=Goal.Status.PROPOSED).exists()
    assert goals.exclude(participating_directorates=None).exists()
    for directorate in goals.values_list("directorate", flat=True).distinct():
        assert goals.filter(directorate=directorate).count() >= 5
    assert Observation.objects.pending().exists()
    assert Observation.objects.answered().exists()
    assert Observation.objects.filter(applied=True).exists()
    # Every goal that serves an action serves one of its own year's action programme.
    linked = Goal.objects.exclude(programme_action=None).select_related("cycle")
    assert linked.filter(cycle=cycle).exists()
    for goal in linked:
        assert ActionProgramme.objects.filter(
            year=goal.cycle.year, actions=goal.programme_action
        ).exists()
