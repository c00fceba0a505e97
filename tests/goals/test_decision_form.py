"""The decision reads like a real Απόφαση Δημάρχου: the municipality's header (data, edited in
Django admin), place and date, Αρ. Πρωτ., considerations with their ΦΕΚ, articles, the
no-expense clause, the Mayor by gender, the internal distribution, and on amendments a
grammatical subject and "Κατά τα λοιπά ισχύει"."""

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from directorates.models import Municipality
from goals.services.decisions import prepare_decision
from tests.factories import GoalCycleFactory, GoalFactory

ACCENTED_CAPITAL_WORD = re.compile(r"\b(?=\w*[ΆΈΉΊΌΎΏ])[Α-ΩΆΈΉΊΌΎΏΪΫ]{2,}\b")


@pytest.fixture
def consultation(planning, finance):
    """A cycle in consultation with two accepted goals, ready for a draft adoption."""
    cycle = GoalCycleFactory(year=2024, phase="consultation")
    GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", status="accepted")
    GoalFactory(cycle=cycle, directorate=finance, code="OIK-01", status="accepted")
    return cycle


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_decision_opens_with_the_municipality_header_place_date_and_protocol(
    client_for, staff, adopted
):
    page = text_of(client_for(staff).get(adopted.decision.get_absolute_url()).content.decode())
    for line in ["ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ", "ΠΕΡΙΦΕΡΕΙΑ ΚΡΗΤΗΣ", "ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ", "Αγίου Τίτου 1"]:
        assert line in page
    assert "Ηράκλειο, 01/03/2024" in page
    assert re.search(r"Αρ\. Πρωτ\.:? 4567", page)
    assert "ΘΕΜΑ:" in page
    assert "Ο ΔΗΜΑΡΧΟΣ ΗΡΑΚΛΕΙΟΥ" in page
    assert not ACCENTED_CAPITAL_WORD.search(page), ACCENTED_CAPITAL_WORD.search(page)


def test_protocol_number_is_written_without_a_thousands_separator(client_for, mayor, adopted):
    adopted.decision.protocol_number = "6842"
    adopted.decision.save()
    page = text_of(client_for(mayor).get(adopted.decision.get_absolute_url()).content.decode())
    assert re.search(r"Αρ\. Πρωτ\.:? 6842", page)
    assert "6.842" not in page


def test_sign_form_reads_a_protocol_number_typed_with_a_separator(mayor):
    from goals.forms.decisions import SignDecisionForm

    form = SignDecisionForm(decision=None, user=mayor)
    form.cleaned_data = {"protocol_number": "6.842"}
    assert form.clean_protocol_number() == "6842"
    form.cleaned_data = {"protocol_number": "Φ.1/6842"}
    assert form.clean_protocol_number() == "Φ.1/6842"


def test_decision_cites_each_law_with_its_gazette_and_decides_in_articles(
    client_for, secretary, consultation
):
    draft = prepare_decision(cycle=consultation, by=secretary)
    page = text_of(client_for(secretary).get(draft.get_absolute_url()).content.decode())
    assert "Έχοντας υπόψη:" in page
    assert "ν. 3852/2010 (ΦΕΚ Α' 87)" in page
    assert "ν. 4940/2022 (ΦΕΚ Α' 112)" in page
    assert "ΔΣΣΚ/ΤΠΠ/Φ.1/οικ.386/2022" in page and "(ΦΕΚ Β' 46/2023)" in page
    assert "ΑΠΟΦΑΣΙΖΟΥΜΕ" in page
    assert "Άρθρο 1" in page
    assert (
        "Από την παρούσα απόφαση δεν προκαλείται δαπάνη σε βάρος του προϋπολογισμού του Δήμου."
        in page
    )
    assert "Εσωτερική διανομή" in page and "Γραφείο Γενικού Γραμματέα" in page


def test_header_and_legal_basis_come_from_the_municipality_data(
    client_for, secretary, consultation
):
    municipality = Municipality.load()
    municipality.name = "Δήμος Χανίων"
    municipality.mayor_of = "Χανίων"
    municipality.address = "Κυδωνίας 29"
    municipality.considerations = "Τις διατάξεις του ν. 1234/2020 (ΦΕΚ Α' 1)."
    municipality.distribution = "Γραφείο Δημάρχου Χανίων"
    municipality.save()
    draft = prepare_decision(cycle=consultation, by=secretary)
    page = text_of(client_for(secretary).get(draft.get_absolute_url()).content.decode())
    assert "ΔΗΜΟΣ ΧΑΝΙΩΝ" in page
    assert "Ο ΔΗΜΑΡΧΟΣ ΧΑΝΙΩΝ" in page
    assert "Κυδωνίας 29" in page
    assert "ν. 1234/2020 (ΦΕΚ Α' 1)" in page
    assert "Γραφείο Δημάρχου Χανίων" in page


def test_a_mayor_who_is_a_woman_signs_as_η_δημαρχος(client_for, mayor, adopted):
    mayor.gender = "female"
    mayor.save()
    page = text_of(client_for(mayor).get(adopted.decision.get_absolute_url()).content.decode())
    assert "Η ΔΗΜΑΡΧΟΣ ΗΡΑΚΛΕΙΟΥ" in page
    assert "Ο ΔΗΜΑΡΧΟΣ" not in page


def test_amendment_has_a_grammatical_subject_and_keeps_the_rest_in_force(
    client_for, secretary, adopted
):
    amendment = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    assert amendment.subject == (
        "Τροποποίηση της υπ' αριθμ. 12/2024 απόφασης Δημάρχου για τους στόχους του έτους 2024"
    )
    page = text_of(client_for(secretary).get(amendment.get_absolute_url()).content.decode())
    assert "Άρθρο 2" in page
    assert "Κατά τα λοιπά ισχύει η υπ' αριθμ. 12/2024 απόφαση Δημάρχου." in page


def test_decision_pdf_writes_capitals_without_accents(client_for, staff, adopted):
    response = client_for(staff).get(reverse("goals:decision_pdf", args=[adopted.decision.pk]))
    text = pdf_text(response.content)
    assert "ΔΗΜΟΣ ΗΡΑΚΛΕΙΟΥ" in text
    assert "Ο ΔΗΜΑΡΧΟΣ ΗΡΑΚΛΕΙΟΥ" in text
    assert "Αρ. Πρωτ.: 4567" in text
    assert not ACCENTED_CAPITAL_WORD.search(text), ACCENTED_CAPITAL_WORD.search(text)


def test_english_decision_writes_the_date_day_first(client_for, staff, adopted):
    client = client_for(staff)
    client.cookies["django_language"] = "en"
    staff.language = "en"
    staff.save()
    page = text_of(client.get(adopted.decision.get_absolute_url()).content.decode())
    assert "HELLENIC REPUBLIC" in page
    assert "Heraklion, 01/03/2024" in page
    assert "THE MAYOR OF HERAKLION" in page
