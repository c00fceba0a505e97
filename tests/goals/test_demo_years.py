"""The demo's years follow today's date: last year closed, this year monitored up to last month,
next year in consultation, whatever the day the demo is loaded."""

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from goals.demo import years
from goals.models import GoalCycle, MayoralDecision, ProgressUpdate
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "phases"),
    [
        (
            datetime.date(2025, 11, 3),
            {2024: "closed", 2025: "monitoring", 2026: "consultation"},
        ),
        (
            datetime.date(2026, 12, 1),
            {2024: "closed", 2025: "closed", 2026: "monitoring", 2027: "consultation"},
        ),
    ],
)
def test_the_demo_years_follow_todays_date(settings, monkeypatch, today, phases):
    settings.DEBUG = True
    # The clock stopped at 10:00 that day, a microsecond passing at each reading.
    start = datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC)
    ticks = itertools.count()
    monkeypatch.setattr(
        timezone, "now", lambda: start + datetime.timedelta(microseconds=next(ticks))
    )
    assert years.today() == today

    call_command("seed_demo", verbosity=0)

    assert dict(GoalCycle.objects.values_list("year", "phase")) == phases
    monitored = today.year
    # This year is reported on up to the end of last month, never after today.
    latest = ProgressUpdate.objects.filter(goal__cycle__year=monitored).latest("measured_on")
    assert latest.measured_on < today
    assert latest.measured_on.month == today.month - 1
    assert not MayoralDecision.objects.filter(decision_date__gt=today).exists()
    consultation = GoalCycle.objects.get(year=monitored + 1)
    assert consultation.consultation_opens_on < today < consultation.consultation_closes_on
    assert Meeting.objects.filter(date__gte=today, status="scheduled").exists()
    assert not Meeting.objects.filter(date__lt=today).exclude(status="held").exists()
