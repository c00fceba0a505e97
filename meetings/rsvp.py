"""Invitees' answers to a meeting's invitation: attending, cannot attend, or a deputy in their
place, and what the General Secretary expects from them.

A head of directorate who sends a deputy names someone of their own directorate; the deputy is
invited from then on (`Meeting.invitees` counts them) and gets the invitation by e-mail. An
apology or a deputy marks the head excused on the attendance form until attendance is recorded.
"""

from collections import Counter
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directorates.models import User
from meetings import tasks
from meetings.models import Attendance, Meeting, Rsvp
from meetings.rules import may_answer_invitation, may_send_deputy

# What an answer means for the attendance form, before attendance is recorded.
EXPECTED_STATUS = {
    Rsvp.Answer.ATTEND: Attendance.Status.PRESENT,
    Rsvp.Answer.DECLINE: Attendance.Status.EXCUSED,
    Rsvp.Answer.DEPUTY: Attendance.Status.EXCUSED,
}


def deputy_choices(head: User):
    """Whom a head may send: the active people of their directorate, themselves excepted."""
    return (
        User.objects.filter(directorate_id=head.directorate_id, is_active=True)
        .exclude(pk=head.pk)
        .order_by("last_name", "first_name")
    )


@transaction.atomic
def answer_invitation(
    *, meeting: Meeting, person: User, answer: str, deputy: User | None = None
) -> Rsvp:
    """Record the person's own answer (a new answer replaces the old one)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not may_answer_invitation(person, meeting):
        raise ValidationError(
            _("Only the invitees answer an invitation, until the day of the meeting.")
        )
    if answer not in Rsvp.Answer.values:
        raise ValidationError({"answer": _("Choose one of the answers.")})
    if answer == Rsvp.Answer.DEPUTY:
        if not may_send_deputy(person):
            raise ValidationError(_("Only a head of directorate sends a deputy."))
        if deputy is None:
            raise ValidationError({"deputy": _("Choose who attends in your place.")})
        if not deputy_choices(person).filter(pk=deputy.pk).exists():
            raise ValidationError(
                {"deputy": _("The deputy must be an active member of your directorate.")}
            )
    else:
        deputy = None
    rsvp = Rsvp.objects.filter(meeting=meeting, person=person).first()
    rsvp = rsvp or Rsvp(meeting=meeting, person=person)
    previous = rsvp.deputy_id
    rsvp.answer, rsvp.deputy = answer, deputy
    rsvp.full_clean()
    rsvp.save()
    if deputy is not None and deputy.pk != previous:
        transaction.on_commit(
            partial(tasks.send_invitations.enqueue, meeting_id=meeting.pk, user_ids=[deputy.pk])
        )
    replaced = previous and previous != rsvp.deputy_id
    if replaced and not meeting.invitees().filter(pk=previous).exists():
        transaction.on_commit(
            partial(
                tasks.send_invitations.enqueue,
                meeting_id=meeting.pk,
                method="CANCEL",
                user_ids=[previous],
            )
        )
    return rsvp


def answers_of(meeting: Meeting) -> dict[int, Rsvp]:
    """Person id → their answer, with the deputy they named."""
    return {rsvp.person_id: rsvp for rsvp in meeting.rsvps.select_related("deputy")}


def expected_attendance(invitees, answers: dict[int, Rsvp]) -> dict[str, int]:
    """How many said they attend (a deputy counts as attending), cannot attend, or have not
    answered; deputies are counted through the person who sent them."""
    deputies = {rsvp.deputy_id for rsvp in answers.values() if rsvp.deputy_id}
    counts = Counter(
        answers[person.pk].answer if person.pk in answers else "none"
        for person in invitees
        if person.pk not in deputies
    )
    return {
        "attend": counts[Rsvp.Answer.ATTEND],
        "deputy": counts[Rsvp.Answer.DEPUTY],
        "decline": counts[Rsvp.Answer.DECLINE],
        "none": counts["none"],
    }


def expected_statuses(answers: dict[int, Rsvp]) -> dict[int, str]:
    """Person id → the attendance their answer foretells (for the form's first choices)."""
    expected = {pk: EXPECTED_STATUS[rsvp.answer] for pk, rsvp in answers.items()}
    for rsvp in answers.values():
        if rsvp.deputy_id:
            expected.setdefault(rsvp.deputy_id, Attendance.Status.PRESENT)
    return expected
