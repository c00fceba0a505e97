"""Each employee's goals: set and changed by their evaluator, acknowledged by the employee,
reviewed mid-year and evaluated at year end.

Every step names the version of the goal the person saw: when someone saved it since, nothing is
written (`StaleEdit`). A change to what the employee acknowledged asks for a new acknowledgement.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import User
from goals.models import StaffGoal
from goals.models.staff import TOTAL_WEIGHT
from goals.rules import (
    may_acknowledge,
    may_record_year_end,
    may_review_midyear,
    may_set_staff_goals,
)
from goals.services.concurrency import StaleEdit

# What the employee acknowledges: a change to any of these asks them to acknowledge again.
ACKNOWLEDGED_FIELDS = [
    "goal_id",
    "allocation_id",
    "title",
    "indicator",
    "unit_of_measure",
    "baseline",
    "target",
    "deadline",
    "weight",
]


def other_weights(*, employee: User, cycle, excluding: int | None = None) -> int:
    """The weights of the person's other goals of the cycle, added up."""
    goals = StaffGoal.objects.of(employee, cycle).exclude(pk=excluding)
    return goals.aggregate(total=Sum("weight"))["total"] or 0


def weight_refusal(*, weight: int, others: int) -> str:
    """Why this weight cannot be given, or "" when the goals still weigh 100 at most."""
    if others + weight <= TOTAL_WEIGHT:
        return ""
    return _(
        "With this weight the employee's goals would weigh %(total)s in all: they add up to "
        "100. Give this goal %(left)s at most, or lower another goal's weight first."
    ) % {"total": others + weight, "left": max(TOTAL_WEIGHT - others, 0)}


def _locked(staff_goal: StaffGoal, expected_version: int | None) -> StaffGoal:
    stored = StaffGoal.objects.select_for_update().select_related("cycle", "employee")
    stored = stored.get(pk=staff_goal.pk)
    if stored.version != expected_version:
        raise StaleEdit()
    return stored


def save_staff_goal(
    *, staff_goal: StaffGoal, by: User, expected_version: int | None = None
) -> StaffGoal:
    """Set a new goal of an employee, or change one (naming the version it started from).

    Refused unless `by` is the employee's evaluator while the year's goals are adopted or
    monitored, the goal served is of the employee's unit, the deadline in the year and the
    employee's weights add up to 100 at most. A change to an acknowledged goal clears the
    acknowledgement: the employee acknowledges it again."""
    with transaction.atomic():
        # One evaluator at a time on an employee's goals: their weights are checked together.
        employee = User.objects.select_for_update().get(pk=staff_goal.employee_id)
        if not may_set_staff_goals(by, employee, staff_goal.cycle):
            raise ValidationError(
                _(
                    "An employee's goals are set by their evaluator (their head), once the "
                    "year's goals are adopted and while they are monitored."
                )
            )
        if staff_goal.pk:
            stored = _locked(staff_goal, expected_version)
            unchanged = all(
                getattr(stored, name) == getattr(staff_goal, name) for name in ACKNOWLEDGED_FIELDS
            )
            if not unchanged:
                staff_goal.acknowledged_at = None
            staff_goal.version = stored.version + 1
        refusal = weight_refusal(
            weight=staff_goal.weight,
            others=other_weights(
                employee=employee, cycle=staff_goal.cycle, excluding=staff_goal.pk
            ),
        )
        if refusal:
            raise ValidationError({"weight": refusal})
        staff_goal.set_by = by
        staff_goal.set_at = timezone.now()
        staff_goal.full_clean()
        staff_goal._history_user = by
        staff_goal.save()
    return staff_goal


@transaction.atomic
def delete_staff_goal(*, staff_goal: StaffGoal, by: User, expected_version: int | None) -> None:
    """The evaluator deletes a goal set by mistake or no longer served, as they saw it, until
    its year-end value is recorded (then it counts in the employee's evaluation). The history
    keeps the goal and who deleted it; the employee's other goals are untouched."""
    staff_goal = _locked(staff_goal, expected_version)
    if not may_set_staff_goals(by, staff_goal.employee, staff_goal.cycle):
        raise ValidationError(_("An employee's goal is deleted only by their evaluator."))
    if staff_goal.final_value is not None:
        raise ValidationError(
            _("A goal with its year-end value is not deleted: it counts in the evaluation.")
        )
    staff_goal._history_user = by
    staff_goal.delete()


@transaction.atomic
def acknowledge_staff_goal(
    *, staff_goal: StaffGoal, by: User, expected_version: int | None
) -> StaffGoal:
    """The employee acknowledges the goal as they saw it: the time is recorded."""
    staff_goal = _locked(staff_goal, expected_version)
    if not may_acknowledge(by, staff_goal):
        raise ValidationError(_("Only the employee acknowledges their goal, once as it stands."))
    staff_goal.acknowledged_at = timezone.now()
    staff_goal.version += 1
    staff_goal._history_user = by
    staff_goal.save()
    return staff_goal


@transaction.atomic
def record_midyear_review(
    *, staff_goal: StaffGoal, by: User, review: str, expected_version: int | None
) -> StaffGoal:
    """The evaluator's mid-year review of the goal: how it goes, what should change."""
    staff_goal = _locked(staff_goal, expected_version)
    if not may_review_midyear(by, staff_goal):
        raise ValidationError(
            _(
                "The mid-year review is made by the employee's evaluator while the goals are "
                "monitored."
            )
        )
    review = review.strip()
    if not review:
        raise ValidationError({"midyear_review": _("Write the mid-year review.")})
    staff_goal.midyear_review = review
    staff_goal.midyear_reviewed_by = by
    staff_goal.midyear_reviewed_at = timezone.now()
    staff_goal.version += 1
    staff_goal._history_user = by
    staff_goal.save()
    return staff_goal


@transaction.atomic
def record_year_end(
    *,
    staff_goal: StaffGoal,
    by: User,
    final_value: Decimal,
    comment: str,
    expected_version: int | None,
) -> StaffGoal:
    """The evaluator's year-end value of the goal, its achievement and their comment."""
    staff_goal = _locked(staff_goal, expected_version)
    if not may_record_year_end(by, staff_goal):
        raise ValidationError(
            _(
                "The year-end value is recorded by the employee's evaluator while the cycle is "
                "evaluated."
            )
        )
    comment = comment.strip()
    if not comment:
        raise ValidationError({"year_end_comment": _("Comment on the year's achievement.")})
    staff_goal.final_value = final_value
    staff_goal.year_end_comment = comment
    staff_goal.evaluated_by = by
    staff_goal.evaluated_at = timezone.now()
    staff_goal.version += 1
    staff_goal._history_user = by
    staff_goal.save()
    return staff_goal
