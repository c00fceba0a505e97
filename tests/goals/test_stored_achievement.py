"""Each goal stores its achievement, last measurement and 'behind' flag, kept in step by signals,
and the municipality's start page sums those in the database to the same figures as the
Python roll-ups of `goals.reports`."""

import datetime
from decimal import Decimal

import pytest

from goals import reports
from goals.models import Goal, GoalEvaluation
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalCycleFactory,
    GoalFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def stored(goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


def test_a_progress_update_stores_the_goals_achievement_and_date():
    goal = GoalFactory(status="adopted", baseline=100, target=150)
    ProgressUpdateFactory(goal=goal, value=125, measured_on=datetime.date(2024, 5, 31))
    goal = stored(goal)
    assert goal.current_achievement == Decimal("50.0")
    assert goal.last_measured_on == datetime.date(2024, 5, 31)
    assert goal.is_behind is False


def test_the_latest_update_decides_and_behind_is_stored():
    goal = GoalFactory(status="adopted", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=8, measured_on=datetime.date(2024, 6, 30))
    ProgressUpdateFactory(
        goal=goal, value=2, measured_on=datetime.date(2024, 3, 31), status="behind"
    )
    goal = stored(goal)
    assert goal.current_achievement == Decimal("80.0")
    assert goal.last_measured_on == datetime.date(2024, 6, 30)
    assert goal.is_behind is False


def test_deleting_the_latest_update_falls_back_to_the_one_before():
    goal = GoalFactory(status="adopted", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=3, measured_on=datetime.date(2024, 3, 31))
    latest = ProgressUpdateFactory(
        goal=goal, value=9, measured_on=datetime.date(2024, 6, 30), status="behind"
    )
    latest.delete()
    goal = stored(goal)
    assert goal.current_achievement == Decimal("30.0")
    assert goal.last_measured_on == datetime.date(2024, 3, 31)
    assert goal.is_behind is False


def test_departments_updates_roll_up_by_their_shares():
    goal = GoalFactory(status="adopted", baseline=0, target=100)
    first = AllocationFactory(goal=goal, share=75, target=100)
    second = AllocationFactory(goal=goal, share=25, target=100)
    ProgressUpdateFactory(goal=goal, allocation=first, value=100)
    ProgressUpdateFactory(goal=goal, allocation=second, value=40)
    assert stored(goal).current_achievement == Decimal("85.0")

    first.share, second.share = 25, 75
    first.save()
    second.save()
    assert stored(goal).current_achievement == Decimal("55.0")


def test_a_changed_target_works_the_achievement_out_again():
    goal = GoalFactory(status="adopted", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=5)
    goal = stored(goal)
    goal.target = 20
    goal.save()
    assert stored(goal).current_achievement == Decimal("25.0")


def test_the_evaluation_overrides_the_measurements_and_its_removal_restores_them():
    goal = GoalFactory(status="adopted", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=5)
    evaluation = GoalEvaluation.objects.create(
        goal=goal, final_value=10, justification="", evaluated_by=UserFactory()
    )
    assert stored(goal).current_achievement == Decimal("100.0")
    evaluation.delete()
    assert stored(goal).current_achievement == Decimal("50.0")


def test_a_goal_without_measurements_stores_nothing():
    goal = GoalFactory(status="adopted")
    AllocationFactory(goal=goal)
    goal = stored(goal)
    assert goal.current_achievement is None
    assert goal.last_measured_on is None


def test_database_sums_match_the_python_roll_ups():
    cycle = GoalCycleFactory(year=2025, phase="monitoring")
    directorates = [DirectorateFactory() for _ in range(3)]
    kinds = [
        ("increase", 100, 150, [125, 170, 90]),
        ("decrease", 50, 20, [35, 10, 60]),
        ("percentage", 10, 90, [50, 95, 10]),
        ("milestone", None, None, [1, 0, 1]),
    ]
    n = 0
    for d_index, directorate in enumerate(directorates):
        for kind, baseline, target, values in kinds:
            n += 1
            goal = GoalFactory(
                cycle=cycle,
                directorate=directorate,
                status="adopted",
                target_kind=kind,
                baseline=baseline,
                target=target,
                weight=1 + (n * 7) % 20,
                category=["services", "organisation", "skills"][n % 3],
            )
            if n % 5 == 0:
                continue  # never measured: counts as 0%
            if n % 2:
                ProgressUpdateFactory(goal=goal, value=values[d_index], status="behind")
            else:
                department = DepartmentFactory(directorate=directorate)
                allocation = AllocationFactory(
                    goal=goal, department=department, share=100, target=target
                )
                ProgressUpdateFactory(goal=goal, allocation=allocation, value=values[d_index])
    goals = Goal.objects.filter(cycle=cycle)
    worked_out = reports.with_achievement(goals.order_by("directorate__order", "code"))

    by_directorate = reports.summary_by_directorate(goals)
    assert [(s.label, s.achievement) for s in by_directorate] == [
        (g.label, g.achievement) for g in reports.by_directorate(worked_out)
    ]
    assert [(s.label, s.achievement, s.behind) for s in reports.summary_by_category(goals)] == [
        (g.label, g.achievement, g.behind) for g in reports.by_category(worked_out)
    ]
    assert reports.summary_overall(goals).achievement == reports.overall(worked_out)
    assert reports.summary_overall(goals).behind == sum(g.is_behind for g in worked_out)


def test_no_goals_sum_to_no_figure():
    assert reports.summary_overall(Goal.objects.none()).achievement is None
    assert reports.summary_by_directorate(Goal.objects.none()) == []


def test_storing_every_achievement_repairs_figures_written_around_the_signals():
    goal = GoalFactory(status="adopted", baseline=0, target=10)
    ProgressUpdateFactory(goal=goal, value=5)
    Goal.objects.filter(pk=goal.pk).update(current_achievement=None, last_measured_on=None)
    reports.store_every_achievement()
    assert stored(goal).current_achievement == Decimal("50.0")
