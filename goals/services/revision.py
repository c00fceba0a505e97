"""Revision during the year: what an amendment adds and withdraws, its own legal basis, the
cycle's revision window and the General Secretary's override of it.

The changes to adopted goals, and issuing, are in `goals.services.decisions`, whose
`_apply_amendment` writes what is prepared here into the goals.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import Municipality, User
from goals.models import Goal, GoalCycle, GoalVersion, MayoralDecision
from goals.rules import may_override_revision_windows, may_prepare_decisions
from goals.services.versions import freeze_extras


def amendment_considerations(*, cycle: GoalCycle) -> list[str]:
    """An amendment's own legal basis: the municipality's laws, the law's leave to revise the
    goals during the year, and why (the decision it amends is cited by the document itself)."""
    return [
        *Municipality.load().consideration_lines,
        _(
            "The provisions of Law 4940/2022 (Α' 112) under which the goals may be revised "
            "during the evaluation period by the same procedure that set them."
        ),
        _(
            "The need to revise the goals for the year %(year)s, for the reasons given for each "
            "goal added, withdrawn or changed."
        )
        % {"year": cycle.year},
    ]


def propose_goal_addition(
    *, decision: MayoralDecision, goal: Goal, by: User, reason: str
) -> GoalVersion:
    """Put in a draft amendment a goal of its cycle that no decision adopted yet (the General
    Secretary writes it with the goal form during the year); the amendment adopts it."""
    if not may_prepare_decisions(by):
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the goal is added.")})
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT or not decision.is_amendment:
            raise ValidationError(_("Goals are added only in a draft amendment."))
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
        if goal.cycle_id != decision.cycle_id or goal.status not in Goal.AWAITING_ADOPTION:
            raise ValidationError(
                _("An amendment adds goals of its own cycle that no decision adopted yet.")
            )
        elsewhere = GoalVersion.objects.filter(
            decision__status=MayoralDecision.Status.DRAFT, goal=goal
        ).exclude(decision=decision)
        if elsewhere.exists():
            raise ValidationError(_("Another draft amendment already adds this goal."))
        version, _new = GoalVersion.objects.update_or_create(
            decision=decision,
            goal=goal,
            defaults={
                **GoalVersion.frozen_values(goal),
                "change": GoalVersion.Change.ADDED,
                "reason": reason,
            },
        )
        freeze_extras([version])
        decision.version += 1
        decision.save(update_fields=["version"])
    return version


def propose_goal_withdrawal(
    *, decision: MayoralDecision, goal: Goal, by: User, reason: str
) -> GoalVersion:
    """Withdraw an adopted goal by a draft amendment, with the reason (required)."""
    if not may_prepare_decisions(by):
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the goal is withdrawn.")})
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT or not decision.is_amendment:
            raise ValidationError(_("Goals are withdrawn only in a draft amendment."))
        if goal.cycle_id != decision.cycle_id or goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("An amendment withdraws adopted goals of its own cycle."))
        # A withdrawal replaces any change the draft made to the goal: the goal in force leaves.
        version, _new = GoalVersion.objects.update_or_create(
            decision=decision,
            goal=goal,
            defaults={
                **GoalVersion.frozen_values(goal),
                "change": GoalVersion.Change.WITHDRAWN,
                "reason": reason,
            },
        )
        freeze_extras([version])
        decision.version += 1
        decision.save(update_fields=["version"])
    return version


def override_revision_window(*, decision: MayoralDecision, by: User, reason: str) -> None:
    """The General Secretary lets an amendment take effect outside the cycle's revision window;
    who, when and why are recorded on the decision (and in its history)."""
    if not may_override_revision_windows(by):
        raise ValidationError(_("Only the General Secretary overrides the revision window."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the override.")})
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT or not decision.is_amendment:
            raise ValidationError(_("The revision window is overridden for a draft amendment."))
        decision.window_overridden_by = by
        decision.window_overridden_at = timezone.now()
        decision.window_override_reason = reason.strip()
        decision.version += 1
        decision._history_user = by
        decision._change_reason = _("Revision window overridden")
        decision.save()


def check_directorate_change(*, goal: Goal, directorate_id: int) -> None:
    """A goal moves to another directorate with none of its old departments' reports behind it.

    Its allocations are to the old directorate's departments: those without progress are
    dropped when the amendment takes effect (the new head allocates the goal anew); a
    department that has reported progress keeps the goal, as allocations do everywhere, so
    the goal cannot move: withdraw it and add a new goal for the other directorate instead.
    """
    if directorate_id == goal.directorate_id:
        return
    reported = goal.allocations.filter(progress_updates__isnull=False).exists()
    if reported:
        raise ValidationError(
            {
                "directorate": _(
                    "Departments of the goal's directorate have reported progress on it: it "
                    "cannot move to another directorate. Withdraw it and add a new goal instead."
                )
            }
        )


def check_revision_window(*, decision: MayoralDecision, cycle: GoalCycle) -> None:
    """An amendment dated outside the cycle's revision window needs the General Secretary's
    recorded override."""
    day = decision.decision_date or timezone.localdate()
    if decision.is_window_overridden or cycle.is_within_revision_window(day):
        return
    raise ValidationError(
        _(
            "The decision's date falls outside the revision window of %(year)s: the General "
            "Secretary must first override the window, with a reason."
        )
        % {"year": cycle.year}
    )
