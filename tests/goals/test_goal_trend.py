"""The trend on a goal's page: measured values over the year against the target line, drawn
as SVG by the server, with the same figures in a table; one query whatever the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.trend import goal_trend
from tests.factories import AllocationFactory, GoalFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured_goal(planning):
    goal = GoalFactory(directorate=planning, status="adopted", baseline=100, target=150)
    for month, value in [(3, 110), (6, 125), (9, 140)]:
        ProgressUpdateFactory(goal=goal, value=value, measured_on=datetime.date(2024, month, 30))
    return goal


def test_the_goal_page_draws_the_values_against_the_target(client_for, staff, measured_goal):
    response = client_for(staff).get(measured_goal.get_absolute_url())
    page = response.content.decode()
    assert "Εξέλιξη των τιμών του δείκτη" in page
    assert "<polyline" in page and 'stroke-dasharray="8 4"' in page
    assert "Τιμή-στόχος 150" in page
    for shown in ("30/03/2024", "30/06/2024", "30/09/2024", "110", "125", "140"):
        assert shown in page


def test_later_values_sit_higher_and_the_target_on_top(measured_goal):
    trend = goal_trend(measured_goal)
    (line,) = trend.lines
    heights = [point.y for point in line.points]
    assert heights == sorted(heights, reverse=True)  # y grows downwards in SVG
    assert trend.target_y < heights[-1]
    assert [point.x for point in line.points] == sorted(point.x for point in line.points)


def test_each_department_has_its_own_line(planning):
    goal = GoalFactory(directorate=planning, status="adopted")
    first = AllocationFactory(goal=goal, department__name="Τμήμα Α", share=60)
    second = AllocationFactory(goal=goal, department__name="Τμήμα Β", share=40)
    day = datetime.date(2024, 5, 31)
    ProgressUpdateFactory(goal=goal, allocation=first, value=10, measured_on=day)
    ProgressUpdateFactory(goal=goal, allocation=second, value=20, measured_on=day)

    trend = goal_trend(goal)

    assert [line.label for line in trend.lines] == ["Τμήμα Α", "Τμήμα Β"]
    assert len({line.dashes for line in trend.lines}) == 2  # told apart without colour
    assert trend.rows == [(day, [("Τμήμα Α", Decimal(10)), ("Τμήμα Β", Decimal(20))])]


def test_a_goal_without_measurements_says_so(client_for, staff, planning):
    goal = GoalFactory(directorate=planning)
    page = client_for(staff).get(goal.get_absolute_url()).content.decode()
    assert "Καμία μέτρηση ακόμη." in page
    assert "<polyline" not in page


@pytest.mark.parametrize("count", [2, 12])
def test_the_trend_costs_one_query(planning, count):
    goal = GoalFactory(directorate=planning, status="adopted")
    for month in range(1, count + 1):
        ProgressUpdateFactory(goal=goal, measured_on=datetime.date(2024, (month - 1) % 12 + 1, 1))
    with CaptureQueriesContext(connection) as queries:
        goal_trend(goal)
    assert len(queries) == 1
