"""iCalendar (RFC 5545) documents for meetings: downloads, private feeds and e-mail invitations.

Times are written in UTC, which every calendar program reads without a VTIMEZONE block. An
invitation (METHOD:REQUEST) and its later updates share the meeting's UID and carry a rising
SEQUENCE, so calendar programs move the event instead of adding a second one; METHOD:CANCEL
removes it.
"""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting

PRODID = "-//Stoxothesia//Coordination meetings//EL"


def meeting_event(meeting: Meeting, *, attendees: Iterable = (), cancelled: bool = False):
    event = icalendar.Event()
    event.add("uid", meeting.calendar_uid)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
    if meeting.mayor_attends:
        event.add("description", _("The Mayor attends this meeting."))
    cancelled = cancelled or meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = _("General Secretary")
    event.add("organizer", organizer)
    for person in attendees:
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = str(person)
        attendee.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    if not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add(
            "description", _("Coordination meeting tomorrow: %(title)s") % {"title": meeting.title}
        )
        alarm.add("trigger", datetime.timedelta(days=-1))
        event.add_component(alarm)
    return event


def calendar_for(
    meetings: Iterable[Meeting], *, name: str = "", method: str = "", attendees: Iterable = ()
) -> bytes:
    """One VCALENDAR with an event per meeting; `method` for e-mailed invitations."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(
            meeting_event(meeting, attendees=attendees, cancelled=method == "CANCEL")
        )
    return calendar.to_ical()
