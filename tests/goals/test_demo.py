import pytest
from django.urls import reverse
from django.utils.html import escape

from directorates.models import User
from goals.demo import years
from goals.models import (
    ActionProgramme,
    Allocation,
    AllocationAct,
    Goal,
    GoalCycle,
    Observation,
    StaffGoal,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_demo_has_next_years_cycle_in_open_consultation_with_goals_of_every_kind():
    cycle = GoalCycle.objects.get(year=years.consultation_year())
    assert cycle.is_consultation_open()
    goals = Goal.objects.filter(cycle=cycle)
    assert set(goals.values_list("category", flat=True)) == set(Goal.Category.values)
    assert set(goals.values_list("target_kind", flat=True)) == set(Goal.TargetKind.values)
    assert goals.filter(status=Goal.Status.PROPOSED).exists()
    assert goals.exclude(participating_directorates=None).exists()
    for directorate in goals.values_list("directorate", flat=True).distinct():
        assert goals.filter(directorate=directorate).count() >= 5
    assert Observation.objects.pending().exists()
    assert Observation.objects.answered().exists()
    assert Observation.objects.filter(applied=True).exists()
    # Every goal that serves an action serves one of its own year's action programme.
    linked = Goal.objects.exclude(programme_action=None).select_related("cycle")
    assert linked.filter(cycle=cycle).exists()
    for goal in linked:
        assert ActionProgramme.objects.filter(
            year=goal.cycle.year, actions=goal.programme_action
        ).exists()


def test_a_few_of_next_years_draft_goals_draw_smart_warnings_and_most_do_not():
    from goals.smart import cycle_warnings

    cycle = GoalCycle.objects.get(year=years.consultation_year())
    check = cycle_warnings(cycle)
    drafts = Goal.objects.filter(cycle=cycle, status__in=Goal.AWAITING_ADOPTION).count()
    found = {w.code for warnings in check.warnings.values() for w in warnings}
    assert found == {"copied_title", "weights_not_100", "activity_title"}
    assert 0 < len(check.warnings) < drafts / 4
    by_code = {
        check.goals[pk].code: {w.code for w in warnings} for pk, warnings in check.warnings.items()
    }
    assert by_code["PROG-10"] == {"activity_title"}  # "Ενημέρωση των πολιτών …", a proposal
    assert "weights_not_100" in by_code["PSIF-01"]  # six goals weighing 20 each
    assert not any(code.startswith("TEXN-") for code in by_code)  # weights rebalanced to 100


def test_the_demo_has_staff_goals_of_two_directorates(client):

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


def test_three_directorates_have_department_goals_and_an_issued_act(client):
    cycle = GoalCycle.objects.filter(phase__in=GoalCycle.MONITORED_PHASES).order_by("-year").first()
    acts = list(AllocationAct.objects.filter(cycle=cycle).select_related("directorate"))
    assert {act.directorate.code for act in acts} == {"PSIF", "PROG", "OIK"}
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
