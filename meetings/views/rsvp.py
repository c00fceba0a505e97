"""Answering a meeting's invitation: from the meeting's page in one click, or from the link of
an e-mail (which opens the same answer, chosen in advance, to confirm)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from directorates.rules import require
from meetings.forms import RsvpForm
from meetings.models import Attendance, Meeting, Rsvp
from meetings.rsvp import answer_invitation, answers_of, deputy_choices, expected_attendance
from meetings.rules import may_answer_invitation, may_see_expected_attendance, may_send_deputy
from meetings.views.errors import form_errors


def rsvp_form(user, data=None, initial=None) -> RsvpForm:
    deputies = deputy_choices(user) if may_send_deputy(user) else None
    return RsvpForm(data, deputies=deputies, initial=initial)


def rsvp(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_answer_invitation(request.user, meeting))
    current = Rsvp.objects.filter(meeting=meeting, person=request.user).first()
    initial = {"answer": request.GET.get("answer") or (current and current.answer)}
    if current and current.deputy_id:
        initial["deputy"] = current.deputy_id
    form = rsvp_form(request.user, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            answer_invitation(
                meeting=meeting,
                person=request.user,
                answer=form.cleaned_data["answer"],
                deputy=form.cleaned_data.get("deputy"),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Your answer was recorded."))
            return redirect(meeting)
    return render(
        request, "meetings/rsvp_form.html", {"form": form, "meeting": meeting, "current": current}
    )


def rsvp_context(request, meeting: Meeting) -> dict:
    """What the meeting's page shows of the invitees: each with their answer (for those who
    run the meetings), the expected attendance, the person's own answer form, and, once
    attendance is recorded, who was absent or excused."""
    invitees = list(meeting.invitees())
    answers = answers_of(meeting)
    may_answer = may_answer_invitation(request.user, meeting)
    own = answers.get(request.user.pk)
    initial = {"deputy": own.deputy_id} if own and own.deputy_id else None
    return {
        "invitees": invitees,
        "invitee_rows": [(person, answers.get(person.pk)) for person in invitees],
        "expected": expected_attendance(invitees, answers),
        "may_see_expected": may_see_expected_attendance(request.user),
        "may_answer": may_answer,
        "own_answer": own,
        "rsvp_form": rsvp_form(request.user, initial=initial) if may_answer else None,
        "absentees": meeting.attendances.exclude(status=Attendance.Status.PRESENT)
        .select_related("person")
        .order_by("person__last_name"),
    }
