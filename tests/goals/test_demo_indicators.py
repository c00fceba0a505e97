import pytest

from goals import reports
from goals.models import Goal, GoalCycle, GoalIndicator, IndicatorValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_monitored_year_has_a_goal_measured_by_two_indicators():
    cycle = GoalCycle.objects.filter(phase=GoalCycle.Phase.MONITORING).order_by("-year").first()
    [indicator] = GoalIndicator.objects.filter(goal__cycle=cycle)
    goal = indicator.goal
    assert (
        goal.progress_updates.count()
        == IndicatorValue.objects.filter(indicator=indicator).count()
        > 0
    )
    [worked_out] = reports.with_achievement(Goal.objects.filter(pk=goal.pk))
    assert goal.current_achievement == worked_out.achievement is not None
