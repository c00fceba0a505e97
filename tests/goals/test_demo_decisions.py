"""The demo tells the whole year: 2023 closed, 2024 adopted, allocated, monitored and amended."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from directorates.models import Municipality
from goals import reports
from goals.models import (
    Allocation,
    Goal,
    GoalCycle,
    GoalEvaluation,
    GoalVersion,
    MayoralDecision,
    ProgressUpdate,
)

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        MayoralDecision.objects.count(),
        MayoralDecision.history.count(),
        GoalVersion.objects.count(),
        Allocation.objects.count(),
        ProgressUpdate.objects.count(),
        GoalEvaluation.objects.count(),
        Goal.history.count(),
        GoalCycle.history.count(),
    )


def test_the_demo_adopts_2024_closes_2023_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    cycle_2024 = GoalCycle.objects.get(year=2024)
    assert cycle_2024.phase == GoalCycle.Phase.MONITORING
    adoption = cycle_2024.decisions.get(kind="adoption")
    assert adoption.status == "posted"
    assert adoption.ada and adoption.number and adoption.protocol_number
    # Signed on its own date and posted on Diavgeia the next day, not on the day of loading.
    assert adoption.decision_date == datetime.date(2024, 2, 27)
    assert adoption.posted_on == datetime.date(2024, 2, 28)
    amendment = adoption.amendments.get()
    assert amendment.status == "posted"
    versions = {v.change: v for v in amendment.goal_versions.select_related("goal")}
    assert set(versions) == {"changed", "withdrawn", "added"}
    assert versions["changed"].goal.target == 70
    assert versions["withdrawn"].goal.status == "withdrawn"
    assert versions["withdrawn"].goal.withdrawn_by_decision == amendment
    assert not versions["withdrawn"].goal.progress_updates.filter(measured_on__month__gt=7)
    assert versions["added"].goal.status == "adopted"
    assert versions["added"].goal.progress_updates.exists()
    assert cycle_2024.is_within_revision_window(amendment.decision_date)
    # Its corrected re-issue, signed by the Deputy Mayor by order of the Mayor and not posted in
    # the days allowed: the General Secretary's start page flags it.
    correction = amendment.corrections.get()
    assert correction.status == "signed" and not correction.ada
    assert correction.by_order_of_the_mayor and correction.signatory.username == "deputy"
    days = Municipality.load().days_to_post
    late = MayoralDecision.objects.posting_late(today=timezone.localdate(), days=days)
    assert list(late) == [correction]

    goals = reports.with_achievement(Goal.objects.filter(cycle=cycle_2024, status="adopted"))
    allocated = [goal for goal in goals if goal.allocation_list]
    assert len(allocated) > len(goals) * 0.6  # independent departments have none
    assert len(allocated) < len(goals)
    assert any(goal.is_behind for goal in goals)
    assert all(goal.update_list for goal in goals)

    cycle_2023 = GoalCycle.objects.get(year=2023)
    assert cycle_2023.phase == GoalCycle.Phase.CLOSED
    evaluated = GoalEvaluation.objects.filter(goal__cycle=cycle_2023)
    assert evaluated.count() == cycle_2023.goals.filter(status="adopted").count()
    assert evaluated.filter(achievement__lt=100).exclude(justification="").exists()

    assert GoalCycle.objects.current().year == 2025
    # The closed and the monitored year are public; the year in consultation is not.
    published = GoalCycle.objects.filter(is_published=True)
    assert sorted(published.values_list("year", flat=True)) == [2023, 2024]
    assert {cycle.published_by.username for cycle in published} == {"secretary"}

    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before


def test_the_demo_year_end_of_2023_was_submitted_by_the_heads_and_confirmed(settings):
    from goals.models import FinalValueSubmission

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    cycle_2023 = GoalCycle.objects.get(year=2023)
    submissions = FinalValueSubmission.objects.filter(goal__cycle=cycle_2023)
    assert submissions.exists()
    assert set(submissions.values_list("state", flat=True)) == {"confirmed"}
    assert not submissions.filter(evidence=None).exists()
    confirmed = GoalEvaluation.objects.filter(goal__cycle=cycle_2023, source="confirmed")
    assert confirmed.count() == submissions.count()
    # One was returned with a reason, corrected and submitted again, then confirmed.
    returned = FinalValueSubmission.history.filter(goal__cycle=cycle_2023, state="returned")
    assert returned.count() == 1
    assert returned.get().return_reason
    # It all happened in January 2024, not on the day the demo was loaded.
    assert {s.submitted_at.year for s in submissions} == {2024}
    assert {s.reviewed_at.date().month for s in submissions} == {1}
