"""Calendars: a meeting's .ics file, and each person's private subscription feed."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings import calendar, services
from meetings.models import (
    CalendarFeed,
    Meeting,
)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ics(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    return _ics_response(calendar.calendar_for([meeting]), f"meeting-{meeting.date:%Y-%m-%d}.ics")


def my_calendar(request):
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    feed_url = request.build_absolute_uri(feed.get_absolute_url())
    return render(request, "meetings/calendar.html", {"feed_url": feed_url})


@require_POST
def my_calendar_reset(request):
    services.reset_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("meetings:calendar")


@login_not_required
@never_cache
def calendar_feed(request, token):
    """A person's meetings for calendar programs, which cannot log in: the token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=180)
    meetings = Meeting.objects.invited(feed.user).filter(date__gte=since)
    content = calendar.calendar_for(meetings, name=_("Coordination meetings"))
    return _ics_response(content, "meetings.ics")
