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


def test_a_few_of_next_years_draft_goals_draw_smart_warnings_and_most_do_not():
    from goals.smart import cycle_warnings

    cycle = GoalCycle.objects.get(year=years.consultation_year())
    check = cycle_warnings(cycle)
    drafts = Goal.objects.filter(cycle=cycle, status__in=Goal.AWAITING_ADOPTION).count()
    found = {w.code for warnings in check.warnings.values() for w in warnings}
    assert found == {"copied_title", "weights_not_100", "activity_title"}
    assert 0 < len(check.warnings) < drafts / 4
    by_code = {
        check.goals[pk].code: {w.code for w in warnings} for pk, warnings in check.warnings.items()
    }
    assert by_code["PROG-10"] == {"activity_title"}  # "Ενημέρωση των πολιτών …", a proposal
    assert "weights_not_100" in by_code["PSIF-01"]  # six goals weighing 20 each
    assert not any(code.startswith("TEXN-") for code in by_code)  # weights rebalanced to 100
