"""At year end the GS records final values, justifies shortfalls and closes the cycle for good."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.models import Allocation, GoalEvaluation
from goals.services.cycles import advance_cycle, close_cycle, open_evaluation
from goals.services.decisions import prepare_decision
from goals.services.goals import save_goal
from goals.services.monitoring import (
    evaluate_goal,
    evaluation_stamp,
    record_progress,
    save_allocations,
)


@pytest.fixture
def evaluating(adopted, secretary):
    open_evaluation(cycle=adopted.cycle, by=secretary)
    adopted.cycle.refresh_from_db()
    return adopted


def evaluate(client, goal, **data):
    return client.post(reverse("goals:evaluate", args=[goal.pk]), {"stamp": "", **data})


def test_secretary_opens_the_evaluation(client_for, secretary, adopted):
    url = reverse("goals:cycle_open_evaluation", args=[adopted.cycle.pk])
    assert client_for(secretary).post(url).status_code == 302
    adopted.cycle.refresh_from_db()
    assert adopted.cycle.phase == "evaluation"


def test_a_goal_reached_needs_no_justification(client_for, secretary, evaluating):
    response = evaluate(client_for(secretary), evaluating.goal, final_value="160")
    assert response.status_code == 302
    evaluation = GoalEvaluation.objects.get()
    assert evaluation.achievement == Decimal("120.0")
    assert evaluation.justification == ""


def test_a_shortfall_needs_a_justification(client_for, secretary, evaluating):
    client = client_for(secretary)
    response = evaluate(client, evaluating.goal, final_value="140")
    assert response.status_code == 200
    assert "80" in response.content.decode()
    assert not GoalEvaluation.objects.exists()
    response = evaluate(
        client, evaluating.goal, final_value="140", justification="Έλλειψη προσωπικού."
    )
    assert response.status_code == 302
    assert GoalEvaluation.objects.get().achievement == Decimal("80.0")


def test_the_database_refuses_an_unjustified_shortfall(secretary, evaluating):
    with pytest.raises(ValidationError):
        evaluate_goal(
            goal=evaluating.goal,
            by=secretary,
            final_value=Decimal(100),
            justification="   ",
            expected_stamp="",
        )


def test_a_stale_evaluation_page_does_not_overwrite(client_for, secretary, evaluating):
    evaluate_goal(
        goal=evaluating.goal,
        by=secretary,
        final_value=Decimal(150),
        justification="",
        expected_stamp="",
    )
    response = evaluate(client_for(secretary), evaluating.goal, final_value="160")
    assert response.status_code == 200
    assert GoalEvaluation.objects.get().final_value == 150


@pytest.mark.parametrize("person", ["head_of_planning", "mayor"])
def test_only_the_secretary_records_final_values(request, client_for, evaluating, person):
    user = request.getfixturevalue(person)
    assert evaluate(client_for(user), evaluating.goal, final_value="160").status_code == 403


def test_the_cycle_closes_only_when_every_goal_is_evaluated(client_for, secretary, evaluating):
    url = reverse("goals:cycle_close", args=[evaluating.cycle.pk])
    client_for(secretary).post(url)
    evaluating.cycle.refresh_from_db()
    assert evaluating.cycle.phase == "evaluation"
    for goal in (evaluating.goal, evaluating.other_goal, evaluating.finance_goal):
        evaluate_goal(
            goal=goal,
            by=secretary,
            final_value=Decimal(0),
            justification="Δεν έγινε.",
            expected_stamp="",
        )
    client_for(secretary).post(url)
    evaluating.cycle.refresh_from_db()
    assert evaluating.cycle.phase == "closed"


@pytest.fixture
def closed(evaluating, secretary):
    for goal in (evaluating.goal, evaluating.other_goal, evaluating.finance_goal):
        evaluate_goal(
            goal=goal,
            by=secretary,
            final_value=Decimal(160),
            justification="Λόγοι.",
            expected_stamp="",
        )
    close_cycle(cycle=evaluating.cycle, by=secretary)
    return evaluating


def test_after_closing_nothing_changes(client_for, secretary, head_of_planning, mayor, closed):
    refusals = [
        lambda: evaluate_goal(
            goal=closed.goal,
            by=secretary,
            final_value=Decimal(1),
            justification="x",
            expected_stamp=evaluation_stamp(closed.goal.evaluation),
        ),
        lambda: record_progress(
            goal=closed.goal,
            by=head_of_planning,
            value=Decimal(1),
            measured_on=datetime.date(2024, 12, 1),
            status="on_track",
        ),
        lambda: save_allocations(
            goal=closed.goal,
            by=head_of_planning,
            rows=[
                {"department": closed.department, "deadline": closed.goal.deadline, "share": 100}
            ],
            stamp="",
        ),
        lambda: prepare_decision(cycle=closed.cycle, amends=closed.decision, by=secretary),
        lambda: open_evaluation(cycle=closed.cycle, by=secretary),
        lambda: advance_cycle(cycle=closed.cycle, to_phase="closed", by=secretary),
        lambda: save_goal(goal=closed.goal, by=secretary, expected_version=closed.goal.version),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError):
            refuse()
    assert not Allocation.objects.exists()
    client = client_for(secretary)
    assert evaluate(client, closed.goal, final_value="1").status_code == 403
    assert client.get(reverse("goals:update", args=[closed.goal.pk])).status_code == 403
    closed.goal.evaluation.refresh_from_db()
    assert closed.goal.evaluation.final_value == 160


def test_a_phase_move_cannot_close_a_cycle(secretary, evaluating):
    with pytest.raises(ValidationError):
        advance_cycle(cycle=evaluating.cycle, to_phase="closed", by=secretary)


def test_evaluation_page_lists_the_goals(client_for, mayor, closed):
    page = client_for(mayor).get(reverse("goals:evaluation", args=[closed.cycle.pk]))
    assert page.status_code == 200
    assert "PROG-01" in page.content.decode()
