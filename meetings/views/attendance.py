"""Attendance: recorded per meeting, its printable sheet, and each person's over a year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directorates.models import User
from directorates.rules import require
from meetings import services
from meetings.forms import (
    AttendanceForm,
)
from meetings.models import (
    Attendance,
    Meeting,
)
from meetings.rsvp import answers_of, expected_statuses
from meetings.rules import (
    may_run_meetings,
    may_see_attendance_report,
    may_see_everyones_attendance,
)
from meetings.views.errors import form_errors


def attendance(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    require(may_run_meetings(request.user))
    # Until attendance is recorded, the answers to the invitation choose the first choices:
    # an apology or a deputy marks the person excused.
    recorded = {
        **expected_statuses(answers_of(meeting)),
        **dict(meeting.attendances.values_list("person_id", "status")),
    }
    form = AttendanceForm(request.POST or None, invitees=meeting.invitees(), recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(meeting=meeting, by=request.user, statuses=form.statuses())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect(meeting)
    return render(request, "meetings/attendance_form.html", {"form": form, "meeting": meeting})


def attendance_sheet(request, pk):
    """A sheet to print and sign at the meeting: every invitee, with what is recorded."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    recorded = dict(meeting.attendances.values_list("person_id", "status"))
    labels = dict(Attendance.Status.choices)
    answers = answers_of(meeting)
    rows = [
        (person, labels.get(recorded.get(person.pk), ""), answers.get(person.pk))
        for person in meeting.invitees()
    ]
    return render(request, "meetings/attendance_sheet.html", {"meeting": meeting, "rows": rows})


def attendance_report(request, year):
    """Each invited person's attendance over one year's held meetings: everyone's for those who
    oversee the municipality, their directorate's people's for a head of directorate."""
    user = request.user
    require(may_see_attendance_report(user))
    held = Meeting.objects.filter(status=Meeting.Status.HELD, date__year=year)
    counted = {
        status: Count(
            "meeting_attendances",
            filter=Q(meeting_attendances__status=status, meeting_attendances__meeting__in=held),
        )
        for status in Attendance.Status.values
    }
    people = (
        User.objects.filter(meeting_attendances__meeting__in=held)
        .distinct()
        .select_related("directorate")
        .annotate(**counted)
        .order_by("directorate__order", "last_name")
    )
    directorate = None
    if not may_see_everyones_attendance(user):
        people = people.filter(directorate_id=user.directorate_id)
        directorate = user.directorate
    ctx = {
        "directorate": directorate,
        "year": year,
        "held_count": held.count(),
        "people": people,
        "years": range(timezone.localdate().year, 2023, -1),
    }
    return render(request, "meetings/attendance_report.html", ctx)
