"""How far a goal is achieved: the arithmetic, in plain functions that know nothing of the database.

Rules (the product's decisions, tested in tests/goals/test_achievement.py):

- A number to increase, a percentage and a number to decrease all measure the distance covered
  from the baseline towards the target: (value - baseline) / (target - baseline). For a decrease
  both differences are negative, which is the same as (baseline - value) / (baseline - target).
  A missing baseline counts as 0 (a percentage or a count that starts from nothing).
- A yes/no milestone is 0% until it is done (a value of 1 or more), then 100%.
- Target equal to baseline: there is no distance to cover, so the goal is 100% when the value
  is at the target or beyond it in the goal's direction, 0% otherwise.
- Negative progress (the value moved away from the target) is 0%, never a negative figure.
- Overshoot is shown as it is (a goal at 120% says 120%), but every roll-up uses the figure
  capped at 100%: one goal done twice over must not hide another that was missed.
- A goal measured by several indicators achieves the mean of its indicators' achievements
  weighted by their weights (which add up to 100), each capped at 100% so that one indicator
  done twice over does not hide another that was missed; an indicator without a value counts
  as 0%. A goal with one indicator achieves exactly that indicator's figure.
- No measurement yet: the goal's own achievement is unknown (None, shown as a dash); in a roll-up
  it counts as 0%, since nothing has been shown to be done.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE_DECIMAL = Decimal("0.1")

INCREASE = "increase"
DECREASE = "decrease"
PERCENTAGE = "percentage"
MILESTONE = "milestone"


def achievement(
    *, kind: str, baseline: Decimal | None, target: Decimal | None, value: Decimal | None
) -> Decimal | None:
    """The achievement in percent, not capped above (120 for overshoot), never below 0.

    None when there is no value yet. Rounded to one decimal.
    """
    if value is None:
        return None
    value = Decimal(value)
    if kind == MILESTONE:
        return HUNDRED if value >= 1 else ZERO
    if target is None:
        return None
    start = Decimal(baseline) if baseline is not None else ZERO
    target = Decimal(target)
    if target == start:
        reached = value <= target if kind == DECREASE else value >= target
        return HUNDRED if reached else ZERO
    ratio = (value - start) / (target - start) * HUNDRED
    return max(ratio, ZERO).quantize(ONE_DECIMAL)


def capped(percent: Decimal | None) -> Decimal:
    """The figure used in roll-ups: between 0 and 100, with no measurement counting as 0."""
    if percent is None:
        return ZERO
    return min(max(Decimal(percent), ZERO), HUNDRED)


def weighted_average(pairs: Iterable[tuple[Decimal | None, Decimal | int]]) -> Decimal | None:
    """The average of (achievement, weight) pairs, each achievement capped; None when empty.

    Used for every roll-up: departments to goal (weights are the shares), goals to directorate,
    category and municipality (weights are the goals' weights). Pairs of zero weight count for
    nothing; if every weight is zero, the plain average is used.
    """
    pairs = [(capped(percent), Decimal(weight)) for percent, weight in pairs]
    return average_of_sums(
        weighted=sum((percent * weight for percent, weight in pairs), ZERO),
        weights=sum((weight for _percent, weight in pairs), ZERO),
        plain=sum((percent for percent, _weight in pairs), ZERO),
        count=len(pairs),
    )


def average_of_sums(*, weighted, weights, plain, count: int) -> Decimal | None:
    """`weighted_average` from its sums (capped achievements times weights, weights, capped
    achievements, how many): the same figure whether Python or the database added them up."""
    if not count:
        return None
    if weights and weights > 0:
        return (Decimal(weighted) / Decimal(weights)).quantize(ONE_DECIMAL)
    return (Decimal(plain) / count).quantize(ONE_DECIMAL)


def combined(parts: list[tuple[Decimal | None, Decimal | int]]) -> Decimal | None:
    """A goal's achievement from its indicators' (achievement, weight) pairs, first indicator
    first: the one indicator's figure as it is, or the weighted mean of several (capped)."""
    if len(parts) == 1:
        return parts[0][0]
    if all(percent is None for percent, _weight in parts):
        return None
    return weighted_average(parts)


def with_further_indicators(
    first: Decimal | None, indicators: list, values: Mapping[int, Decimal | None]
) -> Decimal | None:
    """A goal's achievement from its first indicator's (`first`) and the values of its further
    `indicators` (each with target_kind, baseline, target, weight and pk; `values` by pk). The
    first indicator weighs what the further ones leave of 100."""
    if not indicators:
        return first
    parts = [(first, HUNDRED - sum(indicator.weight for indicator in indicators))]
    for indicator in indicators:
        percent = achievement(
            kind=indicator.target_kind,
            baseline=indicator.baseline,
            target=indicator.target,
            value=values.get(indicator.pk),
        )
        parts.append((percent, indicator.weight))
    return combined(parts)
