"""The demo's goal measured by two indicators: in the monitored year, the digitisation of
procedures is followed by the procedures available online (its own indicator, weighing 60) and by
the share of citizens' applications filed online (a further indicator, weighing 40).

Its measurements were loaded in bulk with the goal's own indicator (`past_years`); each gets the
further indicator's value of the same month, as the head would have recorded it, and the goal
stores its combined achievement again. Idempotent: a goal that has its further indicator is left
alone."""

from decimal import Decimal

from goals.models import Goal, GoalCycle, GoalIndicator, IndicatorValue

GOAL_CODE = "PSIF-01"
FURTHER = {
    "name": "Ποσοστό αιτήσεων πολιτών που υποβλήθηκαν ηλεκτρονικά",
    "unit_of_measure": "%",
    "target_kind": Goal.TargetKind.PERCENTAGE,
    "baseline": Decimal(20),
    "target": Decimal(50),
    "weight": 40,
    "order": 1,
}


def seed_indicators() -> dict[str, int]:
    """Give the monitored year's digitisation goal its further indicator and values."""
    from goals.services.monitoring import store_achievement

    created = {"further indicators": 0, "indicator values": 0}
    cycle = GoalCycle.objects.filter(phase=GoalCycle.Phase.MONITORING).order_by("-year").first()
    goal = Goal.objects.filter(cycle=cycle, code=GOAL_CODE).first() if cycle else None
    if goal is None or goal.extra_indicators.exists():
        return created
    indicator = GoalIndicator.objects.create(goal=goal, **FURTHER)
    created["further indicators"] = 1
    values = [
        IndicatorValue(update=update, indicator=indicator, value=_alongside(goal, update.value))
        for update in goal.progress_updates.all()
    ]
    IndicatorValue.objects.bulk_create(values)
    created["indicator values"] = len(values)
    # A bulk load goes round record_progress: store the goal's achievement as it would.
    store_achievement(goal_ids=[goal.pk])
    return created


def _alongside(goal: Goal, value: Decimal) -> Decimal:
    """The further indicator's value when the goal's own has covered the same distance."""
    start = goal.baseline or Decimal(0)
    covered = (value - start) / (goal.target - start)
    further = FURTHER["baseline"] + (FURTHER["target"] - FURTHER["baseline"]) * covered
    return min(max(further, Decimal(0)), Decimal(100)).quantize(Decimal(1))
