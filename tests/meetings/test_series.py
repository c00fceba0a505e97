import datetime

import icalendar
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import DEFAULT_PLACE, Meeting, MeetingSeries

URL = reverse("meetings:series_create")


def next_monday(weeks: int = 1) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 * weeks - today.weekday())


def form_data(**overrides):
    data = {
        "title": "Συντονιστική σύσκεψη",
        "first_date": next_monday().isoformat(),
        "start_time": "10:00",
        "duration": "90",
        "place": DEFAULT_PLACE,
        "interval": "2",
        "frequency": "weekly",
        "until": "",
        "count": "3",
        "mayor_monthly": "on",
    }
    return {**data, **overrides}


def test_secretary_creates_a_fortnightly_series(
    client_for, secretary, invitees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(URL, form_data())
    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert response.url == series.get_absolute_url()
    meetings = list(series.meetings.all())
    assert len(meetings) == 3
    assert (meetings[1].planned_date - meetings[0].planned_date).days == 14
    assert meetings[0].place == DEFAULT_PLACE
    assert series.created_by == secretary
    # One invitation per meeting and invitee (the Mayor too on monthly ones), with the event.
    mayor_meetings = sum(m.mayor_attends for m in meetings)
    assert mayor_meetings >= 1
    assert len(mail.outbox) == 3 * len(invitees) + mayor_meetings
    attachment = mail.outbox[0].message().get_payload()[-1]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    event = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]
    assert str(event["uid"]).startswith("meeting-")


def test_the_series_form_defaults_to_the_vikelaia_library(client_for, secretary):
    response = client_for(secretary).get(URL)
    assert response.status_code == 200
    assert response.context["form"]["place"].value() == DEFAULT_PLACE
    assert response.context["form"]["interval"].value() == 2


def test_a_series_needs_exactly_one_end(client_for, secretary):
    client = client_for(secretary)
    both = client.post(URL, form_data(until=next_monday(10).isoformat()))
    neither = client.post(URL, form_data(count=""))
    assert both.status_code == neither.status_code == 200
    assert "Συμπληρώστε" in both.content.decode()
    assert both.context["form"].errors["count"]
    assert neither.context["form"].errors["until"]
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_a_last_date_before_the_first_is_refused(client_for, secretary):
    response = client_for(secretary).post(
        URL, form_data(count="", until=(next_monday() - datetime.timedelta(days=7)).isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not MeetingSeries.objects.exists()


def test_a_head_cannot_create_a_series(client_for, head_of_planning):
    assert client_for(head_of_planning).post(URL, form_data()).status_code == 403
    assert not MeetingSeries.objects.exists()


def make_series(secretary, **kwargs):
    kwargs.setdefault("count", 4)
    return services.create_series(
        series=MeetingSeries(first_date=next_monday(), **kwargs), by=secretary, notify=False
    )


def test_editing_the_series_leaves_meetings_edited_by_hand_alone(
    client_for, secretary, invitees, django_capture_on_commit_callbacks
):
    series = make_series(secretary)
    first, second, *_rest = series.meetings.all()
    services.reschedule_meeting(
        meeting=second,
        by=secretary,
        date=second.date + datetime.timedelta(days=1),
        start_time=datetime.time(12, 0),
        duration=60,
        place="Δημαρχείο",
        mayor_attends=False,
        extra_invitees=[],
        reason="Συμπίπτει με το δημοτικό συμβούλιο",
    )
    data = form_data(start_time="09:00", count="4", place="Λότζια")
    data["first_date"] = series.first_date.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            reverse("meetings:series_update", args=[series.pk]), data
        )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.start_time, first.place, first.calendar_sequence) == (
        datetime.time(9, 0),
        "Λότζια",
        1,
    )
    assert (second.start_time, second.place) == (datetime.time(12, 0), "Δημαρχείο")
    # Updates (same UID, higher SEQUENCE) for the three meetings the series changed.
    changed = series.meetings.exclude(pk=second.pk)
    assert len(mail.outbox) == 3 * len(invitees) + sum(m.mayor_attends for m in changed)
    assert "SEQUENCE:1" in mail.outbox[0].message().get_payload()[-1].get_content()


def test_editing_the_series_leaves_past_meetings_alone(secretary, invitees):
    series = services.create_series(
        series=MeetingSeries(first_date=next_monday(-2), count=4), by=secretary, notify=False
    )
    past = series.meetings.filter(date__lt=timezone.localdate()).first()
    series.place = "Λότζια"
    services.update_series(series=series, by=secretary)
    past.refresh_from_db()
    assert past.place == DEFAULT_PLACE
    assert series.meetings.filter(place="Λότζια").count() == 2


def test_shortening_the_series_cancels_the_meetings_beyond_its_end(
    secretary, invitees, django_capture_on_commit_callbacks
):
    series = make_series(secretary)
    series.count = 2
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.update_series(series=series, by=secretary)
    assert counts == {"updated": 0, "created": 0, "cancelled": 2}
    assert series.meetings.filter(status=Meeting.Status.CANCELLED).count() == 2
    assert mail.outbox[0].message().get_payload()[-1].get_param("method") == "CANCEL"


def test_lengthening_the_series_adds_meetings(secretary, invitees):
    series = make_series(secretary)
    series.count = 6
    assert services.update_series(series=series, by=secretary)["created"] == 2
    assert series.meetings.count() == 6


def test_the_series_page_lists_its_meetings(client_for, secretary):
    series = make_series(secretary)
    response = client_for(secretary).get(series.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["meetings"]) == 4


def test_a_series_in_the_past_does_not_say_invitations_were_sent(
    client_for, secretary, invitees, django_capture_on_commit_callbacks
):
    first = timezone.localdate() - datetime.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            URL, form_data(first_date=first.isoformat(), count="2"), follow=True
        )
    page = response.content.decode()
    assert "Η σειρά δημιουργήθηκε με 2 συσκέψεις, όλες παρελθούσες: δεν στάλθηκε πρόσκληση." in page
    assert "αποστέλλονται" not in page
    assert mail.outbox == []


def test_a_series_that_takes_the_room_of_another_meeting_warns(client_for, secretary, invitees):
    from tests.factories import MeetingFactory

    MeetingFactory(date=next_monday(), start_time=datetime.time(11, 0), place=DEFAULT_PLACE)
    response = client_for(secretary).post(URL, form_data(count="1"), follow=True)
    page = response.content.decode()
    assert "Άλλη σύσκεψη έχει τον ίδιο χώρο σε ώρα που επικαλύπτεται" in page
    assert next_monday().strftime("%d/%m/%Y") + " 11:00" in page


def test_a_series_in_another_room_or_hour_does_not_warn(client_for, secretary, invitees):
    from tests.factories import MeetingFactory

    MeetingFactory(date=next_monday(), start_time=datetime.time(11, 30), place=DEFAULT_PLACE)
    MeetingFactory(date=next_monday(), start_time=datetime.time(10, 0), place="Δημαρχείο")
    response = client_for(secretary).post(URL, form_data(count="1"), follow=True)
    assert "επικαλύπτ" not in response.content.decode()
