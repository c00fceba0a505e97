"""Working days skip weekends, the Greek public holidays and the municipality's own."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from directorates.models import Municipality
from directorates.models.municipality import validate_local_holidays
from directorates.workdays import (
    add_working_days,
    due_after,
    is_working_day,
    local_holidays,
    reasons_between,
    working_days_before,
)

D = datetime.date


def test_easter_monday_is_not_a_working_day():
    # Orthodox Easter 2025: Sunday 20 April; Good Friday 18 April, Easter Monday 21 April.
    assert not is_working_day(D(2025, 4, 21), {})
    assert add_working_days(D(2025, 4, 17), 1, {}) == D(2025, 4, 22)


def test_whit_monday_is_not_a_working_day():
    # Whit Monday (Αγίου Πνεύματος) 2025: 9 June, fifty days after Easter.
    assert add_working_days(D(2025, 6, 6), 1, {}) == D(2025, 6, 10)


def test_the_dormition_on_15_august_is_skipped():
    # Friday 15 August 2025: the next working day after Thursday is Monday.
    assert add_working_days(D(2025, 8, 14), 1, {}) == D(2025, 8, 18)


def test_the_28_october_is_skipped():
    assert add_working_days(D(2025, 10, 27), 1, {}) == D(2025, 10, 29)
    assert add_working_days(D(2025, 10, 27), 3, {}) == D(2025, 10, 31)


def test_the_local_holiday_counts_only_where_the_municipality_keeps_it():
    # Saint Minas, Tuesday 11 November 2025: a holiday in Heraklion, not in Greece.
    assert add_working_days(D(2025, 11, 10), 1, {}) == D(2025, 11, 11)
    assert add_working_days(D(2025, 11, 10), 1, {(11, 11): "Άγιος Μηνάς"}) == D(2025, 11, 12)


def test_a_due_date_counts_from_the_end_of_the_month():
    # October 2025 ends on a Friday; the 1st working day after it is Monday 3 November.
    assert due_after(D(2025, 10, 1), 1, {}) == D(2025, 11, 3)
    # March 2025: 25 March is a holiday inside the month; April's first five working days.
    assert due_after(D(2025, 3, 1), 5, {}) == D(2025, 4, 7)


def test_heraklions_local_holiday_is_kept_as_data(db):
    assert local_holidays() == {(11, 11): "Άγιος Μηνάς, πολιούχος Ηρακλείου"}


def test_the_local_holidays_are_read_from_the_municipality_s_record_with_their_names(db):
    municipality = Municipality.load()
    municipality.local_holidays = "11/11 Άγιος Μηνάς\n\n6/12 - Άγιος Νικόλαος\n1/3"
    municipality.save()

    assert local_holidays() == {
        (11, 11): "Άγιος Μηνάς",
        (6, 12): "Άγιος Νικόλαος",
        (1, 3): "τοπική εορτή",
    }


def test_counting_back_skips_the_same_days():
    # Thursday 13 November 2025, two working days back: Monday 10 (Saint Minas on the 11th).
    assert working_days_before(D(2025, 11, 13), 2, {(11, 11): "Άγιος Μηνάς"}) == D(2025, 11, 10)
    assert working_days_before(D(2025, 11, 13), 2, {}) == D(2025, 11, 11)


def test_the_reasons_of_a_move_name_each_holiday_once_in_order():
    with translation.override("el"):
        reasons = reasons_between(D(2026, 12, 25), D(2026, 12, 28), {})
    assert reasons == "Χριστούγεννα, Σύναξη της Υπεραγίας Θεοτόκου, Σαββατοκύριακο"


@pytest.mark.parametrize("text", ["Άγιος Μηνάς 11/11", "31/2 Ανύπαρκτη", "11-11 Άγιος Μηνάς"])
def test_a_local_holiday_line_must_start_with_a_real_day_and_month(text):
    with pytest.raises(ValidationError):
        validate_local_holidays(text)


def test_local_holidays_lines_with_a_day_and_month_are_accepted():
    validate_local_holidays("11/11 Άγιος Μηνάς\n\n29/2 Δίσεκτη")
