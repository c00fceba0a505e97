"""The General Secretary prepares the adopting decision; the Mayor issues it, freezing the goals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directorates.models import Municipality
from goals.models import Goal, GoalCycle, GoalVersion, MayoralDecision
from goals.services.cycles import advance_cycle
from goals.services.decisions import issue_decision, prepare_decision, save_decision_draft
from goals.services.goals import save_goal
from tests.factories import GoalCycleFactory, GoalFactory, MayoralDecisionFactory

ISSUE = {
    "number": "154",
    "protocol_number": "23.456",
    "decision_date": "2024-03-01",
    "ada": "Ψ4ΚΣΩΗΓ-3ΞΛ",
}


@pytest.fixture
def consultation(planning, finance):
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    goals = [
        GoalFactory(cycle=cycle, directorate=planning, code="PROG-01"),
        GoalFactory(cycle=cycle, directorate=finance, code="OIK-01", category="organisation"),
    ]
    rejected = GoalFactory(cycle=cycle, directorate=planning, code="PROG-09", status="rejected")
    return cycle, goals, rejected


@pytest.fixture
def draft(consultation, secretary):
    cycle, _goals, _rejected = consultation
    return prepare_decision(cycle=cycle, by=secretary)


def issue(client, decision, **changes):
    data = {**ISSUE, "version": decision.version, **changes}
    return client.post(reverse("goals:decision_issue", args=[decision.pk]), data)


def test_secretary_prepares_a_draft_with_the_legal_basis(client_for, secretary, consultation):
    cycle, _goals, _rejected = consultation
    response = client_for(secretary).post(reverse("goals:decision_create"), {"cycle": cycle.pk})
    decision = MayoralDecision.objects.get()
    assert response.status_code == 302
    assert response.url == decision.get_absolute_url()
    assert decision.status == "draft"
    assert decision.kind == "adoption"
    # The municipality's legal basis (Django admin), each law with its Government Gazette.
    assert "ν. 4940/2022 (ΦΕΚ Α' 112)" in decision.considerations
    assert decision.consideration_lines == Municipality.load().consideration_lines


def test_a_cycle_gets_one_adopting_decision(secretary, draft):
    with pytest.raises(ValidationError):
        prepare_decision(cycle=draft.cycle, by=secretary)


def test_draft_shows_the_goals_it_would_adopt(client_for, secretary, draft):
    response = client_for(secretary).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"PROG-01" in response.content
    assert b"OIK-01" in response.content
    assert b"PROG-09" not in response.content  # not accepted: not adopted


def test_mayor_issues_and_the_goals_freeze(client_for, mayor, draft, consultation):
    cycle, goals, rejected = consultation
    response = issue(client_for(mayor), draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    cycle.refresh_from_db()
    assert draft.status == "issued"
    assert draft.issued_by == mayor
    assert draft.recorded_on_behalf is False
    assert draft.ada == "Ψ4ΚΣΩΗΓ-3ΞΛ"
    assert draft.decision_date == datetime.date(2024, 3, 1)
    assert cycle.phase == GoalCycle.Phase.ALLOCATION
    for goal in goals:
        goal.refresh_from_db()
        assert goal.status == Goal.Status.ADOPTED
        assert goal.history.latest().history_user == mayor
    rejected.refresh_from_db()
    assert rejected.status == "rejected"
    versions = GoalVersion.objects.filter(decision=draft)
    assert {v.goal.code for v in versions} == {"PROG-01", "OIK-01"}
    assert versions.get(goal__code="PROG-01").target == 150


def test_admin_records_it_on_the_mayors_behalf(client_for, admin_user, draft):
    response = client_for(admin_user).get(reverse("goals:decision_issue", args=[draft.pk]))
    assert "εκ μέρους του" in response.content.decode()
    issue(client_for(admin_user), draft)
    draft.refresh_from_db()
    assert draft.status == "issued"
    assert draft.recorded_on_behalf is True
    assert draft.issued_by == admin_user


@pytest.mark.parametrize("person", ["secretary", "deputy", "head_of_planning"])
def test_only_the_mayor_issues(request, client_for, draft, person):
    user = request.getfixturevalue(person)
    response = issue(client_for(user), draft)
    draft.refresh_from_db()
    assert response.status_code == 403 if person != "head_of_planning" else 404
    assert draft.status == "draft"


def test_the_service_refuses_a_forged_issue(secretary, draft):
    with pytest.raises(ValidationError):
        issue_decision(
            decision=draft, by=secretary, expected_version=draft.version, **_issue_values()
        )


def _issue_values():
    return {
        "number": "1",
        "protocol_number": "2",
        "decision_date": datetime.date(2024, 3, 1),
        "ada": "Ψ4ΚΣΩΗΓ-3ΞΛ",
    }


@pytest.mark.parametrize(
    "ada",
    ["Ψ4ΚΣΩΗΓ-3ΞΛ", "6ΛΒΖΩΗΓ-ΞΨΖ", "ΩΕΠ9ΩΗΓ-4ΔΔ", "4ΑΘ2469Β7Η-ΑΨΕ", "ψ4κσωηγ-3ξλ", " Ψ4ΚΣΩΗΓ-3ΞΛ "],
)
def test_it_accepts_real_forms_of_ada(client_for, mayor, draft, ada):
    response = issue(client_for(mayor), draft, ada=ada)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.ada == ada.strip().upper()


@pytest.mark.parametrize(
    "ada", ["12345", "ΨΚΣ-3ΞΛ", "Ψ4ΚΣΩΗΓ3ΞΛ", "Ψ4ΚΣΩΗΓ-3Ξ", "Ψ4ΚΣΩΗΓ-3ΞΛ;", "ABCD-ΕΖΗ!"]
)
def test_it_refuses_a_malformed_ada_with_a_clear_message(client_for, mayor, draft, ada):
    response = issue(client_for(mayor), draft, ada=ada)
    assert response.status_code == 200
    assert "κεφαλαία ελληνικά γράμματα" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Goal.objects.filter(status="adopted").count() == 0


def test_it_refuses_an_ada_already_used(client_for, mayor, draft):
    other_cycle = GoalCycleFactory(year=2023, phase="consultation")
    GoalFactory(cycle=other_cycle)
    other = MayoralDecisionFactory(cycle=other_cycle)
    issue_decision(decision=other, by=mayor, expected_version=other.version, **_issue_values())
    response = issue(client_for(mayor), draft)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_it_refuses_a_future_date(client_for, mayor, draft):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = issue(client_for(mayor), draft, decision_date=future)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_stale_page_does_not_issue(client_for, mayor, secretary, draft):
    save_decision_draft(decision=draft, by=secretary, expected_version=draft.version)
    response = issue(client_for(mayor), draft, version=1)
    assert response.status_code == 200
    assert "Κάποιος άλλος αποθήκευσε στο μεταξύ" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_it_cannot_be_issued_twice(mayor, draft):
    issue_decision(decision=draft, by=mayor, expected_version=draft.version, **_issue_values())
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        issue_decision(decision=draft, by=mayor, expected_version=draft.version, **_issue_values())


def test_a_cycle_without_accepted_goals_is_not_adopted(mayor, secretary):
    cycle = GoalCycleFactory(year=2025, phase="consultation")
    decision = prepare_decision(cycle=cycle, by=secretary)
    with pytest.raises(ValidationError):
        issue_decision(
            decision=decision, by=mayor, expected_version=decision.version, **_issue_values()
        )
    cycle.refresh_from_db()
    assert cycle.phase == "consultation"


def test_adopted_goals_are_no_longer_editable(client_for, secretary, head_of_planning, adopted):
    assert not Goal.objects.editable_by(secretary).filter(pk=adopted.goal.pk).exists()
    assert not Goal.objects.editable_by(head_of_planning).exists()
    response = client_for(secretary).post(
        reverse("goals:update", args=[adopted.goal.pk]), {"title": "Άλλος τίτλος"}
    )
    assert response.status_code == 403
    adopted.goal.refresh_from_db()
    assert adopted.goal.title != "Άλλος τίτλος"


def test_the_save_service_refuses_an_adopted_goal(secretary, adopted):
    adopted.goal.title = "Άλλος τίτλος"
    with pytest.raises(ValidationError):
        save_goal(goal=adopted.goal, by=secretary, expected_version=adopted.goal.version)


def test_a_phase_move_cannot_adopt_without_a_decision(secretary):
    cycle = GoalCycleFactory(year=2025, phase="consultation")
    with pytest.raises(ValidationError):
        advance_cycle(cycle=cycle, to_phase="adopted", by=secretary)


def test_goal_page_names_the_adopting_decision(client_for, staff, adopted):
    response = client_for(staff).get(reverse("goals:detail", args=[adopted.goal.pk]))
    assert response.status_code == 200
    assert "Ψ4ΚΣΩΗΓ-3ΞΛ" in response.content.decode()
    assert adopted.decision.get_absolute_url() in response.content.decode()


def test_draft_wording_is_saved_by_the_secretary(client_for, secretary, draft):
    url = reverse("goals:decision_update", args=[draft.pk])
    response = client_for(secretary).post(
        url,
        {
            "subject": "Νέο θέμα",
            "considerations": "Α\nΒ",
            "text": "Κείμενο",
            "version": draft.version,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "Νέο θέμα"
    assert draft.version == 2


def test_an_issued_decision_cannot_be_reworded(client_for, secretary, adopted):
    url = reverse("goals:decision_update", args=[adopted.decision.pk])
    assert client_for(secretary).get(url).status_code == 403


@pytest.mark.parametrize("data", [{}, {"cycle": "abc"}, {"cycle": "1", "amends": "x"}])
def test_a_forged_prepare_request_is_a_404_not_a_500(client_for, secretary, data):
    response = client_for(secretary).post(reverse("goals:decision_create"), data)
    assert response.status_code == 404
    assert not MayoralDecision.objects.exists()


def test_a_malformed_cycle_filter_falls_back_to_the_monitored_cycle(client_for, mayor, adopted):
    response = client_for(mayor).get(reverse("goals:allocations") + "?cycle=abc")
    assert response.status_code == 200
    assert response.context["cycle"] == adopted.cycle
