"""The demo shows an acting head in force today, whose record says "ως αναπληρώτρια", and a
cross-cutting goal allocated by a participating directorate to its own department, on the
cycle being monitored (found by its phase)."""

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from directorates.models import ActingHead, User
from goals.models import Allocation, GoalCycle, ProgressUpdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_demo_has_an_acting_head_and_a_cross_cutting_allocation(client):

    appointment = ActingHead.objects.in_force(timezone.localdate()).get()
    assert appointment.act.startswith("Απόφαση Δημάρχου 318/")
    acting = appointment.person
    assert acting.is_head_of_department
    update = ProgressUpdate.objects.get(author=acting)
    assert update.as_acting_head
    assert update.signed_by.endswith("(ως αναπληρώτρια)")

    cycle = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year")[0]
    (crossing,) = Allocation.objects.filter(goal__cycle=cycle).exclude(
        department__directorate=F("goal__directorate")
    )
    assert crossing.goal.participating_directorates.filter(pk=crossing.department.directorate_id)
    assert crossing.allocated_by == crossing.department.directorate.head
    assert crossing.progress_updates.exists()

    client.force_login(User.objects.get(username=acting.username))
    home = client.get(reverse("home")).content.decode()
    assert "Ασκείτε καθήκοντα αναπληρωτή προϊσταμένου" in home
