"""Monitoring during the year: allocation, progress updates, reminders and evaluation, and
each goal's stored achievement, worked out again by every service that changes what it is
worked out from."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.headship import in_charge_of
from directorates.models import User
from goals import reports, tasks
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
    GoalEvaluation,
    GoalIndicator,
    IndicatorValue,
    MayoralDecision,
    ProgressUpdate,
)
from goals.rules import allocating_directorates, leads_goal, may_evaluate_goals
from goals.services.concurrency import StaleEdit

OVERDUE_AFTER_DAYS = 30

# The codes of `record_progress`'s refusals that concern the date of the measurement (an
# import points them to the date's column, whatever the language of the message).
MEASUREMENT_DATE_REFUSALS = frozenset({"measured_in_future", "measured_outside_cycle_year"})


# --- Stored achievement -------------------------------------------------------------------------
STORE_BATCH = 500
# The goal's own fields its achievement is worked out from (with its updates, allocations and
# evaluation).
MEASURED_FIELDS = ("target_kind", "baseline", "target")


def store_achievement(*, goal_ids: Iterable[int], apps=None) -> None:
    """Work out again, and store on each goal, its achievement, last measurement and status.

    Called by every service that changes a goal's progress updates, allocations, evaluation or
    target, by Django admin when it saves or deletes them, and after bulk loads (which go round
    the services). The goals' rows are locked first, so two updates recorded at once for the
    same goal are worked out one after the other and the second sees the first. `apps` is for
    data migrations, which work on the models as they were.
    """
    goal_model = apps.get_model("goals", "Goal") if apps else Goal
    ids = sorted(set(goal_ids))
    for start in range(0, len(ids), STORE_BATCH):
        batch = ids[start : start + STORE_BATCH]
        with transaction.atomic():
            locked = goal_model.objects.select_for_update().filter(pk__in=batch).order_by("pk")
            goals = reports.with_achievement(
                goal_model.objects.filter(pk__in=list(locked.values_list("pk", flat=True))),
                apps=apps,
            )
            for goal in goals:
                goal.current_achievement = goal.achievement
                goal.last_measured_on = (
                    goal.latest_update.measured_on if goal.latest_update else None
                )
            goal_model.objects.bulk_update(
                goals, ["current_achievement", "last_measured_on", "is_behind"]
            )


def store_every_achievement() -> None:
    """Work out the stored figures of every goal again (after bulk loads, or to repair)."""
    store_achievement(goal_ids=Goal.objects.values_list("pk", flat=True))


def changes_achievement(before: Goal, after: Goal) -> bool:
    """Whether a goal's edit changes what its achievement is worked out from."""
    return any(getattr(before, name) != getattr(after, name) for name in MEASURED_FIELDS)


# --- Allocation ---------------------------------------------------------------------------------
# What a department goal takes from its directorate goal unless the head of directorate says
# otherwise.
DERIVED_FIELDS = ("title", "indicator", "unit_of_measure")


def allocation_stamp(goal: Goal) -> str:
    """A fingerprint of a goal's allocations as stored, to detect that someone changed them."""
    rows = goal.allocations.order_by("pk").values_list("pk", "updated_at")
    return "|".join(f"{pk}:{updated.timestamp()}" for pk, updated in rows)


def save_allocations(*, goal: Goal, by: User, rows: list[dict], stamp: str) -> list[Allocation]:
    """Replace a goal's allocation to the departments of the directorates `by` allocates it
    for (`allocating_directorates`: its own, or a participating one of a cross-cutting goal);
    the shares of that part must add up to 100, and the other directorates' parts stay.

    `rows` are dicts with department, title, specification, indicator, unit of measure,
    baseline, target, deadline and share: each a department goal; a title, indicator or unit
    of measure left out is the goal's. A department that already reported progress cannot be
    dropped from the goal.
    """
    part = allocating_directorates(by, goal)
    if not part:
        raise ValidationError(_("Only the head of the goal's directorate allocates it."))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().select_related("cycle").get(pk=goal.pk)
        if not goal.cycle.is_monitored:
            raise ValidationError(_("Goals are allocated after their adoption, during the year."))
        if goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("Only adopted goals are allocated."))
        if allocation_stamp(goal) != stamp:
            raise StaleEdit()
        if not rows:
            raise ValidationError(_("Allocate the goal to at least one department."))
        departments = [row["department"] for row in rows]
        if len(set(departments)) != len(departments):
            raise ValidationError(_("Each department appears once."))
        if any(d.directorate_id not in part for d in departments):
            raise ValidationError(
                _("A goal is allocated to departments of its own or a participating directorate.")
            )
        total = sum(row["share"] for row in rows)
        if total != 100:
            raise ValidationError(
                _("The shares add up to %(total)s%%; they must add up to 100%%.")
                % {"total": floatformat(total, "-2")}
            )
        existing = {
            a.department_id: a for a in goal.allocations.filter(department__directorate_id__in=part)
        }
        kept = []
        for row in rows:
            allocation = existing.pop(row["department"].pk, None)
            if allocation is None:
                allocation = Allocation(goal=goal)
                for name in DERIVED_FIELDS:
                    setattr(allocation, name, getattr(goal, name))
            for field, value in row.items():
                setattr(allocation, field, value)
            allocation.allocated_by = by
            allocation.as_acting_head = by.headship.acting_in(
                directorate_id=row["department"].directorate_id
            )
            allocation._history_user = by
            allocation.save()
            kept.append(allocation)
        for dropped in existing.values():
            if dropped.progress_updates.exists():
                raise ValidationError(
                    _("%(department)s has reported progress on this goal: it stays allocated.")
                    % {"department": dropped.department}
                )
            dropped._history_user = by
            dropped.delete()
        store_achievement(goal_ids=[goal.pk])
    return kept


# --- Progress -----------------------------------------------------------------------------------
def record_progress(
    *,
    goal: Goal,
    by: User,
    value: Decimal,
    measured_on: date,
    status: str,
    comment: str = "",
    allocation: Allocation | None = None,
    indicator_values: Mapping[int, Decimal] | None = None,
) -> ProgressUpdate:
    """Record a measured value: for a department's allocation, or for the whole goal.

    `value` is the goal's own indicator's; a goal with further indicators needs one value for
    each in `indicator_values`, by the indicator's id.
    """
    with transaction.atomic():
        goal = Goal.objects.select_for_update().select_related("cycle").get(pk=goal.pk)
        if not goal.cycle.is_monitored:
            raise ValidationError(_("Progress is reported while the goals are monitored."))
        if goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("Progress is reported on adopted goals."))
        if allocation is None:
            if not leads_goal(by, goal):
                raise ValidationError(_("Only the head of the directorate reports on the goal."))
        else:
            if allocation.goal_id != goal.pk:
                raise ValidationError(_("This allocation belongs to another goal."))
            if not Allocation.objects.reportable_by(by).filter(pk=allocation.pk).exists():
                raise ValidationError(_("You do not report on this department's allocation."))
        if measured_on > timezone.localdate():
            raise ValidationError(
                _("A measurement cannot be dated in the future."), code="measured_in_future"
            )
        if measured_on.year != goal.cycle.year:
            raise ValidationError(
                _("The measurement falls within the cycle's year."),
                code="measured_outside_cycle_year",
            )
        further = further_values_of(goal, indicator_values or {})
        update = ProgressUpdate.objects.create(
            goal=goal,
            allocation=allocation,
            value=value,
            measured_on=measured_on,
            status=status,
            comment=comment,
            author=by,
            as_acting_head=_as_acting_head(by, goal, allocation),
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(update=update, indicator=indicator, value=indicator_value)
            for indicator, indicator_value in further
        )
        store_achievement(goal_ids=[goal.pk])
    return update


def final_further_values(goal: Goal, given: Mapping[int, Decimal] | None) -> dict[str, str]:
    """The final values of a goal's further indicators as `GoalEvaluation.further_values` and
    `FinalValueSubmission.further_values` keep them, checked by `further_values_of`."""
    return {
        str(indicator.pk): str(value) for indicator, value in further_values_of(goal, given or {})
    }


def further_values_of(
    goal: Goal, given: Mapping[int, Decimal]
) -> list[tuple[GoalIndicator, Decimal]]:
    """Each further indicator of the goal with its given value (by the indicator's id): every
    one must have a value, in a progress update as in a final value."""
    indicators = list(goal.extra_indicators.order_by("order", "pk"))
    missing = [indicator.name for indicator in indicators if given.get(indicator.pk) is None]
    if missing:
        raise ValidationError(
            _("Give a value for every indicator of the goal; missing: %(names)s.")
            % {"names": ", ".join(missing)},
            code="indicator_value_missing",
        )
    if set(given) - {indicator.pk for indicator in indicators}:
        raise ValidationError(_("A value was given for an indicator of another goal."))
    return [(indicator, given[indicator.pk]) for indicator in indicators]


def _as_acting_head(by: User, goal: Goal, allocation: Allocation | None) -> bool:
    """Whether a measurement is recorded "ως αναπληρωτής": for a department's allocation through
    the department (or its directorate), for the whole goal through the goal's directorate."""
    if allocation is None:
        return by.headship.acting_in(directorate_id=goal.directorate_id)
    return by.headship.acting_in(
        directorate_id=allocation.department.directorate_id,
        department_id=allocation.department_id,
    )


def overdue_goals(*, today: date | None = None, cycles: Iterable[GoalCycle] | None = None):
    """Adopted goals being monitored whose last update (or adoption) is over 30 days old.

    Counted up to the end of the cycle's year: once the year is over, a goal last measured in
    December is not overdue, one last measured in September still is. `cycles`: the cycles in
    allocation or monitoring, when the caller has read them already.
    """
    today = today or timezone.localdate()
    if cycles is None:
        cycles = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES)
    years = [(cycle.pk, cycle.year) for cycle in cycles]
    late = Q(pk__in=[])
    for cycle_id, year in years:
        until = min(today, date(year, 12, 31)) - timedelta(days=OVERDUE_AFTER_DAYS)
        late |= Q(cycle_id=cycle_id, since__lt=until)
    adopted_on = MayoralDecision.objects.filter(
        cycle_id=OuterRef("cycle_id"),
        kind=MayoralDecision.Kind.ADOPTION,
        status=MayoralDecision.Status.POSTED,
    ).values("posted_on")[:1]
    return (
        Goal.objects.filter(status=Goal.Status.ADOPTED, cycle__phase__in=GoalCycle.MONITORED_PHASES)
        .annotate(
            last_update=F("last_measured_on"),
            since=Coalesce(F("last_measured_on"), Subquery(adopted_on)),
        )
        .filter(late)
    )


def send_progress_reminders(*, today: date | None = None, dry_run: bool = False) -> int:
    """E-mail whoever answers for each directorate (its head, its acting head in force, or the
    General Secretary while it has neither) the list of its goals without a recent update.

    Returns how many heads would be (or were) reminded. Runs as a background task per head.
    """
    goals = list(overdue_goals(today=today).select_related("directorate__head"))
    # The head, or the acting head while one is in force, or the level above a headless one.
    answering = in_charge_of(list({goal.directorate for goal in goals}), on=today)
    by_head: dict[int, list[int]] = {}
    for goal in goals:
        if (charge := answering.get(goal.directorate_id)) and charge.person.email:
            by_head.setdefault(charge.person.pk, []).append(goal.pk)
    if not dry_run:
        for head_id, goal_ids in by_head.items():
            transaction.on_commit(
                lambda h=head_id, g=goal_ids: tasks.send_progress_reminder.enqueue(
                    head_id=h, goal_ids=g
                )
            )
    return len(by_head)


def send_overdue_summary(*, today: date | None = None, dry_run: bool = False) -> int:
    """E-mail the General Secretary the week's summary of overdue goals; returns their number."""
    goal_ids = list(overdue_goals(today=today).values_list("pk", flat=True))
    if goal_ids and not dry_run:
        transaction.on_commit(lambda: tasks.send_overdue_summary.enqueue(goal_ids=goal_ids))
    return len(goal_ids)


def evaluate_goal(
    *,
    goal: Goal,
    by: User,
    final_value: Decimal,
    justification: str,
    expected_stamp: str,
    further_values: Mapping[int, Decimal] | None = None,
) -> GoalEvaluation:
    """Record a goal's final value (and its further indicators', by their id); below 100% the
    justification is required."""
    if not may_evaluate_goals(by):
        raise ValidationError(_("Only the General Secretary records final values."))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().select_related("cycle").get(pk=goal.pk)
        if goal.cycle.phase != GoalCycle.Phase.EVALUATION:
            raise ValidationError(_("Final values are recorded while the cycle is evaluated."))
        if goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("Only adopted goals are evaluated."))
        evaluation = GoalEvaluation.objects.filter(goal=goal).first()
        if evaluation_stamp(evaluation) != expected_stamp:
            raise StaleEdit()
        return put_evaluation(
            goal=goal,
            by=by,
            final_value=final_value,
            further_values=final_further_values(goal, further_values),
            justification=justification,
            source=GoalEvaluation.Source.DIRECT,
            evaluation=evaluation,
        )


def put_evaluation(
    *,
    goal: Goal,
    by: User,
    final_value: Decimal,
    justification: str,
    source: str,
    evaluation: GoalEvaluation | None,
    further_values: dict[str, str] | None = None,
) -> GoalEvaluation:
    """Write the final value that counts and store the goal's achievement again; called inside
    the transaction of a service that has checked who may write it (`evaluate_goal`, and the
    confirmation of a head's submitted value). `further_values` as `final_further_values`
    gives them."""
    evaluation = evaluation or GoalEvaluation(goal=goal)
    evaluation.final_value = final_value
    evaluation.further_values = further_values or {}
    evaluation.justification = justification.strip()
    evaluation.evaluated_by = by
    evaluation.source = source
    evaluation.goal = goal
    evaluation.achievement = goal.achievement_of(final_value, evaluation.further_values)
    if evaluation.achievement < 100 and not evaluation.justification:
        raise ValidationError(
            _("The goal reaches %(percent)s%%: explain why it fell short of 100%%.")
            % {"percent": floatformat(evaluation.achievement, "-1")}
        )
    evaluation._history_user = by
    evaluation.save()
    store_achievement(goal_ids=[goal.pk])
    return evaluation


def evaluation_stamp(evaluation: GoalEvaluation | None) -> str:
    return evaluation.evaluated_at.isoformat() if evaluation else ""
