"""The demo tells the whole year, in years that follow today's date: last year closed, this year
adopted, allocated and monitored, next year in consultation; and the seed's 2024 as it happened."""

import datetime

import pytest
from django.utils import timezone

from directorates.models import Municipality
from goals import reports
from goals.demo import years
from goals.models import Goal, GoalCycle, GoalEvaluation, MayoralDecision, Observation
from meetings.models import Meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


def test_the_demo_monitors_this_year_and_closes_last_year():
    monitored = GoalCycle.objects.get(year=years.monitored_year())
    assert monitored.phase == GoalCycle.Phase.MONITORING
    adoption = monitored.decisions.get(kind="adoption")
    assert adoption.status == "posted"
    assert adoption.ada and adoption.number and adoption.protocol_number
    goals = reports.with_achievement(Goal.objects.filter(cycle=monitored, status="adopted"))
    allocated = [goal for goal in goals if goal.allocation_list]
    assert len(allocated) > len(goals) * 0.6  # independent departments have none
    assert len(allocated) < len(goals)
    assert any(goal.is_behind for goal in goals)

    closed = GoalCycle.objects.get(year=years.closed_year())
    assert closed.phase == GoalCycle.Phase.CLOSED
    evaluated = GoalEvaluation.objects.filter(goal__cycle=closed)
    assert evaluated.count() == closed.goals.filter(status="adopted").count()
    assert evaluated.filter(achievement__lt=100).exclude(justification="").exists()

    assert GoalCycle.objects.current().year == years.consultation_year()
    # The closed and the monitored years are public; the year in consultation is not.
    published = GoalCycle.objects.filter(is_published=True)
    assert sorted(published.values_list("year", flat=True)) == years.past_years()
    assert {cycle.published_by.username for cycle in published} == {"secretary"}


def test_the_seeds_2024_is_told_as_it_happened():

    cycle = GoalCycle.objects.get(year=2024)
    assert cycle.phase == GoalCycle.Phase.CLOSED
    # The consultation was still open at the working meeting of Monday 12 February 2024 …
    meeting = Meeting.objects.order_by("date").first()
    assert meeting.date == datetime.date(2024, 2, 12) and meeting.date.weekday() == 0
    assert "Βικελαίας" in meeting.place
    assert cycle.consultation_opens_on < meeting.date < cycle.consultation_closes_on
    # … where the heads submitted their observations, answered two days later.
    observations = Observation.objects.filter(cycle=cycle)
    assert observations.count() == 2
    assert {o.submitted_at.date() for o in observations} == {meeting.date}
    assert {o.answered_at.date() for o in observations} == {datetime.date(2024, 2, 14)}
    assert {h.history_date.year for h in Observation.history.filter(cycle=cycle)} == {2024}
    # Its agenda was the seed's: the 2024 goals, the new ΟΕΥ, the Operational Plan.
    titles = list(meeting.agenda_items.order_by("order").values_list("title", flat=True))
    assert ["2024" in titles[0], "ΟΕΥ" in titles[1], "Επιχειρησιακό" in titles[2]] == [True] * 3
    # The decisions were signed, then posted on Diavgeia, on their own dates, and their history
    # says so; the goals were adopted when the adoption was posted.
    adoption = cycle.decisions.get(kind="adoption")
    assert (adoption.number, adoption.decision_date) == ("118", datetime.date(2024, 2, 27))
    assert adoption.posted_on == datetime.date(2024, 2, 28)
    amendment = adoption.amendments.get()
    for decision in (adoption, amendment):
        assert decision.status == "posted"
        assert decision.signed_at.date() == decision.decision_date
        assert decision.posted_at.date() == decision.posted_on
        days = {h.history_date.date() for h in decision.history.all()}
        assert days <= {decision.decision_date, decision.posted_on}
    adopted_goal = cycle.goals.filter(status="adopted").first()
    adopted_row = adopted_goal.history.filter(status="adopted").order_by("history_date").first()
    assert adopted_row.history_date.date() == adoption.posted_on
    # The July amendment changed one goal, withdrew one and added one, within the revision window.
    versions = {v.change: v for v in amendment.goal_versions.select_related("goal")}
    assert set(versions) == {"changed", "withdrawn", "added"}
    assert versions["changed"].goal.target == 70
    assert versions["withdrawn"].goal.status == "withdrawn"
    assert versions["withdrawn"].goal.withdrawn_by_decision == amendment
    assert not versions["withdrawn"].goal.progress_updates.filter(measured_on__month__gt=7)
    assert versions["added"].goal.status == "adopted"
    assert versions["added"].goal.progress_updates.exists()
    assert cycle.is_within_revision_window(amendment.decision_date)
    # Its corrected re-issue, signed by the Deputy Mayor by order of the Mayor and not posted in
    # the days allowed: the General Secretary's start page flags it.
    correction = amendment.corrections.get()
    assert correction.status == "signed" and not correction.ada
    assert correction.by_order_of_the_mayor and correction.signatory.username == "deputy"
    days_to_post = Municipality.load().days_to_post
    late = MayoralDecision.objects.posting_late(today=timezone.localdate(), days=days_to_post)
    assert list(late) == [correction]


def test_the_demo_year_end_of_last_year_was_submitted_by_the_heads_and_confirmed():
    from goals.models import FinalValueSubmission

    closed = GoalCycle.objects.get(year=years.closed_year())
    submissions = FinalValueSubmission.objects.filter(goal__cycle=closed)
    assert submissions.exists()
    assert set(submissions.values_list("state", flat=True)) == {"confirmed"}
    assert not submissions.filter(evidence=None).exists()
    confirmed = GoalEvaluation.objects.filter(goal__cycle=closed, source="confirmed")
    assert confirmed.count() == submissions.count()
    # One was returned with a reason, corrected and submitted again, then confirmed.
    returned = FinalValueSubmission.history.filter(goal__cycle=closed, state="returned")
    assert returned.count() == 1
    assert returned.get().return_reason
    # It all happened in January of the next year, not on the day the demo was loaded.
    assert {s.submitted_at.year for s in submissions} == {closed.year + 1}
    assert {s.reviewed_at.date().month for s in submissions} == {1}
