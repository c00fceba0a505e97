"""The benchmark's data generator still fits the models: a tiny scale, checked for proportions."""

import pytest

from bench.generate import counts, generate
from directorates.models import Department, Directorate, User
from goals.models import Allocation, Goal, GoalCycle, MayoralDecision, Observation, ProgressUpdate
from goals.models.goals import normalise_for_search
from meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def test_generate_at_a_tiny_scale_makes_the_proportions_of_a_municipality():
    aimed = generate(scale=0.01)

    assert aimed == counts(0.01)
    assert Directorate.objects.count() == aimed["directorates"] == 1  # 0.3 rounds up to one
    assert Department.objects.count() == aimed["departments"] == 1
    assert User.objects.count() == aimed["users"] == 30
    assert Goal.objects.count() == aimed["goals"] == 60
    assert Observation.objects.count() == aimed["observations"] == 600
    assert ProgressUpdate.objects.count() == aimed["progress"] == 1000
    assert Meeting.objects.count() == aimed["meetings"] == 2
    assert AgendaItem.objects.count() == 4 * aimed["meetings"]


def test_generated_data_has_an_open_consultation_and_adopted_years():
    generate(scale=0.01)

    open_cycles = [c for c in GoalCycle.objects.all() if c.is_consultation_open()]
    assert len(open_cycles) == 1
    adopted = GoalCycle.objects.exclude(phase=GoalCycle.Phase.CONSULTATION)
    assert MayoralDecision.objects.posted().count() == adopted.count() == 9
    assert Allocation.objects.count() == Goal.objects.filter(cycle__in=adopted).count()
    goal = Goal.objects.first()
    text = " ".join([goal.code, goal.title, goal.description, goal.indicator])
    assert goal.search_text == normalise_for_search(text)
    assert Goal.history.count() == 0  # bulk data carries no history rows


def test_generated_data_leaves_the_planner_its_statistics():
    from django.db import connection

    generate(scale=0.01)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'goals_goal'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'goals_goal'")
        (rows,) = cursor.fetchone()
    assert rows > 0
