"""The demo has department goals worded for their departments in two directorates, each with
an issued allocation act whose document opens; a second run changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from goals.models import Allocation, AllocationAct, GoalCycle

pytestmark = pytest.mark.django_db


def test_two_directorates_have_department_goals_and_an_issued_act(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    cycle = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year").first()
    acts = list(AllocationAct.objects.filter(cycle=cycle).select_related("directorate"))
    assert {act.directorate.code for act in acts} == {"PSIF", "OIK"}
    for act in acts:
        assert act.is_issued and act.protocol_number and act.issued_on.year == cycle.year
        assert act.content["departments"]
        worded = Allocation.objects.filter(
            goal__cycle=cycle, department__directorate=act.directorate, title__contains="συμβολή"
        )
        assert worded.exists()
        head = act.directorate.head
        client.force_login(head)
        page = client.get(reverse("goals:allocation_act", args=[act.pk]))
        assert page.status_code == 200
        assert escape(worded.first().title) in page.content.decode()
    call_command("seed_demo", verbosity=0)
    assert AllocationAct.objects.filter(cycle=cycle).count() == 2
