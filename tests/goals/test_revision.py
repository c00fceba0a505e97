"""Revision during the year: an amendment adds, withdraws and changes goals, within the cycle's
revision window or with the General Secretary's recorded override."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Goal, GoalVersion
from goals.services.decisions import (
    post_decision,
    prepare_decision,
    propose_goal_change,
    sign_decision,
    withdraw_goal_change,
)
from goals.services.monitoring import record_progress, save_allocations
from goals.services.revision import (
    override_revision_window,
    propose_goal_addition,
    propose_goal_withdrawal,
)
from tests.factories import AllocationFactory, GoalFactory, ProgressUpdateFactory

JULY = datetime.date(2024, 7, 1)


@pytest.fixture
def amendment(secretary, adopted):
    return prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)


@pytest.fixture
def new_goal(adopted, planning):
    """A goal the General Secretary wrote during the year: accepted, not adopted."""
    return GoalFactory(cycle=adopted.cycle, directorate=planning, code="PROG-09", status="accepted")


def issue(decision, mayor, *, on=JULY, number="301"):
    """The Mayor signs the amendment and it is posted on Diavgeia the same day: in force."""
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


# --- Adding -------------------------------------------------------------------------------------
def test_a_goal_written_during_the_year_is_adopted_by_the_amendment_then_allocated_and_reported(
    secretary, mayor, head_of_planning, adopted, amendment, new_goal
):
    propose_goal_addition(
        decision=amendment, goal=new_goal, by=secretary, reason="Νέα προτεραιότητα."
    )
    new_goal.refresh_from_db()
    assert new_goal.status == "accepted"  # nothing happens before the decision

    issue(amendment, mayor)

    new_goal.refresh_from_db()
    assert new_goal.status == "adopted"
    assert "301" in new_goal.history.latest().history_change_reason
    version = GoalVersion.objects.get(decision=amendment, goal=new_goal)
    assert version.change == "added"
    assert version.target == new_goal.target
    department = adopted.department
    save_allocations(
        goal=new_goal,
        by=head_of_planning,
        rows=[
            {
                "department": department,
                "specification": "",
                "baseline": new_goal.baseline,
                "target": new_goal.target,
                "deadline": new_goal.deadline,
                "share": Decimal(100),
            }
        ],
        stamp="",
    )
    update = record_progress(
        goal=new_goal,
        by=head_of_planning,
        value=Decimal(120),
        measured_on=JULY,
        status="on_track",
    )
    assert update.pk


def test_an_addition_needs_a_reason(secretary, amendment, new_goal):
    with pytest.raises(ValidationError) as refusal:
        propose_goal_addition(decision=amendment, goal=new_goal, by=secretary, reason=" ")
    assert "reason" in refusal.value.message_dict


def test_an_adopted_goal_cannot_be_added_again(secretary, adopted, amendment):
    with pytest.raises(ValidationError):
        propose_goal_addition(decision=amendment, goal=adopted.goal, by=secretary, reason="x")


def test_an_added_goal_taken_out_of_the_draft_stays_waiting(secretary, amendment, new_goal):
    propose_goal_addition(decision=amendment, goal=new_goal, by=secretary, reason="Νέος")
    withdraw_goal_change(decision=amendment, goal=new_goal, by=secretary)
    new_goal.refresh_from_db()
    assert new_goal.status == "accepted"
    assert not GoalVersion.objects.filter(decision=amendment).exists()


def test_secretary_adds_a_goal_through_the_page(client_for, secretary, amendment, new_goal):
    url = reverse("goals:amendment_goal_add", args=[amendment.pk])
    client = client_for(secretary)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"goal": new_goal.pk, "reason": ""})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    response = client.post(url, {"goal": new_goal.pk, "reason": "Νέα προτεραιότητα."})
    assert response.status_code == 302
    assert GoalVersion.objects.get(decision=amendment, goal=new_goal).change == "added"


# --- Withdrawing --------------------------------------------------------------------------------
def test_a_withdrawal_needs_a_reason(client_for, secretary, adopted, amendment):
    with pytest.raises(ValidationError):
        propose_goal_withdrawal(decision=amendment, goal=adopted.goal, by=secretary, reason="")
    url = reverse("goals:amendment_goal_withdraw", args=[amendment.pk, adopted.goal.pk])
    response = client_for(secretary).post(url, {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not GoalVersion.objects.filter(decision=amendment).exists()


def test_a_withdrawn_goal_leaves_the_roll_ups_stays_visible_and_takes_no_progress(
    client_for, secretary, mayor, head_of_planning, adopted, amendment
):
    ProgressUpdateFactory(goal=adopted.goal, value=150, measured_on=datetime.date(2024, 5, 31))
    ProgressUpdateFactory(goal=adopted.other_goal, value=90, measured_on=datetime.date(2024, 5, 31))
    report_url = reverse("goals:report", args=[adopted.goal.directorate.code])
    before = client_for(secretary).get(report_url).context
    assert before["goal_count"] == 2

    url = reverse("goals:amendment_goal_withdraw", args=[amendment.pk, adopted.other_goal.pk])
    response = client_for(secretary).post(url, {"reason": "Καταργήθηκε η υπηρεσία."})
    assert response.status_code == 302
    issue(amendment, mayor)

    goal = Goal.objects.get(pk=adopted.other_goal.pk)
    assert goal.status == "withdrawn"
    assert goal.withdrawn_by_decision == amendment
    assert goal.withdrawal_reason == "Καταργήθηκε η υπηρεσία."
    after = client_for(secretary).get(report_url).context
    assert after["goal_count"] == 1
    remaining = Goal.objects.get(pk=adopted.goal.pk).current_achievement
    assert after["overall"] == min(remaining, Decimal(100)) != before["overall"]

    page = client_for(head_of_planning).get(goal.get_absolute_url()).content.decode()
    assert "Καταργήθηκε η υπηρεσία." in page
    assert amendment.get_absolute_url() in page

    with pytest.raises(ValidationError):
        record_progress(
            goal=goal, by=head_of_planning, value=Decimal(80), measured_on=JULY, status="on_track"
        )


def test_a_withdrawn_goal_shows_on_the_public_page_marked_and_uncounted(
    client, secretary, mayor, adopted, amendment
):
    from goals.services.cycles import publish_cycle
    from portal.visibility import cycle_dataset

    propose_goal_withdrawal(
        decision=amendment, goal=adopted.other_goal, by=secretary, reason="Καταργήθηκε."
    )
    issue(amendment, mayor)
    adopted.cycle.refresh_from_db()
    publish_cycle(cycle=adopted.cycle, by=secretary)
    adopted.cycle.refresh_from_db()

    dataset = cycle_dataset(adopted.cycle)
    assert sorted(g.code for g in dataset.goals) == ["OIK-01", "PROG-01"]
    assert [(g.code, g.decision_reference) for g in dataset.withdrawn] == [("PROG-02", "301/2024")]
    page = client.get(reverse("portal:cycle", args=[2024])).content.decode()
    assert "Καταργήθηκε." in page
    assert "ΡΞ7ΑΩΗΓ-301" in page


# --- Changing any field -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "skills"),
        ("target_kind", "percentage"),
        ("description", "Νέα περιγραφή."),
        ("indicator", "Νέος δείκτης"),
        ("weight", 30),
    ],
)
def test_an_amendment_changes_any_field(secretary, mayor, adopted, amendment, field, value):
    values = {field: value}
    if field == "target_kind":
        values.update(baseline=Decimal(10), target=Decimal(60))
    propose_goal_change(
        decision=amendment, goal=adopted.goal, by=secretary, values=values, reason="Αλλαγή"
    )
    issue(amendment, mayor)
    adopted.goal.refresh_from_db()
    assert getattr(adopted.goal, field) == value


def test_a_goal_moves_to_another_directorate_and_its_unreported_allocations_end(
    secretary, mayor, adopted, amendment, finance
):
    AllocationFactory(goal=adopted.goal, department=adopted.department)
    propose_goal_change(
        decision=amendment,
        goal=adopted.goal,
        by=secretary,
        values={"directorate": finance},
        reason="Η αρμοδιότητα πέρασε στα Οικονομικά.",
    )
    issue(amendment, mayor)
    adopted.goal.refresh_from_db()
    assert adopted.goal.directorate == finance
    assert not adopted.goal.allocations.exists()
    assert adopted.goal.history.latest().directorate_id == finance.pk


def test_a_goal_whose_departments_reported_cannot_move(secretary, adopted, amendment, finance):
    allocation = AllocationFactory(goal=adopted.goal, department=adopted.department)
    ProgressUpdateFactory(goal=adopted.goal, allocation=allocation, value=120)
    with pytest.raises(ValidationError) as refusal:
        propose_goal_change(
            decision=amendment,
            goal=adopted.goal,
            by=secretary,
            values={"directorate": finance},
            reason="Μεταφορά",
        )
    assert "directorate" in refusal.value.message_dict


# --- The revision window and its override -------------------------------------------------------
def _set_window(cycle, opens, closes):
    cycle.revision_opens_on, cycle.revision_closes_on = opens, closes
    cycle.save()


def test_an_amendment_outside_the_window_is_refused_without_override(
    secretary, mayor, adopted, amendment
):
    _set_window(adopted.cycle, datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))
    propose_goal_change(
        decision=amendment, goal=adopted.goal, by=secretary, values={"weight": 30}, reason="x"
    )
    with pytest.raises(ValidationError) as refusal:
        issue(amendment, mayor, on=JULY)
    assert "revision window" in str(refusal.value) or "αναθεώρησης" in str(refusal.value)
    amendment.refresh_from_db()
    assert amendment.is_draft
    adopted.goal.refresh_from_db()
    assert adopted.goal.weight == 20

    issue(amendment, mayor, on=datetime.date(2024, 6, 30))  # inside: accepted
    adopted.goal.refresh_from_db()
    assert adopted.goal.weight == 30


def test_the_secretarys_override_is_recorded_and_lets_the_amendment_through(
    client_for, secretary, mayor, adopted, amendment
):
    _set_window(adopted.cycle, datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))
    propose_goal_change(
        decision=amendment, goal=adopted.goal, by=secretary, values={"weight": 30}, reason="x"
    )
    url = reverse("goals:decision_window_override", args=[amendment.pk])
    client = client_for(secretary)
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Εκκρεμεί η νέα εγκύκλιος."})
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.window_overridden_by == secretary
    assert amendment.window_overridden_at is not None
    assert amendment.window_override_reason == "Εκκρεμεί η νέα εγκύκλιος."
    assert amendment.history.latest().history_user == secretary

    issue(amendment, mayor, on=JULY)
    adopted.goal.refresh_from_db()
    assert adopted.goal.weight == 30


def test_only_the_secretary_overrides_the_window(
    client_for, mayor, head_of_planning, secretary, amendment
):
    with pytest.raises(ValidationError):
        override_revision_window(decision=amendment, by=mayor, reason="x")
    url = reverse("goals:decision_window_override", args=[amendment.pk])
    assert client_for(mayor).post(url, {"reason": "x"}).status_code == 403
    assert client_for(head_of_planning).post(url, {"reason": "x"}).status_code == 404
    amendment.refresh_from_db()
    assert not amendment.is_window_overridden


def test_the_window_cannot_close_before_it_opens(client_for, secretary, adopted):
    url = reverse("goals:cycle_update", args=[adopted.cycle.pk])
    response = client_for(secretary).post(
        url,
        {"year": 2024, "revision_opens_on": "2024-07-01", "revision_closes_on": "2024-06-01"},
    )
    assert response.status_code == 200
    adopted.cycle.refresh_from_db()
    assert adopted.cycle.revision_opens_on is None


# --- The document -------------------------------------------------------------------------------
def test_the_document_lists_added_withdrawn_and_changed_goals_with_the_differences(
    client_for, secretary, adopted, amendment, new_goal, finance
):
    propose_goal_addition(decision=amendment, goal=new_goal, by=secretary, reason="Νέος στόχος.")
    propose_goal_withdrawal(
        decision=amendment, goal=adopted.other_goal, by=secretary, reason="Καταργήθηκε."
    )
    propose_goal_change(
        decision=amendment,
        goal=adopted.finance_goal,
        by=secretary,
        values={"category": "skills", "target": Decimal(170)},
        reason="Περισσότερα.",
    )
    page = client_for(secretary).get(amendment.get_absolute_url()).content.decode()
    document = page.split('id="decision-title"')[1]
    added = document.index('id="part-added"')
    withdrawn = document.index('id="part-withdrawn"')
    changed = document.index('id="part-changed"')
    assert added < withdrawn < changed
    assert "PROG-09" in document[added:withdrawn]
    assert "PROG-02" in document[withdrawn:changed]
    assert "Καταργήθηκε." in document[withdrawn:changed]
    assert "OIK-01" in document[changed:]
    assert "<ins>170</ins>" in document
    assert "<ins>Γνώσεις, δεξιότητες και ικανότητες</ins>" in document
    assert "PROG-01" not in document


def test_the_amendment_has_its_own_considerations(secretary, adopted):
    adopted.decision.considerations = "Το κείμενο της διαβούλευσης της απόφασης έγκρισης."
    adopted.decision.save()
    amendment = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    assert "διαβούλευσης" not in amendment.considerations
    assert "4940/2022" in amendment.considerations


def test_the_amendment_page_takes_the_same_queries_whatever_its_size(
    client_for, secretary, adopted, amendment, planning, django_assert_num_queries
):
    client = client_for(secretary)

    def propose(start: int, count: int) -> None:
        for index in range(start, start + count):
            goal = GoalFactory(
                cycle=adopted.cycle, directorate=planning, code=f"NEW-{index}", status="accepted"
            )
            propose_goal_addition(decision=amendment, goal=goal, by=secretary, reason="Νέος")

    propose(0, 1)
    propose_goal_change(
        decision=amendment, goal=adopted.goal, by=secretary, values={"weight": 30}, reason="x"
    )
    with CaptureQueriesContext(connection) as small:
        client.get(amendment.get_absolute_url())
    propose(1, 5)
    propose_goal_withdrawal(
        decision=amendment, goal=adopted.other_goal, by=secretary, reason="Καταργήθηκε."
    )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(amendment.get_absolute_url())
