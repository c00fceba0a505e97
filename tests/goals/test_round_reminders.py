"""A round's reminders go to whoever answers for a unit, then escalate to the head of
directorate and to the General Secretary, each once; heads see their updates due on their start
page; the coordination meeting shows the figures of the latest closed round."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from goals.models import RoundReminder
from goals.services.rounds import send_round_reminders
from tests.factories import (
    AgendaItemFactory,
    AllocationFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    ReportingRoundFactory,
)


@pytest.fixture
def today(monkeypatch):
    def set_today(day: datetime.date) -> datetime.date:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
        return day

    return set_today


@pytest.fixture
def june(adopted, head_of_planning, head_of_finance, head_of_department, secretary):
    """The open round of June 2024 (departments by 5 July, directorates by 10 July), with PROG-01
    allocated to Planning's department."""
    adopted.allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    adopted.round = ReportingRoundFactory(cycle=adopted.cycle)
    return adopted


def remind(day, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_round_reminders(today=day)


def sent(stage) -> set[str]:
    return {
        str(reminder.unit) + " → " + reminder.recipient.username
        for reminder in RoundReminder.objects.filter(stage=stage).select_related(
            "directorate", "department", "recipient"
        )
    }


def test_nothing_is_sent_while_the_due_date_is_far(june, today, django_capture_on_commit_callbacks):
    assert remind(datetime.date(2024, 7, 1), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_head_of_department_is_reminded_before_the_due_date_once(
    june, head_of_department, today, django_capture_on_commit_callbacks
):
    assert remind(datetime.date(2024, 7, 3), django_capture_on_commit_callbacks) == 1
    assert sent("due") == {"Τμήμα Οργάνωσης → head-prog-org"}
    assert [message.to for message in mail.outbox] == [[head_of_department.email]]
    assert "Ιούνιος 2024" in mail.outbox[0].subject
    assert "5 Ιουλίου 2024" in mail.outbox[0].body
    # The next day's run sends it no more.
    assert remind(datetime.date(2024, 7, 4), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_a_unit_that_reported_is_not_reminded(june, today, django_capture_on_commit_callbacks):
    ProgressUpdateFactory(
        goal=june.goal, allocation=june.allocation, measured_on=datetime.date(2024, 6, 30)
    )
    assert remind(datetime.date(2024, 7, 3), django_capture_on_commit_callbacks) == 0


def test_late_figures_escalate_to_the_head_then_to_the_general_secretary(
    june, head_of_planning, secretary, today, django_capture_on_commit_callbacks
):
    # After the departments' due date: the head of Planning hears of the department, and is
    # reminded of the directorate's own figures, as is the head of Finance.
    remind(datetime.date(2024, 7, 8), django_capture_on_commit_callbacks)
    assert sent("to_head") == {"Τμήμα Οργάνωσης → head-prog"}
    assert sent("due") == {
        "Διεύθυνση Προγραμματισμού → head-prog",
        "Διεύθυνση Οικονομικών → head-oik",
    }
    assert sent("to_secretary") == set()
    # After the directorates' due date: the General Secretary, for every unit still missing.
    remind(datetime.date(2024, 7, 11), django_capture_on_commit_callbacks)
    assert sent("to_secretary") == {
        "Τμήμα Οργάνωσης → secretary",
        "Διεύθυνση Προγραμματισμού → secretary",
        "Διεύθυνση Οικονομικών → secretary",
    }
    to_secretary = [message for message in mail.outbox if message.to == [secretary.email]]
    assert len(to_secretary) == 1
    assert "Διεύθυνση Οικονομικών" in to_secretary[0].body
    # Each once: a later run adds nothing.
    assert remind(datetime.date(2024, 7, 15), django_capture_on_commit_callbacks) == 0
    assert RoundReminder.objects.count() == 6


def test_a_closed_round_reminds_no_one(june, today, django_capture_on_commit_callbacks):
    june.round.status = "closed"
    june.round.closed_by = june.round.opened_by
    june.round.closed_at = timezone.now()
    june.round.save()
    assert remind(datetime.date(2024, 7, 11), django_capture_on_commit_callbacks) == 0


def test_the_command_runs_the_reminders_and_its_dry_run_sends_nothing(
    june, today, capsys, django_capture_on_commit_callbacks
):
    today(datetime.date(2024, 7, 3))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("send_round_reminders", dry_run=True)
    assert callbacks == [] and not RoundReminder.objects.exists()
    assert "would send 1" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_round_reminders", verbosity=0)
    assert RoundReminder.objects.count() == 1 and len(mail.outbox) == 1


# --- My updates due -----------------------------------------------------------------------------
def test_the_head_of_department_sees_the_updates_due_on_their_start_page(
    june, head_of_department, client_for, today
):
    today(datetime.date(2024, 7, 3))
    tasks = client_for(head_of_department).get(reverse("home")).context["tasks"]
    [task] = [task for task in tasks if "Ιούνιος 2024" in task.text]
    assert task.deadline == datetime.date(2024, 7, 5) and not task.late
    assert task.url == reverse("goals:progress", args=[june.goal.pk])
    ProgressUpdateFactory(
        goal=june.goal, allocation=june.allocation, measured_on=datetime.date(2024, 6, 30)
    )
    tasks = client_for(head_of_department).get(reverse("home")).context["tasks"]
    assert not [task for task in tasks if "Ιούνιος 2024" in task.text]


def test_the_head_of_directorate_sees_their_goals_due(june, head_of_planning, client_for, today):
    today(datetime.date(2024, 7, 11))
    tasks = client_for(head_of_planning).get(reverse("home")).context["tasks"]
    [task] = [task for task in tasks if "Ιούνιος 2024" in task.text]
    assert task.late and task.deadline == datetime.date(2024, 7, 10)
    assert [label for label, _url in task.links] == ["PROG-01", "PROG-02"]


def test_the_start_page_runs_a_constant_number_of_queries_with_a_round(
    june, head_of_department, client_for, today, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today(datetime.date(2024, 7, 3))
    client = client_for(head_of_department)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    AllocationFactory(goal=june.other_goal, department=june.department)
    with django_assert_num_queries(len(one)):
        client.get(reverse("home"))


# --- The coordination meeting --------------------------------------------------------------------
def test_the_meeting_shows_the_figures_of_the_latest_closed_round(june, secretary, client_for):
    ProgressUpdateFactory(goal=june.goal, value=135, measured_on=datetime.date(2024, 6, 28))
    ProgressUpdateFactory(goal=june.goal, value=140, measured_on=datetime.date(2024, 7, 2))
    june.round.status = "closed"
    june.round.closed_by = secretary
    june.round.closed_at = timezone.now()
    june.round.save()
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting).goals.add(june.goal)
    response = client_for(secretary).get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.context["figures_round"] == june.round
    [goal] = response.context["round_goals"]
    assert goal.round_value == 135
    assert "Ιούνιος 2024" in response.text


def test_a_round_closed_after_the_meeting_is_not_its_figures(june, secretary, client_for):
    june.round.status = "closed"
    june.round.closed_by = secretary
    june.round.closed_at = timezone.now() + datetime.timedelta(days=30)
    june.round.save()
    meeting = MeetingFactory()
    response = client_for(secretary).get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.context["figures_round"] is None
