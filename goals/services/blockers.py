"""Risks and blockers on goals: raised by the head of the goal's directorate, escalated to the
General Secretary (an e-mail, and the next coordination meeting's suggested agenda), resolved."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import User
from goals import tasks
from goals.models import Goal, GoalBlocker
from goals.rules import may_handle_blocker, may_raise_blocker


@transaction.atomic
def raise_blocker(*, goal: Goal, by: User, blocker: GoalBlocker) -> GoalBlocker:
    if not may_raise_blocker(by, goal):
        raise ValidationError(
            _(
                "Risks and blockers are raised by the head of the goal's directorate while "
                "the goal is monitored."
            )
        )
    if blocker.since and blocker.since > timezone.localdate():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    blocker.goal = goal
    blocker.raised_by = by
    blocker.status = GoalBlocker.Status.OPEN
    blocker.full_clean()
    blocker.save()
    return blocker


def _unresolved(blocker: GoalBlocker, by: User) -> GoalBlocker:
    """The blocker, locked, if the person may still act on it; else a refusal."""
    blocker = GoalBlocker.objects.select_for_update().select_related("goal").get(pk=blocker.pk)
    if not blocker.is_unresolved:
        raise ValidationError(_("This blocker is already resolved."))
    if not may_handle_blocker(by, blocker):
        raise ValidationError(
            _("Only the head of the goal's directorate or the General Secretary acts on it.")
        )
    return blocker


@transaction.atomic
def escalate_blocker(*, blocker: GoalBlocker, by: User) -> GoalBlocker:
    """Ask the General Secretary for help: an e-mail now, and the coordination meeting's
    suggested agenda."""
    blocker = _unresolved(blocker, by)
    if blocker.status == GoalBlocker.Status.ESCALATED:
        raise ValidationError(_("This blocker is already escalated."))
    blocker.status = GoalBlocker.Status.ESCALATED
    blocker.escalated_at = timezone.now()
    blocker.save()
    transaction.on_commit(partial(tasks.notify_blocker_escalated.enqueue, blocker_id=blocker.pk))
    return blocker


@transaction.atomic
def resolve_blocker(*, blocker: GoalBlocker, by: User, resolution: str) -> GoalBlocker:
    blocker = _unresolved(blocker, by)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how it was resolved.")})
    blocker.status = GoalBlocker.Status.RESOLVED
    blocker.resolved_at = timezone.now()
    blocker.resolution = resolution.strip()
    blocker.save()
    return blocker
