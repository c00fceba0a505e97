"""A decision's life: the General Secretary prepares the draft; the Mayor, or a Deputy Mayor by
order of the Mayor, signs it (number, protocol number, date); it is posted on Diavgeia, whose ΑΔΑ
is entered afterwards, and only then is it in force and the goals adopted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directorates.models import Municipality
from goals.models import Goal, GoalCycle, GoalVersion, MayoralDecision
from goals.services.cycles import advance_cycle
from goals.services.decisions import (
    post_decision,
    prepare_decision,
    save_decision_draft,
    sign_decision,
)
from goals.services.goals import save_goal
from tests.factories import GoalCycleFactory, GoalFactory, MayoralDecisionFactory, signed_decision

SIGN = {"number": "154", "protocol_number": "23.456", "decision_date": "2024-03-01"}
POST = {"ada": "Ψ4ΚΣΩΗΓ-3ΞΛ", "posted_on": "2024-03-04"}


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


@pytest.fixture
def signed(draft, mayor):
    return signed_decision(draft, mayor=mayor, decision_date=datetime.date(2024, 3, 1))


def sign(client, decision, signatory, **changes):
    data = {**SIGN, "signatory": signatory.pk, "version": decision.version, **changes}
    return client.post(reverse("goals:decision_sign", args=[decision.pk]), data)


def post(client, decision, **changes):
    data = {**POST, "version": decision.version, **changes}
    return client.post(reverse("goals:decision_post", args=[decision.pk]), data)


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


def test_mayor_signs_and_nothing_is_in_force_yet(client_for, mayor, draft, consultation):
    cycle, goals, _rejected = consultation
    response = sign(client_for(mayor), draft, mayor)
    assert response.status_code == 302
    draft.refresh_from_db()
    cycle.refresh_from_db()
    assert draft.status == "signed"
    assert draft.signatory == mayor and draft.recorded_by == mayor
    assert draft.by_order_of_the_mayor is False and draft.recorded_on_behalf is False
    assert draft.protocol_number == "23456"
    assert draft.decision_date == datetime.date(2024, 3, 1)
    assert draft.ada == "" and draft.posted_on is None
    # Signed, not posted: the goals are not adopted and the cycle has not moved.
    assert cycle.phase == GoalCycle.Phase.CONSULTATION
    assert not Goal.objects.filter(status=Goal.Status.ADOPTED).exists()
    # What was signed is frozen: the decision's goal versions.
    assert {v.goal.code for v in GoalVersion.objects.filter(decision=draft)} == {
        "PROG-01",
        "OIK-01",
    }
    assert draft.history.latest().history_user == mayor


def test_posting_puts_it_in_force_and_adopts_the_goals(client_for, secretary, signed, consultation):
    cycle, goals, rejected = consultation
    response = post(client_for(secretary), signed)
    assert response.status_code == 302
    signed.refresh_from_db()
    cycle.refresh_from_db()
    assert signed.status == "posted"
    assert signed.ada == "Ψ4ΚΣΩΗΓ-3ΞΛ"
    assert signed.posted_on == datetime.date(2024, 3, 4)
    assert signed.posted_by == secretary
    assert cycle.phase == GoalCycle.Phase.ALLOCATION
    for goal in goals:
        goal.refresh_from_db()
        assert goal.status == Goal.Status.ADOPTED
        assert goal.history.latest().history_user == secretary
    rejected.refresh_from_db()
    assert rejected.status == "rejected"


def test_the_goals_adopted_are_the_ones_signed(secretary, signed, consultation):
    """A goal edited between signing and posting is adopted with the values signed."""
    _cycle, goals, _rejected = consultation
    Goal.objects.filter(pk=goals[0].pk).update(target=999)
    post_decision(
        decision=signed,
        by=secretary,
        ada="Ψ4ΚΣΩΗΓ-3ΞΛ",
        posted_on=datetime.date(2024, 3, 4),
        expected_version=signed.version,
    )
    goals[0].refresh_from_db()
    assert goals[0].target == 150


def test_a_deputy_mayor_signs_by_order_of_the_mayor(client_for, deputy, draft):
    deputy.gender = "female"
    deputy.save()
    response = sign(client_for(deputy), draft, deputy)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.signatory == deputy
    assert draft.by_order_of_the_mayor is True
    page = client_for(deputy).get(draft.get_absolute_url()).content.decode()
    signature = page.split('class="decision-signature"')[1]
    assert "Με εντολή Δημάρχου" in signature
    assert "Η ΑΝΤΙΔΗΜΑΡΧΟΣ" in signature


def test_admin_records_the_signature_on_the_signatorys_behalf(
    client_for, admin_user, deputy, draft
):
    response = client_for(admin_user).get(reverse("goals:decision_sign", args=[draft.pk]))
    assert "εκ μέρους" in response.content.decode()
    sign(client_for(admin_user), draft, deputy)
    draft.refresh_from_db()
    assert draft.status == "signed"
    assert draft.signatory == deputy and draft.recorded_by == admin_user
    assert draft.recorded_on_behalf is True and draft.by_order_of_the_mayor is True


def test_a_deputy_cannot_record_someone_elses_signature(client_for, deputy, mayor, draft):
    response = sign(client_for(deputy), draft, mayor)
    assert response.status_code == 200  # the mayor is not among the choices
    draft.refresh_from_db()
    assert draft.status == "draft"
    with pytest.raises(ValidationError):
        sign_decision(
            decision=draft,
            by=deputy,
            signatory=mayor,
            number="1",
            protocol_number="2",
            decision_date=datetime.date(2024, 3, 1),
            expected_version=draft.version,
        )


def test_only_the_mayor_or_a_deputy_signs(admin_user, secretary, draft):
    for person in (secretary, admin_user):
        with pytest.raises(ValidationError):
            sign_decision(
                decision=draft,
                by=secretary,
                signatory=person,
                number="1",
                protocol_number="2",
                decision_date=datetime.date(2024, 3, 1),
                expected_version=draft.version,
            )
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("person", ["secretary", "head_of_planning"])
def test_others_may_not_sign(request, client_for, mayor, draft, person):
    user = request.getfixturevalue(person)
    response = sign(client_for(user), draft, mayor)
    assert response.status_code == (403 if person == "secretary" else 404)
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("person", ["deputy", "head_of_planning", "staff"])
def test_others_may_not_record_the_posting(request, client_for, signed, person):
    response = post(client_for(request.getfixturevalue(person)), signed)
    assert response.status_code == 403
    signed.refresh_from_db()
    assert signed.status == "signed" and signed.ada == ""


def test_posting_before_signing_is_refused(client_for, secretary, draft):
    response = post(client_for(secretary), draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.ada == ""
    with pytest.raises(ValidationError, match="αφού υπογραφεί"):
        post_decision(
            decision=draft,
            by=secretary,
            ada="Ψ4ΚΣΩΗΓ-3ΞΛ",
            posted_on=datetime.date(2024, 3, 4),
            expected_version=draft.version,
        )


def test_an_ada_is_never_stored_before_posting(draft):
    draft.ada = "Ψ4ΚΣΩΗΓ-3ΞΛ"
    with pytest.raises(ValidationError):
        draft.validate_constraints()


@pytest.mark.parametrize(
    "ada",
    ["Ψ4ΚΣΩΗΓ-3ΞΛ", "6ΛΒΖΩΗΓ-ΞΨΖ", "ΩΕΠ9ΩΗΓ-4ΔΔ", "4ΑΘ2469Β7Η-ΑΨΕ", "ψ4κσωηγ-3ξλ", " Ψ4ΚΣΩΗΓ-3ΞΛ "],
)
def test_it_accepts_real_forms_of_ada(client_for, secretary, signed, ada):
    response = post(client_for(secretary), signed, ada=ada)
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.ada == ada.strip().upper()


@pytest.mark.parametrize(
    "ada", ["12345", "ΨΚΣ-3ΞΛ", "Ψ4ΚΣΩΗΓ3ΞΛ", "Ψ4ΚΣΩΗΓ-3Ξ", "Ψ4ΚΣΩΗΓ-3ΞΛ;", "ABCD-ΕΖΗ!"]
)
def test_it_refuses_a_malformed_ada_with_a_clear_message(client_for, secretary, signed, ada):
    response = post(client_for(secretary), signed, ada=ada)
    assert response.status_code == 200
    assert "κεφαλαία ελληνικά γράμματα" in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == "signed"
    assert Goal.objects.filter(status="adopted").count() == 0


def test_it_refuses_an_ada_already_used(client_for, secretary, mayor, signed):
    other_cycle = GoalCycleFactory(year=2023, phase="consultation")
    GoalFactory(cycle=other_cycle)
    other = signed_decision(MayoralDecisionFactory(cycle=other_cycle), mayor=mayor)
    post_decision(
        decision=other,
        by=secretary,
        ada="Ψ4ΚΣΩΗΓ-3ΞΛ",
        posted_on=other.decision_date,
        expected_version=other.version,
    )
    response = post(client_for(secretary), signed)
    assert response.status_code == 200
    assert "Άλλη απόφαση έχει ήδη αυτόν τον ΑΔΑ" in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == "signed"
    with pytest.raises(ValidationError):
        post_decision(
            decision=signed,
            by=secretary,
            ada="ψ4κσωηγ-3ξλ",
            posted_on=datetime.date(2024, 3, 4),
            expected_version=signed.version,
        )


def test_it_refuses_a_posting_date_before_the_signature(client_for, secretary, signed):
    response = post(client_for(secretary), signed, posted_on="2024-02-28")
    assert response.status_code == 200
    signed.refresh_from_db()
    assert signed.status == "signed"


def test_it_refuses_a_future_date(client_for, mayor, draft):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = sign(client_for(mayor), draft, mayor, decision_date=future)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_stale_page_does_not_sign(client_for, mayor, secretary, draft):
    save_decision_draft(decision=draft, by=secretary, expected_version=draft.version)
    response = sign(client_for(mayor), draft, mayor, version=1)
    assert response.status_code == 200
    assert "Κάποιος άλλος αποθήκευσε στο μεταξύ" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_it_cannot_be_signed_or_posted_twice(client_for, secretary, mayor, signed):
    with pytest.raises(ValidationError):
        signed_decision(signed, mayor=mayor)
    response = client_for(mayor).get(reverse("goals:decision_sign", args=[signed.pk]))
    assert response.status_code == 302
    post(client_for(secretary), signed)
    signed.refresh_from_db()
    with pytest.raises(ValidationError):
        post_decision(
            decision=signed,
            by=secretary,
            ada="6ΛΒΖΩΗΓ-ΞΨΖ",
            posted_on=datetime.date(2024, 3, 4),
            expected_version=signed.version,
        )
    signed.refresh_from_db()
    assert signed.ada == "Ψ4ΚΣΩΗΓ-3ΞΛ"


def test_a_cycle_without_accepted_goals_is_not_signed(mayor, secretary):
    cycle = GoalCycleFactory(year=2025, phase="consultation")
    decision = prepare_decision(cycle=cycle, by=secretary)
    with pytest.raises(ValidationError):
        signed_decision(decision, mayor=mayor)
    decision.refresh_from_db()
    assert decision.status == "draft"


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


def test_a_phase_move_cannot_adopt_without_a_decision_in_force(secretary, signed):
    with pytest.raises(ValidationError):
        advance_cycle(cycle=signed.cycle, to_phase="adopted", by=secretary)


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


def test_a_signed_decision_cannot_be_reworded(client_for, secretary, signed):
    url = reverse("goals:decision_update", args=[signed.pk])
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


def test_a_signed_decision_is_read_inside_the_municipality_but_not_public(
    client_for, staff, signed
):
    from portal.visibility import public_decisions

    assert client_for(staff).get(signed.get_absolute_url()).status_code == 200
    signed.cycle.is_published = True
    signed.cycle.save()
    assert not public_decisions(signed.cycle).exists()
