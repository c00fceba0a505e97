"""Who may do what with the coordination meetings: each rule named once.

Views refuse with `require(may_…(user, obj))` (`directorates.rules.require`: a 403), templates
receive the same answers as `may_*` flags, and services ask the same rule before they act.
Which meetings a person may see at all is `Meeting.objects.visible_to(user)`: a meeting they are
not invited to is a 404 before a rule is asked.
"""

from django.utils import timezone

from meetings.models import ActionItem, Meeting, Minutes


def may_run_meetings(user) -> bool:
    """Series, meetings, the agenda, attendance and minutes: the General Secretary's work."""
    return user.is_coordinator


def may_propose_agenda_items(user) -> bool:
    """The General Secretary adds items; a head of directorate proposes them."""
    return user.is_coordinator or user.is_head_of_directorate


def may_record_attendance(user, meeting: Meeting) -> bool:
    """Once the meeting's day has come, unless it was cancelled."""
    return (
        may_run_meetings(user) and not meeting.is_cancelled and meeting.date <= timezone.localdate()
    )


def may_read_minutes(user, minutes: Minutes) -> bool:
    """Draft minutes stay with the General Secretary until they are circulated."""
    return minutes.status != Minutes.Status.DRAFT or may_run_meetings(user)


def may_edit_minutes(user, minutes: Minutes) -> bool:
    return may_run_meetings(user) and minutes.is_editable


def may_open_observations(user) -> bool:
    """The agenda links its observations for those who read them all (oversight); others see
    how many there are."""
    return user.sees_everything


def may_close_action_item(user, action: ActionItem) -> bool:
    """The owning directorate's head, and the people who run the meetings."""
    return may_run_meetings(user) or user.leads_directorate(action.directorate_id)


def may_see_attendance_report(user) -> bool:
    """Attendance over a year: oversight for everyone, a head of directorate for their people."""
    return user.sees_everything or (user.is_head_of_directorate and bool(user.directorate_id))


def may_see_everyones_attendance(user) -> bool:
    return user.sees_everything


def may_send_papers(user) -> bool:
    """The briefing pack and the commitments memo go out by the daily job; the General
    Secretary may make and send them again."""
    return may_run_meetings(user)


def may_answer_invitation(user, meeting: Meeting) -> bool:
    """An invitee answers for themselves until the meeting's day; a deputy sent in someone's
    place does not answer in turn."""
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.date >= timezone.localdate()
        and meeting.invitees()
        .filter(pk=user.pk)
        .exclude(meeting_deputyships__meeting=meeting)
        .exists()
    )


def may_send_deputy(user) -> bool:
    """A head of directorate may send someone of their directorate in their place."""
    return user.is_head_of_directorate and bool(user.directorate_id)


def may_see_expected_attendance(user) -> bool:
    return may_run_meetings(user)
