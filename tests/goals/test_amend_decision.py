"""After adoption a goal changes only by an amending decision, which shows and applies the diff."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.models import GoalVersion
from goals.services.decisions import prepare_decision, propose_goal_change, sign_decision
from tests.factories import posted_decision, signed_decision

CHANGE = {
    "category": "services",
    "description": "Μείωση του χρόνου αναμονής των πολιτών.",
    "target_kind": "increase",
    "title": "Ταχύτερη εξυπηρέτηση των πολιτών",
    "indicator": "Αιτήσεις που διεκπεραιώθηκαν",
    "unit_of_measure": "αιτήσεις",
    "baseline": "100",
    "target": "130",
    "deadline": "2024-12-31",
    "weight": "20",
    "reason": "Μειώθηκε το προσωπικό του τμήματος.",
}


def change_of(goal, **values) -> dict:
    """The amendment form's data: the goal's directorate, the CHANGE values, then `values`."""
    return {**CHANGE, "directorate": goal.directorate_id, "code": goal.code, **values}


@pytest.fixture
def amendment(secretary, adopted):
    adopted.goal.title = CHANGE["title"]
    adopted.goal.save(update_fields=["title"])
    return prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)


def test_secretary_prepares_an_amendment_of_an_issued_decision(client_for, secretary, adopted):
    response = client_for(secretary).post(
        reverse("goals:decision_create"),
        {"cycle": adopted.cycle.pk, "amends": adopted.decision.pk},
    )
    assert response.status_code == 302
    amendment = adopted.decision.amendments.get()
    assert amendment.kind == "amendment"
    assert amendment.status == "draft"


def test_amendment_lists_the_goal_and_shows_the_difference(
    client_for, secretary, adopted, amendment
):
    client = client_for(secretary)
    url = reverse("goals:amendment_goal", args=[amendment.pk, adopted.goal.pk])
    response = client.post(url, change_of(adopted.goal))
    assert response.status_code == 302
    version = GoalVersion.objects.get(decision=amendment)
    assert version.target == Decimal("130")
    assert [c.field for c in version.differences_from(adopted.goal)] == ["target"]

    page = client.get(amendment.get_absolute_url()).content.decode()
    assert "<del>150</del>" in page
    assert "<ins>130</ins>" in page
    assert "Μειώθηκε το προσωπικό" in page
    assert "PROG-02" not in page.split('id="decision-title"')[1]  # only the changed goal


def test_posting_the_amendment_applies_it(client_for, secretary, mayor, adopted, amendment):
    client_for(secretary).post(
        reverse("goals:amendment_goal", args=[amendment.pk, adopted.goal.pk]),
        change_of(adopted.goal),
    )
    amendment.refresh_from_db()
    signed = signed_decision(
        amendment, mayor=mayor, decision_date=datetime.date(2024, 7, 1), number="301"
    )
    adopted.goal.refresh_from_db()
    assert adopted.goal.target == Decimal("150")  # signed, not in force until posted
    posted_decision(signed, by=mayor, ada="ΡΞ7ΑΩΗΓ-Β2Κ")
    adopted.goal.refresh_from_db()
    assert adopted.goal.target == Decimal("130")
    assert adopted.goal.status == "adopted"
    latest = adopted.goal.history.latest()
    assert latest.history_user == mayor
    assert "301" in latest.history_change_reason
    adopted.cycle.refresh_from_db()
    assert adopted.cycle.phase == "allocation"

    page = client_for(secretary).get(reverse("goals:detail", args=[adopted.goal.pk]))
    assert "ΡΞ7ΑΩΗΓ-Β2Κ" in page.content.decode()

    # The amendment in force still shows its diff against the version it replaced.
    document = client_for(secretary).get(amendment.get_absolute_url()).content.decode()
    assert "<del>150</del>" in document


def test_an_amendment_that_changes_nothing_is_refused(client_for, secretary, adopted, amendment):
    unchanged = change_of(adopted.goal, target="150")
    response = client_for(secretary).post(
        reverse("goals:amendment_goal", args=[amendment.pk, adopted.goal.pk]), unchanged
    )
    assert response.status_code == 200
    assert not GoalVersion.objects.filter(decision=amendment).exists()


def test_an_amendment_keeps_the_rules_of_the_kind_of_target(secretary, adopted, amendment):
    with pytest.raises(ValidationError):
        propose_goal_change(
            decision=amendment,
            goal=adopted.other_goal,  # a number to decrease, from 90
            by=secretary,
            values={"target": Decimal("95")},
            reason="Λάθος",
        )


def test_an_empty_amendment_is_not_signed(mayor, amendment):
    with pytest.raises(ValidationError):
        sign_decision(
            decision=amendment,
            by=mayor,
            signatory=mayor,
            number="302",
            protocol_number="1",
            decision_date=datetime.date(2024, 7, 1),
            expected_version=amendment.version,
        )


def test_secretary_withdraws_a_goal_from_the_draft(client_for, secretary, adopted, amendment):
    client = client_for(secretary)
    client.post(
        reverse("goals:amendment_goal", args=[amendment.pk, adopted.goal.pk]),
        change_of(adopted.goal),
    )
    response = client.post(
        reverse("goals:amendment_goal_remove", args=[amendment.pk, adopted.goal.pk])
    )
    assert response.status_code == 302
    assert not GoalVersion.objects.filter(decision=amendment).exists()


def test_heads_cannot_change_goals_in_an_amendment(
    client_for, head_of_planning, adopted, amendment
):
    url = reverse("goals:amendment_goal", args=[amendment.pk, adopted.goal.pk])
    assert (
        client_for(head_of_planning).post(url, change_of(adopted.goal)).status_code == 404
    )  # draft: not visible
    with pytest.raises(ValidationError):
        propose_goal_change(
            decision=amendment,
            goal=adopted.goal,
            by=head_of_planning,
            values={"target": Decimal(130)},
            reason="x",
        )


def _goal_refusal(goal, values: dict) -> dict[str, list[str]]:
    """What the goal's own rules say of the goal with these values."""
    goal.refresh_from_db()
    for field, value in values.items():
        setattr(goal, field, value)
    with pytest.raises(ValidationError) as refusal:
        goal.full_clean(validate_unique=False)
    return refusal.value.message_dict


@pytest.mark.parametrize(
    ("kind", "baseline", "target", "values", "field"),
    [
        ("increase", 100, 150, {"target": Decimal("90")}, "target"),
        ("increase", 100, 150, {"target": None}, "target"),
        ("decrease", 90, 60, {"target": Decimal("95")}, "target"),
        ("decrease", 90, 60, {"baseline": None}, "baseline"),
        ("percentage", 10, 50, {"target": Decimal("120")}, "target"),
        ("percentage", 10, 50, {"baseline": Decimal("-5")}, "baseline"),
        ("milestone", None, None, {"target": Decimal("5")}, "target"),
        ("increase", 100, 150, {"deadline": datetime.date(2025, 3, 31)}, "deadline"),
        ("increase", 100, 150, {"weight": 0}, "__all__"),
        ("increase", 100, 150, {"weight": 101}, "__all__"),
    ],
)
def test_an_amendment_that_breaks_a_goal_rule_is_refused_with_the_goals_own_message(
    secretary, adopted, amendment, kind, baseline, target, values, field
):
    goal = adopted.finance_goal
    type(goal).objects.filter(pk=goal.pk).update(target_kind=kind, baseline=baseline, target=target)
    expected = _goal_refusal(goal, values)[field]
    goal.refresh_from_db()
    with pytest.raises(ValidationError) as refusal:
        propose_goal_change(
            decision=amendment, goal=goal, by=secretary, values=values, reason="Αλλαγή"
        )
    assert refusal.value.message_dict[field] == expected
    assert not GoalVersion.objects.filter(decision=amendment, goal=goal).exists()


def test_the_amendment_form_shows_the_goals_refusal_at_the_field(
    client_for, secretary, adopted, amendment
):
    response = client_for(secretary).post(
        reverse("goals:amendment_goal", args=[amendment.pk, adopted.goal.pk]),
        change_of(adopted.goal, target="90"),  # a number to increase, from 100
    )
    assert response.status_code == 200
    as_sent = {"baseline": Decimal("100"), "target": Decimal("90")}
    expected = _goal_refusal(adopted.goal, as_sent)["target"]
    assert response.context["form"].errors["target"] == expected
