import pytest
from django.core import mail
from django.urls import reverse

from directorates.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture
def eleni(db):
    user = UserFactory(username="eleni", email="Eleni.T@heraklion.gr", roles=[Role.STAFF])
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize("identifier", ["eleni", "ELENI", "eleni.t@heraklion.gr"])
def test_person_logs_in_with_username_or_email_in_any_case(client, eleni, identifier):
    response = login(client, identifier)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == eleni


def test_wrong_password_shows_a_greek_message_and_stays_logged_out(client, eleni):
    response = login(client, "eleni", "wrong-password")

    assert response.status_code == 200
    assert "Παρακαλώ εισάγετε ένα σωστό" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failures_lock_the_account_with_a_clear_message(client, eleni, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "eleni", "wrong-password")

    response = login(client, "eleni")  # even the right password is refused while locked

    assert response.status_code == 429
    assert "Πάρα πολλές αποτυχημένες προσπάθειες" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_logout_needs_post(client_for, eleni):
    client = client_for(eleni)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, eleni, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "eleni.t@heraklion.gr"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Eleni.T@heraklion.gr"]
    assert "Στοχοθεσία" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = "/accounts/reset/" + link.split("/accounts/reset/", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-password-42", "new_password2": "another-long-password-42"},
    )
    eleni.refresh_from_db()
    assert eleni.check_password("another-long-password-42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_nothing(
    client, eleni, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.gr"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_refuses_a_short_password_in_greek(client_for, eleni):
    response = client_for(eleni).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )

    assert response.status_code == 200
    assert "πολύ μικρό" in response.content.decode()
    eleni.refresh_from_db()
    assert eleni.check_password(PASSWORD)


@pytest.mark.parametrize(
    "url_name", ["home", "directorates:list", "directorates:profile", "password_change"]
)
def test_pages_send_anonymous_visitors_to_login(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_and_reset_pages_are_open_to_anonymous_visitors(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200


def test_inactive_person_cannot_log_in(client, eleni):
    eleni.is_active = False
    eleni.save()

    response = login(client, "eleni")

    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_sessions_expire_at_browser_close_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 12
