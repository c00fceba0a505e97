"""Workflows of the goal-setting cycle: each one a function, inside one transaction.

They raise `ValidationError` with a translated message when a rule refuses the step; who may
start a workflow at all is checked by the view, through the QuerySet methods in `models.py`.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directorates.models import Directorate, User
from directorates.roles import Role
from goals import tasks
from goals.achievement import achievement as compute_achievement
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
    GoalEvaluation,
    GoalVersion,
    MayoralDecision,
    Observation,
    ProgressUpdate,
)


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
        _refuse_moves_made_by_decisions(cycle=cycle, to_phase=to_phase)
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
            _refuse_frozen_goal(stored)
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
    goal = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=observation.goal_id)
    )
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


# =================================================================================================
# Issue 4: decisions, allocation, progress, evaluation and reminders.
# =================================================================================================
MAX_SCAN_BYTES = 10 * 1024 * 1024
OVERDUE_AFTER_DAYS = 30


class StaleEdit(ValidationError):
    """Someone saved the same thing since this person loaded the page; nothing was written."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this in the meantime. Nothing was written: reload the page "
                "to see their changes, then make yours again."
            )
        )


def _refuse_frozen_goal(goal: Goal) -> None:
    """An adopted goal, or any goal of a cycle past consultation, changes only by amendment."""
    open_phases = (GoalCycle.Phase.DRAFTING, GoalCycle.Phase.CONSULTATION)
    if goal.status == Goal.Status.ADOPTED or goal.cycle.phase not in open_phases:
        raise ValidationError(
            _("The goal was adopted by the Mayor's decision: it changes only by an amendment.")
        )


def _refuse_moves_made_by_decisions(*, cycle: GoalCycle, to_phase: str) -> None:
    """Some phases are entered only through their own workflow, never by a plain phase move."""
    if to_phase in (GoalCycle.Phase.ADOPTED, GoalCycle.Phase.ALLOCATION) and not (
        MayoralDecision.objects.filter(
            cycle=cycle, kind=MayoralDecision.Kind.ADOPTION, status=MayoralDecision.Status.ISSUED
        ).exists()
    ):
        raise ValidationError(_("The goals are adopted only when the Mayor issues the decision."))
    if to_phase == GoalCycle.Phase.CLOSED:
        raise ValidationError(
            _("Close the cycle from the evaluation page: it checks that every goal is evaluated.")
        )


def default_decision_texts(
    *, cycle: GoalCycle, amends: MayoralDecision | None = None
) -> dict[str, str]:
    """The subject, legal basis and operative text of a draft, for the GS to adjust."""
    if amends is not None:
        return {
            "subject": _("Amendment of decision %(decision)s on the goals for the year %(year)s")
            % {"decision": amends, "year": cycle.year},
            "considerations": amends.considerations,
            "text": _(
                "We amend the goals listed below, adopted by decision %(decision)s, as set out "
                "in the table that follows; the rest of that decision remains in force."
            )
            % {"decision": amends},
        }
    return {
        "subject": _("Adoption of the goals of the Municipality for the year %(year)s")
        % {"year": cycle.year},
        "considerations": "\n".join(
            [
                _("The provisions of Law 3852/2010 on the new architecture of local government."),
                _("The provisions of Law 4940/2022 on goal-setting, evaluation and reward."),
                _(
                    "Ministerial Decision ΔΣΣΚ/ΤΠΠ/Φ.1/οικ.386/2022 "
                    "(Government Gazette Β' 46/2023) on the categories of goals."
                ),
                _("The observations of the heads of the organisational units in the consultation."),
            ]
        ),
        "text": _(
            "We adopt the goals of the organisational units of the Municipality for the year "
            "%(year)s, with their measurement indicators, as set out in the table that follows "
            "and forms an integral part of this decision."
        )
        % {"year": cycle.year},
    }


def prepare_decision(
    *,
    cycle: GoalCycle,
    by: User,
    amends: MayoralDecision | None = None,
    subject: str = "",
    considerations: str = "",
    text: str = "",
) -> MayoralDecision:
    """A draft decision: an adoption of the cycle's goals, or (with `amends`) an amendment."""
    if not by.is_coordinator:
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.phase in (GoalCycle.Phase.EVALUATION, GoalCycle.Phase.CLOSED):
            raise ValidationError(_("The cycle is being evaluated or closed: no more decisions."))
        if amends is None:
            if cycle.decisions.filter(kind=MayoralDecision.Kind.ADOPTION).exists():
                raise ValidationError(_("This cycle already has a decision adopting its goals."))
            kind = MayoralDecision.Kind.ADOPTION
        else:
            if amends.cycle_id != cycle.pk or amends.status != MayoralDecision.Status.ISSUED:
                raise ValidationError(_("An amendment amends an issued decision of its cycle."))
            kind = MayoralDecision.Kind.AMENDMENT
        defaults = default_decision_texts(cycle=cycle, amends=amends)
        decision = MayoralDecision(
            cycle=cycle,
            kind=kind,
            amends=amends,
            subject=subject or defaults["subject"],
            considerations=considerations or defaults["considerations"],
            text=text or defaults["text"],
            prepared_by=by,
        )
        decision._history_user = by
        decision.save()
    return decision


def save_decision_draft(
    *, decision: MayoralDecision, by: User, expected_version: int
) -> MayoralDecision:
    """Save the GS's edits to a draft; refuse an issued decision or a stale page."""
    if not by.is_coordinator:
        raise ValidationError(_("Only the General Secretary edits a draft decision."))
    with transaction.atomic():
        stored = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if stored.status != MayoralDecision.Status.DRAFT:
            raise ValidationError(_("An issued decision cannot change; prepare an amendment."))
        if stored.version != expected_version:
            raise StaleEdit()
        decision.version = stored.version + 1
        decision._history_user = by
        decision.save()
    return decision


def goals_adopted_by(decision: MayoralDecision):
    """The goals a draft adoption would adopt: the cycle's goals accepted in the draft."""
    return decision.cycle.goals.filter(status__in=[Goal.Status.ACCEPTED, Goal.Status.ADOPTED])


def version_in_force(*, goal: Goal, before: MayoralDecision | None = None) -> GoalVersion | None:
    """The goal's values as the latest issued decision (before a given one) set them."""
    versions = GoalVersion.objects.filter(
        goal=goal, decision__status=MayoralDecision.Status.ISSUED
    ).select_related("decision")
    if before is not None and before.issued_at:
        versions = versions.filter(decision__issued_at__lt=before.issued_at)
    return versions.order_by("-decision__issued_at", "-pk").first()


def propose_goal_change(
    *,
    decision: MayoralDecision,
    goal: Goal,
    by: User,
    values: dict[str, object],
    reason: str,
) -> GoalVersion:
    """Write (or rewrite) the new values an amendment gives to one goal."""
    if not by.is_coordinator:
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT or not decision.is_amendment:
            raise ValidationError(_("Goals are changed only in a draft amendment."))
        if goal.cycle_id != decision.cycle_id or goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("An amendment changes adopted goals of its own cycle."))
        version = GoalVersion.objects.filter(decision=decision, goal=goal).first()
        version = version or GoalVersion.snapshot(goal=goal, decision=decision)
        for field, value in values.items():
            setattr(version, field, value)
        version.reason = reason
        if not version.differences_from(goal):
            raise ValidationError(_("These values are the ones in force: nothing would change."))
        _check_goal_values(goal=goal, version=version)
        version.save()
        decision.version += 1
        decision.save(update_fields=["version"])
    return version


def _check_goal_values(*, goal: Goal, version: GoalVersion) -> None:
    """The same rules a goal's own constraints keep, applied to the values an amendment sets."""
    kind, baseline, target = goal.target_kind, version.baseline, version.target
    if kind != Goal.TargetKind.MILESTONE and target is None:
        raise ValidationError(_("Give a target value."))
    if kind == Goal.TargetKind.PERCENTAGE and not 0 <= target <= 100:
        raise ValidationError(_("A percentage lies between 0 and 100."))
    if kind == Goal.TargetKind.DECREASE and (baseline is None or target >= baseline):
        raise ValidationError(_("A number to decrease needs a baseline, and a target below it."))
    if kind == Goal.TargetKind.INCREASE and baseline is not None and target <= baseline:
        raise ValidationError(_("A number to increase needs a target above the baseline."))
    if version.deadline.year != goal.cycle.year:
        raise ValidationError(_("The deadline falls within the cycle's year."))


def withdraw_goal_change(*, decision: MayoralDecision, goal: Goal, by: User) -> None:
    """Take a goal out of a draft amendment."""
    if not by.is_coordinator:
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT:
            raise ValidationError(_("An issued decision cannot change; prepare an amendment."))
        GoalVersion.objects.filter(decision=decision, goal=goal).delete()
        decision.version += 1
        decision.save(update_fields=["version"])


def issue_decision(
    *,
    decision: MayoralDecision,
    by: User,
    number: str,
    protocol_number: str,
    decision_date: date,
    ada: str,
    expected_version: int,
) -> MayoralDecision:
    """The Mayor issues the decision; an administrator may record it on the Mayor's behalf.

    An adoption freezes the cycle's accepted goals (their values become the decision's goal
    versions, their status "adopted") and moves the cycle to allocation. An amendment writes its
    goal versions into the goals; each change shows in the goal's history.
    """
    if by.is_mayor:
        on_behalf = False
    elif by.has_role(Role.ADMINISTRATOR):
        on_behalf = True
    else:
        raise ValidationError(_("Only the Mayor issues a decision."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        cycle = GoalCycle.objects.select_for_update().get(pk=decision.cycle_id)
        if decision.status != MayoralDecision.Status.DRAFT:
            raise ValidationError(_("This decision has already been issued."))
        if decision.version != expected_version:
            raise StaleEdit()
        decision.number = number
        decision.protocol_number = protocol_number
        decision.decision_date = decision_date
        decision.ada = ada
        decision.status = MayoralDecision.Status.ISSUED
        decision.issued_by = by
        decision.issued_at = timezone.now()
        decision.recorded_on_behalf = on_behalf
        decision.version += 1
        if decision.is_amendment:
            _apply_amendment(decision=decision, cycle=cycle, by=by)
        else:
            _adopt_goals(decision=decision, cycle=cycle, by=by)
        decision._history_user = by
        decision.save()
    return decision


def _adopt_goals(*, decision: MayoralDecision, cycle: GoalCycle, by: User) -> None:
    if cycle.phase not in (GoalCycle.Phase.CONSULTATION, GoalCycle.Phase.ADOPTED):
        raise ValidationError(
            _("The goals are adopted after the consultation; the cycle is in %(phase)s.")
            % {"phase": cycle.get_phase_display()}
        )
    goals = list(goals_adopted_by(decision).select_for_update())
    if not goals:
        raise ValidationError(_("The cycle has no accepted goals to adopt."))
    GoalVersion.objects.bulk_create(
        [GoalVersion.snapshot(goal=goal, decision=decision) for goal in goals]
    )
    for goal in goals:
        goal.status = Goal.Status.ADOPTED
        goal.version += 1
        goal._history_user = by
        goal._change_reason = _("Adopted by %(decision)s") % {"decision": decision}
        goal.save(update_fields=["status", "version"])
    cycle.phase = GoalCycle.Phase.ALLOCATION
    cycle._history_user = by
    cycle.save(update_fields=["phase"])


def _apply_amendment(*, decision: MayoralDecision, cycle: GoalCycle, by: User) -> None:
    open_phases = (GoalCycle.Phase.ADOPTED, GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING)
    if cycle.phase not in open_phases:
        raise ValidationError(_("Goals are amended only while the cycle is monitored."))
    versions = list(decision.goal_versions.select_related("goal"))
    if not versions:
        raise ValidationError(_("The amendment changes no goal yet: add the goals it changes."))
    for version in versions:
        goal = Goal.objects.select_for_update().get(pk=version.goal_id)
        for field in GoalVersion.FROZEN_FIELDS:
            setattr(goal, field, getattr(version, field))
        goal.version += 1
        goal._history_user = by
        goal._change_reason = _("Amended by %(decision)s") % {"decision": decision}
        goal.save()


def attach_decision_scan(*, decision: MayoralDecision, by: User, upload) -> MayoralDecision:
    """Keep the scanned signed decision: a PDF (checked by its first bytes), 10 MB at most."""
    if not (by.is_coordinator or by.is_mayor):
        raise ValidationError(_("Only the General Secretary or the Mayor attaches the scan."))
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError(_("The file is not a PDF."))
    upload.seek(0)
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.ISSUED:
            raise ValidationError(_("Attach the signed scan once the decision is issued."))
        old_name = decision.scan.name
        decision.scan.save("scan.pdf", upload, save=False)
        decision._history_user = by
        decision.save(update_fields=["scan"])
        if old_name:
            storage = decision.scan.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return decision


# --- Allocation ---------------------------------------------------------------------------------
def allocation_stamp(goal: Goal) -> str:
    """A fingerprint of a goal's allocations as stored, to detect that someone changed them."""
    rows = goal.allocations.order_by("pk").values_list("pk", "updated_at")
    return "|".join(f"{pk}:{updated.timestamp()}" for pk, updated in rows)


def save_allocations(*, goal: Goal, by: User, rows: list[dict], stamp: str) -> list[Allocation]:
    """Replace a goal's allocation to departments; the shares must add up to 100.

    `rows` are dicts with department, specification, baseline, target, deadline and share.
    A department that already reported progress cannot be dropped from the goal.
    """
    if not (by.is_head_of_directorate and by.directorate_id == goal.directorate_id):
        raise ValidationError(_("Only the head of the goal's directorate allocates it."))
    with transaction.atomic():
        goal = Goal.objects.select_for_update().select_related("cycle").get(pk=goal.pk)
        if goal.cycle.phase not in (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING):
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
        if any(d.directorate_id != goal.directorate_id for d in departments):
            raise ValidationError(_("A goal is allocated to departments of its own directorate."))
        total = sum(row["share"] for row in rows)
        if total != 100:
            raise ValidationError(
                _("The shares add up to %(total)s%%; they must add up to 100%%.")
                % {"total": floatformat(total, "-2")}
            )
        existing = {a.department_id: a for a in goal.allocations.all()}
        kept = []
        for row in rows:
            allocation = existing.pop(row["department"].pk, None) or Allocation(goal=goal)
            for field, value in row.items():
                setattr(allocation, field, value)
            allocation.allocated_by = by
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
) -> ProgressUpdate:
    """Record a measured value: for a department's allocation, or for the whole goal."""
    with transaction.atomic():
        goal = Goal.objects.select_for_update().select_related("cycle").get(pk=goal.pk)
        if goal.cycle.phase not in (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING):
            raise ValidationError(_("Progress is reported while the goals are monitored."))
        if goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("Progress is reported on adopted goals."))
        if allocation is None:
            if not (by.is_head_of_directorate and by.directorate_id == goal.directorate_id):
                raise ValidationError(_("Only the head of the directorate reports on the goal."))
        else:
            if allocation.goal_id != goal.pk:
                raise ValidationError(_("This allocation belongs to another goal."))
            if not Allocation.objects.reportable_by(by).filter(pk=allocation.pk).exists():
                raise ValidationError(_("You do not report on this department's allocation."))
        if measured_on > timezone.localdate():
            raise ValidationError(_("A measurement cannot be dated in the future."))
        if measured_on.year != goal.cycle.year:
            raise ValidationError(_("The measurement falls within the cycle's year."))
        update = ProgressUpdate.objects.create(
            goal=goal,
            allocation=allocation,
            value=value,
            measured_on=measured_on,
            status=status,
            comment=comment,
            author=by,
        )
    return update


def overdue_goals(*, today: date | None = None):
    """Adopted goals being monitored whose last update (or adoption) is over 30 days old.

    Counted up to the end of the cycle's year: once the year is over, a goal last measured in
    December is not overdue, one last measured in September still is.
    """
    today = today or timezone.localdate()
    monitored = [GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING]
    years = GoalCycle.objects.filter(phase__in=monitored).values_list("pk", "year")
    late = Q(pk__in=[])
    for cycle_id, year in years:
        until = min(today, date(year, 12, 31)) - timedelta(days=OVERDUE_AFTER_DAYS)
        late |= Q(cycle_id=cycle_id, since__lt=until)
    adopted_on = MayoralDecision.objects.filter(
        cycle_id=OuterRef("cycle_id"),
        kind=MayoralDecision.Kind.ADOPTION,
        status=MayoralDecision.Status.ISSUED,
    ).values("decision_date")[:1]
    return (
        Goal.objects.filter(status=Goal.Status.ADOPTED, cycle__phase__in=monitored)
        .annotate(
            last_update=F("last_measured_on"),
            since=Coalesce(F("last_measured_on"), Subquery(adopted_on)),
        )
        .filter(late)
    )


def send_progress_reminders(*, today: date | None = None, dry_run: bool = False) -> int:
    """E-mail each head of directorate the list of their goals without a recent update.

    Returns how many heads would be (or were) reminded. Runs as a background task per head.
    """
    goals = overdue_goals(today=today).select_related("directorate__head")
    by_head: dict[int, list[int]] = {}
    for goal in goals:
        head = goal.directorate.head
        if head and head.is_active and head.email:
            by_head.setdefault(head.pk, []).append(goal.pk)
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


# --- Evaluation ---------------------------------------------------------------------------------
def open_evaluation(*, cycle: GoalCycle, by: User) -> GoalCycle:
    """At year end the General Secretary opens the evaluation: progress reports stop."""
    if not by.is_coordinator:
        raise ValidationError(_("Only the General Secretary opens the evaluation."))
    with transaction.atomic():
        cycle = GoalCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.phase not in (GoalCycle.Phase.ALLOCATION, GoalCycle.Phase.MONITORING):
            raise ValidationError(_("The evaluation opens after the year of monitoring."))
        cycle.phase = GoalCycle.Phase.EVALUATION
        cycle._history_user = by
        cycle.save(update_fields=["phase"])
    return cycle


def evaluate_goal(
    *,
    goal: Goal,
    by: User,
    final_value: Decimal,
    justification: str,
    expected_stamp: str,
) -> GoalEvaluation:
    """Record a goal's final value; below 100% the justification is required."""
    if not by.is_coordinator:
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
        evaluation = evaluation or GoalEvaluation(goal=goal)
        evaluation.final_value = final_value
        evaluation.justification = justification.strip()
        evaluation.evaluated_by = by
        evaluation.goal = goal
        evaluation.achievement = compute_achievement(
            kind=goal.target_kind, baseline=goal.baseline, target=goal.target, value=final_value
        )
        if evaluation.achievement < 100 and not evaluation.justification:
            raise ValidationError(
                _("The goal reaches %(percent)s%%: explain why it fell short of 100%%.")
                % {"percent": floatformat(evaluation.achievement, "-1")}
            )
        evaluation._history_user = by
        evaluation.save()
    return evaluation


def evaluation_stamp(evaluation: GoalEvaluation | None) -> str:
    return evaluation.evaluated_at.isoformat() if evaluation else ""


def close_cycle(*, cycle: GoalCycle, by: User) -> GoalCycle:
    """Close an evaluated cycle; from then on nothing in it changes."""
    if not by.is_coordinator:
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
        cycle.phase = GoalCycle.Phase.CLOSED
        cycle._history_user = by
        cycle.save(update_fields=["phase"])
    return cycle
