"""What the public sees: the one rule behind the public pages, the open data files and the API.

Public are only the cycles the General Secretary published (and did not withdraw) once the
Mayor's decision adopted their goals; of those, only what the decision adopted: the adopted
goals with their indicators and targets, the measured values and the achievement worked out
from them, the issued decisions with their ΑΔΑ, and the names of the units and of their heads.
Never observations, proposals or goals not adopted, draft decisions or minutes, the comments
and authors of progress updates, or any other person's name.

Everything public about a cycle is read here, once, into a `PublicCycle` of plain values;
the pages, the CSV and JSON files and the API all render that same object, so a file cannot hold
what the pages do not show. It is kept in the shared cache for `PORTAL_CACHE_SECONDS` (a new
progress value shows within that time); its key holds the cycle's publication time, so
publishing or withdrawing a cycle shows at once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language

from goals.achievement import weighted_average
from goals.models import (
    Goal,
    GoalCycle,
    GoalIndicator,
    IndicatorValue,
    MayoralDecision,
    ProgressUpdate,
)

DIAVGEIA_DECISION_URL = "https://diavgeia.gov.gr/decision/view/{ada}"
CACHE_VERSION = 3  # raised whenever what is cached changes shape


# --- Which cycles and rows are public -------------------------------------------------------------
def published_cycles() -> QuerySet:
    """Cycles published by the General Secretary whose goals a decision adopted, newest first,
    each with `goal_count` (adopted goals) and `last_recorded` (when a value of one of them was
    last recorded; see `modified_on`)."""
    last_recorded = (
        ProgressUpdate.objects.filter(goal__cycle=OuterRef("pk"), goal__status=Goal.Status.ADOPTED)
        .order_by()
        .values("goal__cycle")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        GoalCycle.objects.filter(is_published=True)
        .exclude(phase__in=GoalCycle.PROPOSAL_PHASES)
        .annotate(
            goal_count=Count("goals", filter=Q(goals__status=Goal.Status.ADOPTED)),
            last_recorded=Subquery(last_recorded),
        )
        .order_by("-year")
    )


def public_goals(cycle: GoalCycle) -> QuerySet:
    """The adopted goals of a published cycle (none of any other)."""
    return Goal.objects.filter(
        cycle=cycle,
        cycle__is_published=True,
        status=Goal.Status.ADOPTED,
    ).exclude(cycle__phase__in=GoalCycle.PROPOSAL_PHASES)


def public_withdrawn_goals(cycle: GoalCycle) -> QuerySet:
    """The goals of a published cycle that an issued amendment withdrew: shown as withdrawn,
    with the decision, and counted nowhere."""
    return Goal.objects.filter(
        cycle=cycle,
        cycle__is_published=True,
        status=Goal.Status.WITHDRAWN,
        withdrawn_by_decision__status=MayoralDecision.Status.POSTED,
    )


def public_decisions(cycle: GoalCycle) -> QuerySet:
    """The decisions of a published cycle posted on Diavgeia (in force), each with its ΑΔΑ;
    never a draft, nor one signed and not yet posted."""
    return MayoralDecision.objects.posted().filter(cycle=cycle, cycle__is_published=True)


# --- What is shown of them ------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicValue:
    """The last value measured in one month of one of the goal's indicators, for the whole goal
    or one department's share."""

    goal_code: str
    month: str  # YYYY-MM
    department: str  # empty for the whole goal
    indicator_number: int  # 1: the goal's own indicator; 2…: its further indicators in order
    indicator: str
    value: Decimal
    measured_on: datetime.date


@dataclass(frozen=True)
class PublicIndicator:
    """A further indicator of a goal, as adopted."""

    number: int  # 2, 3, … (the goal's own indicator is 1)
    name: str
    unit_of_measure: str
    target_kind: str
    baseline: Decimal | None
    target: Decimal | None
    weight: int

    @property
    def is_milestone(self) -> bool:
        return self.target_kind == Goal.TargetKind.MILESTONE

    def __str__(self) -> str:
        unit = f" ({self.unit_of_measure})" if self.unit_of_measure else ""
        if self.is_milestone:
            target = "0 → 1"
        else:
            start = "" if self.baseline is None else f"{_plain_number(self.baseline)} → "
            target = f"{start}{_plain_number(self.target)}"
        return f"{self.number}. {self.name}{unit}: {target}, {self.weight}"


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class PublicDecision:
    kind: str
    number: str
    decision_date: datetime.date
    ada: str
    subject: str
    amends_ada: str

    @property
    def diavgeia_url(self) -> str:
        return DIAVGEIA_DECISION_URL.format(ada=self.ada)

    @property
    def kind_label(self) -> str:
        return MayoralDecision.Kind(self.kind).label


@dataclass
class PublicGoal:
    code: str
    title: str
    description: str
    directorate_code: str
    directorate_name: str
    directorate_name_en: str
    directorate_head: str
    category: str
    indicator: str
    unit_of_measure: str
    target_kind: str
    baseline: Decimal | None
    target: Decimal | None
    deadline: datetime.date
    weight: int
    programme_action: str
    latest_value: Decimal | None
    latest_measured_on: datetime.date | None
    final_value: Decimal | None
    achievement: Decimal | None
    values: list[PublicValue] = field(default_factory=list)
    further: list[PublicIndicator] = field(default_factory=list)

    @property
    def indicator_weight(self) -> int:
        """The weight of the goal's own indicator: what its further ones leave of 100."""
        return 100 - sum(indicator.weight for indicator in self.further)

    @property
    def further_indicators(self) -> str:
        """The further indicators in one line, as the open data files write them."""
        return "; ".join(str(indicator) for indicator in self.further)

    @property
    def category_label(self) -> str:
        return Goal.Category(self.category).label

    @property
    def target_kind_label(self) -> str:
        return Goal.TargetKind(self.target_kind).label

    @property
    def is_milestone(self) -> bool:
        return self.target_kind == Goal.TargetKind.MILESTONE

    @property
    def directorate_display(self) -> str:
        if get_language() == "en" and self.directorate_name_en:
            return self.directorate_name_en
        return self.directorate_name


@dataclass(frozen=True)
class PublicWithdrawnGoal:
    """A goal an amending decision withdrew, and which decision, with the reason."""

    code: str
    title: str
    directorate_name: str
    directorate_name_en: str
    decision_reference: str
    decision_ada: str
    reason: str

    @property
    def directorate_display(self) -> str:
        if get_language() == "en" and self.directorate_name_en:
            return self.directorate_name_en
        return self.directorate_name

    @property
    def diavgeia_url(self) -> str:
        return DIAVGEIA_DECISION_URL.format(ada=self.decision_ada)


@dataclass
class CategoryGroup:
    category: str
    goals: list[PublicGoal]

    @property
    def label(self) -> str:
        return Goal.Category(self.category).label


@dataclass
class DirectorateGroup:
    code: str
    name: str
    name_en: str
    head: str
    achievement: Decimal | None
    categories: list[CategoryGroup]

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


@dataclass
class PublicCycle:
    year: int
    phase: str
    published_at: datetime.datetime
    modified: datetime.datetime
    goals: list[PublicGoal]
    decisions: list[PublicDecision]
    withdrawn: list[PublicWithdrawnGoal] = field(default_factory=list)

    @property
    def phase_label(self) -> str:
        return GoalCycle.Phase(self.phase).label

    @property
    def achievement(self) -> Decimal | None:
        """The municipality's figure: the goals' achievements (capped), weighted."""
        return weighted_average((g.achievement, g.weight) for g in self.goals)

    @property
    def values(self) -> list[PublicValue]:
        return [value for goal in self.goals for value in goal.values]

    def goal(self, code: str) -> PublicGoal | None:
        return next((g for g in self.goals if g.code == code), None)

    def by_directorate(self) -> list[DirectorateGroup]:
        groups: dict[str, list[PublicGoal]] = {}
        for goal in self.goals:
            groups.setdefault(goal.directorate_code, []).append(goal)
        order = list(Goal.Category.values)
        return [
            DirectorateGroup(
                code=code,
                name=goals[0].directorate_name,
                name_en=goals[0].directorate_name_en,
                head=goals[0].directorate_head,
                achievement=weighted_average((g.achievement, g.weight) for g in goals),
                categories=[
                    CategoryGroup(category, [g for g in goals if g.category == category])
                    for category in order
                    if any(g.category == category for g in goals)
                ],
            )
            for code, goals in groups.items()
        ]


def modified_on(cycle: GoalCycle) -> datetime.datetime:
    """When a published cycle last changed: its publication, or the last value recorded later
    (annotated by `published_cycles`)."""
    return max(filter(None, [cycle.published_at, getattr(cycle, "last_recorded", None)]))


def published_cycle(year: int) -> GoalCycle | None:
    """The published cycle of that year, or None (unpublished, withdrawn, not adopted)."""
    return published_cycles().filter(year=year).first()


def cycle_dataset(cycle: GoalCycle) -> PublicCycle:
    """Everything public about a published cycle, from the shared cache when it is there."""
    key = f"portal:cycle:{CACHE_VERSION}:{cycle.pk}:{cycle.published_at.timestamp()}"
    dataset = cache.get(key)
    if dataset is None:
        dataset = _read_dataset(cycle)
        cache.set(key, dataset, timeout=settings.PORTAL_CACHE_SECONDS)
    return dataset


def _read_dataset(cycle: GoalCycle) -> PublicCycle:
    """Four queries, whatever the number of goals and values (five when a goal has further
    indicators)."""
    goals = list(
        public_goals(cycle)
        .select_related("directorate__head", "programme_action", "evaluation")
        .order_by("directorate__order", "directorate__name", "code")
    )
    further = _further_indicators([g.pk for g in goals])
    values = _monthly_values(goals, further)
    decisions = [
        PublicDecision(
            kind=d.kind,
            number=d.number,
            decision_date=d.decision_date,
            ada=d.ada,
            subject=d.subject,
            amends_ada=d.amends.ada if d.amends_id else "",
        )
        for d in public_decisions(cycle).select_related("amends").order_by("decision_date", "pk")
    ]
    public = []
    for goal in goals:
        own = values.get(goal.pk, [])
        whole = [v for v in own if not v.department and v.indicator_number == 1]
        evaluation = getattr(goal, "evaluation", None)
        head = goal.directorate.head
        public.append(
            PublicGoal(
                code=goal.code,
                title=goal.title,
                description=goal.description,
                directorate_code=goal.directorate.code,
                directorate_name=goal.directorate.name,
                directorate_name_en=goal.directorate.name_en,
                directorate_head=head.get_full_name() if head else "",
                category=goal.category,
                indicator=goal.indicator,
                unit_of_measure=goal.unit_of_measure,
                target_kind=goal.target_kind,
                baseline=goal.baseline,
                target=goal.target,
                deadline=goal.deadline,
                weight=goal.weight,
                programme_action=goal.programme_action.code if goal.programme_action else "",
                latest_value=whole[-1].value if whole else None,
                latest_measured_on=whole[-1].measured_on if whole else None,
                final_value=evaluation.final_value if evaluation else None,
                achievement=goal.current_achievement,
                values=own,
                further=[indicator for _pk, indicator in further.get(goal.pk, [])],
            )
        )
    withdrawn = [
        PublicWithdrawnGoal(
            code=goal.code,
            title=goal.title,
            directorate_name=goal.directorate.name,
            directorate_name_en=goal.directorate.name_en,
            decision_reference=goal.withdrawn_by_decision.reference,
            decision_ada=goal.withdrawn_by_decision.ada,
            reason=goal.withdrawal_reason,
        )
        for goal in public_withdrawn_goals(cycle)
        .select_related("directorate", "withdrawn_by_decision__cycle")
        .order_by("directorate__order", "directorate__name", "code")
    ]
    return PublicCycle(
        year=cycle.year,
        phase=cycle.phase,
        published_at=cycle.published_at,
        modified=modified_on(cycle),
        goals=public,
        decisions=decisions,
        withdrawn=withdrawn,
    )


def _further_indicators(goal_ids: list[int]) -> dict[int, list[tuple[int, PublicIndicator]]]:
    """Goal → its further indicators in order, each with its id."""
    rows = (
        GoalIndicator.objects.filter(goal_id__in=goal_ids)
        .order_by("goal_id", "order", "pk")
        .values_list(
            "pk",
            "goal_id",
            "name",
            "unit_of_measure",
            "target_kind",
            "baseline",
            "target",
            "weight",
        )
    )
    by_goal: dict[int, list[tuple[int, PublicIndicator]]] = {}
    for pk, goal_id, name, unit, kind, baseline, target, weight in rows:
        indicators = by_goal.setdefault(goal_id, [])
        number = len(indicators) + 2
        indicators.append((pk, PublicIndicator(number, name, unit, kind, baseline, target, weight)))
    return by_goal


def _monthly_values(
    goals: list[Goal], further: dict[int, list[tuple[int, PublicIndicator]]]
) -> dict[int, list[PublicValue]]:
    """Goal → its values, the last measured in each month for the whole goal and for each
    department, one for each of its indicators, in order of month (only the value and its
    date: no comment, no author)."""
    goal_ids = [goal.pk for goal in goals]
    first = {goal.pk: goal.indicator for goal in goals}
    rows = (
        ProgressUpdate.objects.filter(goal_id__in=goal_ids)
        .order_by("goal_id", "measured_on", "created_at", "pk")
        .values_list(
            "pk",
            "goal_id",
            "goal__code",
            "allocation__department__name",
            "measured_on",
            "value",
        )
    )
    last: dict[tuple[int, str, str], tuple] = {}
    for pk, goal_id, code, department, measured_on, value in rows:
        month = f"{measured_on:%Y-%m}"
        last[(goal_id, month, department or "")] = (pk, code, measured_on, value)
    further_values: dict[int, dict[int, Decimal]] = {}
    kept = [update[0] for update in last.values()]
    if any(further.get(goal_id) for goal_id, _month, _department in last):
        measured = IndicatorValue.objects.filter(update_id__in=kept).values_list(
            "update_id", "indicator_id", "value"
        )
        for update_id, indicator_id, value in measured:
            further_values.setdefault(update_id, {})[indicator_id] = value
    by_goal: dict[int, list[PublicValue]] = {}
    for (goal_id, month, department), (pk, code, measured_on, value) in sorted(
        last.items(), key=lambda item: item[0]
    ):
        values = by_goal.setdefault(goal_id, [])
        values.append(PublicValue(code, month, department, 1, first[goal_id], value, measured_on))
        for indicator_id, indicator in further.get(goal_id, []):
            measured_value = further_values.get(pk, {}).get(indicator_id)
            if measured_value is not None:
                values.append(
                    PublicValue(
                        code,
                        month,
                        department,
                        indicator.number,
                        indicator.name,
                        measured_value,
                        measured_on,
                    )
                )
    return by_goal
