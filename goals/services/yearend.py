"""Year end from the people who know: a head of directorate submits a goal's final value with an
explanation and evidence; the General Secretary confirms it (it then counts, as the goal's
evaluation) or returns it with a reason, and the head corrects and submits it again."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import User
from goals import tasks
from goals.models import FinalValueEvidence, FinalValueSubmission, Goal, GoalEvaluation
from goals.rules import (
    may_edit_final_value,
    may_review_final_value,
    may_review_final_values,
    may_submit_final_value,
)
from goals.services.concurrency import StaleEdit
from goals.services.monitoring import final_further_values, put_evaluation
from goals.uploads import EVIDENCE_KINDS, check_upload

State = FinalValueSubmission.State
NAME_LENGTH = 200


def final_value_stamp(submission: FinalValueSubmission | None) -> str:
    """What a page carries to tell that the submission changed since it was loaded."""
    return str(submission.version) if submission else ""


def check_evidence(files) -> list[tuple[object, str]]:
    """Each uploaded file with its kind, told by its content; every refusal named by file."""
    checked, errors = [], []
    for upload in files:
        try:
            kind = check_upload(
                upload,
                kinds=EVIDENCE_KINDS,
                refusal=_(
                    "%(name)s is not a PDF, a picture (PNG, JPEG) or an office document "
                    "(Word, Excel, PowerPoint, OpenDocument)."
                )
                % {"name": upload.name},
            )
        except ValidationError as error:
            errors.extend(f"{upload.name}: {m}" if upload.name not in m else m for m in error)
        else:
            checked.append((upload, kind.extension))
    if errors:
        raise ValidationError(errors)
    return checked


def _locked(goal: Goal) -> tuple[Goal, FinalValueSubmission | None]:
    goal = Goal.objects.select_for_update().select_related("cycle").get(pk=goal.pk)
    submission = FinalValueSubmission.objects.select_for_update().filter(goal=goal).first()
    return goal, submission


def save_final_value(
    *,
    goal: Goal,
    by: User,
    final_value: Decimal,
    explanation: str,
    files=(),
    expected_stamp: str,
    submit: bool,
    further_values: Mapping[int, Decimal] | None = None,
) -> FinalValueSubmission:
    """Save the head's final value of a goal, with new evidence files; `submit` sends it to the
    General Secretary (with at least one file of evidence). Saved drafts and returned values
    are changed freely; a submitted or confirmed one no longer."""
    checked = check_evidence(files)
    explanation = explanation.strip()
    if not explanation:
        raise ValidationError(_("Explain how the final value was measured."))
    with transaction.atomic():
        goal, submission = _locked(goal)
        if not may_submit_final_value(by, goal):
            raise ValidationError(
                _(
                    "Only the head of the goal's directorate submits its final value, while the "
                    "cycle is evaluated."
                )
            )
        if final_value_stamp(submission) != expected_stamp:
            raise StaleEdit()
        if not may_edit_final_value(by, goal, submission):
            raise ValidationError(
                _("This final value is with the General Secretary: it can no longer be changed.")
            )
        submission = submission or FinalValueSubmission(goal=goal)
        submission.final_value = final_value
        submission.further_values = final_further_values(goal, further_values)
        submission.explanation = explanation
        submission.prepared_by = by
        submission.version = (submission.version or 0) + 1 if submission.pk else 1
        if submit:
            if not checked and not (submission.pk and submission.evidence.exists()):
                raise ValidationError(_("Attach at least one file in evidence of the value."))
            submission.state = State.SUBMITTED
            submission.submitted_by = by
            submission.submitted_at = timezone.now()
        submission._history_user = by
        submission.save()
        for upload, kind in checked:
            evidence = FinalValueEvidence(
                submission=submission,
                name=upload.name[-NAME_LENGTH:],
                kind=kind,
                size=upload.size,
                uploaded_by=by,
            )
            evidence.file.save(upload.name, upload, save=False)
            evidence._history_user = by
            evidence.save()
        if submit:
            transaction.on_commit(
                lambda pk=submission.pk: tasks.notify_final_value_submitted.enqueue(
                    submission_id=pk
                )
            )
    return submission


def remove_evidence(*, evidence: FinalValueEvidence, by: User, expected_stamp: str) -> None:
    """Take a file of evidence off a value the head may still change."""
    with transaction.atomic():
        goal, submission = _locked(evidence.submission.goal)
        if submission is None or submission.pk != evidence.submission_id:
            raise ValidationError(_("This file belongs to another final value."))
        if final_value_stamp(submission) != expected_stamp:
            raise StaleEdit()
        if not may_edit_final_value(by, goal, submission):
            raise ValidationError(
                _("This final value is with the General Secretary: it can no longer be changed.")
            )
        name = evidence.file.name
        storage = evidence.file.storage
        evidence._history_user = by
        evidence.delete()
        submission.version += 1
        submission._history_user = by
        submission.save(update_fields=["version", "updated_at"])
        transaction.on_commit(lambda: storage.delete(name))


def _reviewed(submission: FinalValueSubmission, by: User, expected_stamp: str):
    """The submission locked for review, checked: the reviewer, its state, and that it is still
    the one the General Secretary read (not changed since the page was opened)."""
    if not may_review_final_values(by):
        raise ValidationError(_("Only the General Secretary confirms or returns final values."))
    goal, locked = _locked(submission.goal)
    if locked is None or locked.pk != submission.pk:
        raise StaleEdit()
    if final_value_stamp(locked) != expected_stamp:
        raise StaleEdit()
    locked.goal = goal
    if not may_review_final_value(by, locked):
        raise ValidationError(
            _(
                "Only a submitted final value is confirmed or returned, while the cycle is "
                "evaluated."
            )
        )
    return goal, locked


def confirm_final_value(
    *, submission: FinalValueSubmission, by: User, expected_stamp: str
) -> GoalEvaluation:
    """The General Secretary confirms the head's value: it becomes the goal's final value."""
    with transaction.atomic():
        goal, submission = _reviewed(submission, by, expected_stamp)
        evaluation = GoalEvaluation.objects.select_for_update().filter(goal=goal).first()
        evaluation = put_evaluation(
            goal=goal,
            by=by,
            final_value=submission.final_value,
            further_values=submission.further_values,
            justification=submission.explanation,
            source=GoalEvaluation.Source.CONFIRMED,
            evaluation=evaluation,
        )
        submission.state = State.CONFIRMED
        submission.reviewed_by = by
        submission.reviewed_at = timezone.now()
        submission.return_reason = ""
        submission.version += 1
        submission._history_user = by
        submission.save()
        transaction.on_commit(
            lambda: tasks.notify_final_value_reviewed.enqueue(submission_id=submission.pk)
        )
    return evaluation


def return_final_value(
    *, submission: FinalValueSubmission, by: User, reason: str, expected_stamp: str
) -> FinalValueSubmission:
    """The General Secretary sends the value back to the head, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the final value is returned."))
    with transaction.atomic():
        _goal, submission = _reviewed(submission, by, expected_stamp)
        submission.state = State.RETURNED
        submission.reviewed_by = by
        submission.reviewed_at = timezone.now()
        submission.return_reason = reason
        submission.version += 1
        submission._history_user = by
        submission.save()
        transaction.on_commit(
            lambda: tasks.notify_final_value_reviewed.enqueue(submission_id=submission.pk)
        )
    return submission
