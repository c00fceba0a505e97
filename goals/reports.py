"""What the dashboards, the allocation overview and the directorate reports read.

`with_achievement` loads goals with everything their achievement needs in a fixed number of
queries (the goals, their updates, their allocations), then works it out in Python with the
arithmetic of `goals.achievement`. Which figure a goal shows:

1. once evaluated, the achievement of its final value;
2. else, when the head of directorate measured the whole goal, the latest such measurement;
3. else, the departments' achievements weighted by their shares (the latest measurement of
   each; a department without one counts as 0%);
4. else nothing yet (None).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from goals.achievement import achievement, capped, weighted_average
from goals.models import Allocation, Goal, GoalCycle, ProgressUpdate

CHART_WIDTH = 300  # the SVG bar of 100%, in the chart's own units


def monitored_cycle() -> GoalCycle | None:
    """The latest cycle whose goals were adopted; a closed one only when no other is left."""
    adopted = GoalCycle.objects.filter(goals__status=Goal.Status.ADOPTED).distinct()
    return adopted.exclude(phase=GoalCycle.Phase.CLOSED).order_by("-year").first() or (
        adopted.order_by("-year").first()
    )


def with_achievement(goals: QuerySet) -> list[Goal]:
    """The goals, each with `achievement`, `rollup` (capped), `latest_update` and `allocation_list`.

    Each allocation in `allocation_list` carries its own `achievement` and `latest_update`.
    """
    updates = ProgressUpdate.objects.select_related("author").order_by(
        "-measured_on", "-created_at", "-pk"
    )
    allocations = Allocation.objects.select_related("department").order_by(
        "department__order", "department__name"
    )
    goals = list(
        goals.select_related("directorate", "cycle", "evaluation").prefetch_related(
            Prefetch("progress_updates", queryset=updates, to_attr="update_list"),
            Prefetch("allocations", queryset=allocations, to_attr="allocation_list"),
        )
    )
    for goal in goals:
        _work_out(goal)
    return goals


def _work_out(goal: Goal) -> None:
    goal.latest_update = goal.update_list[0] if goal.update_list else None
    for allocation in goal.allocation_list:
        own = [u for u in goal.update_list if u.allocation_id == allocation.pk]
        allocation.latest_update = own[0] if own else None
        allocation.achievement = achievement(
            kind=goal.target_kind,
            baseline=allocation.baseline if allocation.baseline is not None else goal.baseline,
            target=allocation.target if allocation.target is not None else goal.target,
            value=own[0].value if own else None,
        )
    whole_goal = [u for u in goal.update_list if u.allocation_id is None]
    evaluation = getattr(goal, "evaluation", None)  # a missing one-to-one raises AttributeError
    if evaluation is not None:
        goal.achievement = evaluation.achievement
    elif whole_goal:
        goal.achievement = achievement(
            kind=goal.target_kind,
            baseline=goal.baseline,
            target=goal.target,
            value=whole_goal[0].value,
        )
    elif any(a.latest_update for a in goal.allocation_list):
        goal.achievement = weighted_average((a.achievement, a.share) for a in goal.allocation_list)
    else:
        goal.achievement = None
    goal.rollup = capped(goal.achievement)
    goal.bar_width = _bar(goal.rollup)
    goal.is_behind = bool(
        goal.latest_update and goal.latest_update.status == ProgressUpdate.Status.BEHIND
    )


def _bar(percent: Decimal | None) -> int:
    return round(capped(percent) * CHART_WIDTH / 100)


@dataclass
class Group:
    """Goals that share a directorate or a category, with their weighted achievement."""

    key: object
    label: str
    goals: list[Goal]

    @property
    def achievement(self) -> Decimal | None:
        return weighted_average((goal.achievement, goal.weight) for goal in self.goals)

    @property
    def bar_width(self) -> int:
        return _bar(self.achievement)

    @property
    def behind(self) -> int:
        return sum(1 for goal in self.goals if goal.is_behind)


def by_directorate(goals: list[Goal]) -> list[Group]:
    groups: dict[int, Group] = {}
    for goal in goals:
        group = groups.setdefault(
            goal.directorate_id, Group(goal.directorate, str(goal.directorate), [])
        )
        group.goals.append(goal)
    return list(groups.values())


def by_category(goals: list[Goal]) -> list[Group]:
    groups = [Group(value, label, []) for value, label in Goal.Category.choices]
    for goal in goals:
        next(g for g in groups if g.key == goal.category).goals.append(goal)
    return [group for group in groups if group.goals]


def overall(goals: list[Goal]) -> Decimal | None:
    """The municipality's achievement: every goal, weighted by its weight."""
    return weighted_average((goal.achievement, goal.weight) for goal in goals)


def chart_rows(groups: list[Group]) -> dict:
    """A horizontal bar chart drawn as SVG: each row a label over its bar, then the figure.

    Positions are SVG presentation attributes (the Content-Security-Policy forbids inline
    styles); the template only places them.
    """
    row_height = 40
    rows = [
        {
            "label": group.label,
            "achievement": group.achievement,
            "width": group.bar_width,
            "text_y": index * row_height + 14,
            "bar_y": index * row_height + 20,
            "value_x": group.bar_width + 6,
            "value_y": index * row_height + 32,
        }
        for index, group in enumerate(groups)
    ]
    return {"rows": rows, "height": len(rows) * row_height, "width": CHART_WIDTH + 60}
