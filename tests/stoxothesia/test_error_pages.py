import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_404_page_is_greek_and_friendly(client_for, staff):
    response = client_for(staff).get("/no-such-page/")

    assert response.status_code == 404
    assert "Η σελίδα δεν βρέθηκε" in response.content.decode()


def test_404_page_is_english_for_english_speakers(client_for, staff):
    staff.language = "en"
    staff.save()

    response = client_for(staff).get("/no-such-page/")

    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("el", "Κάτι πήγε στραβά"), ("en", "Something went wrong")]
)
def test_500_page_renders_without_a_request_context(language, text):
    with translation.override(language):
        page = render_to_string("500.html")

    assert text in page


def test_403_page_explains_the_refusal(staff):
    request = RequestFactory().get("/")
    request.user = staff
    with translation.override("el"):
        page = render_to_string("403.html", request=request)

    assert "Δεν επιτρέπεται η πρόσβαση" in page
