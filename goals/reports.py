"""What the dashboards, the allocation overview and the directorate reports read.

`with_achievement` loads goals with everything their achievement needs in a fixed number of
queries (the goals, their updates, their allocations), then works it out in Python with the
arithmetic of `goals.achievement`: what `store_achievement` and the progress page need. Pages
that only show the figures read them with `with_latest` (the achievement each goal stores, the
latest update's status and value), which loads no history. Which figure a goal shows:

1. once evaluated, the achievement of its final value;
2. else, when the head of directorate measured the whole goal, the latest such measurement;
3. else, the departments' achievements weighted by their shares (the latest measurement of
   each; a department without one counts as 0%);
4. else nothing yet (None).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from goals.achievement import (
    HUNDRED,
    ZERO,
    average_of_sums,
    capped,
    weighted_average,
)
from goals.indicators import attach_indicators, measured_achievement, with_indicator_flag
from goals.models import Allocation, Goal, GoalCycle, GoalIndicator, ProgressUpdate

BEHIND = ProgressUpdate.Status.BEHIND.value
CHART_WIDTH = 300  # the SVG bar of 100%, in the chart's own units


def monitored_cycle() -> GoalCycle | None:
    """The latest cycle whose goals were adopted; a closed one only when no other is left."""
    adopted = GoalCycle.objects.filter(
        Exists(Goal.objects.filter(cycle=OuterRef("pk"), status=Goal.Status.ADOPTED))
    )
    return adopted.exclude(phase=GoalCycle.Phase.CLOSED).order_by("-year").first() or (
        adopted.order_by("-year").first()
    )


@dataclass
class CyclesAtHand:
    """The cycles a start page works with, read in one query (one row per year)."""

    current: GoalCycle | None  # as `GoalCycle.objects.current()`
    monitored: GoalCycle | None  # as `monitored_cycle()`
    in_monitoring: list[GoalCycle]  # in allocation or monitoring: their goals may be overdue


def cycles_at_hand() -> CyclesAtHand:
    cycles = list(
        GoalCycle.objects.annotate(
            has_adopted_goals=Exists(
                Goal.objects.filter(cycle=OuterRef("pk"), status=Goal.Status.ADOPTED)
            )
        ).order_by("-year")
    )
    open_cycles = [c for c in cycles if c.phase != GoalCycle.Phase.CLOSED]
    adopted = [c for c in cycles if c.has_adopted_goals]
    return CyclesAtHand(
        current=next(iter(open_cycles or cycles), None),
        monitored=next((c for c in adopted if c.phase != GoalCycle.Phase.CLOSED), None)
        or next(iter(adopted), None),
        in_monitoring=[c for c in cycles if c.is_monitored],
    )


def with_achievement(goals: QuerySet, *, apps=None) -> list[Goal]:
    """The goals, each with `achievement`, `rollup` (capped), `latest_update` and `allocation_list`.

    Each allocation in `allocation_list` carries its own `achievement` and `latest_update`.
    `apps` is for data migrations, which work on the models as they were.
    """
    update_model = apps.get_model("goals", "ProgressUpdate") if apps else ProgressUpdate
    allocation_model = apps.get_model("goals", "Allocation") if apps else Allocation
    updates = update_model.objects.select_related("author").order_by(
        "-measured_on", "-created_at", "-pk"
    )
    if apps is None:  # the unit an update was made for, kept when an ΟΕΥ moved the goal
        updates = updates.select_related("recorded_directorate", "recorded_department")
    allocations = allocation_model.objects.select_related("department").order_by(
        "department__order", "department__name"
    )
    goals = list(
        with_indicator_flag(goals, apps=apps)
        .select_related("directorate", "cycle", "evaluation")
        .prefetch_related(
            Prefetch("progress_updates", queryset=updates, to_attr="update_list"),
            Prefetch("allocations", queryset=allocations, to_attr="allocation_list"),
        )
    )
    attach_indicators(goals, updates=[u for g in goals for u in g.update_list], apps=apps)
    for goal in goals:
        _work_out(goal)
    return goals


def _work_out(goal: Goal) -> None:
    goal.latest_update = goal.update_list[0] if goal.update_list else None
    for allocation in goal.allocation_list:
        own = [u for u in goal.update_list if u.allocation_id == allocation.pk]
        allocation.latest_update = own[0] if own else None
        allocation.achievement = measured_achievement(
            goal,
            allocation.latest_update,
            baseline=allocation.baseline if allocation.baseline is not None else goal.baseline,
            target=allocation.target if allocation.target is not None else goal.target,
        )
    whole_goal = [u for u in goal.update_list if u.allocation_id is None]
    evaluation = getattr(goal, "evaluation", None)  # a missing one-to-one raises AttributeError
    if evaluation is not None:
        goal.achievement = evaluation.achievement
    elif whole_goal:
        goal.achievement = measured_achievement(
            goal, whole_goal[0], baseline=goal.baseline, target=goal.target
        )
    elif any(a.latest_update for a in goal.allocation_list):
        goal.achievement = weighted_average((a.achievement, a.share) for a in goal.allocation_list)
    else:
        goal.achievement = None
    goal.rollup = capped(goal.achievement)
    goal.bar_width = _bar(goal.rollup)
    goal.is_behind = bool(goal.latest_update and goal.latest_update.status == BEHIND)


@dataclass(frozen=True)
class LatestUpdate:
    """What a page shows of a goal's latest progress update (of the whole goal or a share)."""

    status: str
    value: Decimal

    def get_status_display(self) -> str:
        return ProgressUpdate.Status(self.status).label


def _latest(updates: QuerySet, field: str) -> Subquery:
    """A field of the latest of these updates, in the order `with_achievement` reads them."""
    return Subquery(updates.order_by("-measured_on", "-created_at", "-pk").values(field)[:1])


def with_latest(goals: QuerySet) -> list[Goal]:
    """The goals as pages that only show figures need them, in one query whatever their history.

    Each goal has the same `achievement`, `rollup`, `bar_width` and `is_behind` as from
    `with_achievement` (read from what `store_achievement` stored), `latest_update` (its status
    and value only: a `LatestUpdate`, or None) and `is_allocated`; no update or author rows.
    """
    updates = ProgressUpdate.objects.filter(goal=OuterRef("pk"))
    goals = goals.select_related("evaluation").annotate(
        latest_status=_latest(updates, "status"),
        latest_value=_latest(updates, "value"),
        is_allocated=Exists(Allocation.objects.filter(goal=OuterRef("pk"))),
    )
    goals = list(goals)
    for goal in goals:
        goal.achievement = goal.current_achievement
        goal.rollup = capped(goal.achievement)
        goal.bar_width = _bar(goal.rollup)
        goal.latest_update = (
            LatestUpdate(goal.latest_status, goal.latest_value) if goal.latest_status else None
        )
    return goals


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


@dataclass
class Summary:
    """A group summed in the database from the goals' stored achievements."""

    key: object
    label: str
    achievement: Decimal | None
    behind: int

    @property
    def bar_width(self) -> int:
        return _bar(self.achievement)


_CAPPED = Coalesce(
    Least(Greatest(F("current_achievement"), Value(ZERO)), Value(HUNDRED)),
    Value(ZERO),
    output_field=DecimalField(max_digits=7, decimal_places=1),
)


def _sums() -> dict:
    return {
        "weighted": Sum(
            ExpressionWrapper(
                _CAPPED * F("weight"), output_field=DecimalField(max_digits=12, decimal_places=1)
            )
        ),
        "weights": Sum("weight"),
        "plain": Sum(_CAPPED),
        "count": Count("pk"),
        "behind": Count("pk", filter=Q(is_behind=True)),
    }


def _average(row: dict) -> Decimal | None:
    return average_of_sums(
        weighted=row["weighted"], weights=row["weights"], plain=row["plain"], count=row["count"]
    )


def _added(rows: list[dict]) -> dict:
    return {
        key: sum(row[key] for row in rows)
        for key in ("weighted", "weights", "plain", "count", "behind")
    }


@dataclass
class Summaries:
    """The goals' weighted achievement and goals behind: overall, per directorate, per category."""

    overall: Summary
    by_directorate: list[Summary]  # in the directorates' order
    by_category: list[Summary]  # in the categories' order


def summaries(goals: QuerySet, directorates: list | None = None) -> Summaries:
    """Summed in the database from the goals' stored achievements: per category (at most three
    rows) and overall, then per directorate, of `directorates` only when given (a page of them,
    in their order: the work does not grow with the organisation), else of every directorate
    with goals. The same figures as `overall`, `by_directorate` and `by_category` over
    `with_achievement`."""
    from directorates.models import Directorate

    per_category = {
        row["category"]: row for row in goals.order_by().values("category").annotate(**_sums())
    }
    per_directorate = goals.order_by().values("directorate_id").annotate(**_sums())
    if directorates is not None:
        per_directorate = per_directorate.filter(directorate_id__in=[d.pk for d in directorates])
    rows = {row["directorate_id"]: row for row in per_directorate}
    if directorates is None:
        directorates = Directorate.objects.filter(pk__in=rows).order_by("order", "name")
    by_directorate = [
        Summary(d, str(d), _average(rows[d.pk]), rows[d.pk]["behind"])
        for d in directorates
        if d.pk in rows
    ]
    by_category = [
        Summary(value, label, _average(per_category[value]), per_category[value]["behind"])
        for value, label in Goal.Category.choices
        if value in per_category
    ]
    overall = _added(list(per_category.values()))
    return Summaries(
        overall=Summary(None, "", _average(overall), overall["behind"]),
        by_directorate=by_directorate,
        by_category=by_category,
    )


# Per-directorate tables and charts of the whole municipality come a page at a time: a
# municipality's directorates fit on one page (as on the organisation chart).
DIRECTORATES_PER_PAGE = 30


def directorate_page(directorates: QuerySet, number) -> Page:
    """A page of these directorates, in the organisation's order."""
    return Paginator(directorates.order_by("order", "name"), DIRECTORATES_PER_PAGE).get_page(number)


def _departments(department_id: int | list[int]) -> list[int]:
    return department_id if isinstance(department_id, list) else [department_id]


def allocated_to(goals: QuerySet, department_id: int | list[int]) -> QuerySet:
    """The goals that have a share allocated to this department (or any of several)."""
    shares = Allocation.objects.filter(department_id__in=_departments(department_id))
    return goals.filter(pk__in=shares.values("goal_id"))


def shares_with_latest(
    goals: QuerySet, department_id: int | list[int]
) -> list[tuple[Goal, Allocation]]:
    """Each of these goals' allocation to this department (or to any of several: a person
    leading more than one, as acting head or from above), in the goals' order, with its
    `achievement` worked out from its latest value alone: one query for the few shares of a
    department, the same figures as `department_shares` over `with_achievement`. Each also
    carries `latest_measured_on`, the date of its latest measurement (None before the first)."""
    latest = ProgressUpdate.objects.filter(allocation=OuterRef("pk"))
    ordering = [
        f"-goal__{field[1:]}" if field.startswith("-") else f"goal__{field}"
        for field in goals.query.order_by
    ]
    further = GoalIndicator.objects.filter(goal=OuterRef("goal_id"))
    allocations = list(
        Allocation.objects.filter(
            department_id__in=_departments(department_id), goal__in=goals.values("pk")
        )
        .select_related("goal", "department")
        .annotate(
            latest_pk=_latest(latest, "pk"),
            latest_value=_latest(latest, "value"),
            latest_measured_on=_latest(latest, "measured_on"),
            goal_has_extra_indicators=Exists(further),
        )
        .order_by(*ordering, "pk")
    )
    # Goals measured by several indicators need the latest update's other values too: two
    # queries more, only when the department has a share in such a goal.
    latest_by_allocation = {
        a.pk: ProgressUpdate(pk=a.latest_pk, goal_id=a.goal_id, value=a.latest_value)
        for a in allocations
        if a.latest_pk is not None
    }
    for allocation in allocations:
        allocation.goal.has_extra_indicators = allocation.goal_has_extra_indicators
    attach_indicators([a.goal for a in allocations], updates=latest_by_allocation.values())
    shares = []
    for allocation in allocations:
        goal = allocation.goal
        allocation.achievement = measured_achievement(
            goal,
            latest_by_allocation.get(allocation.pk),
            baseline=allocation.baseline if allocation.baseline is not None else goal.baseline,
            target=allocation.target if allocation.target is not None else goal.target,
        )
        shares.append((goal, allocation))
    return shares


def department_shares(goals: list[Goal], department_id: int) -> list[tuple[Goal, Allocation]]:
    """Each goal's allocation to this department, from goals worked out by `with_achievement`:
    what a head of department reports on, with how far it has come."""
    return [
        (goal, allocation)
        for goal in goals
        for allocation in goal.allocation_list
        if allocation.department_id == department_id
    ]


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


@dataclass
class ProgrammeRow:
    """An axis, measure or action of the year's action programme, with its goals' weighted
    achievement (`level`: 0 axis, 1 measure, 2 action)."""

    level: int
    item: object
    goal_count: int
    achievement: Decimal | None
    behind: int

    @property
    def bar_width(self) -> int:
        return _bar(self.achievement)


@dataclass
class ProgrammeRollup:
    """The year's goals rolled up along the Operational Plan: per axis, measure and action, in
    the plan's order; the goals that name no action apart, and all of them together."""

    rows: list[ProgrammeRow]
    unlinked: Summary
    unlinked_count: int
    overall: Summary
    overall_count: int


def programme_rollup(goals: QuerySet, actions: QuerySet) -> ProgrammeRollup:
    """Summed in the database from the goals' stored achievements, in one statement grouped by
    action, then added up per measure and axis with the arithmetic of every other roll-up (each
    goal's capped achievement weighted by its weight). `actions` are the programme's actions,
    read with their measure and axis in one more query."""
    rows = list(goals.order_by().values("programme_action_id").annotate(**_sums()))
    per_action = {row["programme_action_id"]: row for row in rows}
    actions = list(
        actions.select_related("measure__axis").order_by(
            "measure__axis__code", "measure__code", "code"
        )
    )
    empty = {"weighted": ZERO, "weights": 0, "plain": ZERO, "count": 0, "behind": 0}
    tree: dict = {}
    for action in actions:
        measures = tree.setdefault(action.measure.axis, {})
        measures.setdefault(action.measure, []).append(action)
    result = []
    for axis, measures in tree.items():
        axis_rows = []
        for measure, measure_actions in measures.items():
            sums = [per_action.get(action.pk, empty) for action in measure_actions]
            measure_sums = _added(sums)
            axis_rows.append(_programme_row(1, measure, measure_sums))
            axis_rows += [
                _programme_row(2, action, row)
                for action, row in zip(measure_actions, sums, strict=True)
            ]
        axis_sums = _added([row.sums for row in axis_rows if row.level == 1])
        result += [_programme_row(0, axis, axis_sums), *axis_rows]
    # Goals that name no action, or (recorded before the rule) an action outside the programme.
    listed = {action.pk for action in actions}
    unlinked = _added([row for key, row in per_action.items() if key not in listed])
    overall = _added(rows)
    return ProgrammeRollup(
        rows=result,
        unlinked=Summary(None, "", _average(unlinked), unlinked["behind"]),
        unlinked_count=unlinked["count"],
        overall=Summary(None, "", _average(overall), overall["behind"]),
        overall_count=overall["count"],
    )


def _programme_row(level: int, item, sums: dict) -> ProgrammeRow:
    row = ProgrammeRow(level, item, sums["count"], _average(sums), sums["behind"])
    row.sums = sums
    return row
