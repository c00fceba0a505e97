"""The papers around a meeting: the briefing pack before it and the commitments memo after it.

- The **briefing pack** is due two working days before the meeting (weekends and Greek
  holidays skipped): a PDF with the agenda, for each goal on it its figures, trend, latest
  update and open observations, the risks and blockers not yet resolved, and the open action
  items. The daily job
  (`manage.py send_meeting_papers`) builds and sends the packs that are due; the General
  Secretary can build and send one again at any time before the meeting.
- The **commitments memo** is due on the first working day after a held meeting that decided
  action items, so that it reaches those concerned within two working days, before and
  independently of the minutes. The General Secretary can send it earlier.

Each paper is kept as the PDF that was sent (MEDIA_ROOT, served to the invitees by a view that
checks who asks): what people read before the meeting stays on record even once the figures
have moved on. Sending is idempotent: a paper is sent once, unless it is made again.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directorates import workdays
from directorates.models import User
from directorates.workdays import LocalHolidays
from goals.models import Goal, GoalBlocker, Observation, ProgressUpdate
from goals.pdf import render_pdf
from goals.services.rounds import latest_closed_round, round_figures
from goals.trend import goal_trend
from meetings import tasks
from meetings.models import ActionItem, Meeting, MeetingPaper
from meetings.rules import may_run_meetings

logger = logging.getLogger(__name__)

BRIEFING_WORKING_DAYS = 2
MEMO_WORKING_DAYS = 1
# The daily job looks this far back for held meetings still owing their memo, so that a server
# started after a pause does not send memos of meetings long past.
MEMO_LOOKBACK = datetime.timedelta(days=14)


def briefing_due_on(meeting: Meeting, local: LocalHolidays) -> datetime.date:
    return workdays.working_days_before(meeting.date, BRIEFING_WORKING_DAYS, local)


def memo_due_on(meeting: Meeting, local: LocalHolidays) -> datetime.date:
    return workdays.add_working_days(meeting.date, MEMO_WORKING_DAYS, local)


# --- What the papers say ----------------------------------------------------------------------
def briefing_context(meeting: Meeting) -> dict:
    """The pack's contents. Built offline (by the daily job or one click), so each goal's trend
    costs a query of its own; the rest is a fixed number of queries."""
    items = list(
        meeting.agenda_items.on_agenda()
        .select_related("presenter", "action_item__directorate")
        .prefetch_related("goals", "directorates")
    )
    goal_ids = {goal.pk for item in items for goal in item.goals.all()}
    latest = ProgressUpdate.objects.filter(goal=OuterRef("pk")).order_by(
        "-measured_on", "-created_at", "-pk"
    )
    goals = list(
        Goal.objects.filter(pk__in=goal_ids)
        .select_related("directorate__head", "cycle")
        .annotate(latest_update_pk=Subquery(latest.values("pk")[:1]))
        .order_by("directorate__order", "code")
    )
    updates = ProgressUpdate.objects.select_related("author", "allocation__department").in_bulk(
        [goal.latest_update_pk for goal in goals if goal.latest_update_pk]
    )
    open_observations: dict[int, list] = {}
    for observation in (
        Observation.objects.filter(goal__in=goals, status=Observation.Status.PENDING)
        .select_related("author", "directorate")
        .order_by("submitted_at")
    ):
        open_observations.setdefault(observation.goal_id, []).append(observation)
    briefs = [
        {
            "goal": goal,
            "latest": updates.get(goal.latest_update_pk),
            "observations": open_observations.get(goal.pk, []),
            "trend": goal_trend(goal),
        }
        for goal in goals
    ]
    return {
        "meeting": meeting,
        "items": items,
        "goal_briefs": briefs,
        "open_blockers": GoalBlocker.objects.unresolved()
        .select_related("goal__directorate", "raised_by")
        .order_by("status", "since", "pk"),
        "open_actions": ActionItem.objects.open()
        .filter(meeting__date__lt=meeting.date)
        .select_related("directorate__head", "meeting")
        .order_by("due_date", "pk"),
        "generated_on": timezone.localtime(),
        **_round_of(meeting, goal_ids),
    }


def _round_of(meeting: Meeting, goal_ids: set[int]) -> dict:
    """The latest reporting round closed by the meeting, with its figures of the agenda's goals."""
    round_ = latest_closed_round(meeting.date)
    return {
        "figures_round": round_,
        "round_goals": round_figures(round_, goal_ids) if round_ and goal_ids else [],
    }


def memo_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "actions": meeting.action_items.select_related("directorate__head", "agenda_item"),
        "generated_on": timezone.localtime(),
    }


PAPERS = {
    MeetingPaper.Kind.BRIEFING: ("meetings/briefing_pdf.html", briefing_context),
    MeetingPaper.Kind.COMMITMENTS: ("meetings/commitments_pdf.html", memo_context),
}


# --- Making and sending them ------------------------------------------------------------------
def refusal(meeting: Meeting, kind: str) -> str:
    """Why the paper cannot be made for this meeting now; "" if it can."""
    if meeting.is_cancelled:
        return _("This meeting was cancelled.")
    if kind == MeetingPaper.Kind.BRIEFING:
        if meeting.status != Meeting.Status.SCHEDULED or meeting.date < timezone.localdate():
            return _("The briefing pack is sent before the meeting.")
        return ""
    if meeting.status != Meeting.Status.HELD:
        return _("The commitments memo is sent after the meeting is held.")
    if not meeting.action_items.exists():
        return _("The meeting decided no action items: there is no memo to send.")
    return ""


@transaction.atomic
def issue_paper(
    *, meeting: Meeting, kind: str, by: User | None = None, send: bool = True
) -> MeetingPaper:
    """Make the paper from today's data, keep it, and send it (again) to those concerned.

    `by` is the General Secretary pressing the button; None when the daily job sends it.
    `send=False` only keeps it (the demo data, which mails nobody).
    """
    if by is not None and not may_run_meetings(by):
        raise ValidationError(_("Only the General Secretary sends the meeting's papers."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if reason := refusal(meeting, kind):
        raise ValidationError(reason)
    template, context = PAPERS[kind]
    # The document is in the municipality's language, whoever pressed the button.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(
            template, {**context(meeting), "municipality_name": settings.MUNICIPALITY_NAME}
        )
    paper = MeetingPaper.objects.filter(meeting=meeting, kind=kind).first()
    paper = paper or MeetingPaper(meeting=meeting, kind=kind)
    previous = paper.document.name if paper.document else ""
    paper.document.save(paper.filename, ContentFile(pdf), save=False)
    paper.generated_at = paper.sent_at = timezone.now()
    paper.generated_by = by
    paper.full_clean()
    paper.save()
    if previous:
        storage = paper.document.storage
        transaction.on_commit(partial(storage.delete, previous))
    if send:
        transaction.on_commit(partial(tasks.send_paper.enqueue, paper_id=paper.pk))
    return paper


def papers_due(today: datetime.date) -> list[tuple[Meeting, str]]:
    """The papers the daily job owes on `today`: packs of coming meetings whose day to send
    has come, memos of recently held meetings that decided actions; none already sent."""
    due = []
    local = workdays.local_holidays()
    coming = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        date__gt=today,
        date__lte=today + datetime.timedelta(days=21),
    ).exclude(papers__kind=MeetingPaper.Kind.BRIEFING)
    for meeting in coming.order_by("date", "start_time"):
        if briefing_due_on(meeting, local) <= today:
            due.append((meeting, MeetingPaper.Kind.BRIEFING))
    held = (
        Meeting.objects.filter(
            status=Meeting.Status.HELD,
            date__lt=today,
            date__gte=today - MEMO_LOOKBACK,
            action_items__isnull=False,
        )
        .exclude(papers__kind=MeetingPaper.Kind.COMMITMENTS)
        .distinct()
    )
    for meeting in held.order_by("date", "start_time"):
        if memo_due_on(meeting, local) <= today:
            due.append((meeting, MeetingPaper.Kind.COMMITMENTS))
    return due


def send_due_papers(*, today: datetime.date, dry_run: bool = False) -> list[MeetingPaper]:
    """Make and send every paper due; each in its own transaction, so one failure does not
    hold back the others' sending (the next day's run tries it again)."""
    due = papers_due(today)
    if dry_run:
        return [MeetingPaper(meeting=meeting, kind=kind) for meeting, kind in due]
    sent = []
    for meeting, kind in due:
        try:
            sent.append(issue_paper(meeting=meeting, kind=kind))
        except Exception:
            logger.exception("meeting paper failed: meeting=%s kind=%s", meeting.pk, kind)
    return sent
