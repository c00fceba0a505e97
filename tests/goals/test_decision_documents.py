"""The decision as a document: on screen, printable, as a PDF, and its signed scan."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from goals.pdf import StaticFilesOnly

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_decision_pdf_has_the_greek_text(client_for, staff, adopted):
    response = client_for(staff).get(reverse("goals:decision_pdf", args=[adopted.decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Ψ4ΚΣΩΗΓ-3ΞΛ" in text
    assert "Ταχύτερη εξυπηρέτηση" in text
    assert "Διεύθυνση Προγραμματισμού" in text
    assert "PROG-01" in text


def test_decision_page_is_laid_out_as_a_municipal_decision(client_for, staff, adopted):
    page = client_for(staff).get(adopted.decision.get_absolute_url()).content.decode()
    assert "Διεύθυνση Προγραμματισμού" in page
    assert "Διεύθυνση Οικονομικών" in page
    assert "4940/2022" in page
    assert "data-print" in page
    assert "style=" not in page


def test_staff_do_not_see_drafts(client_for, staff, secretary, adopted):
    from goals.services.decisions import prepare_decision

    draft = prepare_decision(cycle=adopted.cycle, amends=adopted.decision, by=secretary)
    assert client_for(staff).get(draft.get_absolute_url()).status_code == 404
    assert client_for(staff).get(reverse("goals:decision_pdf", args=[draft.pk])).status_code == 404


def test_the_pdf_fetcher_refuses_the_network():
    fetcher = StaticFilesOnly()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/evil.css")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("https://stoxothesia.invalid/static/../settings.py")
    response = fetcher.fetch("https://stoxothesia.invalid/static/css/document-pdf.css")
    assert b"@page" in response.read()


def upload(client, decision, content: bytes, name="signed.pdf"):
    return client.post(
        reverse("goals:decision_scan", args=[decision.pk]),
        {"scan": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_secretary_attaches_the_signed_scan(client_for, secretary, staff, adopted):
    response = upload(client_for(secretary), adopted.decision, PDF_BYTES, name="../../x.pdf")
    assert response.status_code == 302
    adopted.decision.refresh_from_db()
    assert adopted.decision.scan.name.startswith("decisions/")
    assert "x.pdf" not in adopted.decision.scan.name  # stored under a random name
    download = client_for(staff).get(reverse("goals:decision_scan", args=[adopted.decision.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_file_that_is_not_a_pdf_is_refused(client_for, secretary, adopted):
    response = upload(client_for(secretary), adopted.decision, b"MZ\x90\x00 not a pdf")
    assert response.status_code == 302
    [message] = list(response.wsgi_request._messages)
    assert str(message) == "Το αρχείο δεν είναι PDF."
    adopted.decision.refresh_from_db()
    assert not adopted.decision.scan


def test_a_file_too_large_is_refused(client_for, secretary, adopted, monkeypatch):
    monkeypatch.setattr("goals.uploads.MAX_UPLOAD_BYTES", 100)
    response = upload(client_for(secretary), adopted.decision, PDF_BYTES + b"0" * 200)
    assert response.status_code == 302
    [message] = list(response.wsgi_request._messages)
    assert "10 MB" in str(message)
    adopted.decision.refresh_from_db()
    assert not adopted.decision.scan


def test_heads_cannot_attach_a_scan(client_for, head_of_planning, adopted):
    response = upload(client_for(head_of_planning), adopted.decision, PDF_BYTES)
    assert response.status_code == 403


def test_the_scan_is_not_served_to_anonymous_visitors(client, adopted):
    response = client.get(reverse("goals:decision_scan", args=[adopted.decision.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_missing_scan_is_a_404(client_for, staff, adopted):
    url = reverse("goals:decision_scan", args=[adopted.decision.pk])
    assert client_for(staff).get(url).status_code == 404
