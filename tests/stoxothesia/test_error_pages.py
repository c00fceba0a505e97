import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
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


def break_the_database(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


@pytest.mark.parametrize(
    ("cookie", "text"), [(None, "Προσωρινά μη διαθέσιμο"), ("en", "Briefly unavailable")]
)
def test_a_database_error_gives_a_friendly_503_page(client_for, staff, monkeypatch, cookie, text):
    client = client_for(staff)
    client.raise_request_exception = False
    if cookie:
        client.cookies["django_language"] = cookie
    monkeypatch.setattr("stoxothesia.views.render", break_the_database)

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert response.status_code == 503
    assert text in page and "Traceback" not in page and "OperationalError" not in page
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"].split(", ")


def test_other_errors_still_give_the_500_page(client_for, staff, monkeypatch):
    client = client_for(staff)
    client.raise_request_exception = False
    monkeypatch.setattr("stoxothesia.views.render", lambda *a, **k: 1 / 0)

    response = client.get(reverse("home"))

    assert response.status_code == 500
    assert "Κάτι πήγε στραβά" in response.content.decode()
