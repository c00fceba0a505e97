"""A goal measured by several indicators gets one value per indicator: in each progress update,
in the head's final value and in the General Secretary's; its achievement combines them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from goals import reports
from goals.models import Allocation, Goal, GoalEvaluation, IndicatorValue, ProgressUpdate
from goals.services.cycles import open_evaluation
from goals.services.monitoring import evaluate_goal, record_progress
from goals.services.yearend import confirm_final_value, final_value_stamp, save_final_value
from tests.factories import GoalIndicatorFactory, ProgressUpdateFactory
from tests.goals.test_final_values import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(adopted):
    """The adopted goal (to raise 100 → 150) with a further indicator: a percentage 50 → 90,
    weighing 40 (so the goal's own indicator weighs 60)."""
    indicator = GoalIndicatorFactory(
        goal=adopted.goal, name="Ικανοποίηση πολιτών", baseline=50, target=90, weight=40
    )
    adopted.indicator = indicator
    return adopted


def post_progress(client, goal, **data):
    values = {"value": "125", "measured_on": "2024-05-31", "status": "on_track", "comment": ""}
    return client.post(reverse("goals:progress", args=[goal.pk]), {**values, **data})


def test_the_progress_form_asks_a_value_for_each_indicator(client_for, head_of_planning, measured):
    response = client_for(head_of_planning).get(reverse("goals:progress", args=[measured.goal.pk]))
    form = response.context["form"]
    assert f"indicator_{measured.indicator.pk}" in form.fields
    assert form.fields["value"].label == measured.goal.indicator


def test_head_records_a_value_per_indicator_and_the_achievement_combines_them(
    client_for, head_of_planning, measured
):
    field = f"indicator_{measured.indicator.pk}"
    # 125 of 100 → 150 is 50% (× 60); 70 of 50 → 90 is 50% (× 40)
    response = post_progress(client_for(head_of_planning), measured.goal, **{field: "70"})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.indicator_values.get().value == Decimal(70)
    measured.goal.refresh_from_db()
    assert measured.goal.current_achievement == Decimal("50.0")
    post_progress(client_for(head_of_planning), measured.goal, value="150", **{field: "60"})
    measured.goal.refresh_from_db()
    assert measured.goal.current_achievement == Decimal("70.0")  # 100 × 60 + 25 × 40


def test_a_progress_update_without_a_further_value_is_refused(
    client_for, head_of_planning, measured
):
    response = post_progress(client_for(head_of_planning), measured.goal)
    assert response.status_code == 200
    assert f"indicator_{measured.indicator.pk}" in response.context["form"].errors
    with translation.override("en"), pytest.raises(ValidationError, match="missing"):
        record_progress(
            goal=measured.goal,
            by=head_of_planning,
            value=Decimal(125),
            measured_on=measured.goal.deadline.replace(month=5),
            status="on_track",
        )
    assert not ProgressUpdate.objects.exists()


def test_a_value_for_another_goals_indicator_is_refused(head_of_planning, measured):
    stranger = GoalIndicatorFactory(goal=measured.other_goal, weight=10)
    with translation.override("en"), pytest.raises(ValidationError, match="another goal"):
        record_progress(
            goal=measured.goal,
            by=head_of_planning,
            value=Decimal(125),
            measured_on=measured.goal.deadline.replace(month=5),
            status="on_track",
            indicator_values={measured.indicator.pk: Decimal(70), stranger.pk: Decimal(1)},
        )
    assert not IndicatorValue.objects.exists()


def test_a_department_measures_the_first_indicator_against_its_own_target(
    head_of_planning, head_of_department, measured
):
    allocation = Allocation.objects.create(
        goal=measured.goal,
        department=measured.department,
        baseline=0,
        target=10,
        deadline=measured.goal.deadline,
        share=100,
        allocated_by=head_of_planning,
    )
    record_progress(
        goal=measured.goal,
        by=head_of_department,
        allocation=allocation,
        value=Decimal(10),
        measured_on=measured.goal.deadline.replace(month=5),
        status="on_track",
        indicator_values={measured.indicator.pk: Decimal(50)},
    )
    [goal] = reports.with_achievement(Goal.objects.filter(pk=measured.goal.pk))
    assert goal.allocation_list[0].achievement == Decimal("60.0")  # 100 × 60 + 0 × 40
    [(_goal, share)] = reports.shares_with_latest(
        Goal.objects.filter(pk=measured.goal.pk), measured.department.pk
    )
    assert share.achievement == Decimal("60.0")


def test_a_goal_with_one_indicator_measures_as_before(head_of_planning, adopted):
    record_progress(
        goal=adopted.goal,
        by=head_of_planning,
        value=Decimal(175),
        measured_on=adopted.goal.deadline.replace(month=5),
        status="on_track",
    )
    adopted.goal.refresh_from_db()
    assert adopted.goal.current_achievement == Decimal("150.0")  # overshoot shown as it is


def test_the_progress_page_costs_the_same_whatever_the_number_of_measurements(
    client_for, head_of_planning, measured, django_assert_num_queries
):
    client = client_for(head_of_planning)
    url = reverse("goals:progress", args=[measured.goal.pk])
    for _ in range(2):
        update = ProgressUpdateFactory(goal=measured.goal, author=head_of_planning)
        IndicatorValue.objects.create(update=update, indicator=measured.indicator, value=60)
    client.get(url)
    from tests.goals.test_indicators import client_queries

    count = len(client_queries(client, url))
    second = GoalIndicatorFactory(goal=measured.goal, weight=10)
    for _ in range(10):
        update = ProgressUpdateFactory(goal=measured.goal, author=head_of_planning)
        IndicatorValue.objects.create(update=update, indicator=measured.indicator, value=60)
        IndicatorValue.objects.create(update=update, indicator=second, value=1)
    with django_assert_num_queries(count):
        response = client.get(url)
    assert second.name in response.content.decode()


# --- Final values -------------------------------------------------------------------------------
@pytest.fixture
def evaluating(measured, secretary):
    open_evaluation(cycle=measured.cycle, by=secretary)
    for item in (measured.cycle, measured.goal):
        item.refresh_from_db()
    return measured


def test_secretary_enters_a_final_value_per_indicator(client_for, secretary, evaluating):
    field = f"indicator_{evaluating.indicator.pk}"
    response = client_for(secretary).post(
        reverse("goals:evaluate", args=[evaluating.goal.pk]),
        {"stamp": "", "final_value": "150", field: "90"},
    )
    assert response.status_code == 302
    evaluation = GoalEvaluation.objects.get()
    assert evaluation.further_values == {str(evaluating.indicator.pk): "90"}
    assert evaluation.achievement == Decimal("100.0")
    evaluating.goal.refresh_from_db()
    assert evaluating.goal.current_achievement == Decimal("100.0")


def test_a_final_value_short_on_a_further_indicator_needs_a_justification(
    client_for, secretary, evaluating
):
    field = f"indicator_{evaluating.indicator.pk}"
    response = client_for(secretary).post(
        reverse("goals:evaluate", args=[evaluating.goal.pk]),
        {"stamp": "", "final_value": "150", field: "70"},
    )
    assert response.status_code == 200
    assert "justification" in response.context["form"].errors
    assert not GoalEvaluation.objects.exists()


def test_a_final_value_without_the_further_ones_is_refused(secretary, evaluating):
    with translation.override("en"), pytest.raises(ValidationError, match="missing"):
        evaluate_goal(
            goal=evaluating.goal,
            by=secretary,
            final_value=Decimal(150),
            justification="",
            expected_stamp="",
        )
    assert not GoalEvaluation.objects.exists()


def test_the_heads_final_values_per_indicator_count_once_confirmed(
    client_for, head_of_planning, secretary, evaluating
):
    field = f"indicator_{evaluating.indicator.pk}"
    response = client_for(head_of_planning).post(
        reverse("goals:final_value", args=[evaluating.goal.pk]),
        {
            "final_value": "150",
            field: "70",
            "explanation": "Από το μητρώο αιτήσεων και την έρευνα ικανοποίησης.",
            "stamp": "",
            "submit": "1",
            "evidence": pdf(),
        },
    )
    assert response.status_code == 302
    submission = evaluating.goal.final_value_submission
    assert submission.further_values == {str(evaluating.indicator.pk): "70"}
    review = client_for(secretary).get(reverse("goals:final_value_review", args=[submission.pk]))
    assert evaluating.indicator.name in review.content.decode()
    evaluation = confirm_final_value(
        submission=submission, by=secretary, expected_stamp=final_value_stamp(submission)
    )
    assert evaluation.further_values == submission.further_values
    assert evaluation.achievement == Decimal("80.0")  # 100 × 60 + 50 × 40


def test_the_head_cannot_submit_without_the_further_values(head_of_planning, evaluating):
    with translation.override("en"), pytest.raises(ValidationError, match="missing"):
        save_final_value(
            goal=evaluating.goal,
            by=head_of_planning,
            final_value=Decimal(150),
            explanation="Μετρήθηκε.",
            files=[pdf()],
            expected_stamp="",
            submit=True,
        )
