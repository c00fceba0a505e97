"""The planning chain: the Operational Plan of a period, its axes, measures and actions, each
year's action programme, the goals that serve its actions, and the roll-up per axis and measure."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from goals.admin import ActionProgrammeForm
from goals.models import ActionProgramme, Goal, OperationalPlan, ProgrammeAxis, ProgrammeMeasure
from goals.models.programme import validate_budget_code
from tests.factories import (
    ActionProgrammeFactory,
    GoalCycleFactory,
    GoalFactory,
    OperationalPlanFactory,
    ProgrammeActionFactory,
)
from tests.goals.test_goal_form import goal_data

pytestmark = pytest.mark.django_db

PAGE = reverse("goals:programme")


# --- The plan and the year's programme --------------------------------------------------------
def test_a_plan_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        OperationalPlanFactory(start_year=2028, end_year=2024)


def test_a_year_programme_outside_the_plans_period_is_refused():
    plan = OperationalPlanFactory(start_year=2024, end_year=2028)
    programme = ActionProgramme(plan=plan, year=2029)

    with pytest.raises(ValidationError) as caught:
        programme.full_clean()

    assert "2024–2028" in caught.value.message_dict["year"][0]


def test_a_year_programme_lists_only_actions_of_its_own_plan():
    ours = OperationalPlanFactory(start_year=2024, end_year=2028)
    older = OperationalPlanFactory(title="Παλαιό", start_year=2019, end_year=2023)
    axis = ProgrammeAxis.objects.create(plan=older, code="1", title="Άξονας")
    measure = ProgrammeMeasure.objects.create(axis=axis, code="1.1", title="Μέτρο")
    old_action = ProgrammeActionFactory(measure=measure)
    own_action = ProgrammeActionFactory()
    assert own_action.measure.axis.plan == ours

    refused = ActionProgrammeForm(
        {"plan": ours.pk, "year": 2025, "council_decision": "", "actions": [old_action.pk]}
    )
    accepted = ActionProgrammeForm(
        {"plan": ours.pk, "year": 2025, "council_decision": "", "actions": [own_action.pk]}
    )

    assert "actions" in refused.errors
    assert accepted.is_valid(), accepted.errors


def test_the_same_codes_may_return_in_the_next_plan_but_not_twice_in_one():
    first = OperationalPlanFactory(start_year=2019, end_year=2023)
    second = OperationalPlanFactory(start_year=2024, end_year=2028)
    ProgrammeAxis.objects.create(plan=first, code="1", title="Άξονας")
    ProgrammeAxis.objects.create(plan=second, code="1", title="Άξονας")

    with pytest.raises(IntegrityError):
        ProgrammeAxis.objects.create(plan=second, code="1", title="Δεύτερος")


# --- A goal names an action of its year's programme -------------------------------------------
def test_a_goal_serves_an_action_of_its_years_programme(client_for, secretary, planning):
    cycle = GoalCycleFactory(year=2026, open=True)
    action = ProgrammeActionFactory()
    ActionProgrammeFactory(year=2026, actions=[action])

    response = client_for(secretary).post(
        reverse("goals:create"),
        goal_data(cycle, planning, programme_action=action.pk, budget_code="02.30.7331.001"),
    )

    assert response.status_code == 302
    goal = Goal.objects.get(code="PROG-05")
    assert (goal.programme_action, goal.budget_code) == (action, "02.30.7331.001")
    assert goal.history.get().budget_code == "02.30.7331.001"


def test_an_action_of_another_years_programme_is_refused(client_for, secretary, planning):
    cycle = GoalCycleFactory(year=2026, open=True)
    GoalCycleFactory(year=2027, open=True)
    action = ProgrammeActionFactory()
    ActionProgrammeFactory(year=2027, actions=[action])
    ActionProgrammeFactory(year=2026)

    response = client_for(secretary).post(
        reverse("goals:create"), goal_data(cycle, planning, programme_action=action.pk)
    )

    assert response.status_code == 200
    assert "Ετήσιο Πρόγραμμα Δράσης 2026" in str(response.context["form"].errors)
    assert not Goal.objects.exists()


def test_a_goal_of_a_year_without_a_programme_names_no_action():
    action = ProgrammeActionFactory()
    ActionProgrammeFactory(year=2026, actions=[action])
    goal = GoalFactory(cycle=GoalCycleFactory(year=2025), programme_action=action)

    with pytest.raises(ValidationError) as caught:
        goal.full_clean()

    assert "programme_action" in caught.value.message_dict


@pytest.mark.parametrize("code", ["02.30.7331", "02.30.7331.001", "10.00.6011.0001"])
def test_budget_codes_written_as_in_the_budget_are_accepted(code):
    validate_budget_code(code)


@pytest.mark.parametrize(
    "code", ["2.30.7331", "02-30-7331-001", "02.30.7331.1", "02.30.733", "ΚΑ 02.30.7331", ""]
)
def test_other_budget_codes_are_refused_with_an_example(code):
    with pytest.raises(ValidationError, match="02.30.7331.001"):
        validate_budget_code(code)


def test_a_wrong_budget_code_stays_in_the_form_with_its_message(client_for, secretary, planning):
    cycle = GoalCycleFactory(year=2026, open=True)

    response = client_for(secretary).post(
        reverse("goals:create"), goal_data(cycle, planning, budget_code="7331.001")
    )

    assert response.status_code == 200
    assert "budget_code" in response.context["form"].errors
    assert not Goal.objects.exists()


# --- The roll-up per axis and measure ---------------------------------------------------------
def build_programme(*, year: int = 2026, extra_goals: int = 0) -> dict:
    """Axis 1 (measure 1.1: actions a1, a2; measure 1.2: a3) and axis 2 (measure 2.1: a4), with
    adopted goals of stored achievements, and goals that must not count."""
    plan = OperationalPlanFactory()
    axis_1 = ProgrammeAxis.objects.create(plan=plan, code="1", title="Διοικητική ικανότητα")
    axis_2 = ProgrammeAxis.objects.create(plan=plan, code="2", title="Περιβάλλον")
    m11 = ProgrammeMeasure.objects.create(axis=axis_1, code="1.1", title="Ψηφιακός δήμος")
    m12 = ProgrammeMeasure.objects.create(axis=axis_1, code="1.2", title="Οικονομικά")
    m21 = ProgrammeMeasure.objects.create(axis=axis_2, code="2.1", title="Ανακύκλωση")
    a1 = ProgrammeActionFactory(measure=m11, code="1.1.1")
    a2 = ProgrammeActionFactory(measure=m11, code="1.1.2")
    a3 = ProgrammeActionFactory(measure=m12, code="1.2.1")
    a4 = ProgrammeActionFactory(measure=m21, code="2.1.1")
    ActionProgrammeFactory(plan=plan, year=year, actions=[a1, a2, a3, a4])
    cycle = GoalCycleFactory(year=year, phase="monitoring")
    rows = [
        (a1, 10, Decimal(80), False),
        (a1, 30, Decimal(120), False),  # overshoot counts as 100
        (a2, 20, None, False),  # not measured yet: 0
        (a3, 40, Decimal(50), True),
        (a4, 10, Decimal(30), False),
        (None, 10, Decimal(70), False),
    ]
    rows += [(a4, 10, Decimal(30), False)] * extra_goals
    for action, weight, achieved, behind in rows:
        goal = GoalFactory(cycle=cycle, programme_action=action, weight=weight, status="adopted")
        Goal.objects.filter(pk=goal.pk).update(current_achievement=achieved, is_behind=behind)
    # Neither a proposal of the year nor an adopted goal of another year counts.
    GoalFactory(cycle=cycle, programme_action=a1, status="proposed")
    other = GoalFactory(cycle=GoalCycleFactory(year=year - 1), programme_action=a1)
    Goal.objects.filter(pk=other.pk).update(status="adopted", current_achievement=0)
    return {"axis_1": axis_1, "m11": m11, "m12": m12, "a1": a1, "a2": a2, "a4": a4}


def figures(rollup) -> dict:
    return {row.item.code: (row.goal_count, row.achievement, row.behind) for row in rollup.rows}


def test_the_rollup_weighs_each_goal_as_every_other_rollup(client_for, staff):
    build_programme()

    response = client_for(staff).get(PAGE, {"year": 2026})

    rollup = response.context["rollup"]
    assert figures(rollup) == {
        "1": (4, Decimal("58.0"), 1),  # (80×10 + 100×30 + 0×20 + 50×40) / 100
        "1.1": (3, Decimal("63.3"), 0),  # (800 + 3000 + 0) / 60
        "1.1.1": (2, Decimal("95.0"), 0),  # (800 + 3000) / 40
        "1.1.2": (1, Decimal("0.0"), 0),
        "1.2": (1, Decimal("50.0"), 1),
        "1.2.1": (1, Decimal("50.0"), 1),
        "2": (1, Decimal("30.0"), 0),
        "2.1": (1, Decimal("30.0"), 0),
        "2.1.1": (1, Decimal("30.0"), 0),
    }
    assert [row.item.code for row in rollup.rows] == [
        "1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "2", "2.1", "2.1.1"
    ]  # fmt: skip
    assert (rollup.unlinked_count, rollup.unlinked.achievement) == (1, Decimal("70.0"))
    # (3800 + 0 + 2000 + 300 + 700) / 120
    assert (rollup.overall_count, rollup.overall.achievement) == (6, Decimal("56.7"))
    assert "63,3%" in response.text or "63.3%" in response.text


def test_the_rollup_page_costs_the_same_whatever_the_number_of_goals(
    client_for, staff, django_assert_num_queries
):
    build_programme(extra_goals=0)
    client = client_for(staff)
    client.get(PAGE)  # the session is read once

    with django_assert_num_queries(7) as small:
        client.get(PAGE, {"year": 2026})
    Goal.objects.all().delete()
    ActionProgramme.objects.all().delete()
    build_programme(year=2027, extra_goals=30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(PAGE, {"year": 2027})
    assert response.context["rollup"].overall_count == 36


def test_the_page_opens_on_this_years_programme_or_the_latest_before_it(client_for, staff):
    OperationalPlanFactory()
    for year in (2025, 2026, 2027):
        ActionProgrammeFactory(year=year)

    response = client_for(staff).get(PAGE)

    assert response.context["programme"].year == 2026  # the tests' today is in 2026


def test_a_year_without_a_programme_is_a_404_and_no_programme_at_all_says_so(client_for, staff):
    client = client_for(staff)

    empty = client.get(PAGE)
    assert empty.status_code == 200
    assert empty.context["programme"] is None
    assert client.get(PAGE, {"year": "2026"}).status_code == 404
    assert client.get(PAGE, {"year": "not-a-year"}).status_code == 404
    assert client.get(reverse("goals:programme_csv")).status_code == 404


def test_the_rollup_downloads_as_csv_and_workbook(client_for, mayor):
    build_programme()
    client = client_for(mayor)

    response = client.get(reverse("goals:programme_csv"), {"year": 2026})
    workbook = client.get(reverse("goals:programme_xlsx"), {"year": 2026})

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # as Greek Excel reads it
    assert response["Content-Disposition"].endswith('2026.csv"')
    assert ["Μέτρο", "1.1", "Ψηφιακός δήμος", "3", "63,3", "0"] in rows
    assert workbook["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_visitors_who_are_not_signed_in_are_sent_to_log_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_demo_plan_has_a_programme_for_each_demo_year_listing_every_action():
    from goals.demo.consultation import programme_years, seed_programme

    actions = seed_programme()
    seed_programme()  # a second run changes nothing

    plan = OperationalPlan.objects.get()
    assert plan.axes.count() == 3
    assert list(ActionProgramme.objects.order_by("year").values_list("year", flat=True)) == list(
        programme_years()
    )
    for programme in ActionProgramme.objects.all():
        assert set(programme.actions.all()) == set(actions.values())


def test_the_migration_attaches_the_programme_entered_before_plans_to_one_plan():
    """The data step of the migration, run on rows as they were: axes without a plan of their
    own (here under a stand-in), goals of 2023 and 2025 that name actions."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("goals.migrations.0015_operational_plan")
    stand_in = OperationalPlanFactory(title="—")
    action = ProgrammeActionFactory()
    for year in (2023, 2025):
        GoalFactory(cycle=GoalCycleFactory(year=year), programme_action=action)

    migration.attach_programme_to_a_plan(apps, SimpleNamespace(connection=connection))

    plan = OperationalPlan.objects.exclude(pk=stand_in.pk).get()
    assert (plan.start_year, plan.end_year) == (2023, 2027)
    assert list(plan.axes.all()) == [action.measure.axis]
    programmes = ActionProgramme.objects.filter(plan=plan).order_by("year")
    assert [p.year for p in programmes] == [2023, 2025]
    for goal in Goal.objects.all():
        goal.full_clean()  # each still serves an action of its year's programme
