"""The demo has two closed monthly reporting rounds of the monitored year and one open, whose
departments' due date has passed, with some units late; a second run changes nothing."""

import datetime

import pytest
from django.core.management import call_command

from goals.demo import years
from goals.models import ReportingRound
from goals.services.rounds import round_tracker, tracker_totals

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_closed_rounds_and_one_open_with_late_units(settings, monkeypatch):
    # A day late in the year, so that the monitored year has its rounds whatever today is.
    day = datetime.date(years.monitored_year(), 12, 1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    rounds = list(ReportingRound.objects.order_by("period"))
    assert [r.status for r in rounds] == ["closed", "closed", "open"]
    assert [r.period.month for r in rounds] == [8, 9, 10]
    assert all(r.period.year == years.monitored_year() for r in rounds)
    open_round = rounds[-1]
    assert open_round.departments_due_on < day
    totals = tracker_totals(round_tracker(open_round, day))
    assert totals["late"] > 0 and totals["reported"] > 0 and totals["reported_late"] > 0

    # The closed rounds were closed by the General Secretary after their directorates' due date.
    assert all(r.closed_by.username == "secretary" for r in rounds[:2])
    assert all(r.closed_at.date() > r.directorates_due_on for r in rounds[:2])

    call_command("seed_demo", verbosity=0)
    assert ReportingRound.objects.count() == 3
