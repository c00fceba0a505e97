"""Workflows of the coordination meetings: scheduling, agenda, attendance, minutes, actions.

Each function changes several rows at once inside a transaction and raises ValidationError with
a message for the person when the change is not allowed. E-mail goes out from background tasks
enqueued once the transaction commits.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directorates import workdays
from directorates.models import Directorate, User
from meetings import schedule, tasks
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    Minutes,
)
from meetings.rules import may_close_action_item
from meetings.suggestions import (
    goals_needing_attention,
    observations_since_last_meeting,
    open_blockers,
)


def _after_commit(task, **kwargs) -> None:
    transaction.on_commit(partial(task.enqueue, **kwargs))


# --- Scheduling -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedMeeting:
    occurrence: int
    planned_date: datetime.date
    date: datetime.date
    mayor_attends: bool


def plan_series(series: MeetingSeries) -> list[PlannedMeeting]:
    """The meetings of a series: dates moved off holidays and weekends, and the Mayor on the
    first meeting of each calendar month (when the series says so)."""
    planned = []
    previous = None
    local = workdays.local_holidays()
    for occurrence, planned_date in enumerate(series.planned_dates(), 1):
        date = workdays.next_working_day(planned_date, local)
        first_of_month = schedule.is_first_of_month(date, previous)
        planned.append(
            PlannedMeeting(occurrence, planned_date, date, series.mayor_monthly and first_of_month)
        )
        previous = date
    return planned


def _meeting_fields(series: MeetingSeries, plan: PlannedMeeting) -> dict:
    return {
        "title": series.title,
        "planned_date": plan.planned_date,
        "date": plan.date,
        "start_time": series.start_time,
        "duration": series.duration,
        "place": series.place,
        "mayor_attends": plan.mayor_attends,
    }


@transaction.atomic
def create_series(*, series: MeetingSeries, by: User, notify: bool = True) -> MeetingSeries:
    """Save a new series and its meetings, and invite everyone to the ones still to come."""
    series.created_by = by
    series.full_clean()
    series.save()
    today = timezone.localdate()
    for plan in plan_series(series):
        meeting = Meeting.objects.create(
            series=series, occurrence=plan.occurrence, **_meeting_fields(series, plan)
        )
        if notify and meeting.date >= today:
            _after_commit(tasks.send_invitations, meeting_id=meeting.pk)
    return series


@transaction.atomic
def update_series(*, series: MeetingSeries, by: User) -> dict[str, int]:
    """Apply an edited series to its future meetings, except those edited by hand.

    Meetings already past, held, cancelled or edited by hand stay as they are. Meetings the
    new rule no longer contains are cancelled; new ones are created. Invitees get an update.
    """
    series.full_clean()
    series.save()
    today = timezone.localdate()
    plans = {plan.occurrence: plan for plan in plan_series(series)}
    counts = {"updated": 0, "created": 0, "cancelled": 0}
    meetings = series.meetings.select_for_update()
    existing = {meeting.occurrence: meeting for meeting in meetings}

    for occurrence, meeting in existing.items():
        if (
            meeting.edited_by_hand
            or meeting.date < today
            or meeting.status != Meeting.Status.SCHEDULED
        ):
            continue
        plan = plans.get(occurrence)
        if plan is None:
            meeting.status = Meeting.Status.CANCELLED
            # Stored text is in the municipality's language, whoever clicked.
            with translation.override(settings.LANGUAGE_CODE):
                meeting.change_reason = _("The series was shortened.")
            meeting.calendar_sequence += 1
            meeting.save()
            counts["cancelled"] += 1
            _after_commit(tasks.send_invitations, meeting_id=meeting.pk, method="CANCEL")
            continue
        fields = _meeting_fields(series, plan)
        if plan.date < today or all(getattr(meeting, k) == v for k, v in fields.items()):
            continue
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.calendar_sequence += 1
        meeting.save()
        counts["updated"] += 1
        _after_commit(tasks.send_invitations, meeting_id=meeting.pk)

    for occurrence, plan in plans.items():
        if occurrence in existing or plan.date < today:
            continue
        meeting = Meeting.objects.create(
            series=series, occurrence=occurrence, **_meeting_fields(series, plan)
        )
        counts["created"] += 1
        _after_commit(tasks.send_invitations, meeting_id=meeting.pk)
    return counts


def _refuse_unless_scheduled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has already been held."))


@transaction.atomic
def reschedule_meeting(
    *,
    meeting: Meeting,
    by: User,
    date: datetime.date,
    start_time: datetime.time,
    duration: int,
    place: str,
    mayor_attends: bool,
    extra_invitees,
    reason: str,
) -> Meeting:
    """Change one meeting by hand; the series will leave it alone from now on."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_unless_scheduled(meeting)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting changes.")})
    before_invited = set(meeting.invitees().values_list("pk", flat=True))
    moved = (meeting.date, meeting.start_time, meeting.duration, meeting.place) != (
        date,
        start_time,
        duration,
        place,
    )
    meeting.date, meeting.start_time, meeting.duration, meeting.place = (
        date,
        start_time,
        duration,
        place,
    )
    meeting.mayor_attends = mayor_attends
    meeting.edited_by_hand = True
    meeting.change_reason = reason.strip()
    meeting.calendar_sequence += 1
    meeting.save()
    meeting.extra_invitees.set(extra_invitees)
    after_invited = set(meeting.invitees().values_list("pk", flat=True))

    if moved:
        _after_commit(tasks.send_invitations, meeting_id=meeting.pk)
    elif added := after_invited - before_invited:
        _after_commit(tasks.send_invitations, meeting_id=meeting.pk, user_ids=sorted(added))
    if removed := before_invited - after_invited:
        _after_commit(
            tasks.send_invitations,
            meeting_id=meeting.pk,
            method="CANCEL",
            user_ids=sorted(removed),
        )
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_unless_scheduled(meeting)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    meeting.status = Meeting.Status.CANCELLED
    meeting.change_reason = reason.strip()
    meeting.edited_by_hand = True
    meeting.calendar_sequence += 1
    meeting.save()
    _after_commit(tasks.send_invitations, meeting_id=meeting.pk, method="CANCEL")
    return meeting


# --- Agenda -----------------------------------------------------------------------------------
def _refuse_if_minutes_final(meeting: Meeting) -> None:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and not minutes.is_editable:
        raise ValidationError(
            _("The minutes of this meeting are approved: it can no longer change.")
        )


def _next_order(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(top=Max("order"))["top"] or 0) + 1


@transaction.atomic
def add_agenda_item(
    *,
    meeting: Meeting,
    by: User,
    item: AgendaItem,
    directorates=(),
    goals=(),
    observations=(),
    propose: bool = False,
) -> AgendaItem:
    """Put an item on the agenda (General Secretary) or propose one (a head)."""
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    _refuse_if_minutes_final(meeting)
    item.meeting = meeting
    item.order = _next_order(meeting)
    item.status = AgendaItem.Status.PROPOSED if propose else AgendaItem.Status.ACCEPTED
    item.proposed_by = by
    item.full_clean(exclude=["meeting"])
    item.save()
    item.directorates.set(directorates)
    item.goals.set(goals)
    item.observations.set(observations)
    return item


@transaction.atomic
def decide_proposal(*, item: AgendaItem, by: User, accept: bool) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status != AgendaItem.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))
    _refuse_if_minutes_final(item.meeting)
    item.status = AgendaItem.Status.ACCEPTED if accept else AgendaItem.Status.DECLINED
    if accept:
        item.order = _next_order(item.meeting)
    item.save()
    return item


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, by: User, up: bool) -> None:
    """Swap an item with its neighbour above or below; the orders are renumbered 1, 2, 3…"""
    _refuse_if_minutes_final(item.meeting)
    items = list(item.meeting.agenda_items.on_agenda().select_for_update())
    positions = [other.pk for other in items]
    if item.pk not in positions:
        raise ValidationError(_("Only items on the agenda have a place in its order."))
    index = positions.index(item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, 1):
        if other.order != position:
            other.order = position
            other.save(update_fields=["order"])


@transaction.atomic
def suggest_agenda(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Propose items for the goals with new observations since the last meeting, the goals
    behind schedule or without a recent update, the risks and blockers not yet resolved, and
    the action items still open, leaving out what this agenda already has.

    The proposals wait for the General Secretary to accept or decline them.
    """
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    _refuse_if_minutes_final(meeting)
    suggestions = []
    order = _next_order(meeting)
    for goal, observations in observations_since_last_meeting(meeting).items():
        # Stored text is in the municipality's language, whoever clicked.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("New observations on goal %(goal)s") % {"goal": goal}
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title[:300],
            presenter=goal.directorate.head,
            duration=10,
            status=AgendaItem.Status.PROPOSED,
            source=AgendaItem.Source.OBSERVATIONS,
            proposed_by=by,
        )
        item.directorates.add(goal.directorate)
        item.goals.add(goal)
        item.observations.add(*observations)
        suggestions.append(item)
        order += 1

    for goal, reason in goals_needing_attention(meeting).items():
        # Stored text is in the municipality's language, whoever clicked.
        with translation.override(settings.LANGUAGE_CODE):
            if reason == "behind":
                title = _("Goal behind schedule: %(goal)s") % {"goal": goal}
            else:
                title = _("No progress update for over 30 days: %(goal)s") % {"goal": goal}
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title[:300],
            presenter=goal.directorate.head,
            duration=10,
            status=AgendaItem.Status.PROPOSED,
            source=AgendaItem.Source.GOALS,
            proposed_by=by,
        )
        item.directorates.add(goal.directorate)
        item.goals.add(goal)
        suggestions.append(item)
        order += 1

    for blocker in open_blockers(meeting):
        # Stored text is in the municipality's language, whoever clicked.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(kind)s on goal %(goal)s: %(what)s") % {
                "kind": blocker.get_kind_display(),
                "goal": blocker.goal.code,
                "what": blocker.description[:200],
            }
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title[:300],
            presenter=blocker.goal.directorate.head,
            duration=10,
            status=AgendaItem.Status.PROPOSED,
            source=AgendaItem.Source.BLOCKERS,
            proposed_by=by,
        )
        item.directorates.add(blocker.goal.directorate)
        item.goals.add(blocker.goal)
        suggestions.append(item)
        order += 1

    already = set(meeting.agenda_items.values_list("action_item_id", flat=True))
    pending = ActionItem.objects.pending_on(meeting.date).select_related("directorate")
    for action in pending.exclude(pk__in=[pk for pk in already if pk]):
        # Stored text is in the municipality's language, whoever clicked.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Follow-up: %(action)s") % {"action": action.description[:250]}
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=title,
            presenter=action.directorate.head,
            duration=5,
            action_item=action,
            status=AgendaItem.Status.PROPOSED,
            source=AgendaItem.Source.ACTIONS,
            proposed_by=by,
        )
        item.directorates.add(action.directorate)
        suggestions.append(item)
        order += 1
    return suggestions


@transaction.atomic
def publish_agenda(*, meeting: Meeting, by: User) -> Meeting:
    """Publish the agenda and e-mail it to every invitee; publishing again sends it again."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_unless_scheduled(meeting)
    if not meeting.agenda_items.on_agenda().exists():
        raise ValidationError(_("Put at least one item on the agenda before publishing it."))
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at"])
    _after_commit(tasks.send_agenda, meeting_id=meeting.pk)
    return meeting


# --- Attendance -------------------------------------------------------------------------------
@transaction.atomic
def record_attendance(*, meeting: Meeting, by: User, statuses: dict[int, str]) -> Meeting:
    """Record who came (person id → status); the meeting counts as held from then on."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Attendance can be recorded from the day of the meeting."))
    _refuse_if_minutes_final(meeting)
    invited = set(meeting.invitees().values_list("pk", flat=True))
    if unknown := set(statuses) - invited:
        raise ValidationError(
            _("Only invitees can be marked (unknown: %(ids)s).")
            % {"ids": ", ".join(map(str, sorted(unknown)))}
        )
    for person_id, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting, person_id=person_id, defaults={"status": status}
        )
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    Minutes.objects.get_or_create(meeting=meeting)
    return meeting


# --- Minutes ----------------------------------------------------------------------------------
@transaction.atomic
def save_minutes(
    *,
    minutes: Minutes,
    by: User,
    version: int,
    notes: str,
    entries: dict[int, tuple[str, str]],
) -> Minutes:
    """Save the notes and each item's discussion and decisions (item id → (discussion,
    decisions)), refusing when someone else saved in between or the minutes are approved."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_editable:
        raise ValidationError(_("These minutes are approved and can no longer be edited."))
    if minutes.version != version:
        raise ValidationError(
            _(
                "Someone else saved these minutes while you were editing them. Reload the "
                "page, check their changes and enter yours again."
            )
        )
    minutes.notes = notes
    minutes.version += 1
    minutes.save()
    items = minutes.meeting.agenda_items.on_agenda().filter(pk__in=entries)
    for item in items:
        discussion, decisions = entries[item.pk]
        if (item.discussion, item.decisions) != (discussion, decisions):
            item.discussion, item.decisions = discussion, decisions
            item.save(update_fields=["discussion", "decisions"])
    return minutes


def _minutes_in(minutes: Minutes, status: str, refusal: str) -> Minutes:
    """The minutes, locked for this transaction, if they are in `status`; else refuse."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status != status:
        raise ValidationError(refusal)
    return minutes


@transaction.atomic
def circulate_minutes(*, minutes: Minutes, by: User) -> Minutes:
    """Send the draft to the invitees for their remarks."""
    minutes = _minutes_in(minutes, Minutes.Status.DRAFT, _("Only draft minutes can be circulated."))
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.version += 1
    minutes.save()
    _after_commit(tasks.send_minutes, meeting_id=minutes.meeting_id)
    return minutes


def next_meeting_after(meeting: Meeting) -> Meeting | None:
    """The first meeting after this one that was not cancelled: of the same series when it
    belongs to one (another series' meeting does not approve these minutes), else any."""
    later = Meeting.objects.exclude(status=Meeting.Status.CANCELLED).filter(date__gt=meeting.date)
    if meeting.series_id:
        later = later.filter(series_id=meeting.series_id)
    return later.order_by("date", "start_time").first()


@transaction.atomic
def approve_minutes(*, minutes: Minutes, by: User) -> Minutes:
    """Approve circulated minutes at the next meeting of the series, on or after its day."""
    minutes = _minutes_in(
        minutes, Minutes.Status.CIRCULATED, _("Only circulated minutes can be approved.")
    )
    at_meeting = next_meeting_after(minutes.meeting)
    if at_meeting is None or at_meeting.date > timezone.localdate():
        raise ValidationError(_("Minutes are approved at the next meeting, on its day."))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_at_meeting = at_meeting
    minutes.version += 1
    minutes.save()
    return minutes


@transaction.atomic
def lock_minutes(*, minutes: Minutes, by: User) -> Minutes:
    """Lock approved minutes for good: nothing about the meeting can change afterwards."""
    minutes = _minutes_in(
        minutes, Minutes.Status.APPROVED, _("Only approved minutes can be locked.")
    )
    minutes.status = Minutes.Status.LOCKED
    minutes.locked_at = timezone.now()
    minutes.version += 1
    minutes.save()
    return minutes


# --- Action items -----------------------------------------------------------------------------
@transaction.atomic
def add_action_item(
    *,
    meeting: Meeting,
    by: User,
    description: str,
    directorate: Directorate,
    due_date: datetime.date,
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Action items are decided at a meeting that was held."))
    _refuse_if_minutes_final(meeting)
    if due_date < meeting.date:
        raise ValidationError({"due_date": _("The due date cannot be before the meeting.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    action = ActionItem(
        meeting=meeting,
        agenda_item=agenda_item,
        description=description,
        directorate=directorate,
        due_date=due_date,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def complete_action_item(*, action: ActionItem, by: User) -> ActionItem:
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if not may_close_action_item(by, action):
        raise ValidationError(_("Only the head of the owning directorate marks this done."))
    if action.status != ActionItem.Status.OPEN:
        raise ValidationError(_("This action item is already closed."))
    action.status = ActionItem.Status.DONE
    action.completed_on = timezone.localdate()
    action.completed_by = by
    action.save()
    return action


# --- Calendar feed ----------------------------------------------------------------------------
@transaction.atomic
def reset_calendar_feed(*, user: User) -> CalendarFeed:
    """Give the person a new secret feed address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = CalendarFeed._meta.get_field("token").default()
        feed.save()
    return feed
