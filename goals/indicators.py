"""How a goal measured by several indicators is read: its further indicators and their values,
loaded for many goals at once, and the achievement of one measurement.

The goal's own fields are its first indicator; `GoalIndicator` rows are the further ones, and
each progress update carries one `IndicatorValue` per further indicator. Pages load goals with
an `Exists` annotation (`has_extra_indicators`), so that a page of goals measured by one
indicator each (nearly all) runs no query more than before.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from goals.achievement import achievement, with_further_indicators
from goals.models import Goal, GoalIndicator, IndicatorValue

WHOLE = 100


def with_indicator_flag(goals: QuerySet, *, apps=None) -> QuerySet:
    """The goals, each annotated `has_extra_indicators` (no query of its own)."""
    model = _model(apps)
    if model is None:  # a data migration older than the further indicators
        return goals
    return goals.annotate(has_extra_indicators=Exists(model.objects.filter(goal=OuterRef("pk"))))


def attach_indicators(goals: Iterable[Goal], *, updates: Iterable = (), apps=None) -> None:
    """Give each goal `indicator_list` (its further indicators, in order) and
    `first_indicator_weight`, and each of the `updates` `value_list` (its values of them).

    One query for the indicators and one for the values, and none at all when no goal has
    further indicators (as `with_indicator_flag` annotated them; goals not annotated are asked).
    """
    goals = list(goals)
    flagged = [g.pk for g in goals if getattr(g, "has_extra_indicators", True)]
    model = _model(apps)
    by_goal: dict[int, list] = {}
    by_pk = {}
    if flagged and model is not None:
        for indicator in model.objects.filter(goal_id__in=flagged).order_by("order", "pk"):
            by_goal.setdefault(indicator.goal_id, []).append(indicator)
            by_pk[indicator.pk] = indicator
    for goal in goals:
        goal.indicator_list = by_goal.get(goal.pk, [])
        goal.first_indicator_weight = first_indicator_weight(goal.indicator_list)
    updates = [u for u in updates if u.goal_id in by_goal]
    by_update: dict[int, list] = {}
    if updates:
        value_model = apps.get_model("goals", "IndicatorValue") if apps else IndicatorValue
        # Values reported on an indicator an amendment dropped are kept, and left out here.
        values = value_model.objects.filter(
            update_id__in=[u.pk for u in updates], indicator_id__in=list(by_pk)
        )
        for value in values.order_by("indicator__order", "indicator_id"):
            value.indicator = by_pk[value.indicator_id]
            by_update.setdefault(value.update_id, []).append(value)
    for update in updates:
        update.value_list = by_update.get(update.pk, [])


def first_indicator_weight(extra_indicators: Iterable[GoalIndicator]) -> int:
    """The weight of a goal's own indicator: what its further indicators leave of 100."""
    return WHOLE - sum(indicator.weight for indicator in extra_indicators)


def weights_refusal(further_weights: Iterable[int]) -> str | None:
    """Why the weights of a goal's further indicators cannot stand, or None: with the goal's own
    indicator, which weighs the rest, every indicator weighs at least 1 of the 100."""
    total = sum(further_weights)
    if total >= WHOLE:
        return _(
            "The further indicators weigh %(total)s together; the weights of all the goal's "
            "indicators add up to 100, so they must leave at least 1 to its first indicator."
        ) % {"total": total}
    return None


def measured_achievement(
    goal: Goal, update, *, baseline: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """The achievement of one progress update (None for no update): of the goal's indicator
    alone, or combined by weight with its further ones (`goal` from `attach_indicators`).

    `baseline` and `target` are those of the first indicator: the goal's, or a department's own
    in its allocation; the further indicators keep their own.
    """
    if update is None:
        return None
    first = achievement(kind=goal.target_kind, baseline=baseline, target=target, value=update.value)
    values = {value.indicator_id: value.value for value in getattr(update, "value_list", [])}
    return with_further_indicators(first, getattr(goal, "indicator_list", []), values)


def named_values(goal: Goal, further_values: dict[str, str]) -> list[tuple]:
    """The further indicators of a goal (`attach_indicators`) each with its final value (as
    `GoalEvaluation.further_values` keeps them), for a page to list."""
    return [
        (indicator, _decimal(further_values.get(str(indicator.pk))))
        for indicator in getattr(goal, "indicator_list", [])
    ]


def further_initial(further_values: dict[str, str]) -> dict[str, Decimal]:
    """A value form's initial data for the further indicators' fields (`add_indicator_fields`)."""
    return {f"indicator_{pk}": _decimal(value) for pk, value in further_values.items()}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _model(apps):
    if apps is None:
        return GoalIndicator
    try:
        return apps.get_model("goals", "GoalIndicator")
    except LookupError:
        return None
