import datetime

from django.core.management import call_command
from django.utils import timezone

from meetings.models import ActionItem, Meeting, MeetingSeries, Minutes


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
