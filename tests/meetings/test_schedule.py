import datetime

import pytest
from django.utils import translation

from directorates import workdays
from directorates.models import Municipality
from meetings.models import MeetingSeries
from meetings.services import plan_series

# Planning a series reads the municipality's calendar (its local holidays are data).
pytestmark = pytest.mark.django_db

D = datetime.date


def plan(first, **kwargs):
    kwargs.setdefault("count", 6)
    return plan_series(MeetingSeries(first_date=first, **kwargs))


def test_fortnightly_meetings_keep_the_weekday_two_weeks_apart():
    dates = [p.date for p in plan(D(2025, 9, 1), count=5)]
    assert dates == [
        D(2025, 9, 1),
        D(2025, 9, 15),
        D(2025, 9, 29),
        D(2025, 10, 13),
        D(2025, 10, 27),
    ]
    assert {d.weekday() for d in dates} == {0}


def test_any_number_of_days_can_be_chosen():
    series = MeetingSeries(first_date=D(2025, 9, 1), interval=10, frequency="daily", count=3)
    assert [p.planned_date for p in plan_series(series)] == [
        D(2025, 9, 1),
        D(2025, 9, 11),
        D(2025, 9, 21),
    ]


def test_a_series_ends_on_its_last_date():
    dates = [p.date for p in plan(D(2025, 9, 1), count=None, until=D(2025, 10, 13))]
    assert dates[-1] == D(2025, 10, 13)
    assert len(dates) == 4


def test_the_mayor_attends_the_first_meeting_of_each_month():
    meetings = plan(D(2025, 9, 1), count=6)
    mayor = [(p.date, p.mayor_attends) for p in meetings]
    assert mayor == [
        (D(2025, 9, 1), True),
        (D(2025, 9, 15), False),
        (D(2025, 9, 29), False),
        (D(2025, 10, 13), True),
        (D(2025, 10, 27), False),
        (D(2025, 11, 10), True),
    ]


def test_the_mayor_rule_can_be_switched_off_for_a_series():
    assert not any(p.mayor_attends for p in plan(D(2025, 9, 1), mayor_monthly=False))


def test_easter_monday_moves_to_the_next_working_day():
    # 2025-04-21 is Easter Monday (Orthodox); the series runs on Mondays from 7 April.
    meetings = plan(D(2025, 4, 7), count=2)
    assert meetings[1].planned_date == D(2025, 4, 21)
    assert meetings[1].date == D(2025, 4, 22)


def test_a_move_skips_several_holidays_in_a_row():
    # 2024: Easter Monday on 6 May, and Labour Day moved to Tuesday 7 May.
    meetings = plan(D(2024, 4, 22), count=2)
    assert meetings[1].date == D(2024, 5, 8)
    with translation.override("el"):
        assert workdays.reason_not_working_day(D(2024, 5, 6), {}) == "Δευτέρα του Πάσχα"


def test_saint_minas_is_a_holiday_in_heraklion():
    meetings = plan(D(2024, 10, 28), count=2)
    # 28 October (Ohi Day) and 11 November (Saint Minas) are both Mondays in 2024.
    assert [p.date for p in meetings] == [D(2024, 10, 29), D(2024, 11, 12)]
    local = workdays.local_holidays()  # the municipality's record, as kept in admin
    assert workdays.reason_not_working_day(D(2024, 11, 11), local) == (
        "Άγιος Μηνάς, πολιούχος Ηρακλείου"
    )


def test_the_meetings_keep_the_local_holidays_the_municipality_keeps_in_its_record():
    municipality = Municipality.load()
    municipality.local_holidays = "15/9 Τοπική εορτή"
    municipality.save()

    meetings = plan(D(2025, 9, 1), count=3)

    assert meetings[1].date == D(2025, 9, 16)
    local = workdays.local_holidays()
    assert workdays.reason_not_working_day(D(2025, 9, 15), local) == "Τοπική εορτή"
    assert workdays.reason_not_working_day(D(2025, 11, 11), local) == ""


def test_a_weekend_date_moves_to_monday():
    with translation.override("en"):
        assert workdays.reason_not_working_day(D(2025, 9, 6), {}) == "weekend"
    assert workdays.next_working_day(D(2025, 9, 6), {}) == D(2025, 9, 8)


@pytest.mark.parametrize("count", [500, 1000])
def test_a_series_is_capped(count):
    assert len(plan(D(2025, 1, 1), count=count, interval=1, frequency="daily")) == 200
