import datetime

import icalendar
from django.urls import reverse

from meetings.models import CalendarFeed
from tests.factories import MeetingFactory


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_a_meeting_downloads_as_an_ics_file(client_for, head_of_planning, meeting):
    response = client_for(head_of_planning).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    (event,) = parse(response).walk("VEVENT")
    assert str(event["uid"]) == meeting.calendar_uid
    assert str(event["location"]) == meeting.place
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=90)


def test_the_feed_lists_the_persons_meetings_with_a_reminder_the_day_before(
    client_for, client, head_of_planning, meeting
):
    page = client_for(head_of_planning).get(reverse("meetings:calendar"))
    feed = CalendarFeed.objects.get(user=head_of_planning)
    assert feed.token in page.context["feed_url"]
    # Calendar programs do not log in: the token alone opens the feed.
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    calendar = parse(response)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == meeting.title
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == -datetime.timedelta(days=1)
    assert str(alarm["action"]) == "DISPLAY"


def test_the_mayors_feed_holds_only_the_meetings_the_mayor_attends(client, mayor, invitees):
    monthly = MeetingFactory(mayor_attends=True)
    MeetingFactory()
    feed = CalendarFeed.objects.create(user=mayor)
    events = parse(client.get(feed.get_absolute_url())).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [monthly.calendar_uid]


def test_staff_have_an_empty_feed(client, staff, meeting):
    feed = CalendarFeed.objects.create(user=staff)
    assert parse(client.get(feed.get_absolute_url())).walk("VEVENT") == []


def test_resetting_the_feed_retires_the_old_address(client_for, client, head_of_planning):
    old = CalendarFeed.objects.create(user=head_of_planning)
    response = client_for(head_of_planning).post(reverse("meetings:calendar_reset"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=head_of_planning)
    assert new.token != old.token
    assert client.get(old.get_absolute_url()).status_code == 404
    assert client.get(new.get_absolute_url()).status_code == 200


def test_a_wrong_token_or_inactive_person_is_404(client, head_of_planning):
    feed = CalendarFeed.objects.create(user=head_of_planning)
    assert client.get(reverse("meetings:feed", args=["guess"])).status_code == 404
    head_of_planning.is_active = False
    head_of_planning.save()
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_a_cancelled_meeting_is_marked_cancelled_in_the_feed(client, head_of_planning):
    MeetingFactory(status="cancelled")
    feed = CalendarFeed.objects.create(user=head_of_planning)
    (event,) = parse(client.get(feed.get_absolute_url())).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert event.walk("VALARM") == []
