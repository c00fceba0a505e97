"""Monthly reporting rounds: the General Secretary opens one with due dates in working days,
follows who has reported on the tracker, and closes it, which locks the month's figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import IndicatorValue, ProgressUpdate, ReportingRound
from goals.services.monitoring import record_progress
from goals.services.rounds import close_round, open_round, round_tracker
from tests.factories import (
    AllocationFactory,
    DepartmentFactory,
    DirectorateFactory,
    GoalFactory,
    GoalIndicatorFactory,
    ProgressUpdateFactory,
    ReportingRoundFactory,
    UserFactory,
)

JUNE = datetime.date(2024, 6, 1)


@pytest.fixture
def today(monkeypatch):
    """Sets the municipality's today (every module reads `django.utils.timezone.localdate`)."""

    def set_today(day: datetime.date) -> datetime.date:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
        return day

    set_today(datetime.date(2024, 7, 1))
    return set_today


@pytest.fixture
def monitored(adopted, head_of_planning, head_of_finance, head_of_department):
    """The adopted 2024 cycle with PROG-01 allocated to Planning's department."""
    adopted.allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    return adopted


def reported(goal, *, on: datetime.date, at: datetime.date, allocation=None):
    """An update measured `on`, recorded on the day `at` (at noon)."""
    update = ProgressUpdateFactory(goal=goal, allocation=allocation, measured_on=on)
    moment = timezone.make_aware(datetime.datetime.combine(at, datetime.time(12)))
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)
    return update


# --- Opening ----------------------------------------------------------------------------------
def test_the_general_secretary_opens_a_round_with_due_dates_in_working_days(
    monitored, secretary, client_for, today
):
    response = client_for(secretary).post(
        reverse("goals:round_create"),
        {"month": 6, "year": 2024, "department_working_days": 5, "directorate_working_days": 8},
    )
    round_ = ReportingRound.objects.get()
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    assert round_.title == "Ιούνιος 2024"
    assert round_.departments_due_on == datetime.date(2024, 7, 5)
    assert round_.directorates_due_on == datetime.date(2024, 7, 10)
    assert round_.opened_by == secretary and round_.is_open
    assert round_.history.count() == 1


def test_the_due_dates_skip_the_holidays_after_the_month(monitored, secretary, today):
    # April 2024 ends on a Tuesday; Good Friday (3 May), Easter Monday (6 May) and Labour Day,
    # moved that year from 1 May in Holy Week to Tuesday 7 May, follow.
    today(datetime.date(2024, 5, 2))
    round_ = open_round(
        by=secretary,
        period=datetime.date(2024, 4, 1),
        department_working_days=2,
        directorate_working_days=3,
    )
    assert round_.departments_due_on == datetime.date(2024, 5, 2)
    assert round_.directorates_due_on == datetime.date(2024, 5, 8)


def test_a_second_round_for_the_same_month_is_refused_in_the_form(
    monitored, secretary, client_for, today
):
    ReportingRoundFactory(cycle=monitored.cycle, closed=True)
    response = client_for(secretary).post(
        reverse("goals:round_create"),
        {"month": 6, "year": 2024, "department_working_days": 5, "directorate_working_days": 8},
    )
    assert response.status_code == 200
    assert "Υπάρχει ήδη κύκλος αναφοράς για τον μήνα Ιούνιος 2024." in (
        response.context["form"].non_field_errors()
    )
    assert ReportingRound.objects.count() == 1


def test_the_directorates_must_have_more_working_days_than_their_departments(
    monitored, secretary, client_for, today
):
    response = client_for(secretary).post(
        reverse("goals:round_create"),
        {"month": 6, "year": 2024, "department_working_days": 8, "directorate_working_days": 8},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["directorate_working_days"]
    assert not ReportingRound.objects.exists()


def test_a_round_needs_a_monitored_cycle_of_its_year(monitored, secretary, today):
    with pytest.raises(ValidationError, match="2023"):
        open_round(
            by=secretary,
            period=datetime.date(2023, 12, 1),
            department_working_days=5,
            directorate_working_days=8,
        )


def test_a_round_for_a_month_not_begun_is_refused(monitored, secretary, today):
    with pytest.raises(ValidationError):
        open_round(
            by=secretary,
            period=datetime.date(2024, 8, 1),
            department_working_days=5,
            directorate_working_days=8,
        )


def test_only_the_general_secretary_opens_a_round(monitored, head_of_planning, today):
    with pytest.raises(ValidationError):
        open_round(
            by=head_of_planning, period=JUNE, department_working_days=5, directorate_working_days=8
        )


@pytest.mark.parametrize("person", ["head_of_planning", "head_of_department", "mayor", "staff"])
def test_the_round_pages_are_refused_to_everyone_but_the_general_secretary(
    person, request, monitored, client_for, today
):
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    client = client_for(request.getfixturevalue(person))
    for url in [
        reverse("goals:rounds"),
        reverse("goals:round_create"),
        reverse("goals:round", args=[round_.pk]),
    ]:
        assert client.get(url).status_code == 403
    assert client.post(reverse("goals:round_close", args=[round_.pk])).status_code == 403
    assert ReportingRound.objects.get().is_open


# --- The tracker ------------------------------------------------------------------------------
def test_the_tracker_tells_reported_late_and_awaited_units(monitored, today):
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    reported(
        monitored.goal,
        allocation=monitored.allocation,
        on=datetime.date(2024, 6, 28),
        at=datetime.date(2024, 7, 3),
    )
    reported(monitored.goal, on=datetime.date(2024, 6, 30), at=datetime.date(2024, 7, 9))
    reported(monitored.finance_goal, on=datetime.date(2024, 6, 30), at=datetime.date(2024, 7, 11))
    # A May figure is not June's.
    reported(monitored.other_goal, on=datetime.date(2024, 5, 31), at=datetime.date(2024, 6, 3))

    groups = {g["directorate"].code: g for g in round_tracker(round_, datetime.date(2024, 7, 12))}
    planning, finance = groups["PROG"], groups["OIK"]
    assert (planning["report"].reported, planning["report"].expected) == (1, 2)
    assert planning["report"].state == "late"
    assert planning["departments"][0].state == "reported"
    assert finance["report"].state == "reported_late"
    early = {g["directorate"].code: g for g in round_tracker(round_, datetime.date(2024, 7, 8))}
    assert early["PROG"]["report"].state == "awaited"


def test_an_allocated_goal_is_answered_once_all_its_departments_reported(monitored, today):
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    reported(
        monitored.goal,
        allocation=monitored.allocation,
        on=datetime.date(2024, 6, 30),
        at=datetime.date(2024, 7, 4),
    )
    planning = {g["directorate"].code: g for g in round_tracker(round_)}["PROG"]
    # PROG-01 through its department; PROG-02, not allocated, still owes its figure.
    assert (planning["report"].reported, planning["report"].late) == (1, 0)


def test_the_tracker_names_who_answers_for_each_unit(
    monitored, acting_head_of_planning, head_of_department
):
    # The acting head's appointment is in force on the real today.
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    groups = {g["directorate"].code: g for g in round_tracker(round_)}
    planning = groups["PROG"]
    assert planning["report"].answers.person == acting_head_of_planning
    assert planning["report"].answers.capacity == "acting"
    assert planning["departments"][0].answers.person == head_of_department


def test_a_department_without_a_head_answers_through_its_directorate(
    monitored, head_of_planning, today
):
    headless = DepartmentFactory(directorate=monitored.goal.directorate, code="PROG-MEL")
    AllocationFactory(goal=monitored.other_goal, department=headless)
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    planning = {g["directorate"].code: g for g in round_tracker(round_)}["PROG"]
    answers = {r.unit.code: r.answers for r in planning["departments"]}
    assert answers["PROG-MEL"].person == head_of_planning
    assert answers["PROG-MEL"].capacity == "above"


def test_the_tracker_page_runs_a_constant_number_of_queries(
    monitored, secretary, client_for, today, django_assert_num_queries
):
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    client = client_for(secretary)
    url = reverse("goals:round", args=[round_.pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    for number in range(6):
        directorate = DirectorateFactory(code=f"D{number}")
        directorate.head = UserFactory(directorate=directorate)
        directorate.save()
        department = DepartmentFactory(directorate=directorate, code=f"D{number}-T")
        department.head = UserFactory(directorate=directorate, department=department)
        department.save()
        goal = GoalFactory(cycle=monitored.cycle, directorate=directorate, status="adopted")
        allocation = AllocationFactory(goal=goal, department=department)
        reported(goal, allocation=allocation, on=JUNE, at=datetime.date(2024, 7, 1))
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert len(response.context["groups"]) == 8
    assert "Ιούνιος 2024" in response.text


# --- Closing and locking ----------------------------------------------------------------------
def test_closing_a_round_locks_the_figures_of_its_month(
    monitored, secretary, head_of_department, client_for, today
):
    today(datetime.date(2024, 7, 12))
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    response = client_for(secretary).post(reverse("goals:round_close", args=[round_.pk]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.is_closed and round_.closed_by == secretary and round_.closed_at
    with pytest.raises(ValidationError) as refusal:
        record_progress(
            goal=monitored.goal,
            allocation=monitored.allocation,
            by=head_of_department,
            value=130,
            measured_on=datetime.date(2024, 6, 30),
            status="on_track",
        )
    assert refusal.value.code == "measured_in_closed_round"
    # July is not locked.
    record_progress(
        goal=monitored.goal,
        allocation=monitored.allocation,
        by=head_of_department,
        value=130,
        measured_on=datetime.date(2024, 7, 2),
        status="on_track",
    )
    assert ProgressUpdate.objects.count() == 1


def test_the_progress_form_says_the_round_is_closed(
    monitored, head_of_department, client_for, today
):
    today(datetime.date(2024, 7, 12))
    ReportingRoundFactory(cycle=monitored.cycle, closed=True)
    response = client_for(head_of_department).post(
        reverse("goals:progress", args=[monitored.goal.pk]),
        {
            "allocation": monitored.allocation.pk,
            "value": "130",
            "measured_on": "2024-06-30",
            "status": "on_track",
        },
    )
    assert response.status_code == 200
    assert "Ο κύκλος αναφοράς Ιούνιος 2024 έχει κλείσει" in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_round_closes_only_once_its_month_is_over(monitored, secretary, today):
    today(datetime.date(2024, 6, 30))
    round_ = ReportingRoundFactory(cycle=monitored.cycle)
    with pytest.raises(ValidationError):
        close_round(round_=round_, by=secretary)
    today(datetime.date(2024, 7, 1))
    close_round(round_=round_, by=secretary)
    with pytest.raises(ValidationError):
        close_round(round_=round_, by=secretary)
    assert round_.history.count() == 2


# --- Closed rounds in Django admin: the same lock -------------------------------------------
def admin_change_data(update, **changes) -> dict:
    data = {
        "goal": update.goal_id,
        "allocation": update.allocation_id or "",
        "value": str(update.value),
        "measured_on": update.measured_on.strftime("%d/%m/%Y"),
        "status": update.status,
        "author": update.author_id or "",
        "comment": update.comment,
    }
    return {**data, **changes}


@pytest.fixture
def june_closed(monitored, today):
    """June 2024's round closed, with an update of PROG-01 measured in June and one in July."""
    today(datetime.date(2024, 7, 12))
    ReportingRoundFactory(cycle=monitored.cycle, closed=True)
    june = ProgressUpdateFactory(goal=monitored.goal, measured_on=datetime.date(2024, 6, 28))
    july = ProgressUpdateFactory(goal=monitored.goal, measured_on=datetime.date(2024, 7, 2))
    return june, july


def test_admin_shows_an_update_of_a_closed_round_read_only(client_for, admin_user, june_closed):
    june, july = june_closed
    client = client_for(admin_user)

    page = client.get(reverse("admin:goals_progressupdate_change", args=[june.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # viewed, not edited
    changed = client.post(
        reverse("admin:goals_progressupdate_change", args=[june.pk]),
        admin_change_data(june, value="999"),
    )
    assert changed.status_code == 403
    deleted = client.post(
        reverse("admin:goals_progressupdate_delete", args=[june.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    june.refresh_from_db()
    assert june.value == 120

    # July's round is not closed: its update is edited as before.
    open_page = client.get(reverse("admin:goals_progressupdate_change", args=[july.pk]))
    assert 'name="_save"' in open_page.text


def test_admin_refuses_to_date_an_update_in_a_closed_round_s_month_in_greek(
    client_for, admin_user, june_closed
):
    _june, july = june_closed

    response = client_for(admin_user).post(
        reverse("admin:goals_progressupdate_change", args=[july.pk]),
        admin_change_data(july, measured_on="30/06/2024"),
    )

    assert response.status_code == 200
    assert "Ο κύκλος αναφοράς Ιούνιος 2024 έχει κλείσει" in response.text
    july.refresh_from_db()
    assert july.measured_on == datetime.date(2024, 7, 2)


def test_admin_bulk_deletion_leaves_a_closed_round_s_updates(client_for, admin_user, june_closed):
    june, july = june_closed

    response = client_for(admin_user).post(
        reverse("admin:goals_progressupdate_changelist"),
        {"action": "delete_selected", "_selected_action": [june.pk, july.pk], "post": "yes"},
    )

    assert response.status_code == 403  # one of them may not be deleted: none is
    assert set(ProgressUpdate.objects.values_list("pk", flat=True)) == {june.pk, july.pk}


def test_admin_locks_a_further_indicator_s_value_with_its_update(
    client_for, admin_user, june_closed
):
    june, july = june_closed
    indicator = GoalIndicatorFactory(goal=june.goal)
    value = IndicatorValue.objects.create(update=june, indicator=indicator, value=70)
    client = client_for(admin_user)

    page = client.get(reverse("admin:goals_indicatorvalue_change", args=[value.pk]))
    assert 'name="_save"' not in page.text
    added = client.post(
        reverse("admin:goals_indicatorvalue_add"),
        {"update": june.pk, "indicator": indicator.pk, "value": "80", "_save": "1"},
    )
    assert added.status_code == 200
    assert "Ο κύκλος αναφοράς Ιούνιος 2024 έχει κλείσει" in added.text
    assert IndicatorValue.objects.count() == 1
    # For July's update the value is added as before.
    added = client.post(
        reverse("admin:goals_indicatorvalue_add"),
        {"update": july.pk, "indicator": indicator.pk, "value": "80", "_save": "1"},
    )
    assert added.status_code == 302
