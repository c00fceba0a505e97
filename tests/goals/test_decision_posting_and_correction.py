"""After signing: no ΑΔΑ on the documents until posting; a decision signed and not posted within
the days the municipality allows is flagged to the General Secretary; a corrected re-issue
(ορθή επανάληψη) replaces a decision's wording, keeps both, and each says so."""

import datetime
import io
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directorates.models import Municipality
from goals.models import Goal, MayoralDecision
from goals.services.decisions import prepare_correction, prepare_decision, save_decision_draft
from tests.factories import (
    GoalCycleFactory,
    GoalFactory,
    MayoralDecisionFactory,
    posted_decision,
    signed_decision,
)

DAYS = 7


@pytest.fixture(autouse=True)
def _municipality(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    municipality = Municipality.load()
    municipality.days_to_post = DAYS
    municipality.save()


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def signed_days_ago(days: int, *, mayor, year: int = 2024) -> MayoralDecision:
    cycle = GoalCycleFactory(year=year, phase="consultation")
    GoalFactory(cycle=cycle)
    decision = MayoralDecisionFactory(cycle=cycle)
    on = timezone.localdate() - datetime.timedelta(days=days)
    return signed_decision(decision, mayor=mayor, decision_date=on, number=str(100 + year))


# --- No ΑΔΑ before posting ------------------------------------------------------------------------
def test_draft_and_signed_documents_print_no_ada_placeholder(client_for, secretary, mayor):
    decision = signed_days_ago(1, mayor=mayor)
    draft = MayoralDecisionFactory(cycle=GoalCycleFactory(year=2030, phase="consultation"))
    client = client_for(secretary)
    for shown in (draft, decision):
        page = client.get(shown.get_absolute_url()).content.decode()
        document = text_of(page.split('class="decision-document"')[1])
        assert "ΑΔΑ" not in document
        pdf = pdf_text(client.get(reverse("goals:decision_pdf", args=[shown.pk])).content)
        assert "ΑΔΑ" not in pdf
    posted_decision(decision, by=secretary, ada="Ψ4ΚΣΩΗΓ-3ΞΛ")
    pdf = pdf_text(client.get(reverse("goals:decision_pdf", args=[decision.pk])).content)
    assert "ΑΔΑ" in pdf and "Ψ4ΚΣΩΗΓ-3ΞΛ" in pdf


# --- Signed but not posted in time: flagged -------------------------------------------------------
def test_a_decision_signed_n_days_ago_is_not_flagged_yet(client_for, secretary, mayor):
    decision = signed_days_ago(DAYS, mayor=mayor)
    home = client_for(secretary).get(reverse("home")).content.decode()
    assert "Ανάρτηση στη Διαύγεια" not in home
    listing = client_for(secretary).get(reverse("goals:decisions")).content.decode()
    assert "Δεν αναρτήθηκε εγκαίρως" not in listing
    detail = client_for(secretary).get(decision.get_absolute_url()).content.decode()
    assert "Δεν αναρτήθηκε εγκαίρως" not in detail


def test_a_decision_signed_more_than_n_days_ago_is_flagged_to_the_secretary(
    client_for, secretary, mayor, staff
):
    decision = signed_days_ago(DAYS + 1, mayor=mayor)
    home = client_for(secretary).get(reverse("home")).content.decode()
    assert "Ανάρτηση στη Διαύγεια 1 απόφασης" in home
    assert decision.get_absolute_url() in home
    listing = client_for(secretary).get(reverse("goals:decisions")).content.decode()
    assert "Δεν αναρτήθηκε εγκαίρως" in listing
    detail = client_for(secretary).get(decision.get_absolute_url()).content.decode()
    assert "Δεν αναρτήθηκε εγκαίρως" in detail
    # Flagged to the General Secretary, not on everyone's start page.
    assert "Ανάρτηση στη Διαύγεια" not in client_for(staff).get(reverse("home")).content.decode()


def test_a_posted_decision_is_no_longer_flagged(client_for, secretary, mayor):
    decision = signed_days_ago(DAYS + 3, mayor=mayor)
    posted_decision(decision, by=secretary, posted_on=timezone.localdate())
    listing = client_for(secretary).get(reverse("goals:decisions")).content.decode()
    assert "Δεν αναρτήθηκε εγκαίρως" not in listing
    assert (
        "Ανάρτηση στη Διαύγεια" not in client_for(secretary).get(reverse("home")).content.decode()
    )


def test_the_days_allowed_are_the_municipalitys(client_for, secretary, mayor):
    signed_days_ago(DAYS + 1, mayor=mayor)
    Municipality.objects.update(days_to_post=DAYS + 2)
    listing = client_for(secretary).get(reverse("goals:decisions")).content.decode()
    assert "Δεν αναρτήθηκε εγκαίρως" not in listing


def queries_for(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_the_start_page_and_list_run_a_fixed_number_of_queries_whatever_is_late(
    client_for, secretary, mayor, django_assert_num_queries
):
    signed_days_ago(DAYS + 1, mayor=mayor, year=2010)
    client = client_for(secretary)
    counts = {
        url: queries_for(client, url) for url in (reverse("home"), reverse("goals:decisions"))
    }
    for year in range(2011, 2016):
        signed_days_ago(DAYS + 2, mayor=mayor, year=year)
    for url, count in counts.items():
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.content.decode().count("/decisions/") > 5


# --- Corrected re-issue ---------------------------------------------------------------------------
@pytest.fixture
def correction(secretary, adopted):
    draft = prepare_correction(decision=adopted.decision, by=secretary)
    draft.text = "Εγκρίνουμε τους στόχους του Δήμου, όπως διορθώθηκαν."
    draft.correction_note = "τη διατύπωση του άρθρου 1"
    return save_decision_draft(decision=draft, by=secretary, expected_version=draft.version)


def test_secretary_starts_a_corrected_reissue_from_the_decisions_wording(
    client_for, secretary, adopted
):
    response = client_for(secretary).post(
        reverse("goals:decision_correct", args=[adopted.decision.pk])
    )
    correction = MayoralDecision.objects.get(kind="correction")
    assert response.status_code == 302 and response.url == correction.get_absolute_url()
    assert correction.corrects == adopted.decision
    assert correction.status == "draft"
    assert correction.text == adopted.decision.text
    assert correction.considerations == adopted.decision.considerations


def test_the_correction_keeps_both_texts_and_each_says_so(
    client_for, secretary, mayor, adopted, correction
):
    original_text = adopted.decision.text
    signed = signed_decision(correction, mayor=mayor, number="13")
    posted_decision(signed, by=secretary, ada="6ΛΒΖΩΗΓ-ΞΨΖ")
    adopted.decision.refresh_from_db()
    assert adopted.decision.text == original_text  # kept as it was signed

    client = client_for(secretary)
    new = text_of(client.get(correction.get_absolute_url()).content.decode())
    assert "ΟΡΘΗ ΕΠΑΝΑΛΗΨΗ" in new
    assert (
        "Αντικαθιστά την υπ' αριθμ. 12/2024 απόφαση Δημάρχου (ΑΔΑ Ψ4ΚΣΩΗΓ-3ΞΛ) ως προς: "
        "τη διατύπωση του άρθρου 1" in new
    )
    assert "όπως διορθώθηκαν" in new
    assert "PROG-01" in new  # the goals of the decision it corrects

    old = text_of(client.get(adopted.decision.get_absolute_url()).content.decode())
    assert (
        "Η απόφαση αυτή επαναλήφθηκε ορθά με την υπ' αριθμ. 13/2024 απόφαση Δημάρχου "
        "(ΑΔΑ 6ΛΒΖΩΗΓ-ΞΨΖ) ως προς: τη διατύπωση του άρθρου 1" in old
    )
    assert original_text in old
    pdf = pdf_text(client.get(reverse("goals:decision_pdf", args=[adopted.decision.pk])).content)
    assert "επαναλήφθηκε ορθά" in pdf


def test_a_correction_changes_no_goal(secretary, mayor, adopted, correction):
    before = list(Goal.objects.order_by("pk").values_list("pk", "target", "status", "version"))
    posted_decision(
        signed_decision(correction, mayor=mayor, number="13"), by=secretary, ada="6ΛΒΖΩΗΓ-ΞΨΖ"
    )
    after = list(Goal.objects.order_by("pk").values_list("pk", "target", "status", "version"))
    assert before == after
    adopted.cycle.refresh_from_db()
    assert adopted.cycle.phase == "allocation"


def test_a_correction_says_what_it_corrects_before_it_is_signed(secretary, mayor, adopted):
    draft = prepare_correction(decision=adopted.decision, by=secretary)
    with pytest.raises(ValidationError):
        signed_decision(draft, mayor=mayor, number="13")


def test_the_correction_form_requires_what_is_corrected(client_for, secretary, adopted):
    draft = prepare_correction(decision=adopted.decision, by=secretary)
    response = client_for(secretary).post(
        reverse("goals:decision_update", args=[draft.pk]),
        {"subject": "Θέμα", "considerations": "Α", "text": "Κ", "version": draft.version},
    )
    assert response.status_code == 200
    assert "correction_note" in response.context["form"].errors


def test_only_a_decision_in_force_is_corrected_and_once_at_a_time(
    client_for, secretary, mayor, adopted, correction
):
    with pytest.raises(ValidationError):
        prepare_correction(decision=adopted.decision, by=secretary)  # one under way
    with pytest.raises(ValidationError):
        prepare_correction(decision=correction, by=secretary)  # not a correction's
    draft = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    with pytest.raises(ValidationError):
        prepare_correction(decision=draft, by=secretary)
    response = client_for(secretary).post(reverse("goals:decision_correct", args=[draft.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["mayor", "deputy", "head_of_planning", "staff"])
def test_only_the_secretary_starts_a_correction(request, client_for, adopted, person):
    user = request.getfixturevalue(person)
    response = client_for(user).post(reverse("goals:decision_correct", args=[adopted.decision.pk]))
    assert response.status_code == 403
    assert not MayoralDecision.objects.filter(kind="correction").exists()
    with pytest.raises(ValidationError):
        prepare_correction(decision=adopted.decision, by=user)
