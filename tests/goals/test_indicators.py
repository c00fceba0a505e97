"""A goal measured by several indicators: its further indicators on the goal's form and page,
their weights, and how its achievement combines them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from goals.achievement import with_further_indicators
from goals.models import Goal, GoalIndicator, IndicatorValue
from goals.services.goals import save_goal
from tests.factories import GoalFactory, GoalIndicatorFactory, ProgressUpdateFactory
from tests.goals.test_goal_form import goal_data

pytestmark = pytest.mark.django_db

CREATE = reverse("goals:create")


def indicator_rows(*rows: dict, initial: int = 0) -> dict:
    """The further indicators' part of the goal form: `rows` as typed, `initial` of them stored
    (each row of a stored one carries its `id`)."""
    data = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(initial),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"indicators-{index}-{name}"] = value
    return data


SATISFACTION = {
    "name": "Ικανοποίηση πολιτών",
    "unit_of_measure": "%",
    "target_kind": "percentage",
    "baseline": "50",
    "target": "90",
    "weight": "30",
}
DIGITAL = {
    "name": "Ψηφιακές αιτήσεις",
    "unit_of_measure": "αιτήσεις",
    "target_kind": "increase",
    "baseline": "0",
    "target": "200",
    "weight": "20",
}


# --- The arithmetic -----------------------------------------------------------------------------
class Indicator:
    def __init__(self, pk, kind, baseline, target, weight):
        self.pk, self.target_kind, self.weight = pk, kind, weight
        self.baseline = None if baseline is None else Decimal(baseline)
        self.target = None if target is None else Decimal(target)


def test_a_goal_with_one_indicator_achieves_that_indicator_overshoot_included():
    assert with_further_indicators(Decimal(120), [], {}) == Decimal(120)
    assert with_further_indicators(None, [], {}) is None


def test_indicators_combine_by_weight_each_capped():
    indicators = [Indicator(1, "percentage", 50, 90, 30), Indicator(2, "milestone", None, None, 20)]
    # first 120% (counted as 100) × 50, second (70 of 50 → 90) 50% × 30, milestone done × 20
    combined = with_further_indicators(Decimal(120), indicators, {1: Decimal(70), 2: Decimal(1)})
    assert combined == Decimal("85.0")


def test_an_indicator_without_a_value_counts_as_nothing_done():
    indicators = [Indicator(1, "increase", 0, 10, 40)]
    assert with_further_indicators(Decimal(100), indicators, {}) == Decimal("60.0")
    assert with_further_indicators(None, indicators, {}) is None


# --- The goal form ------------------------------------------------------------------------------
def test_secretary_creates_a_goal_with_two_further_indicators(
    client_for, secretary, cycle, planning
):
    data = {**goal_data(cycle, planning), **indicator_rows(SATISFACTION, DIGITAL)}
    response = client_for(secretary).post(CREATE, data)
    assert response.status_code == 302
    goal = Goal.objects.get(code="PROG-05")
    indicators = list(goal.extra_indicators.all())
    assert [(i.name, i.weight, i.order) for i in indicators] == [
        ("Ικανοποίηση πολιτών", 30, 1),
        ("Ψηφιακές αιτήσεις", 20, 2),
    ]
    assert indicators[0].history.get().history_user == secretary


def test_the_form_offers_an_empty_row_for_a_further_indicator(client_for, secretary, cycle):
    response = client_for(secretary).get(CREATE)
    assert response.status_code == 200
    assert 'name="indicators-0-name"' in response.content.decode()
    assert 'name="indicators-TOTAL_FORMS"' in response.content.decode()


def test_an_empty_further_indicator_row_is_skipped(client_for, secretary, cycle, planning):
    data = {**goal_data(cycle, planning), **indicator_rows({"name": "", "weight": ""})}
    response = client_for(secretary).post(CREATE, data)
    assert response.status_code == 302
    assert not GoalIndicator.objects.exists()


def test_weights_that_leave_nothing_to_the_first_indicator_are_refused_in_greek(
    client_for, secretary, cycle, planning
):
    heavy = {**SATISFACTION, "weight": "60"}
    data = {**goal_data(cycle, planning), **indicator_rows(heavy, {**DIGITAL, "weight": "40"})}
    with translation.override("el"):
        response = client_for(secretary).post(CREATE, data, HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 200
    [error] = response.context["indicators"].non_form_errors()
    assert "100" in error and "βαρύτητ" in error
    assert not Goal.objects.filter(code="PROG-05").exists()


def test_a_further_indicator_follows_the_rules_of_its_kind_of_target(
    client_for, secretary, cycle, planning
):
    wrong = {**SATISFACTION, "target": "120"}
    data = {**goal_data(cycle, planning), **indicator_rows(wrong)}
    response = client_for(secretary).post(CREATE, data)
    assert response.status_code == 200
    assert "target" in response.context["indicators"].forms[0].errors
    assert not Goal.objects.filter(code="PROG-05").exists()


def stored_rows(goal: Goal, **changes) -> list[dict]:
    rows = []
    for indicator in goal.extra_indicators.all():
        row = {
            "id": str(indicator.pk),
            "goal": str(goal.pk),
            "name": indicator.name,
            "unit_of_measure": indicator.unit_of_measure,
            "target_kind": indicator.target_kind,
            "baseline": str(indicator.baseline),
            "target": str(indicator.target),
            "weight": str(indicator.weight),
        }
        row.update(changes.get(indicator.name, {}))
        rows.append(row)
    return rows


def edit(client, goal, rows, *, initial, version=None):
    data = {
        **goal_data(goal.cycle, goal.directorate, code=goal.code),
        "version": str(goal.version if version is None else version),
        **indicator_rows(*rows, initial=initial),
    }
    return client.post(reverse("goals:update", args=[goal.pk]), data)


def test_secretary_edits_and_removes_further_indicators_under_the_goals_version(
    client_for, secretary, planning_goal
):
    kept = GoalIndicatorFactory(goal=planning_goal, name="Α", weight=30, order=1)
    dropped = GoalIndicatorFactory(goal=planning_goal, name="Β", weight=20, order=2)
    rows = stored_rows(planning_goal, Α={"weight": "45"}, Β={"DELETE": "on"})
    response = edit(client_for(secretary), planning_goal, rows, initial=2)
    assert response.status_code == 302
    kept.refresh_from_db()
    planning_goal.refresh_from_db()
    assert kept.weight == 45
    assert not GoalIndicator.objects.filter(pk=dropped.pk).exists()
    assert planning_goal.version == 2
    assert kept.history.first().history_user == secretary
    assert dropped.history.first().history_type == "-"


def test_a_stale_goal_form_writes_no_indicator(client_for, secretary, planning_goal):
    save_goal(goal=planning_goal, by=secretary, expected_version=planning_goal.version)
    response = edit(client_for(secretary), planning_goal, [SATISFACTION], initial=0, version=1)
    assert response.status_code == 409
    assert not GoalIndicator.objects.exists()
    # the rows typed are offered again, to save knowingly
    assert 'value="Ικανοποίηση πολιτών"' in response.content.decode()


def test_a_goal_form_without_the_indicators_leaves_them_as_they_are(
    client_for, secretary, planning_goal
):
    GoalIndicatorFactory(goal=planning_goal)
    data = goal_data(planning_goal.cycle, planning_goal.directorate, code=planning_goal.code)
    data["version"] = str(planning_goal.version)
    response = client_for(secretary).post(reverse("goals:update", args=[planning_goal.pk]), data)
    assert response.status_code == 302
    assert planning_goal.extra_indicators.count() == 1


def test_another_directorates_head_cannot_add_indicators(
    client_for, head_of_finance, planning_goal
):
    response = edit(client_for(head_of_finance), planning_goal, [SATISFACTION], initial=0)
    assert response.status_code == 403
    assert not GoalIndicator.objects.exists()


def test_an_indicator_with_recorded_values_stays(secretary, planning_goal):
    indicator = GoalIndicatorFactory(goal=planning_goal)
    update = ProgressUpdateFactory(goal=planning_goal)
    IndicatorValue.objects.create(update=update, indicator=indicator, value=70)
    with translation.override("en"), pytest.raises(ValidationError, match="it stays"):
        save_goal(
            goal=planning_goal,
            by=secretary,
            expected_version=planning_goal.version,
            indicators=[],
            removed_indicators=[indicator],
        )
    assert GoalIndicator.objects.filter(pk=indicator.pk).exists()


def test_the_database_refuses_a_further_indicator_of_all_the_weight(planning_goal):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        GoalIndicatorFactory(goal=planning_goal, weight=100)


# --- The goal's page ----------------------------------------------------------------------------
def test_the_goal_page_lists_every_indicator_with_its_weight(client_for, staff, planning_goal):
    GoalIndicatorFactory(goal=planning_goal, name="Ικανοποίηση πολιτών", weight=30)
    GoalIndicatorFactory(goal=planning_goal, name="Ψηφιακές αιτήσεις", weight=20)
    response = client_for(staff).get(planning_goal.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ικανοποίηση πολιτών" in page and "Ψηφιακές αιτήσεις" in page
    assert response.context["goal"].first_indicator_weight == 50


def test_a_goal_with_one_indicator_shows_no_table_of_indicators(client_for, staff, planning_goal):
    response = client_for(staff).get(planning_goal.get_absolute_url())
    assert 'id="indicators-heading"' not in response.content.decode()


def test_the_goal_page_costs_the_same_whatever_the_number_of_indicators(
    client_for, mayor, planning_goal, django_assert_num_queries
):
    client = client_for(mayor)
    url = planning_goal.get_absolute_url()
    client.get(url)
    one_indicator = len(client_queries(client, url))
    GoalIndicatorFactory(goal=planning_goal, weight=10)
    # two queries more: the further indicators, and their values for their trends
    with django_assert_num_queries(one_indicator + 2):
        client.get(url)
    GoalIndicatorFactory.create_batch(8, goal=planning_goal, weight=10)
    with django_assert_num_queries(one_indicator + 2):
        client.get(url)


def test_the_goal_list_costs_the_same_whatever_the_number_of_indicators(
    client_for, mayor, cycle, planning, django_assert_num_queries
):
    client = client_for(mayor)
    url = reverse("goals:list") + f"?cycle={cycle.pk}"
    goal = GoalFactory(cycle=cycle, directorate=planning)
    client.get(url)
    with django_assert_num_queries(count := len(client_queries(client, url))):
        client.get(url)
    for other in GoalFactory.create_batch(5, cycle=cycle, directorate=planning):
        GoalIndicatorFactory.create_batch(3, goal=other, weight=10)
    GoalIndicatorFactory.create_batch(3, goal=goal, weight=10)
    with django_assert_num_queries(count):
        client.get(url)


def client_queries(client, url) -> list:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return queries.captured_queries


def test_the_decision_document_lists_each_indicator_it_adopted(client_for, mayor, planning):
    from tests.factories import GoalCycleFactory, issued_adoption

    cycle = GoalCycleFactory(year=2024, phase="consultation")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    GoalIndicatorFactory(goal=goal, name="Ικανοποίηση πολιτών", weight=30)
    decision = issued_adoption(cycle=cycle, goals=[goal], mayor=mayor)
    GoalIndicatorFactory(goal=goal, name="Γραμμένος μετά την απόφαση", weight=10)
    page = client_for(mayor).get(decision.get_absolute_url()).content.decode()
    assert "Ικανοποίηση πολιτών" in page
    assert "Γραμμένος μετά την απόφαση" not in page  # the document reads what was signed


# --- Spreadsheets -------------------------------------------------------------------------------
def test_the_goal_export_lists_the_further_indicators_and_its_import_keeps_them(
    client_for, secretary, planning_goal
):
    from tests.goals.spreadsheet_helpers import read_back, upload
    from tests.goals.test_export import EXPORT_XLSX, as_dicts

    GoalIndicatorFactory(goal=planning_goal, name="Ικανοποίηση πολιτών", weight=40)
    client = client_for(secretary)
    exported = client.get(EXPORT_XLSX, {"cycle": planning_goal.cycle_id}).content
    [row] = as_dicts(read_back(exported))
    assert row["Πρόσθετοι δείκτες μέτρησης"] == "Ικανοποίηση πολιτών (%): 50 → 90, βαρύτητα 40"
    response = client.post(
        reverse("goals:import"), {"cycle": planning_goal.cycle_id, "file": upload(exported)}
    )
    plan = response.context["plan"]
    assert plan.errors == [] and not plan.has_changes
    assert planning_goal.extra_indicators.count() == 1
