"""Observations: submitted by the heads, answered and applied by the General Secretary."""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import User
from goals import tasks
from goals.models import (
    Goal,
    Observation,
)
from goals.services.monitoring import changes_achievement, store_achievement


def submit_observation(*, observation: Observation, author: User) -> Observation:
    """Record a head's observation while its cycle's consultation is open."""
    if not observation.cycle.is_consultation_open():
        raise ValidationError(_("The consultation is not open: observations are not accepted."))
    observation.author = author
    observation.directorate_id = observing_directorate(observation, author)
    observation.as_acting_head = author.headship.acting_in(
        directorate_id=observation.directorate_id
    )
    with transaction.atomic():
        observation._history_user = author
        observation.save()
    return observation


def observing_directorate(observation: Observation, author: User) -> int | None:
    """The directorate an observation speaks for: of those the author leads today, the goal's
    own, else a participating one; their own directorate first on a general observation."""
    led = author.headship.directorate_ids
    if observation.goal_id is not None:
        goal = observation.goal
        if goal.directorate_id in led:
            return goal.directorate_id
        participants = set(goal.participating_directorates.values_list("pk", flat=True))
        concerned = [pk for pk in led if pk in participants]
        if concerned:
            return concerned[0]
    if author.directorate_id in led or not led:
        return author.directorate_id
    return led[0]


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
    goal = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=observation.goal_id)
    )
    if not goal.cycle.accepts_proposals:
        raise ValidationError(
            _("The goals of this cycle are adopted: a change needs an amending decision.")
        )
    before = copy.copy(goal)
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
    if changes_achievement(before, goal):
        store_achievement(goal_ids=[goal.pk])
    return goal


def send_observation_digest(*, dry_run: bool = False) -> int:
    """Send the coordinators one e-mail listing the observations not yet reported.

    Run once a day (see the `send_observation_digest` command); returns how many observations
    the digest reported. Observations are marked as reported when their digest is queued.
    """
    with transaction.atomic():
        ids = list(
            Observation.objects.not_yet_in_digest()
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids or dry_run:
            return len(ids)
        Observation.objects.filter(pk__in=ids).update(digest_sent_at=timezone.now())
        transaction.on_commit(lambda: tasks.send_observation_digest.enqueue(observation_ids=ids))
    return len(ids)
