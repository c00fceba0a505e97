"""The security headers and cookies as a real gunicorn in production mode serves them."""

import re

import pytest

from tests.servers import Browser, gunicorn, manage, server_env

pytestmark = pytest.mark.slow

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory, production_static):
    """gunicorn with DEBUG off, behind a (pretend) TLS proxy, on its own SQLite database."""
    folder = tmp_path_factory.mktemp("production")
    env = server_env(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(production_static),
        MEDIA_ROOT=str(folder / "media"),
    )
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage(
        "shell",
        "-c",
        "from directorates.models import User; "
        f"User.objects.create_user('eleni', '', '{PASSWORD}')",
        env=env,
    )
    with gunicorn(env) as url:
        yield url


def test_pages_carry_the_security_headers(server):
    response = Browser(server).get("/accounts/login/")

    assert response.status == 200
    policy = response.header("Content-Security-Policy")
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.header("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.header("X-Frame-Options") == "DENY"
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("Referrer-Policy") == "same-origin"
    assert response.header("Cross-Origin-Opener-Policy") == "same-origin"
    assert "<script>" not in response.text and "style=" not in response.text


def test_cookies_are_secure_and_the_session_cookie_is_hidden_from_scripts(server):
    browser = Browser(server)
    csrf = browser.get("/accounts/login/").set_cookies["csrftoken"]

    session = browser.log_in("eleni", PASSWORD).set_cookies["sessionid"]

    assert csrf["secure"] and csrf["samesite"] == "Lax"
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert browser.get("/profile/").status == 200


def test_plain_http_is_sent_to_https(server):
    response = Browser(server, https=False).get("/accounts/login/")

    assert response.status == 301
    assert response.header("Location").startswith("https://127.0.0.1:")


def test_static_files_are_served_by_whitenoise_with_hashed_names(server):
    page = Browser(server).get("/accounts/login/").text
    stylesheet = re.search(r'href="(/static/css/stoxothesia\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the stylesheet's name carries no hash"

    response = Browser(server).get(stylesheet[1], **{"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.header("Content-Type").startswith("text/css")
    assert "immutable" in response.header("Cache-Control")
    assert response.header("Content-Encoding") == "gzip"


def test_a_state_change_without_a_csrf_token_is_refused(server):
    browser = Browser(server)
    browser.log_in("eleni", PASSWORD)

    response = browser.request("POST", "/profile/", {"first_name": "Mallory", "language": "el"})

    assert response.status == 403
    assert "Traceback" not in response.text


def test_a_missing_page_shows_the_friendly_404_without_details(server):
    browser = Browser(server)
    browser.log_in("eleni", PASSWORD)

    response = browser.get("/organisation/NO-SUCH-UNIT/")

    assert response.status == 404
    assert "Traceback" not in response.text and "URLconf" not in response.text
