"""What a meeting could discuss, read from the goals: observations since the meeting before,
goals behind schedule or without a recent update, risks and blockers not yet resolved.
`services.suggest_agenda` turns them into proposed agenda items.
"""

from django.db.models import OuterRef, Subquery

from goals.models import Goal, GoalBlocker, GoalCycle, Observation, ProgressUpdate
from goals.services.monitoring import overdue_goals
from meetings.models import (
    AgendaItem,
    Meeting,
)


def observations_since_last_meeting(meeting: Meeting) -> dict:
    """Goal → its observations of the current cycle submitted since the meeting before this
    one (all of them when there was none), for goals not yet on this meeting's agenda."""
    previous = (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(date__lt=meeting.date)
        .order_by("-date", "-start_time")
        .first()
    )
    observations = (
        Observation.objects.current()
        .filter(goal__isnull=False)
        .exclude(goal__agenda_items__meeting=meeting)
        .select_related("goal__directorate__head")
        .order_by("goal__code", "submitted_at")
    )
    if previous is not None:
        observations = observations.filter(submitted_at__gte=previous.starts_at)
    by_goal = {}
    for observation in observations:
        by_goal.setdefault(observation.goal, []).append(observation)
    return by_goal


def goals_needing_attention(meeting: Meeting) -> dict[Goal, str]:
    """Goal → why it needs the meeting: its latest update says "behind", or it has had no
    update for over 30 days on the meeting's date. Only monitored goals not yet on this agenda.
    """
    on_agenda = Goal.objects.filter(agenda_items__meeting=meeting).values("pk")
    latest_status = (
        ProgressUpdate.objects.filter(goal=OuterRef("pk"))
        .order_by("-measured_on", "-created_at", "-pk")
        .values("status")[:1]
    )
    behind = (
        Goal.objects.filter(
            status=Goal.Status.ADOPTED,
            cycle__phase__in=GoalCycle.MONITORED_PHASES,
        )
        .annotate(latest_status=Subquery(latest_status))
        .filter(latest_status=ProgressUpdate.Status.BEHIND)
    )
    overdue = overdue_goals(today=meeting.date)
    reasons = {}
    for reason, goals in (("behind", behind), ("overdue", overdue)):
        goals = goals.exclude(pk__in=on_agenda).select_related("directorate__head")
        for goal in goals.order_by("directorate__order", "code"):
            reasons.setdefault(goal, reason)
    return reasons


def open_blockers(meeting: Meeting):
    """Risks and blockers not yet resolved, escalated ones first, leaving out the goals whose
    blockers this agenda already has."""
    already = AgendaItem.objects.filter(meeting=meeting, source=AgendaItem.Source.BLOCKERS).values(
        "goals"
    )
    return (
        GoalBlocker.objects.unresolved()
        .exclude(goal__in=already)
        .select_related("goal__directorate__head")
        .order_by("status", "since", "pk")
    )
