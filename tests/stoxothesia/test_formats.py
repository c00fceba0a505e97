"""Dates and times as the municipality writes them: genitive months, 24-hour times, day first."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, time_format

MONDAY = datetime.datetime(2026, 12, 14, 10, 0)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load i18n %}" + source).render(Context(context))


def test_greek_date_puts_the_month_in_the_genitive():
    with translation.override("el"):
        assert date_format(MONDAY, "DATE_FORMAT") == "14 Δεκεμβρίου 2026"
        assert date_format(MONDAY, "l j E Y") == "Δευτέρα 14 Δεκεμβρίου 2026"


@pytest.mark.parametrize("language", ["el", "en"])
def test_times_are_written_in_24_hours(language):
    afternoon = datetime.time(15, 30)
    with translation.override(language):
        assert time_format(afternoon) == "15:30"
        assert date_format(MONDAY, "DATETIME_FORMAT").endswith(", 10:00")
        assert date_format(MONDAY, "SHORT_DATETIME_FORMAT") == "14/12/2026 10:00"


def test_english_dates_put_the_day_first():
    with translation.override("en"):
        assert date_format(MONDAY, "DATE_FORMAT") == "14 December 2026"
        assert date_format(MONDAY, "SHORT_DATE_FORMAT") == "14/12/2026"


def test_templates_take_the_project_formats():
    source = '{{ when|date:"DATE_FORMAT" }} {{ when|time:"TIME_FORMAT" }}'
    assert render(source, "el", when=MONDAY) == "14 Δεκεμβρίου 2026 10:00"
    assert render(source, "en", when=MONDAY) == "14 December 2026 10:00"


def test_english_forms_read_dates_day_first():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("03/04/2026") == datetime.date(2026, 4, 3)
