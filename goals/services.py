"""Workflows of the goal-setting cycle: each one a function, inside one transaction.

They raise `ValidationError` with a translated message when a rule refuses the step; who may
start a workflow at all is checked by the view, through the QuerySet methods in `models.py`.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import Directorate, User
from goals import tasks
from goals.models import Goal, GoalCycle, Observation


class GoalConflict(Exception):
    """Someone else saved the goal since the editor loaded it; `stored` is their version."""

    def __init__(self, stored: Goal):
        super().__init__(f"goal {stored.pk} is at version {stored.version}")
        self.stored = stored


def advance_cycle(*, cycle: GoalCycle, to_phase: str, by: User) -> GoalCycle:
    """Move a cycle to the next phase; only the coordinators, and only one step forward."""
    if not by.is_coordinator:
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
        cycle.phase = to_phase
        cycle._history_user = by
        cycle.save(update_fields=["phase"])
    return cycle


def save_goal(
    *,
    goal: Goal,
    by: User,
    participants: Iterable[Directorate] | None = None,
    expected_version: int | None = None,
) -> Goal:
    """Save a new or edited goal and, when given, its participating directorates.

    A head's new goal is a proposal. An edit names the version it started from: when the stored
    goal has moved on since, nothing is written and `GoalConflict` carries the stored version.
    The check locks the row, so it holds when two people save at the same moment.
    """
    with transaction.atomic():
        if goal.pk:
            stored = Goal.objects.select_for_update().get(pk=goal.pk)
            if stored.version != expected_version:
                raise GoalConflict(stored)
            goal.version = stored.version + 1
        elif not by.is_coordinator:
            goal.status = Goal.Status.PROPOSED
            goal.proposed_by = by
        goal._history_user = by
        goal.save()
        if participants is not None:
            goal.participating_directorates.set(
                [d for d in participants if d.pk != goal.directorate_id]
            )
    return goal


def submit_observation(*, observation: Observation, author: User) -> Observation:
    """Record a head's observation while its cycle's consultation is open."""
    if not observation.cycle.is_consultation_open():
        raise ValidationError(_("The consultation is not open: observations are not accepted."))
    observation.author = author
    observation.directorate_id = author.directorate_id
    with transaction.atomic():
        observation._history_user = author
        observation.save()
    return observation


def answer_observation(
    *, observation: Observation, by: User, status: str, reply: str, apply_change: bool = False
) -> Observation:
    """The General Secretary's answer; an accepted change can be written into the goal at once.

    Applying raises the goal's version and leaves a history row that names the observation.
    The author hears of the answer by e-mail, sent by a background task after the commit.
    """
    if status == Observation.Status.PENDING:
        raise ValidationError(_("Choose an answer."))
    accepting = status in (Observation.Status.ACCEPTED, Observation.Status.PARTLY_ACCEPTED)
    with transaction.atomic():
        observation = Observation.objects.select_for_update().get(pk=observation.pk)
        if observation.is_answered:
            raise ValidationError(_("This observation has already been answered."))
        observation.status = status
        observation.reply = reply
        observation.answered_by = by
        observation.answered_at = timezone.now()
        if apply_change:
            if not accepting:
                raise ValidationError(_("Only an accepted observation can change the goal."))
            _apply_to_goal(observation, by=by)
            observation.applied = True
        observation._history_user = by
        observation.save()
        transaction.on_commit(
            lambda: tasks.notify_observation_answered.enqueue(observation_id=observation.pk)
        )
    return observation


def _apply_to_goal(observation: Observation, *, by: User) -> Goal:
    if not observation.proposes_change:
        raise ValidationError(_("This observation proposes no change to apply."))
    goal = Goal.objects.select_for_update().select_related("cycle").get(pk=observation.goal_id)
    if not goal.cycle.accepts_proposals:
        raise ValidationError(
            _("The goals of this cycle are adopted: a change needs an amending decision.")
        )
    for field, value in observation.proposed_changes.items():
        setattr(goal, field, value)
    try:
        goal.full_clean(exclude=["participating_directorates"])
    except ValidationError as error:
        raise ValidationError(
            _("The proposed change would make the goal invalid: %(reasons)s")
            % {"reasons": " ".join(error.messages)}
        ) from error
    goal.version += 1
    goal._history_user = by
    goal._change_reason = _("Observation %(pk)s applied") % {"pk": observation.pk}
    goal.save()
    latest = goal.history.latest()
    latest.applied_observation = observation
    latest.save(update_fields=["applied_observation"])
    return goal


def send_observation_digest(*, dry_run: bool = False) -> int:
    """Send the coordinators one e-mail listing the observations not yet reported.

    Run once a day (see the `send_observation_digest` command); returns how many observations
    the digest reported. Observations are marked as reported when their digest is queued.
    """
    with transaction.atomic():
        new = list(
            Observation.objects.not_yet_in_digest()
            .select_for_update()
            .select_related("goal", "directorate", "author", "cycle")
            .order_by("directorate__order", "submitted_at")
        )
        if not new or dry_run:
            return len(new)
        Observation.objects.filter(pk__in=[o.pk for o in new]).update(digest_sent_at=timezone.now())
        ids = [o.pk for o in new]
        transaction.on_commit(lambda: tasks.send_observation_digest.enqueue(observation_ids=ids))
    return len(new)
