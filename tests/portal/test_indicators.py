"""A published goal measured by several indicators: its further indicators and the values of
each in the open data files, the API and its public page."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from goals.models import IndicatorValue, ProgressUpdate
from tests.factories import GoalIndicatorFactory


@pytest.fixture
def measured(published):
    """PROG-01 of the published cycle with a further indicator (a percentage 50 → 90, weight
    40), valued 60 in March and 70 in April alongside the goal's own indicator."""
    indicator = GoalIndicatorFactory(
        goal=published.goal, name="Ικανοποίηση πολιτών", baseline=50, target=90, weight=40
    )
    for update, value in zip(
        ProgressUpdate.objects.filter(goal=published.goal).order_by("measured_on"),
        (60, 70),
        strict=True,
    ):
        IndicatorValue.objects.create(update=update, indicator=indicator, value=value)
    cache.clear()
    published.indicator = indicator
    return published


def rows(client, name: str) -> list[dict]:
    body = client.get(reverse(name, args=[2024])).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_values_file_has_a_row_per_indicator_and_month(client, measured):
    values = [r for r in rows(client, "portal:values_csv") if r["goal_code"] == "PROG-01"]
    assert [(r["month"], r["indicator_number"], r["indicator"], r["value"]) for r in values] == [
        ("2024-03", "1", measured.goal.indicator, "110"),
        ("2024-03", "2", "Ικανοποίηση πολιτών", "60"),
        ("2024-04", "1", measured.goal.indicator, "125"),
        ("2024-04", "2", "Ικανοποίηση πολιτών", "70"),
    ]


def test_the_goals_file_describes_the_further_indicators(client, measured):
    goals = {r["goal_code"]: r for r in rows(client, "portal:goals_csv")}
    assert goals["PROG-01"]["indicator_weight"] == "60"
    assert goals["PROG-01"]["further_indicators"] == "2. Ικανοποίηση πολιτών (%): 50 → 90, 40"
    assert goals["PROG-01"]["latest_value"] == "125"  # the goal's own indicator's
    assert goals["OIK-01"]["indicator_weight"] == "100"
    assert goals["OIK-01"]["further_indicators"] == ""


def test_the_json_file_and_the_api_carry_the_same_fields(client, measured):
    document = json.loads(client.get(reverse("portal:cycle_json", args=[2024])).content)
    goal = next(g for g in document["goals"] if g["goal_code"] == "PROG-01")
    assert goal["indicator_weight"] == 60
    assert [(v["indicator_number"], v["value"]) for v in goal["values"]] == [
        (1, 110),
        (2, 60),
        (1, 125),
        (2, 70),
    ]


def test_the_fields_page_documents_the_indicator_fields(client, measured):
    page = client.get(reverse("portal:fields")).content.decode()
    for name in ("indicator_weight", "further_indicators", "indicator_number"):
        assert name in page


def test_the_public_goal_page_lists_the_further_indicators_and_their_values(client, measured):
    response = client.get(reverse("portal:goal", args=[2024, "PROG-01"]))
    page = response.content.decode()
    assert page.count("Ικανοποίηση πολιτών") >= 3  # the list, and a value in each month
    # the trend follows the goal's own indicator, against its target
    trend = response.context["trend"]
    assert [point.value for line in trend.lines for point in line.points] == [110, 125]


def test_the_api_refuses_progress_without_a_value_for_each_indicator(
    client, measured, head_of_planning
):
    from tests.portal.test_api import PROGRESS, call, issue, progress_url

    secret = issue(head_of_planning, scope="progress", goals=[measured.goal])
    response = call(client, "post", progress_url(measured.goal), secret, PROGRESS)
    assert response.status_code == 422
    assert "Ικανοποίηση πολιτών" in response.json()["detail"]
    assert not ProgressUpdate.objects.filter(value=140).exists()
