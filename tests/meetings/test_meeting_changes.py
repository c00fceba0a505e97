import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import UserFactory


def change_data(meeting, **overrides):
    data = {
        "date": (meeting.date + datetime.timedelta(days=1)).isoformat(),
        "start_time": "11:00",
        "duration": "60",
        "place": meeting.place,
        "reason": "Συμπίπτει με το δημοτικό συμβούλιο",
    }
    return {**data, **overrides}


def unmoved(meeting, **overrides):
    """The change form, keeping the meeting's date and time."""
    same = {"date": meeting.date.isoformat(), "start_time": "10:00", "duration": "90"}
    return change_data(meeting, **same, **overrides)


def calendar_of(message):
    part = message.message().get_payload()[-1]
    return part.get_param("method"), icalendar.Calendar.from_ical(part.get_content())


def test_secretary_reschedules_one_meeting(
    client_for, secretary, meeting, invitees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            reverse("meetings:update", args=[meeting.pk]), change_data(meeting)
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.edited_by_hand
    assert meeting.start_time == datetime.time(11, 0)
    assert meeting.change_reason == "Συμπίπτει με το δημοτικό συμβούλιο"
    assert meeting.calendar_sequence == 1
    assert len(mail.outbox) == len(invitees)
    method, calendar = calendar_of(mail.outbox[0])
    event = calendar.walk("VEVENT")[0]
    assert method == "REQUEST"
    assert str(event["uid"]) == meeting.calendar_uid
    assert event["sequence"] == 1
    assert event.decoded("dtstart").astimezone(meeting.starts_at.tzinfo) == meeting.starts_at
    assert meeting.history.count() == 2


def test_a_change_needs_a_reason(client_for, secretary, meeting):
    response = client_for(secretary).post(
        reverse("meetings:update", args=[meeting.pk]), change_data(meeting, reason="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    meeting.refresh_from_db()
    assert not meeting.edited_by_hand


def test_inviting_the_mayor_sends_the_mayor_alone_an_invitation(
    secretary, mayor, meeting, invitees, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary).post(
            reverse("meetings:update", args=[meeting.pk]),
            unmoved(meeting, mayor_attends="on"),
        )
    assert [m.to for m in mail.outbox] == [[mayor.email]]
    assert calendar_of(mail.outbox[0])[0] == "REQUEST"


def test_an_extra_invitee_is_invited_and_an_uninvited_mayor_gets_a_cancel(
    secretary, mayor, meeting, invitees, client_for, django_capture_on_commit_callbacks
):
    meeting.mayor_attends = True
    meeting.save()
    guest = UserFactory(username="guest")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary).post(
            reverse("meetings:update", args=[meeting.pk]),
            unmoved(meeting, extra_invitees=[guest.pk]),
        )
    sent = {message.to[0]: calendar_of(message)[0] for message in mail.outbox}
    assert sent == {guest.email: "REQUEST", mayor.email: "CANCEL"}


def test_secretary_cancels_one_meeting(
    client_for, secretary, meeting, invitees, django_capture_on_commit_callbacks
):
    other = Meeting.objects.create(
        planned_date=meeting.date,
        date=meeting.date + datetime.timedelta(days=14),
        start_time=meeting.start_time,
        duration=90,
        place=meeting.place,
    )
    url = reverse("meetings:cancel", args=[meeting.pk])
    assert client_for(secretary).get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(url, {"reason": "Εκλογές"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert other.status == Meeting.Status.SCHEDULED
    method, calendar = calendar_of(mail.outbox[0])
    assert method == "CANCEL"
    assert calendar["method"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["status"] == "CANCELLED"
    assert "Εκλογές" in mail.outbox[0].body


@pytest.mark.parametrize("url_name", ["meetings:update", "meetings:cancel"])
def test_a_held_meeting_can_no_longer_be_changed(client_for, secretary, held_meeting, url_name):
    data = change_data(held_meeting) | {"reason": "λάθος"}
    response = client_for(secretary).post(reverse(url_name, args=[held_meeting.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    held_meeting.refresh_from_db()
    assert held_meeting.status == Meeting.Status.HELD
    assert not mail.outbox


def test_mail_is_in_the_recipients_language(
    client_for, secretary, meeting, head_of_finance, django_capture_on_commit_callbacks
):
    head_of_finance.language = "en"
    head_of_finance.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary).post(
            reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Εκλογές"}
        )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[head_of_finance.email].startswith("Cancelled")
    assert not subjects[secretary.email].startswith("Cancelled")


def test_extra_invitees_are_chosen_among_those_not_invited_anyway(
    client_for, secretary, meeting, invitees, staff, mayor
):
    form = client_for(secretary).get(reverse("meetings:update", args=[meeting.pk])).context["form"]
    choices = set(form.fields["extra_invitees"].queryset)
    assert staff in choices
    assert mayor in choices
    assert not choices & set(invitees)


@pytest.mark.parametrize("pk", ["99999999999999999999999", "-1", "1e3"])
def test_an_extra_invitee_id_out_of_range_is_refused_not_a_server_error(
    client_for, secretary, meeting, pk
):
    # Found by tests/security/test_hostile_meetings_forms.py: on SQLite a huge id was a 500.
    response = client_for(secretary).post(
        reverse("meetings:update", args=[meeting.pk]), change_data(meeting, extra_invitees=[pk])
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("extra_invitees", code="invalid_pk_value")
    meeting.refresh_from_db()
    assert not meeting.edited_by_hand


@pytest.mark.django_db
def test_moving_a_meeting_onto_another_in_the_same_room_warns(client_for, secretary, meeting):
    from tests.factories import MeetingFactory

    day = meeting.date + datetime.timedelta(days=1)
    MeetingFactory(date=day, start_time=datetime.time(11, 30), place=f"  {meeting.place.upper()}")
    response = client_for(secretary).post(
        reverse("meetings:update", args=[meeting.pk]), change_data(meeting), follow=True
    )
    page = response.content.decode()
    assert "Άλλη σύσκεψη έχει τον ίδιο χώρο σε ώρα που επικαλύπτεται" in page
    assert f"{day:%d/%m/%Y} 11:30" in page
    meeting.refresh_from_db()
    assert meeting.date == day  # a warning, not a refusal
