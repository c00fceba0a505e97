"""Mayoral decisions: drafts, amendments' proposed changes, signing, posting on Diavgeia,
corrected re-issues, and the signed scan.

A decision takes effect when it is posted on Diavgeia: Law 3861/2010 art. 2 par. 4 makes the
acts it lists, the regulatory acts of local authorities among them, valid only once posted.
So signing changes no goal; posting adopts the goals (or writes the amendment into them).
"""

import copy
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import Directorate, Municipality, User
from directorates.roles import Role
from goals.models import (
    Goal,
    GoalCycle,
    GoalVersion,
    MayoralDecision,
)
from goals.models.decisions import ada_validator, normalise_ada
from goals.rules import (
    may_attach_scans,
    may_post_decisions,
    may_prepare_decisions,
    may_sign_decisions,
    signs_decisions,
)
from goals.services.concurrency import StaleEdit
from goals.services.monitoring import changes_achievement, store_achievement
from goals.services.revision import (
    amendment_considerations,
    check_directorate_change,
    check_revision_window,
)
from goals.services.versions import (
    check_indicator_rows,
    freeze_extras,
    indicator_changes,
    rows_of,
    store_indicator_rows,
    write_extras_into_goal,
)
from goals.uploads import PDF, check_upload


def default_decision_texts(
    *, cycle: GoalCycle, amends: MayoralDecision | None = None
) -> dict[str, str]:
    """The subject, legal basis and operative text of a draft, for the GS to adjust.

    The legal basis is the municipality's (edited in Django admin: laws with their ΦΕΚ); an
    amendment keeps the one of the decision it amends.
    """
    if amends is not None:
        return {
            "subject": _(
                "Amendment of the Mayor's decision No. %(reference)s on the goals for the "
                "year %(year)s"
            )
            % {"reference": amends.reference, "year": cycle.year},
            "considerations": "\n".join(amendment_considerations(cycle=cycle)),
            "text": _(
                "We amend the goals listed below, adopted by the Mayor's decision No. "
                "%(reference)s, as set out in the table that follows."
            )
            % {"reference": amends.reference},
        }
    return {
        "subject": _("Adoption of the goals of the Municipality for the year %(year)s")
        % {"year": cycle.year},
        "considerations": "\n".join(Municipality.load().consideration_lines),
        "text": _(
            "We adopt the goals of the organisational units of the Municipality for the year "
            "%(year)s, with their measurement indicators, as set out in the table that follows "
            "and forms an integral part of this decision."
        )
        % {"year": cycle.year},
    }


def mayor_signing(decision: MayoralDecision) -> User | None:
    """Who the document names as signing: its signatory, or (for a draft) the person who holds
    the Mayor's role; their gender writes "Ο/Η ΔΗΜΑΡΧΟΣ" or "Ο/Η ΑΝΤΙΔΗΜΑΡΧΟΣ"."""
    if decision.signatory_id:
        return decision.signatory
    return current_mayor()


def current_mayor() -> User | None:
    """The person who holds the Mayor's role."""
    return (
        User.objects.filter(groups__name=Role.MAYOR, is_active=True)
        .only("first_name", "last_name", "username", "gender")
        .order_by("pk")
        .first()
    )


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
    if not may_prepare_decisions(by):
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
            if (
                amends.cycle_id != cycle.pk
                or not amends.is_posted
                or amends.kind == MayoralDecision.Kind.CORRECTION
            ):
                raise ValidationError(
                    _("An amendment amends a decision of its cycle in force (posted).")
                )
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
    """Save the GS's edits to a draft; refuse a signed decision or a stale page."""
    if not may_prepare_decisions(by):
        raise ValidationError(_("Only the General Secretary edits a draft decision."))
    with transaction.atomic():
        stored = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if stored.status != MayoralDecision.Status.DRAFT:
            raise ValidationError(_("A signed decision cannot change; prepare an amendment."))
        if stored.version != expected_version:
            raise StaleEdit()
        decision.version = stored.version + 1
        decision._history_user = by
        decision.save()
    return decision


def goals_adopted_by(decision: MayoralDecision):
    """The goals a draft adoption would adopt: the cycle's goals accepted in the draft."""
    return decision.cycle.goals.filter(status__in=[Goal.Status.ACCEPTED, Goal.Status.ADOPTED])


def propose_goal_change(
    *,
    decision: MayoralDecision,
    goal: Goal,
    by: User,
    values: dict[str, object],
    reason: str,
    participants: Iterable[Directorate] | None = None,
    indicators: list[dict] | None = None,
) -> GoalVersion:
    """Write (or rewrite) the new values an amendment gives to one goal: its own fields, and
    (when given) its participating directorates and its further indicators, as rows with the
    indicator's fields and `source`, the goal's indicator each changes (None for a new one).
    What is not given stays as the draft (or the goal in force) has it."""
    if not may_prepare_decisions(by):
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT or not decision.is_amendment:
            raise ValidationError(_("Goals are changed only in a draft amendment."))
        if goal.cycle_id != decision.cycle_id or goal.status != Goal.Status.ADOPTED:
            raise ValidationError(_("An amendment changes adopted goals of its own cycle."))
        version = GoalVersion.objects.filter(decision=decision, goal=goal).first()
        if version is not None and version.change != GoalVersion.Change.CHANGED:
            raise ValidationError(
                _("The amendment withdraws this goal: take the withdrawal out first.")
            )
        before = rows_of(goal.extra_indicators.order_by("order", "pk"))
        if version is None:
            version = GoalVersion.snapshot(
                goal=goal, decision=decision, change=GoalVersion.Change.CHANGED
            )
            current_participants = list(goal.participating_directorates.all())
            current_rows = before
        else:
            current_participants = list(version.participating_directorates.all())
            current_rows = rows_of(version.indicators.select_related("source"))
        for field, value in values.items():
            setattr(version, field, value)
        version.reason = reason
        participants = [
            d
            for d in (current_participants if participants is None else participants)
            if d.pk != version.directorate_id
        ]
        rows = current_rows if indicators is None else indicators
        if not version.differences_from(goal, participants=participants) and not (
            indicator_changes(before, rows)
        ):
            raise ValidationError(_("These values are the ones in force: nothing would change."))
        _check_goal_values(goal=goal, version=version)
        check_directorate_change(goal=goal, directorate_id=version.directorate_id)
        check_indicator_rows(goal=goal, rows=rows)
        version.save()
        version.participating_directorates.set(participants)
        store_indicator_rows(version=version, rows=rows)
        decision.version += 1
        decision.save(update_fields=["version"])
    return version


def _check_goal_values(*, goal: Goal, version: GoalVersion) -> None:
    """The goal's own rules (`Goal.clean` and its constraints), run on the goal as the
    amendment would leave it: an amendment sets no value the goal itself could not hold.

    Raised errors name the version's fields, which are the goal's fields of the same names.
    """
    amended = copy.copy(goal)
    for column, value in GoalVersion.frozen_values(version).items():
        setattr(amended, column, value)
    checked = set(GoalVersion.FROZEN_FIELDS)
    amended.full_clean(exclude={f.name for f in Goal._meta.fields} - checked, validate_unique=False)
    _check_code_free(goal=goal, code=version.code)


def _check_code_free(*, goal: Goal, code: str) -> None:
    """A goal's code is unique in its cycle."""
    taken = Goal.objects.filter(cycle_id=goal.cycle_id, code=code).exclude(pk=goal.pk)
    if taken.exists():
        raise ValidationError({"code": _("Another goal of this cycle already has this code.")})


def withdraw_goal_change(*, decision: MayoralDecision, goal: Goal, by: User) -> None:
    """Take a goal out of a draft amendment."""
    if not may_prepare_decisions(by):
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != MayoralDecision.Status.DRAFT:
            raise ValidationError(_("A signed decision cannot change; prepare an amendment."))
        # An added goal stays in the cycle, not adopted, for another amendment to add.
        GoalVersion.objects.filter(decision=decision, goal=goal).delete()
        decision.version += 1
        decision.save(update_fields=["version"])


def prepare_correction(*, decision: MayoralDecision, by: User) -> MayoralDecision:
    """A draft corrected re-issue (ορθή επανάληψη) of a decision in force, starting from its
    wording; the General Secretary corrects it and says what is corrected."""
    if not may_prepare_decisions(by):
        raise ValidationError(_("Only the General Secretary prepares decisions."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if not decision.is_posted or decision.is_correction:
            raise ValidationError(
                _("Only a decision in force is re-issued corrected, and not a correction itself.")
            )
        if decision.corrections.exclude(status=MayoralDecision.Status.POSTED).exists():
            raise ValidationError(_("A corrected re-issue of this decision is already under way."))
        correction = MayoralDecision(
            cycle_id=decision.cycle_id,
            kind=MayoralDecision.Kind.CORRECTION,
            corrects=decision,
            subject=(
                _("Corrected re-issue of the Mayor's decision No. %(reference)s “%(subject)s”")
                % {"reference": decision.reference, "subject": decision.subject}
            )[: MayoralDecision._meta.get_field("subject").max_length],
            considerations=decision.considerations,
            text=decision.text,
            prepared_by=by,
        )
        correction._history_user = by
        correction.save()
    return correction


def sign_decision(
    *,
    decision: MayoralDecision,
    by: User,
    signatory: User,
    number: str,
    protocol_number: str,
    decision_date: date,
    expected_version: int,
) -> MayoralDecision:
    """The Mayor, or a Deputy Mayor by order of the Mayor, signs the decision: it gets its
    number, protocol number and date. An administrator may record it on the signatory's behalf.

    Nothing changes in the goals yet: the decision is in force once posted on Diavgeia
    (`post_decision`). What would stop it taking effect is checked now, before it is signed.
    """
    if not may_sign_decisions(by):
        raise ValidationError(_("Only the Mayor or a Deputy Mayor signs a decision."))
    if not signs_decisions(signatory):
        raise ValidationError(_("A decision is signed by the Mayor or a Deputy Mayor."))
    if signatory.pk != by.pk and not by.is_administrator:
        raise ValidationError(_("You record your own signature only."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        cycle = GoalCycle.objects.select_for_update().get(pk=decision.cycle_id)
        if decision.status != MayoralDecision.Status.DRAFT:
            raise ValidationError(_("This decision has already been signed."))
        if decision.version != expected_version:
            raise StaleEdit()
        if decision.is_correction and not decision.correction_note.strip():
            raise ValidationError(_("Say what the corrected re-issue corrects before signing it."))
        _check_it_can_take_effect(decision=decision, cycle=cycle)
        decision.number = number
        decision.protocol_number = protocol_number
        decision.decision_date = decision_date
        if decision.kind == MayoralDecision.Kind.ADOPTION:
            _freeze_goals(decision=decision)
        elif decision.is_amendment:
            check_revision_window(decision=decision, cycle=cycle)
            _freeze_added_goals(decision=decision)
        decision.status = MayoralDecision.Status.SIGNED
        decision.signatory = signatory
        decision.by_order_of_the_mayor = not signatory.is_mayor
        decision.recorded_by = by
        decision.signed_at = timezone.now()
        decision.recorded_on_behalf = signatory.pk != by.pk
        decision.version += 1
        decision._history_user = by
        decision.save()
    return decision


def post_decision(
    *,
    decision: MayoralDecision,
    by: User,
    ada: str,
    posted_on: date,
    expected_version: int,
) -> MayoralDecision:
    """Record that the signed decision is posted on Diavgeia, with the ΑΔΑ Diavgeia gave it.

    From now on it is in force: an adoption freezes the cycle's accepted goals (their values
    become the decision's goal versions, their status "adopted") and moves the cycle to
    allocation; an amendment writes its goal versions into the goals, each change in the goal's
    history; a corrected re-issue replaces the wording of the decision it corrects.
    """
    if not may_post_decisions(by):
        raise ValidationError(_("Only the General Secretary or the Mayor records the posting."))
    ada = normalise_ada(ada)
    ada_validator(ada)
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        cycle = GoalCycle.objects.select_for_update().get(pk=decision.cycle_id)
        if decision.status == MayoralDecision.Status.DRAFT:
            raise ValidationError(_("A decision is posted on Diavgeia after it is signed."))
        if decision.status == MayoralDecision.Status.POSTED:
            raise ValidationError(_("This decision is already posted on Diavgeia."))
        if decision.version != expected_version:
            raise StaleEdit()
        if MayoralDecision.objects.filter(ada=ada).exclude(pk=decision.pk).exists():
            raise ValidationError(_("Another decision already has this ΑΔΑ."))
        if posted_on < decision.decision_date:
            raise ValidationError(_("A decision is posted on or after the day it is signed."))
        if posted_on > timezone.localdate():
            raise ValidationError(_("The posting date cannot be in the future."))
        decision.ada = ada
        decision.posted_on = posted_on
        decision.posted_by = by
        decision.posted_at = timezone.now()
        decision.status = MayoralDecision.Status.POSTED
        decision.version += 1
        if decision.is_amendment:
            _apply_amendment(decision=decision, cycle=cycle, by=by)
        elif not decision.is_correction:
            _adopt_goals(decision=decision, cycle=cycle, by=by)
        decision._history_user = by
        decision.save()
    return decision


def _check_it_can_take_effect(*, decision: MayoralDecision, cycle: GoalCycle) -> None:
    """Refuse to sign what could not be posted: the checks `_adopt_goals` and
    `_apply_amendment` make when the decision takes effect."""
    if decision.is_correction:
        return
    if decision.is_amendment:
        if cycle.phase not in (GoalCycle.Phase.ADOPTED, *GoalCycle.MONITORED_PHASES):
            raise ValidationError(_("Goals are amended only while the cycle is monitored."))
        if not decision.goal_versions.exists():
            raise ValidationError(_("The amendment changes no goal yet: add the goals it changes."))
        return
    if cycle.phase not in (GoalCycle.Phase.CONSULTATION, GoalCycle.Phase.ADOPTED):
        raise ValidationError(
            _("The goals are adopted after the consultation; the cycle is in %(phase)s.")
            % {"phase": cycle.get_phase_display()}
        )


def _freeze_goals(*, decision: MayoralDecision) -> None:
    """The goals an adoption lists, as they stand when it is signed: its goal versions."""
    goals = list(goals_adopted_by(decision).select_for_update())
    if not goals:
        raise ValidationError(_("The cycle has no accepted goals to adopt."))
    versions = GoalVersion.objects.bulk_create(
        [GoalVersion.snapshot(goal=goal, decision=decision) for goal in goals]
    )
    freeze_extras(versions)


def _freeze_added_goals(*, decision: MayoralDecision) -> None:
    """The goals an amendment adds, as they stand when it is signed: posting adopts these values
    even if the goal was edited in between."""
    versions = list(
        decision.goal_versions.filter(change=GoalVersion.Change.ADDED).select_related("goal")
    )
    for version in versions:
        for column, value in GoalVersion.frozen_values(version.goal).items():
            setattr(version, column, value)
    GoalVersion.objects.bulk_update(
        versions, [Goal._meta.get_field(name).attname for name in GoalVersion.FROZEN_FIELDS]
    )
    freeze_extras(versions)


def _adopt_goals(*, decision: MayoralDecision, cycle: GoalCycle, by: User) -> None:
    """The goals the adoption froze when it was signed become adopted, with the values signed."""
    if cycle.phase not in (GoalCycle.Phase.CONSULTATION, GoalCycle.Phase.ADOPTED):
        raise ValidationError(
            _("The goals are adopted after the consultation; the cycle is in %(phase)s.")
            % {"phase": cycle.get_phase_display()}
        )
    versions = list(decision.goal_versions.all())
    goals = Goal.objects.select_for_update().in_bulk([v.goal_id for v in versions])
    for version in versions:
        goal = goals[version.goal_id]
        for field in GoalVersion.FROZEN_FIELDS:
            setattr(goal, field, getattr(version, field))
        goal.status = Goal.Status.ADOPTED
        goal.version += 1
        goal._history_user = by
        goal._change_reason = _("Adopted by %(decision)s") % {"decision": decision}
        write_extras_into_goal(goal=goal, version=version, decision=decision, by=by)
        goal.save(update_fields=[*GoalVersion.FROZEN_FIELDS, "status", "version"])
    cycle.phase = GoalCycle.Phase.ALLOCATION
    cycle._history_user = by
    cycle.save(update_fields=["phase"])


def _apply_amendment(*, decision: MayoralDecision, cycle: GoalCycle, by: User) -> None:
    """Write the amendment into the goals: adopt the added ones (with the values the decision
    froze when it was signed), withdraw the withdrawn ones, change the changed ones.
    """
    _check_it_can_take_effect(decision=decision, cycle=cycle)
    check_revision_window(decision=decision, cycle=cycle)
    versions = list(decision.goal_versions.all())
    goals = Goal.objects.select_for_update().in_bulk([version.goal_id for version in versions])
    for version in versions:
        goal = goals[version.goal_id]
        before = copy.copy(goal)
        goal._history_user = by
        goal.version += 1
        if version.change == GoalVersion.Change.ADDED:
            if goal.status not in Goal.AWAITING_ADOPTION:
                raise ValidationError(
                    _("%(code)s was adopted or withdrawn meanwhile.") % {"code": goal.code}
                )
            for column, value in GoalVersion.frozen_values(version).items():
                setattr(goal, column, value)
            goal.status = Goal.Status.ADOPTED
            goal._change_reason = _("Added by %(decision)s") % {"decision": decision}
        elif version.change == GoalVersion.Change.WITHDRAWN:
            goal.status = Goal.Status.WITHDRAWN
            goal.withdrawn_by_decision = decision
            goal.withdrawal_reason = version.reason
            goal._change_reason = _("Withdrawn by %(decision)s") % {"decision": decision}
        else:
            check_directorate_change(goal=goal, directorate_id=version.directorate_id)
            if version.directorate_id != goal.directorate_id:
                for allocation in goal.allocations.all():
                    allocation._history_user = by
                    allocation.delete()
            for column, value in GoalVersion.frozen_values(version).items():
                setattr(goal, column, value)
            _check_code_free(goal=goal, code=goal.code)
            goal._change_reason = _("Amended by %(decision)s") % {"decision": decision}
        indicators_changed = False
        if version.change != GoalVersion.Change.WITHDRAWN:
            indicators_changed = write_extras_into_goal(
                goal=goal, version=version, decision=decision, by=by
            )
        goal.save()
        if (
            version.change != GoalVersion.Change.CHANGED
            or indicators_changed
            or changes_achievement(before, goal)
        ):
            store_achievement(goal_ids=[goal.pk])


def attach_decision_scan(*, decision: MayoralDecision, by: User, upload) -> MayoralDecision:
    """Keep the scanned signed decision: a PDF (checked by its first bytes), 10 MB at most."""
    if not may_attach_scans(by):
        raise ValidationError(_("Only the General Secretary or the Mayor attaches the scan."))
    check_upload(upload, kinds=(PDF,), refusal=_("The file is not a PDF."))
    with transaction.atomic():
        decision = MayoralDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status == MayoralDecision.Status.DRAFT:
            raise ValidationError(_("Attach the signed scan once the decision is signed."))
        old_name = decision.scan.name
        decision.scan.save("scan.pdf", upload, save=False)
        decision._history_user = by
        decision.save(update_fields=["scan"])
        if old_name:
            storage = decision.scan.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return decision
