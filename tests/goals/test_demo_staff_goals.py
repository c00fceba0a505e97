"""The demo's staff goals: employees of two directorates' departments with goals this year
(some acknowledged, one changed since, mid-year reviews) and last year's evaluated; the
employee's page and the head's page open; a second run changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from directorates.models import User
from goals.models import GoalCycle, StaffGoal

pytestmark = pytest.mark.django_db


def test_the_demo_has_staff_goals_of_two_directorates(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    monitored = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).latest("year")
    this_year = StaffGoal.objects.filter(cycle=monitored)
    directorates = set(this_year.values_list("employee__directorate__code", flat=True))
    assert {"PSIF", "PROG"} <= directorates
    assert this_year.filter(acknowledged_at__isnull=False).exists()
    assert this_year.filter(acknowledged_at__isnull=True).exists()
    assert this_year.exclude(midyear_review="").exists()
    waiting = this_year.filter(acknowledged_at__isnull=True).values_list("pk", flat=True)
    once_acknowledged = StaffGoal.history.filter(acknowledged_at__isnull=False)
    assert once_acknowledged.filter(id__in=list(waiting)).exists()  # changed since
    for person in this_year.values("employee").distinct():
        weights = this_year.filter(employee=person["employee"]).values_list("weight", flat=True)
        assert sum(weights) == 100

    closed = StaffGoal.objects.filter(cycle__phase=GoalCycle.Phase.CLOSED)
    assert closed.exists()
    assert not closed.filter(achievement__isnull=True).exists()
    assert not closed.filter(evaluated_by__isnull=True).exists()

    client.force_login(User.objects.get(username="staff"))
    assert "Έλαβε γνώση" in client.get(reverse("goals:my_goals")).content.decode()
    client.force_login(User.objects.get(username="head-prog-org"))
    page = client.get(reverse("goals:staff_goals")).content.decode()
    assert "Σηφάκη" in page

    before = (StaffGoal.objects.count(), StaffGoal.history.count(), User.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (StaffGoal.objects.count(), StaffGoal.history.count(), User.objects.count()) == before
