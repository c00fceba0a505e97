import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directorates.models import Municipality
from meetings.models import Attendance, Meeting
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DirectorateFactory,
    GoalFactory,
    MeetingFactory,
    ObservationFactory,
    UserFactory,
)


def add_meetings(count: int, start: int) -> None:
    today = timezone.localdate()
    for n in range(start, start + count):
        MeetingFactory(date=today + datetime.timedelta(days=14 * n), mayor_attends=n % 2 == 0)
        MeetingFactory(date=today - datetime.timedelta(days=14 * (n + 1)), status="held")


def test_the_meeting_list_shows_upcoming_and_past_meetings(client_for, head_of_planning):
    add_meetings(2, 1)
    response = client_for(head_of_planning).get(reverse("meetings:list"))
    assert response.status_code == 200
    assert len(response.context["upcoming"]) == 2
    assert len(response.context["past"]) == 2
    assert response.context["series_list"] == []


@pytest.mark.parametrize("count", [1, 8])
def test_the_meeting_list_query_count_does_not_grow(
    client_for, secretary, django_assert_num_queries, count
):
    add_meetings(count, 1)
    client = client_for(secretary)
    client.get(reverse("meetings:list"))
    # session, user, groups, second-factor device, upcoming, past count, past page, series.
    with django_assert_num_queries(10):  # 8 before the acting heads
        client.get(reverse("meetings:list"))


def fill_meeting(meeting, held_meeting, size: int) -> None:
    for _ in range(size):
        directorate = DirectorateFactory()
        directorate.head = UserFactory(directorate=directorate)
        directorate.save()
        item = AgendaItemFactory(meeting=meeting, presenter=directorate.head)
        item.directorates.add(directorate)
        item.goals.add(GoalFactory(directorate=directorate))
        item.observations.add(ObservationFactory(goal__directorate=directorate))
        AgendaItemFactory(meeting=meeting, status="proposed", proposed_by=directorate.head)
        ActionItemFactory(meeting=held_meeting, directorate=directorate)
        Attendance.objects.create(meeting=meeting, person=directorate.head, status="present")


@pytest.mark.parametrize("size", [1, 6])
def test_the_meeting_page_query_count_does_not_grow(
    client_for, secretary, meeting, held_meeting, django_assert_num_queries, size
):
    fill_meeting(meeting, held_meeting, size)
    client = client_for(secretary)
    client.get(meeting.get_absolute_url())
    # The session, the person and their second factor; the meeting with its minutes; the agenda
    # with its directorates, goals and observations; the invitees, attendance, pending actions
    # (the most urgent and their count) and decided actions; the papers, the answers to the
    # invitation and the absentees; the latest closed reporting round; the municipality's
    # local holidays (its papers' due dates): 21, whatever the data.
    with django_assert_num_queries(21):  # 19 before the reporting rounds, 17 before acting heads
        response = client.get(meeting.get_absolute_url())
    assert len(response.context["agenda"]) == size
    assert len(response.context["proposals"]) == size


def test_the_meeting_page_lists_the_most_urgent_pending_actions_and_counts_them_all(
    client_for, head_of_planning, meeting, held_meeting
):
    today = timezone.localdate()
    for day in range(25):
        ActionItemFactory(meeting=held_meeting, due_date=today + datetime.timedelta(days=day))

    response = client_for(head_of_planning).get(meeting.get_absolute_url())

    listed = response.context["pending_actions"]
    assert [action.due_date for action in listed] == [
        today + datetime.timedelta(days=day) for day in range(20)
    ]
    assert response.context["pending_total"] == 25
    assert "Οι 20 πιο επείγουσες από 25." in response.content.decode()


def test_the_meeting_page_shows_why_a_date_moved(client_for, head_of_planning):
    easter_monday = datetime.date(2025, 4, 21)
    meeting = MeetingFactory(planned_date=easter_monday, date=datetime.date(2025, 4, 22))
    response = client_for(head_of_planning).get(meeting.get_absolute_url())
    assert "Δευτέρα του Πάσχα" in response.content.decode()


def test_the_meeting_page_counts_the_municipality_s_own_holidays_as_kept_in_its_record(
    client_for, head_of_planning
):
    # Wednesday 12 November 2025: its pack is due two working days before. Heraklion skips
    # Saint Minas (Tuesday 11th): Friday 7th; a municipality without that holiday: Monday 10th.
    meeting = MeetingFactory(
        planned_date=datetime.date(2025, 11, 11), date=datetime.date(2025, 11, 12)
    )
    client = client_for(head_of_planning)

    response = client.get(meeting.get_absolute_url())
    assert response.context["briefing_due_on"] == datetime.date(2025, 11, 7)
    assert "Άγιος Μηνάς, πολιούχος Ηρακλείου" in response.content.decode()

    municipality = Municipality.load()
    municipality.local_holidays = ""
    municipality.save()
    response = client.get(meeting.get_absolute_url())
    assert response.context["briefing_due_on"] == datetime.date(2025, 11, 10)
    assert "Άγιος Μηνάς" not in response.content.decode()


def test_an_extra_invitee_sees_the_meeting_and_others_do_not(client_for, staff, meeting):
    url = meeting.get_absolute_url()
    assert client_for(staff).get(url).status_code == 404
    meeting.extra_invitees.add(staff)
    response = client_for(staff).get(url)
    assert response.status_code == 200
    assert staff in response.context["invitees"]
    assert list(Meeting.objects.invited(staff)) == [meeting]


def test_the_meeting_page_names_the_absentees_once_attendance_is_recorded(
    client_for, head_of_finance, head_of_planning, held_meeting
):
    Attendance.objects.create(meeting=held_meeting, person=head_of_planning, status="excused")
    Attendance.objects.create(meeting=held_meeting, person=head_of_finance, status="present")
    page = client_for(head_of_finance).get(held_meeting.get_absolute_url()).content.decode()
    assert "Απόντες ή δικαιολογημένα απόντες" in page
    assert f"{head_of_planning} (Δικαιολογημένη απουσία)" in page
    assert f"{head_of_finance} (" not in page


def test_a_meeting_moved_past_two_holidays_names_both(client_for, head_of_planning):
    # Planned on Christmas Day 2026 (a Friday): the 26th is a holiday too, then the weekend.
    meeting = MeetingFactory(
        planned_date=datetime.date(2026, 12, 25), date=datetime.date(2026, 12, 28)
    )
    page = client_for(head_of_planning).get(meeting.get_absolute_url()).content.decode()
    assert "Χριστούγεννα" in page
    assert "Σύναξη της Υπεραγίας Θεοτόκου" in page
