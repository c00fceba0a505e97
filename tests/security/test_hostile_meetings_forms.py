"""Every form of the meetings app, fed the hostile corpus of tests/hostile.py.

As for the goals (test_hostile_goals_forms.py): each form filled from its own page, as the
person who may use it; never a 500, the input shown back only escaped, nothing stored half-way.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingSeries, Minutes
from tests.factories import AgendaItemFactory, MeetingFactory
from tests.hostile import (
    HOSTILE_TEXTS,
    INVALID_DATES,
    INVALID_NUMBERS,
    text_id,
)
from tests.security.form_pages import (
    fields_of_kind,
    filled,
    open_form,
    post_and_check,
    text_fields,
)

pytestmark = pytest.mark.django_db

APPS = ("meetings",)


def _people(request):
    for name in ("deputy", "mayor", "head_of_planning", "head_of_finance"):
        request.getfixturevalue(name)
    return request.getfixturevalue("secretary")


def _coming(request):
    _people(request)
    return MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=7))


def _held(request):
    _people(request)
    meeting = MeetingFactory(
        date=timezone.localdate() - datetime.timedelta(days=14), status=Meeting.Status.HELD
    )
    Minutes.objects.create(meeting=meeting)
    AgendaItemFactory(meeting=meeting, title="Πληρωμές προμηθευτών")
    return meeting


def series_create(request):
    url = reverse("meetings:series_create")
    return _people(request), url, url


def series_update(request):
    secretary = _people(request)
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    series = services.create_series(
        series=MeetingSeries(first_date=monday, count=3), by=secretary, notify=False
    )
    url = reverse("meetings:series_update", args=[series.pk])
    return secretary, url, url


def meeting_update(request):
    meeting = _coming(request)
    url = reverse("meetings:update", args=[meeting.pk])
    return request.getfixturevalue("secretary"), url, url


def meeting_cancel(request):
    meeting = _coming(request)
    url = reverse("meetings:cancel", args=[meeting.pk])
    return request.getfixturevalue("secretary"), url, url


def agenda_add(request):
    meeting = _coming(request)
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    return request.getfixturevalue("secretary"), url, url


def agenda_edit(request):
    meeting = _coming(request)
    item = AgendaItemFactory(meeting=meeting, title="Θέμα")
    url = reverse("meetings:agenda_edit", args=[item.pk])
    return request.getfixturevalue("secretary"), url, url


def attendance(request):
    meeting = _held(request)
    url = reverse("meetings:attendance", args=[meeting.pk])
    return request.getfixturevalue("secretary"), url, url


def minutes(request):
    meeting = _held(request)
    url = reverse("meetings:minutes", args=[meeting.pk])
    return request.getfixturevalue("secretary"), url, url


def action_add(request):
    meeting = _held(request)
    url = reverse("meetings:action_add", args=[meeting.pk])
    return request.getfixturevalue("secretary"), url, url


FORMS = [
    series_create,
    series_update,
    meeting_update,
    meeting_cancel,
    agenda_add,
    agenda_edit,
    attendance,
    minutes,
    action_add,
]


# Which forms have no field of a kind is declared here, so that no form is opened for a whole
# list of values only to find that out; the tests below fail when one of them gains such a field.
WITHOUT_FREE_TEXT = [attendance]
WITH_FREE_TEXT = [form for form in FORMS if form not in WITHOUT_FREE_TEXT]
WITHOUT_NUMBERS_OR_CHOICES = [meeting_cancel]  # one text field (the reason), nothing else
WITH_NUMBERS_OR_CHOICES = [form for form in FORMS if form not in WITHOUT_NUMBERS_OR_CHOICES]
NUMBER_DATE_OR_CHOICE = ("number", "date", "time", "hidden", "select", "radio")


def numbers_and_choices(form: dict) -> list[str]:
    fields = fields_of_kind(form, *NUMBER_DATE_OR_CHOICE)
    return [name for name in fields if not name.endswith("_FORMS")]


@pytest.fixture(params=FORMS, ids=lambda f: f.__name__)
def a_form(request, client_for):
    return open_form(request.param, request, client_for, APPS)


@pytest.fixture(params=WITH_FREE_TEXT, ids=lambda f: f.__name__)
def a_form_with_text(request, client_for):
    return open_form(request.param, request, client_for, APPS)


@pytest.fixture(params=WITH_NUMBERS_OR_CHOICES, ids=lambda f: f.__name__)
def a_form_with_numbers(request, client_for):
    return open_form(request.param, request, client_for, APPS)


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_meetings_forms_survive_hostile_text(a_form_with_text, value):
    fields = text_fields(a_form_with_text.form)
    assert fields, "no free-text field: list the form in WITHOUT_FREE_TEXT"
    post_and_check(a_form_with_text, filled(a_form_with_text.form, value, fields), value)


@pytest.mark.parametrize("value", [*INVALID_NUMBERS, *INVALID_DATES])
def test_meetings_forms_survive_invalid_numbers_and_dates(a_form_with_numbers, value):
    fields = numbers_and_choices(a_form_with_numbers.form)
    assert fields, "no number, date or choice field: list the form in WITHOUT_NUMBERS_OR_CHOICES"
    post_and_check(a_form_with_numbers, filled(a_form_with_numbers.form, value, fields), None)


@pytest.mark.parametrize("builder", WITHOUT_FREE_TEXT, ids=lambda f: f.__name__)
def test_forms_spared_the_hostile_text_have_no_free_text_field(request, client_for, builder):
    a_form = open_form(builder, request, client_for, APPS)

    assert text_fields(a_form.form) == [], "a text field now: take the form off WITHOUT_FREE_TEXT"


@pytest.mark.parametrize("builder", WITHOUT_NUMBERS_OR_CHOICES, ids=lambda f: f.__name__)
def test_forms_spared_the_invalid_numbers_have_no_number_or_choice(request, client_for, builder):
    a_form = open_form(builder, request, client_for, APPS)

    assert numbers_and_choices(a_form.form) == [], (
        "a number, date or choice field now: take the form off WITHOUT_NUMBERS_OR_CHOICES"
    )


def test_meetings_forms_survive_missing_and_doubled_fields(a_form):
    for name in a_form.form["data"]:
        data = filled(a_form.form, "", [])
        post_and_check(a_form, {k: v for k, v in data.items() if k != name}, None)
        doubled = {**data, name: [*a_form.form["data"][name], "<b>x</b>"]}
        response = post_and_check(a_form, doubled, None)
        assert "<b>x</b>" not in response.content.decode()
