"""Moving a cycle through its phases: the General Secretary's steps from drafting to closing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directorates.models import User
from goals.models import (
    FinalValueSubmission,
    Goal,
    GoalCycle,
    MayoralDecision,
)
from goals.rules import may_manage_cycles, may_publish_cycles


def advance_cycle(*, cycle: GoalCycle, to_phase: str, by: User) -> GoalCycle:
    """Move a cycle to the next phase; only the coordinators, and only one step forward."""
    if not may_manage_cycles(by):
        raise ValidationError(_("Only the General Secretary moves a cycle to its next phase."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.next_phase is None:
            raise ValidationError(_("The cycle is closed: it has no next phase."))
        if to_phase != cycle.next_phase:
            raise ValidationError(
                _(
                    "A cycle moves one phase at a time, in order: from %(current)s the next "
                    "phase is %(next)s."
                )
                % {"current": cycle.get_phase_display(), "next": cycle.next_phase_label}
            )
        _refuse_moves_made_by_decisions(cycle=cycle, to_phase=to_phase)
        cycle.phase = to_phase
        cycle._history_user = by
        cycle.save(update_fields=["phase"])
    return cycle


def _refuse_moves_made_by_decisions(*, cycle: GoalCycle, to_phase: str) -> None:
    """Some phases are entered only through their own workflow, never by a plain phase move."""
    if to_phase in (GoalCycle.Phase.ADOPTED, GoalCycle.Phase.ALLOCATION) and not (
        MayoralDecision.objects.filter(
            cycle=cycle, kind=MayoralDecision.Kind.ADOPTION, status=MayoralDecision.Status.POSTED
        ).exists()
    ):
        raise ValidationError(
            _("The goals are adopted only when the Mayor's decision is posted on Diavgeia.")
        )
    if to_phase == GoalCycle.Phase.CLOSED:
        raise ValidationError(
            _("Close the cycle from the evaluation page: it checks that every goal is evaluated.")
        )


def open_evaluation(*, cycle: GoalCycle, by: User) -> GoalCycle:
    """At year end the General Secretary opens the evaluation: progress reports stop."""
    if not may_manage_cycles(by):
        raise ValidationError(_("Only the General Secretary opens the evaluation."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if not cycle.is_monitored:
            raise ValidationError(_("The evaluation opens after the year of monitoring."))
        cycle.phase = GoalCycle.Phase.EVALUATION
        cycle._history_user = by
        cycle.save(update_fields=["phase"])
    return cycle


def close_cycle(*, cycle: GoalCycle, by: User) -> GoalCycle:
    """Close an evaluated cycle; from then on nothing in it changes."""
    if not may_manage_cycles(by):
        raise ValidationError(_("Only the General Secretary closes a cycle."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.phase != GoalCycle.Phase.EVALUATION:
            raise ValidationError(_("A cycle is closed after its evaluation."))
        missing = cycle.goals.filter(status=Goal.Status.ADOPTED, evaluation__isnull=True).count()
        if missing:
            raise ValidationError(
                ngettext(
                    "%(count)d goal has no final value yet.",
                    "%(count)d goals have no final value yet.",
                    missing,
                )
                % {"count": missing}
            )
        waiting = FinalValueSubmission.objects.filter(
            goal__cycle=cycle, state=FinalValueSubmission.State.SUBMITTED
        ).count()
        if waiting:
            raise ValidationError(
                ngettext(
                    "%(count)d final value submitted by a head awaits confirmation or return.",
                    "%(count)d final values submitted by the heads await confirmation or return.",
                    waiting,
                )
                % {"count": waiting}
            )
        cycle.phase = GoalCycle.Phase.CLOSED
        cycle._history_user = by
        cycle.save(update_fields=["phase"])
    return cycle


def publish_cycle(*, cycle: GoalCycle, by: User) -> GoalCycle:
    """Publish a cycle's adopted goals, progress and decisions on the public pages and as open
    data. Only what the Mayor's decision adopted is ever public (`portal.visibility`)."""
    if not may_publish_cycles(by):
        raise ValidationError(_("Only the General Secretary publishes a cycle."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if not cycle.is_adopted:
            raise ValidationError(
                _("A cycle is published once the Mayor's decision has adopted its goals.")
            )
        if cycle.is_published:
            raise ValidationError(_("The cycle is already published."))
        cycle.is_published = True
        cycle.published_at = timezone.now()
        cycle.published_by = by
        cycle._history_user = by
        cycle.save(update_fields=["is_published", "published_at", "published_by"])
    return cycle


def withdraw_cycle(*, cycle: GoalCycle, by: User) -> GoalCycle:
    """Take a published cycle off the public pages, the open data and the API at once."""
    if not may_publish_cycles(by):
        raise ValidationError(_("Only the General Secretary withdraws a published cycle."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if not cycle.is_published:
            raise ValidationError(_("The cycle is not published."))
        cycle.is_published = False
        cycle.withdrawn_at = timezone.now()
        cycle.withdrawn_by = by
        cycle._history_user = by
        cycle.save(update_fields=["is_published", "withdrawn_at", "withdrawn_by"])
    return cycle
