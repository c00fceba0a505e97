"""Goals without an update for 30 days are flagged; heads are reminded, the GS gets a summary."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from goals.services.cycles import open_evaluation
from goals.services.monitoring import overdue_goals
from tests.factories import ProgressUpdateFactory

TODAY = datetime.date(2024, 6, 30)


@pytest.fixture
def updated(adopted, head_of_planning):
    """PROG-01 measured last week; PROG-02 two months ago; OIK-01 never (adopted on 1 March)."""
    ProgressUpdateFactory(goal=adopted.goal, measured_on=datetime.date(2024, 6, 20))
    ProgressUpdateFactory(goal=adopted.other_goal, measured_on=datetime.date(2024, 4, 30))
    return adopted


def test_goals_without_an_update_for_30_days_are_overdue(updated):
    codes = set(overdue_goals(today=TODAY).values_list("code", flat=True))
    assert codes == {"PROG-02", "OIK-01"}


def test_right_after_adoption_nothing_is_overdue(adopted):
    assert not overdue_goals(today=datetime.date(2024, 3, 20)).exists()


def test_exactly_30_days_is_not_yet_overdue(adopted):
    ProgressUpdateFactory(goal=adopted.goal, measured_on=datetime.date(2024, 5, 31))
    overdue = overdue_goals(today=datetime.date(2024, 6, 30))
    assert "PROG-01" not in set(overdue.values_list("code", flat=True))


def test_the_command_reminds_each_head_and_sends_the_summary(
    updated,
    head_of_planning,
    head_of_finance,
    secretary,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr("goals.services.monitoring.timezone.localdate", lambda: TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_progress_reminders", verbosity=0)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {head_of_planning.email, head_of_finance.email, secretary.email}
    assert "PROG-02" in by_recipient[head_of_planning.email].body
    assert "PROG-01" not in by_recipient[head_of_planning.email].body
    assert "OIK-01" in by_recipient[head_of_finance.email].body
    summary = by_recipient[secretary.email].body
    assert "PROG-02" in summary and "OIK-01" in summary


def test_the_dry_run_sends_nothing(
    updated, head_of_planning, secretary, monkeypatch, capsys, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("goals.services.monitoring.timezone.localdate", lambda: TODAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("send_progress_reminders", dry_run=True)
    assert callbacks == []
    assert mail.outbox == []
    assert "2 goal(s)" in capsys.readouterr().out


def test_no_mail_when_nothing_is_overdue(
    adopted, head_of_planning, secretary, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        "goals.services.monitoring.timezone.localdate", lambda: datetime.date(2024, 3, 5)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("send_progress_reminders", verbosity=0)
    assert callbacks == []
    assert mail.outbox == []


def test_once_the_year_is_over_it_counts_up_to_december(adopted):
    ProgressUpdateFactory(goal=adopted.goal, measured_on=datetime.date(2024, 12, 20))
    ProgressUpdateFactory(goal=adopted.other_goal, measured_on=datetime.date(2024, 9, 30))
    overdue = overdue_goals(today=datetime.date(2025, 6, 1))
    assert set(overdue.values_list("code", flat=True)) == {"PROG-02", "OIK-01"}


def test_goals_of_a_cycle_under_evaluation_are_not_overdue(adopted, secretary):
    open_evaluation(cycle=adopted.cycle, by=secretary)
    assert not overdue_goals(today=TODAY).exists()
