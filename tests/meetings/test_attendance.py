import datetime

from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting, Minutes
from tests.factories import MeetingFactory


def attendance_data(statuses: dict) -> dict:
    return {f"person_{person.pk}": status for person, status in statuses.items()}


def test_secretary_records_the_attendance(
    client_for, secretary, deputy, head_of_planning, head_of_finance, invitees
):
    meeting = MeetingFactory(date=timezone.localdate())
    url = reverse("meetings:attendance", args=[meeting.pk])
    form = client_for(secretary).get(url).context["form"]
    assert set(form.people.values()) == set(invitees)
    statuses = {
        secretary: "present",
        deputy: "present",
        head_of_planning: "excused",
        head_of_finance: "absent",
    }
    response = client_for(secretary).post(url, attendance_data(statuses))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert dict(meeting.attendances.values_list("person__username", "status")) == {
        "secretary": "present",
        "deputy": "present",
        "head-prog": "excused",
        "head-oik": "absent",
    }
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.DRAFT


def test_a_missing_or_unknown_choice_is_refused(client_for, secretary, held_meeting, invitees):
    data = attendance_data({person: "present" for person in invitees})
    data[f"person_{invitees[0].pk}"] = "maybe"
    response = client_for(secretary).post(
        reverse("meetings:attendance", args=[held_meeting.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not held_meeting.attendances.exists()


def test_attendance_waits_for_the_day_of_the_meeting(client_for, secretary, meeting, invitees):
    assert (
        not client_for(secretary).get(meeting.get_absolute_url()).context["can_record_attendance"]
    )
    data = attendance_data({person: "present" for person in invitees})
    response = client_for(secretary).post(reverse("meetings:attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not meeting.attendances.exists()


def test_attendance_of_approved_minutes_cannot_change(
    client_for, secretary, held_meeting, invitees
):
    Minutes.objects.filter(meeting=held_meeting).update(
        status=Minutes.Status.APPROVED, approved_at_meeting=held_meeting
    )
    data = attendance_data({person: "absent" for person in invitees})
    response = client_for(secretary).post(
        reverse("meetings:attendance", args=[held_meeting.pk]), data
    )
    assert response.status_code == 200
    assert not held_meeting.attendances.exists()


def test_the_attendance_sheet_lists_every_invitee(
    client_for, head_of_planning, held_meeting, invitees
):
    Attendance.objects.create(meeting=held_meeting, person=head_of_planning, status="excused")
    response = client_for(head_of_planning).get(
        reverse("meetings:attendance_sheet", args=[held_meeting.pk])
    )
    assert response.status_code == 200
    rows = {person: status for person, status, _answer in response.context["rows"]}
    assert set(rows) == set(invitees)
    assert rows[head_of_planning] == Attendance.Status.EXCUSED.label


def test_the_yearly_report_counts_each_persons_attendance(
    client_for, mayor, head_of_planning, invitees
):
    year = timezone.localdate().year - 1
    for month, status in [(2, "present"), (3, "present"), (4, "excused")]:
        meeting = MeetingFactory(date=datetime.date(year, month, 10), status="held")
        Attendance.objects.create(meeting=meeting, person=head_of_planning, status=status)
    cancelled = MeetingFactory(date=datetime.date(year, 5, 10), status="cancelled")
    Attendance.objects.create(meeting=cancelled, person=head_of_planning, status="absent")
    response = client_for(mayor).get(reverse("meetings:attendance_report", args=[year]))
    assert response.status_code == 200
    assert response.context["held_count"] == 3
    (row,) = response.context["people"]
    assert (row, row.present, row.absent, row.excused) == (head_of_planning, 2, 0, 1)
    assert f"Παρουσίες το {year}<" in response.content.decode()  # the year without a separator


def test_a_head_sees_the_attendance_of_their_directorate_only(
    client_for, head_of_planning, head_of_finance, invitees
):
    year = timezone.localdate().year - 1
    meeting = MeetingFactory(date=datetime.date(year, 3, 10), status="held")
    Attendance.objects.create(meeting=meeting, person=head_of_planning, status="present")
    Attendance.objects.create(meeting=meeting, person=head_of_finance, status="absent")

    response = client_for(head_of_planning).get(reverse("meetings:attendance_report", args=[year]))

    assert response.status_code == 200
    assert [(row, row.present) for row in response.context["people"]] == [(head_of_planning, 1)]
    assert "Διεύθυνση Οικονομικών" not in response.content.decode()


def test_a_member_of_staff_gets_no_attendance_report(client_for, staff):
    year = timezone.localdate().year
    response = client_for(staff).get(reverse("meetings:attendance_report", args=[year]))
    assert response.status_code == 403
