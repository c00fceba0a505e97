"""Every form of the goals app, fed the hostile corpus of tests/hostile.py.

Each form is filled from its own page (see form_pages.py), as the person who may use it, with
the hostile value in its text fields (or its number and date fields, or a field missing or
doubled): never a 500, the input shown back only escaped, and either nothing stored at all (every
row of the app, history included, as before) or the value stored whole.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.services.cycles import open_evaluation
from goals.services.decisions import prepare_decision
from tests.factories import (
    GoalCycleFactory,
    GoalFactory,
    MayoralDecisionFactory,
    ObservationFactory,
)
from tests.hostile import (
    HOSTILE_TEXTS,
    INVALID_DATES,
    INVALID_NUMBERS,
    assert_no_server_error,
    text_id,
)
from tests.security.form_pages import (
    fields_of_kind,
    filled,
    form_on,
    open_form,
    post_and_check,
    snapshot,
    text_fields,
)

pytestmark = pytest.mark.django_db

APPS = ("goals",)


def _open(request):
    cycle = GoalCycleFactory(year=2024, open=True)
    planning = request.getfixturevalue("planning")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01")
    return cycle, goal


def goal_create(request):
    _open(request)
    url = reverse("goals:create")
    return request.getfixturevalue("secretary"), url, url


def goal_update(request):
    _cycle, goal = _open(request)
    url = reverse("goals:update", args=[goal.pk])
    return request.getfixturevalue("secretary"), url, url


def observe(request):
    _cycle, goal = _open(request)
    head = request.getfixturevalue("head_of_planning")
    url = reverse("goals:observe", args=[goal.pk])
    return head, url, url


def observe_general(request):
    _open(request)
    url = reverse("goals:observe_general")
    return request.getfixturevalue("head_of_planning"), url, url


def answer(request):
    _cycle, goal = _open(request)
    request.getfixturevalue("head_of_planning")
    observation = ObservationFactory(goal=goal)
    page = reverse("goals:observation", args=[observation.pk])
    action = reverse("goals:answer", args=[observation.pk])
    return request.getfixturevalue("secretary"), page, action


def cycle_create(request):
    url = reverse("goals:cycle_create")
    return request.getfixturevalue("secretary"), url, url


def cycle_update(request):
    cycle, _goal = _open(request)
    url = reverse("goals:cycle_update", args=[cycle.pk])
    return request.getfixturevalue("secretary"), url, url


def decision_create(request):
    _open(request)
    secretary = request.getfixturevalue("secretary")
    return secretary, reverse("goals:decisions"), reverse("goals:decision_create")


def decision_update(request):
    cycle, _goal = _open(request)
    decision = MayoralDecisionFactory(cycle=cycle)
    url = reverse("goals:decision_update", args=[decision.pk])
    return request.getfixturevalue("secretary"), url, url


def amendment_goal(request):
    adopted = request.getfixturevalue("adopted")
    secretary = request.getfixturevalue("secretary")
    draft = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    url = reverse("goals:amendment_goal", args=[draft.pk, adopted.goal.pk])
    return secretary, url, url


def allocate(request):
    adopted = request.getfixturevalue("adopted")
    url = reverse("goals:allocate", args=[adopted.goal.pk])
    return request.getfixturevalue("head_of_planning"), url, url


def progress(request):
    adopted = request.getfixturevalue("adopted")
    url = reverse("goals:progress", args=[adopted.goal.pk])
    return request.getfixturevalue("head_of_planning"), url, url


def evaluate(request):
    adopted = request.getfixturevalue("adopted")
    secretary = request.getfixturevalue("secretary")
    open_evaluation(cycle=adopted.cycle, by=secretary)
    url = reverse("goals:evaluate", args=[adopted.goal.pk])
    return secretary, url, url


FORMS = [
    goal_create,
    goal_update,
    observe,
    observe_general,
    answer,
    cycle_create,
    cycle_update,
    decision_create,
    decision_update,
    amendment_goal,
    allocate,
    progress,
    evaluate,
]


# Forms of numbers, dates and choices only: the hostile text has no field to go in. Declared
# here, so that no form is opened for the whole corpus only to find that out; a test below
# fails when one of them gains a text field.
WITHOUT_FREE_TEXT = [cycle_create, cycle_update, decision_create]
WITH_FREE_TEXT = [form for form in FORMS if form not in WITHOUT_FREE_TEXT]


@pytest.fixture(params=FORMS, ids=lambda f: f.__name__)
def a_form(request, client_for):
    return open_form(request.param, request, client_for, APPS)


@pytest.fixture(params=WITH_FREE_TEXT, ids=lambda f: f.__name__)
def a_form_with_text(request, client_for):
    return open_form(request.param, request, client_for, APPS)


@pytest.mark.parametrize("value", HOSTILE_TEXTS, ids=text_id)
def test_goals_forms_survive_hostile_text(a_form_with_text, value):
    fields = text_fields(a_form_with_text.form)
    assert fields, "no free-text field: list the form in WITHOUT_FREE_TEXT"
    post_and_check(a_form_with_text, filled(a_form_with_text.form, value, fields), value)


@pytest.mark.parametrize("builder", WITHOUT_FREE_TEXT, ids=lambda f: f.__name__)
def test_forms_spared_the_hostile_text_have_no_free_text_field(request, client_for, builder):
    a_form = open_form(builder, request, client_for, APPS)

    assert text_fields(a_form.form) == [], "a text field now: take the form off WITHOUT_FREE_TEXT"


@pytest.mark.parametrize("value", [*INVALID_NUMBERS, *INVALID_DATES])
def test_goals_forms_survive_invalid_numbers_and_dates(a_form, value):
    # Hidden fields too: version stamps and ids are numbers a forger can change.
    fields = fields_of_kind(a_form.form, "number", "date", "hidden")
    fields = [name for name in fields if not name.endswith("_FORMS")]
    post_and_check(a_form, filled(a_form.form, value, fields), None)


def test_goals_forms_survive_missing_and_doubled_fields(a_form):
    for name in a_form.form["data"]:
        data = filled(a_form.form, "", [])
        post_and_check(a_form, {k: v for k, v in data.items() if k != name}, None)
        doubled = {**data, name: [*a_form.form["data"][name], "<b>x</b>"]}
        response = post_and_check(a_form, doubled, None)
        assert "<b>x</b>" not in response.content.decode()


# --- Spreadsheet imports: broken files -------------------------------------------------------
BROKEN_FILES = {
    "not-a-zip": ("goals.xlsx", b"this is not a spreadsheet at all"),
    "empty": ("goals.xlsx", b""),
    "huge-name": ("<script>alert(1)</script>" + "α" * 5000 + ".xlsx", b"PK\x03\x04broken"),
    "zip-not-xlsx": (
        "goals.xlsx",
        b"PK\x05\x06" + b"\x00" * 18,  # an empty zip archive
    ),
    "csv-binary": ("goals.csv", b"\xff\xfe\x00\x00<script>alert(1)</script>\x00"),
    "nul-name": ("a\x00b.xlsx", b"not a zip"),
}


@pytest.mark.parametrize("broken", BROKEN_FILES, ids=str)
@pytest.mark.parametrize("view", ["goals:import", "goals:progress_import"])
def test_imports_refuse_broken_files(request, client_for, view, broken):
    if view == "goals:import":
        _open(request)
        user = request.getfixturevalue("secretary")
    else:
        request.getfixturevalue("adopted")
        user = request.getfixturevalue("head_of_planning")
    client = client_for(user)
    url = reverse(view)
    page = client.get(url)
    assert page.status_code == 200
    form = form_on(page.content.decode(), url)
    name, content = BROKEN_FILES[broken]
    data = filled(form, "", [])
    data.pop("file", None)
    before = snapshot(*APPS)

    response = client.post(url, {**data, "file": SimpleUploadedFile(name, content)})

    assert_no_server_error(response)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert response.status_code != 302 or "confirm" in response.url
    assert snapshot(*APPS) == before
