import datetime

import pytest
from django.utils import timezone

from meetings.models import ActionItem, Meeting, MeetingPaper, MeetingSeries, Minutes, Rsvp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_demo_has_held_meetings_and_scheduled_ones():
    series = MeetingSeries.objects.get()
    assert series.first_date == datetime.date(2024, 2, 12)
    today = timezone.localdate()
    past = series.meetings.filter(date__lt=today)
    assert past.exists()
    assert not past.exclude(status=Meeting.Status.HELD).exists()
    assert series.meetings.filter(date__gte=today, status=Meeting.Status.SCHEDULED).exists()
    assert Minutes.objects.filter(status=Minutes.Status.LOCKED).exists()
    assert ActionItem.objects.open().exists()
    assert ActionItem.objects.filter(status=ActionItem.Status.DONE).exists()


def test_the_demo_shows_a_pack_for_the_next_meeting_and_a_memo_for_the_last_held(
    settings, demo_data
):
    settings.MEDIA_ROOT = demo_data
    today = timezone.localdate()
    series = MeetingSeries.objects.get()
    upcoming = series.meetings.filter(date__gte=today).order_by("date").first()
    last_held = series.meetings.filter(status=Meeting.Status.HELD).order_by("date").last()

    pack = MeetingPaper.objects.get(kind=MeetingPaper.Kind.BRIEFING)
    memo = MeetingPaper.objects.get(kind=MeetingPaper.Kind.COMMITMENTS)
    assert (pack.meeting, memo.meeting) == (upcoming, last_held)
    assert pack.document.open("rb").read(4) == b"%PDF"
    assert upcoming.rsvps.filter(answer=Rsvp.Answer.DEPUTY).exists()
