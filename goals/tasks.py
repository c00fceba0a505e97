"""Background tasks of the goals app: e-mails, sent by the task worker (`manage.py db_worker`).

Each e-mail is written in the recipient's language (their profile, else Greek).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from directorates.models import User
from directorates.roles import Role


def _send(*, template: str, recipient: User, context: dict) -> None:
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_to_string(f"goals/email/{template}_subject.txt", context)
        body = render_to_string(f"goals/email/{template}.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=[recipient.email]).send()


@task
def notify_observation_answered(*, observation_id: int) -> None:
    """Tell the author of an observation that the General Secretary answered it."""
    from goals.models import Observation

    observation = Observation.objects.select_related("goal", "author", "answered_by").get(
        pk=observation_id
    )
    if observation.author.email and observation.author.is_active:
        _send(
            template="observation_answered",
            recipient=observation.author,
            context={"observation": observation},
        )


@task
def send_observation_digest(*, observation_ids: list[int]) -> None:
    """Send each General Secretary one e-mail listing the given new observations."""
    from goals.models import Observation

    observations = list(
        Observation.objects.filter(pk__in=observation_ids)
        .select_related("goal", "directorate", "author")
        .order_by("directorate__order", "submitted_at")
    )
    recipients = User.objects.filter(groups__name=Role.GENERAL_SECRETARY, is_active=True).exclude(
        email=""
    )
    for recipient in recipients:
        _send(
            template="observation_digest",
            recipient=recipient,
            context={"observations": observations},
        )


# --- Progress reminders -------------------------------------------------------------------------
@task
def send_progress_reminder(*, head_id: int, goal_ids: list[int]) -> None:
    """Remind a head of directorate of their goals that have had no update for 30 days."""
    from goals.models import Goal

    head = User.objects.filter(pk=head_id, is_active=True).exclude(email="").first()
    goals = list(Goal.objects.filter(pk__in=goal_ids).order_by("code"))
    if head and goals:
        _send(template="progress_reminder", recipient=head, context={"goals": goals})


@task
def send_round_reminder(*, recipient_id: int, reminder_ids: list[int]) -> None:
    """Remind (or tell, once late) one person of the units whose figures a round still waits
    for: their own, those of the departments of their directorate, or any, for the General
    Secretary."""
    from goals.models import RoundReminder

    recipient = User.objects.filter(pk=recipient_id, is_active=True).exclude(email="").first()
    reminders = list(
        RoundReminder.objects.filter(pk__in=reminder_ids)
        .select_related("round", "directorate", "department__directorate")
        .order_by("stage", "directorate__order", "department__order", "pk")
    )
    if recipient and reminders:
        _send(
            template="round_reminder",
            recipient=recipient,
            context={"reminders": reminders, "round": reminders[0].round},
        )


@task
def send_overdue_summary(*, goal_ids: list[int]) -> None:
    """Send each General Secretary the week's list of goals without a recent update."""
    from goals.models import Goal

    goals = list(
        Goal.objects.filter(pk__in=goal_ids)
        .select_related("directorate")
        .order_by("directorate__order", "code")
    )
    recipients = User.objects.filter(groups__name=Role.GENERAL_SECRETARY, is_active=True).exclude(
        email=""
    )
    for recipient in recipients:
        _send(template="overdue_summary", recipient=recipient, context={"goals": goals})


@task
def notify_blocker_escalated(*, blocker_id: int) -> None:
    """Tell the General Secretary that a head asks for help with a blocker on a goal."""
    from goals.models import GoalBlocker

    blocker = GoalBlocker.objects.select_related("goal__directorate", "raised_by").get(
        pk=blocker_id
    )
    secretaries = User.objects.filter(groups__name=Role.GENERAL_SECRETARY, is_active=True)
    for secretary in secretaries.exclude(email="").distinct():
        _send(template="blocker_escalated", recipient=secretary, context={"blocker": blocker})


# --- Final values submitted by the heads --------------------------------------------------------
@task
def notify_final_value_submitted(*, submission_id: int) -> None:
    """Tell the General Secretary that a head submitted a goal's final value for confirmation."""
    from goals.models import FinalValueSubmission

    submission = FinalValueSubmission.objects.select_related(
        "goal__directorate", "submitted_by"
    ).get(pk=submission_id)
    secretaries = User.objects.filter(groups__name=Role.GENERAL_SECRETARY, is_active=True)
    for secretary in secretaries.exclude(email="").distinct():
        _send(
            template="final_value_submitted",
            recipient=secretary,
            context={"submission": submission},
        )


@task
def notify_final_value_reviewed(*, submission_id: int) -> None:
    """Tell the head who submitted a final value that it was confirmed, or returned and why."""
    from goals.models import FinalValueSubmission

    submission = FinalValueSubmission.objects.select_related(
        "goal", "submitted_by", "reviewed_by"
    ).get(pk=submission_id)
    head = submission.submitted_by
    if head and head.is_active and head.email:
        _send(template="final_value_reviewed", recipient=head, context={"submission": submission})
