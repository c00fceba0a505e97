"""An amendment changes everything about an adopted goal: its further indicators (added, dropped,
changed, the weights still adding up to 100), its code, its participating directorates and its
budget code; each decision's goal version freezes them, and the documents show them."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import GoalIndicator, GoalVersion, GoalVersionIndicator, IndicatorValue
from goals.services.decisions import (
    post_decision,
    prepare_correction,
    prepare_decision,
    propose_goal_change,
    sign_decision,
)
from goals.services.monitoring import store_achievement
from goals.services.revision import override_revision_window
from tests.factories import (
    GoalCycleFactory,
    GoalFactory,
    GoalIndicatorFactory,
    ProgressUpdateFactory,
    issued_adoption,
)

JULY = datetime.date(2024, 7, 1)
WEIGHTS_REFUSAL = "αθροίζουν 100"  # the goal form's message on the weights, in Greek


@pytest.fixture
def measured(mayor, planning, finance, planning_department):
    """The 2024 cycle adopted by decision 12/2024; `goal` (PROG-01, increase 100 → 150) is
    measured also by `satisfaction` (a percentage 50 → 90, weight 40) and `complaints`
    (a number to decrease 30 → 10, weight 20); `other_goal` (PROG-02) has no further indicator."""
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", budget_code="")
    satisfaction = GoalIndicatorFactory(goal=goal, name="Ικανοποίηση πολιτών", order=1)
    complaints = GoalIndicatorFactory(
        goal=goal,
        name="Παράπονα",
        unit_of_measure="παράπονα",
        target_kind="decrease",
        baseline=30,
        target=10,
        weight=20,
        order=2,
    )
    other_goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-02")
    decision = issued_adoption(cycle=cycle, goals=[goal, other_goal], mayor=mayor)
    for item in (cycle, goal, other_goal):
        item.refresh_from_db()
    return SimpleNamespace(
        cycle=cycle,
        decision=decision,
        goal=goal,
        other_goal=other_goal,
        satisfaction=satisfaction,
        complaints=complaints,
    )


@pytest.fixture
def amendment(secretary, measured):
    return prepare_decision(cycle=measured.cycle, amends=measured.decision, by=secretary)


def row(indicator=None, **values) -> dict:
    """A further indicator as the amendment gives it: `indicator`'s values, then `values`."""
    fields = ["name", "unit_of_measure", "target_kind", "baseline", "target", "weight"]
    data = {name: getattr(indicator, name) for name in fields} if indicator else {}
    return {**data, **values, "source": indicator}


def issue(decision, mayor, *, on=JULY, number="301"):
    decision.refresh_from_db()
    signed = sign_decision(
        decision=decision,
        by=mayor,
        signatory=mayor,
        number=number,
        protocol_number="45001",
        decision_date=on,
        expected_version=decision.version,
    )
    return post_decision(
        decision=signed,
        by=mayor,
        ada=f"ΡΞ7ΑΩΗΓ-{number}",
        posted_on=on,
        expected_version=signed.version,
    )


def form_data(goal, indicators: list[dict], **values) -> dict:
    """The amendment form as a browser sends it: the goal's fields and the indicators' rows."""
    data = {
        "directorate": goal.directorate_id,
        "category": goal.category,
        "code": goal.code,
        "title": goal.title,
        "description": goal.description,
        "indicator": goal.indicator,
        "unit_of_measure": goal.unit_of_measure,
        "target_kind": goal.target_kind,
        "baseline": goal.baseline,
        "target": goal.target,
        "deadline": goal.deadline.isoformat(),
        "weight": goal.weight,
        "budget_code": goal.budget_code,
        "reason": "Αναθεώρηση των δεικτών.",
        "indicators-TOTAL_FORMS": len(indicators),
        "indicators-INITIAL_FORMS": 0,
    }
    for index, indicator in enumerate(indicators):
        for name, value in indicator.items():
            data[f"indicators-{index}-{name}"] = "" if value is None else value
    data.update(values)
    return data


def indicator_fields(indicator: GoalIndicator, **values) -> dict:
    fields = ["name", "unit_of_measure", "target_kind", "baseline", "target", "weight"]
    return {**{name: getattr(indicator, name) for name in fields}, "source": indicator.pk, **values}


# --- Freezing -----------------------------------------------------------------------------------
def test_the_adoption_freezes_the_further_indicators_code_and_budget_code(measured):
    version = GoalVersion.objects.get(decision=measured.decision, goal=measured.goal)
    frozen = list(version.indicators.order_by("order"))
    assert [(i.name, i.weight, i.source_id) for i in frozen] == [
        ("Ικανοποίηση πολιτών", 40, measured.satisfaction.pk),
        ("Παράπονα", 20, measured.complaints.pk),
    ]
    assert version.code == "PROG-01"
    assert not GoalVersion.objects.get(goal=measured.other_goal).indicators.exists()


def test_the_adoption_document_keeps_the_indicators_it_adopted_after_an_amendment(
    client_for, secretary, mayor, measured, amendment
):
    propose_goal_change(
        decision=amendment,
        goal=measured.goal,
        by=secretary,
        values={},
        reason="Νέο όνομα δείκτη.",
        indicators=[
            row(measured.satisfaction, name="Ικανοποίηση δημοτών"),
            row(measured.complaints),
        ],
    )
    issue(amendment, mayor)
    adoption = client_for(secretary).get(measured.decision.get_absolute_url()).content.decode()
    assert "Ικανοποίηση πολιτών" in adoption
    assert "Ικανοποίηση δημοτών" not in adoption
    history = client_for(secretary).get(reverse("goals:detail", args=[measured.goal.pk]))
    page = history.content.decode()
    assert "Ικανοποίηση πολιτών: βαρύτητα 40" in page  # as adopted
    assert "Ικανοποίηση δημοτών: βαρύτητα 40" in page  # as amended


# --- Changing the further indicators ------------------------------------------------------------
def test_an_amendment_adds_drops_and_changes_indicators_only_when_posted(
    secretary, mayor, measured, amendment
):
    propose_goal_change(
        decision=amendment,
        goal=measured.goal,
        by=secretary,
        values={},
        reason="Αναθεώρηση.",
        indicators=[
            row(measured.satisfaction, target=Decimal("95"), weight=30),
            row(
                name="Ψηφιακές αιτήσεις",
                unit_of_measure="αιτήσεις",
                target_kind="increase",
                baseline=None,
                target=Decimal("500"),
                weight=30,
            ),
        ],
    )
    assert list(measured.goal.extra_indicators.values_list("name", flat=True)) == [
        "Ικανοποίηση πολιτών",
        "Παράπονα",
    ]  # a draft changes nothing

    issue(amendment, mayor)

    names = measured.goal.extra_indicators.order_by("order").values_list("name", "target", "weight")
    assert list(names) == [
        ("Ικανοποίηση πολιτών", Decimal("95"), 30),
        ("Ψηφιακές αιτήσεις", Decimal("500"), 30),
    ]
    dropped = GoalIndicator.every_indicator.get(pk=measured.complaints.pk)
    assert dropped.dropped_by_decision == amendment
    assert dropped.history.latest().history_user == mayor
    satisfaction = GoalIndicator.objects.get(pk=measured.satisfaction.pk)
    assert "301" in satisfaction.history.latest().history_change_reason
    added = GoalVersionIndicator.objects.get(version__decision=amendment, name="Ψηφιακές αιτήσεις")
    assert added.source.name == "Ψηφιακές αιτήσεις"  # the frozen row names the new indicator


def test_values_reported_on_a_dropped_indicator_are_kept_and_leave_the_achievement(
    secretary, mayor, measured, amendment
):
    update = ProgressUpdateFactory(goal=measured.goal, value=150, measured_on=JULY)
    IndicatorValue.objects.create(update=update, indicator=measured.satisfaction, value=90)
    IndicatorValue.objects.create(update=update, indicator=measured.complaints, value=30)
    store_achievement(goal_ids=[measured.goal.pk])
    measured.goal.refresh_from_db()
    assert measured.goal.current_achievement == Decimal("80")  # 40 + 40 + 0

    propose_goal_change(
        decision=amendment,
        goal=measured.goal,
        by=secretary,
        values={},
        reason="Τα παράπονα δεν μετρώνται πια.",
        indicators=[row(measured.satisfaction)],
    )
    issue(amendment, mayor)

    measured.goal.refresh_from_db()
    assert measured.goal.current_achievement == Decimal("100")
    assert IndicatorValue.objects.filter(indicator=measured.complaints).count() == 1


def test_weights_of_100_or_more_are_refused_with_the_goal_forms_message(
    client_for, secretary, measured, amendment
):
    url = reverse("goals:amendment_goal", args=[amendment.pk, measured.goal.pk])
    data = form_data(
        measured.goal,
        [
            indicator_fields(measured.satisfaction, weight=60),
            indicator_fields(measured.complaints, weight=40),
        ],
    )
    response = client_for(secretary).post(url, data)
    assert response.status_code == 200
    assert WEIGHTS_REFUSAL in response.content.decode()
    assert not GoalVersion.objects.filter(decision=amendment).exists()
    with pytest.raises(ValidationError, match=WEIGHTS_REFUSAL):
        propose_goal_change(
            decision=amendment,
            goal=measured.goal,
            by=secretary,
            values={},
            reason="x",
            indicators=[row(measured.satisfaction, weight=99), row(measured.complaints)],
        )


def test_an_indicator_with_a_target_that_does_not_fit_its_kind_is_refused(
    secretary, measured, amendment
):
    with pytest.raises(ValidationError, match="αύξηση|μειώνεται|μείωση"):
        propose_goal_change(
            decision=amendment,
            goal=measured.goal,
            by=secretary,
            values={},
            reason="x",
            indicators=[row(measured.complaints, target=Decimal("40"))],
        )


def test_an_indicator_of_another_goal_cannot_be_changed(secretary, measured, amendment):
    stranger = GoalIndicatorFactory(goal=measured.other_goal, weight=10)
    with pytest.raises(ValidationError):
        propose_goal_change(
            decision=amendment,
            goal=measured.goal,
            by=secretary,
            values={},
            reason="x",
            indicators=[row(stranger, name="Άλλο")],
        )


def test_the_form_changes_an_indicator_and_the_document_shows_the_difference(
    client_for, secretary, measured, amendment
):
    url = reverse("goals:amendment_goal", args=[amendment.pk, measured.goal.pk])
    client = client_for(secretary)
    page = client.get(url).content.decode()
    assert 'value="Ικανοποίηση πολιτών"' in page
    data = form_data(
        measured.goal,
        [
            indicator_fields(measured.satisfaction, target="95"),
            {**indicator_fields(measured.complaints), "DELETE": "on"},
        ],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    document = client.get(amendment.get_absolute_url()).content.decode()
    assert "Ικανοποίηση πολιτών" in document
    assert "<del>90</del> → <ins>95</ins>" in document
    assert "«Παράπονα» καταργείται" in document


# --- Code, participating directorates, budget code ----------------------------------------------
def test_an_amendment_changes_the_code_participants_and_budget_code(
    client_for, secretary, mayor, measured, amendment, finance
):
    url = reverse("goals:amendment_goal", args=[amendment.pk, measured.goal.pk])
    data = form_data(
        measured.goal,
        [indicator_fields(measured.satisfaction), indicator_fields(measured.complaints)],
        code="PROG-11",
        budget_code="02.30.7331.001",
        participating_directorates=[finance.pk],
    )
    client = client_for(secretary)
    assert client.post(url, data).status_code == 302
    measured.goal.refresh_from_db()
    assert measured.goal.code == "PROG-01"  # not before posting
    document = client.get(amendment.get_absolute_url()).content.decode()
    assert "<del>PROG-01</del> → <ins>PROG-11</ins>" in document
    assert "<ins>02.30.7331.001</ins>" in document
    assert f"<ins>{finance}</ins>" in document

    issue(amendment, mayor)

    measured.goal.refresh_from_db()
    assert measured.goal.code == "PROG-11"
    assert measured.goal.budget_code == "02.30.7331.001"
    assert list(measured.goal.participating_directorates.all()) == [finance]
    assert measured.goal.history.latest().code == "PROG-11"
    version = GoalVersion.objects.get(decision=amendment)
    assert list(version.participating_directorates.all()) == [finance]


def test_a_code_another_goal_of_the_cycle_has_is_refused(secretary, measured, amendment):
    with pytest.raises(ValidationError, match="κωδικό"):
        propose_goal_change(
            decision=amendment,
            goal=measured.goal,
            by=secretary,
            values={"code": "PROG-02"},
            reason="x",
        )


def test_a_malformed_budget_code_is_refused(client_for, secretary, measured, amendment):
    url = reverse("goals:amendment_goal", args=[amendment.pk, measured.goal.pk])
    data = form_data(measured.goal, [], budget_code="όχι κωδικός")
    response = client_for(secretary).post(url, data)
    assert response.status_code == 200
    assert not GoalVersion.objects.filter(decision=amendment).exists()


# --- Refusals -----------------------------------------------------------------------------------
def test_an_indicator_change_outside_the_revision_window_needs_the_override(
    secretary, mayor, measured, amendment
):
    measured.cycle.revision_opens_on = datetime.date(2024, 4, 1)
    measured.cycle.revision_closes_on = datetime.date(2024, 6, 30)
    measured.cycle.save()
    propose_goal_change(
        decision=amendment,
        goal=measured.goal,
        by=secretary,
        values={},
        reason="x",
        indicators=[row(measured.satisfaction, weight=50)],
    )
    with pytest.raises(ValidationError, match="παράθυρο|αναθεώρησης"):
        issue(amendment, mayor)
    override_revision_window(decision=amendment, by=secretary, reason="Επείγουσα ανάγκη.")
    issue(amendment, mayor)
    assert GoalIndicator.objects.get(pk=measured.satisfaction.pk).weight == 50


def test_a_goal_not_in_the_amendments_cycle_is_not_found(client_for, secretary, amendment):
    elsewhere = GoalFactory(cycle=GoalCycleFactory(year=2023), status="adopted")
    url = reverse("goals:amendment_goal", args=[amendment.pk, elsewhere.pk])
    assert client_for(secretary).get(url).status_code == 404


def test_only_the_coordinators_change_a_goal_in_an_amendment(
    client_for, head_of_planning, measured, amendment
):
    url = reverse("goals:amendment_goal", args=[amendment.pk, measured.goal.pk])
    client = client_for(head_of_planning)
    data = form_data(measured.goal, [indicator_fields(measured.satisfaction, weight=10)])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, data).status_code in (403, 404)
    assert not GoalVersion.objects.filter(decision=amendment).exists()


# --- Pages --------------------------------------------------------------------------------------
def test_the_amendment_pages_take_the_same_queries_whatever_the_indicators(
    client_for, secretary, measured, amendment, planning, django_assert_num_queries
):
    client = client_for(secretary)
    form_url = reverse("goals:amendment_goal", args=[amendment.pk, measured.goal.pk])
    propose_goal_change(
        decision=amendment,
        goal=measured.other_goal,
        by=secretary,
        values={"weight": 7},
        reason="x",
    )
    with CaptureQueriesContext(connection) as small_form:
        client.get(form_url)
    with CaptureQueriesContext(connection) as small_document:
        client.get(amendment.get_absolute_url())
    for order in range(3, 6):
        GoalIndicatorFactory(goal=measured.goal, weight=5, order=order)
    propose_goal_change(
        decision=amendment,
        goal=measured.goal,
        by=secretary,
        values={"weight": 9},
        reason="x",
        indicators=[row(i, weight=6) for i in measured.goal.extra_indicators.all()],
    )
    with django_assert_num_queries(len(small_form.captured_queries)):
        client.get(form_url)
    with django_assert_num_queries(len(small_document.captured_queries)):
        client.get(amendment.get_absolute_url())


def test_a_corrected_re_issue_is_titled_as_such(secretary, measured):
    draft = prepare_correction(decision=measured.decision, by=secretary)
    assert draft.subject.startswith("Ορθή επανάληψη της απόφασης")
    assert measured.decision.reference in draft.subject
