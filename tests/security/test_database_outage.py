"""A database outage under a live gunicorn: a friendly 503, recovery by itself, nothing lost.

The outage is simulated with a TCP forwarder between gunicorn and PostgreSQL that the test cuts
and restores: to the application it looks exactly like a database restart (every connection
dropped, new ones refused), without stopping the PostgreSQL server that others share.
"""

import re
import time

import pytest
from django.conf import settings

from directorates.models import User
from tests.factories import UserFactory
from tests.servers import Browser, TcpForwarder, database_url, gunicorn, server_env

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def forwarder(django_db_setup):
    db = settings.DATABASES["default"]
    proxy = TcpForwarder(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def server(forwarder, production_static):
    env = server_env(
        DATABASE_URL=database_url(host="127.0.0.1", port=forwarder.port),
        STATIC_ROOT=str(production_static),
        SECURE_SSL_REDIRECT="false",
    )
    with gunicorn(env) as url:
        yield url


@pytest.fixture
def eleni(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # gunicorn's
    user = UserFactory(username="eleni", email="eleni@heraklion.gr")  # saved unchanged below
    user.set_password(PASSWORD)
    user.save()
    return user


def save_profile(browser: Browser, token: str, job_title: str) -> int:
    data = {
        "csrfmiddlewaretoken": token,
        "first_name": "Ελένη",
        "last_name": "Παπαδάκη",
        "email": "eleni@heraklion.gr",
        "job_title": job_title,
        "language": "el",
    }
    return browser.request("POST", "/profile/", data).status


def wait_until_it_answers(browser: Browser, path: str, seconds: float = 15) -> int:
    """Poll until the page answers 200; return how many requests it took. Bounded in time."""
    deadline = time.monotonic() + seconds
    attempts = 0
    while time.monotonic() < deadline:
        attempts += 1
        if browser.get(path).status == 200:
            return attempts
        time.sleep(0.2)
    raise AssertionError(f"{path} did not recover within {seconds} s")


def test_an_outage_gives_a_friendly_503_and_the_application_recovers(server, forwarder, eleni):
    browser = Browser(server)
    browser.log_in("eleni", PASSWORD)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get("/profile/").text)[
        1
    ]
    answers: dict[str, int] = {}
    for n in range(3):
        answers[f"before-{n}"] = save_profile(browser, token, f"before-{n}")

    forwarder.cut()
    try:
        for n in range(3):
            answers[f"during-{n}"] = save_profile(browser, token, f"during-{n}")
        page = browser.get("/profile/")
        english = Browser(server, cookies={**browser.cookies, "django_language": "en"})
        english_page = english.get("/organisation/")
        health = browser.get("/healthz")
    finally:
        forwarder.restore()
    attempts = wait_until_it_answers(browser, "/profile/")
    for n in range(3):
        answers[f"after-{n}"] = save_profile(browser, token, f"after-{n}")

    assert page.status == 503
    assert "Προσωρινά μη διαθέσιμο" in page.text and 'lang="el"' in page.text
    assert "Traceback" not in page.text and "OperationalError" not in page.text
    assert page.header("Retry-After") == "30"
    assert english_page.status == 503 and "Briefly unavailable" in english_page.text
    assert health.status == 503
    assert attempts <= 2, "the application needed more than one failed request to reconnect"
    assert {k: v for k, v in answers.items() if k.startswith("during")} == dict.fromkeys(
        ["during-0", "during-1", "during-2"], 503
    )
    succeeded = {title for title, status in answers.items() if status == 302}
    assert succeeded == {f"before-{n}" for n in range(3)} | {f"after-{n}" for n in range(3)}
    stored = set(User.history.filter(username="eleni").values_list("job_title", flat=True))
    assert succeeded <= stored, "a save answered with success is missing from the database"
    assert not stored & {f"during-{n}" for n in range(3)}
    eleni.refresh_from_db()
    assert eleni.job_title == "after-2"
