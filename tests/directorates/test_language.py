import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_greek_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="el">' in response.content.decode()
    assert "Σύνδεση" in response.content.decode()


def test_anonymous_visitor_switches_to_english_with_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_person_switching_language_keeps_it_on_their_profile(client_for, staff):
    client = client_for(staff)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    staff.refresh_from_db()
    assert staff.language == "en"
    # A new browser, without the cookie, still gets the person's language.
    fresh = client_for(staff)
    assert '<html lang="en">' in fresh.get(reverse("home")).content.decode()


def test_unknown_language_is_ignored(client_for, staff):
    client_for(staff).post(reverse("set_language"), {"language": "xx", "next": "/"})

    staff.refresh_from_db()
    assert staff.language == ""


def test_language_switch_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405
