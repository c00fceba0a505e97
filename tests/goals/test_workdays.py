"""Working days skip weekends, the Greek public holidays and the municipality's own."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from directorates.models import Municipality
from directorates.models.municipality import validate_local_holidays
from goals.workdays import add_working_days, due_after, is_working_day

D = datetime.date


def test_easter_monday_is_not_a_working_day():
    # Orthodox Easter 2025: Sunday 20 April; Good Friday 18 April, Easter Monday 21 April.
    assert not is_working_day(D(2025, 4, 21))
    assert add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)


def test_whit_monday_is_not_a_working_day():
    # Whit Monday (Αγίου Πνεύματος) 2025: 9 June, fifty days after Easter.
    assert add_working_days(D(2025, 6, 6), 1) == D(2025, 6, 10)


def test_the_dormition_on_15_august_is_skipped():
    # Friday 15 August 2025: the next working day after Thursday is Monday.
    assert add_working_days(D(2025, 8, 14), 1) == D(2025, 8, 18)


def test_the_28_october_is_skipped():
    assert add_working_days(D(2025, 10, 27), 1) == D(2025, 10, 29)
    assert add_working_days(D(2025, 10, 27), 3) == D(2025, 10, 31)


def test_the_local_holiday_counts_only_where_the_municipality_keeps_it():
    # Saint Minas, Tuesday 11 November 2025: a holiday in Heraklion, not in Greece.
    assert add_working_days(D(2025, 11, 10), 1) == D(2025, 11, 11)
    assert add_working_days(D(2025, 11, 10), 1, local=[(11, 11)]) == D(2025, 11, 12)


def test_a_due_date_counts_from_the_end_of_the_month():
    # October 2025 ends on a Friday; the 1st working day after it is Monday 3 November.
    assert due_after(D(2025, 10, 1), 1) == D(2025, 11, 3)
    # March 2025: 25 March is a holiday inside the month; April's first five working days.
    assert due_after(D(2025, 3, 1), 5) == D(2025, 4, 7)


def test_heraklions_local_holiday_is_kept_as_data(db):
    assert Municipality.load().local_holiday_days == [(11, 11)]


@pytest.mark.parametrize("text", ["Άγιος Μηνάς 11/11", "31/2 Ανύπαρκτη", "11-11 Άγιος Μηνάς"])
def test_a_local_holiday_line_must_start_with_a_real_day_and_month(text):
    with pytest.raises(ValidationError):
        validate_local_holidays(text)


def test_local_holidays_lines_with_a_day_and_month_are_accepted():
    validate_local_holidays("11/11 Άγιος Μηνάς\n\n29/2 Δίσεκτη")
