import datetime

from django.core.management import call_command
from django.utils import timezone

from meetings.models import ActionItem, Meeting, MeetingPaper, MeetingSeries, Minutes, Rsvp


def test_seed_demo_adds_the_meetings_once(db):
    call_command("seed_demo", force=True, verbosity=0)
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
    counts = {model: model.objects.count() for model in (Meeting, Minutes, ActionItem)}

    call_command("seed_demo", force=True, verbosity=0)
    assert {model: model.objects.count() for model in counts} == counts
    assert MeetingSeries.objects.count() == 1


def test_the_demo_shows_a_pack_for_the_next_meeting_and_a_memo_for_the_last_held(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", force=True, verbosity=0)
    today = timezone.localdate()
    series = MeetingSeries.objects.get()
    upcoming = series.meetings.filter(date__gte=today).order_by("date").first()
    last_held = series.meetings.filter(status=Meeting.Status.HELD).order_by("date").last()

    pack = MeetingPaper.objects.get(kind=MeetingPaper.Kind.BRIEFING)
    memo = MeetingPaper.objects.get(kind=MeetingPaper.Kind.COMMITMENTS)
    assert (pack.meeting, memo.meeting) == (upcoming, last_held)
    assert pack.document.open("rb").read(4) == b"%PDF"
    assert upcoming.rsvps.filter(answer=Rsvp.Answer.DEPUTY).exists()

    call_command("seed_demo", force=True, verbosity=0)
    assert MeetingPaper.objects.count() == 2
    assert MeetingPaper.objects.get(pk=pack.pk).document.name == pack.document.name
