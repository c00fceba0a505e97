import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!kq2@production-secret-key-for-the-test-of-deploy-checks-0123456789",
    "ALLOWED_HOSTS": "stoxothesia.heraklion.gr",
    # In memory: a file in a fixed place would be shared by parallel test runs.
    "DATABASE_URL": "sqlite://:memory:",
}


def run_manage(*args, env_overrides):
    unwanted = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}

    result = run_manage("check", env_overrides=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_serves_hashed_static_files_through_whitenoise():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        env_overrides=PRODUCTION_ENV,
    )

    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_code(client_for, staff):
    response = client_for(staff).get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client_for, staff):
    page = client_for(staff).get(reverse("home")).content.decode()

    assert "<script>" not in page and "style=" not in page and "onclick" not in page


def test_development_needs_no_configuration(settings):
    assert settings.LANGUAGE_CODE == "el"
    assert settings.TIME_ZONE == "Europe/Athens"
    assert [code for code, _name in settings.LANGUAGES] == ["el", "en"]


@pytest.mark.django_db
def test_health_check_answers_without_login(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_state_shared_between_servers_lives_in_the_database():
    """Two gunicorns (or two machines) serve the same people: nothing in one process's memory."""
    import stoxothesia.settings as configured

    assert getattr(configured, "SESSION_ENGINE", "django.contrib.sessions.backends.db") == (
        "django.contrib.sessions.backends.db"
    )
    assert getattr(configured, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
    assert configured.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_the_cache_is_shared_by_every_application_server():
    """Whatever is kept in the cache must be the same for every process: the database cache."""
    import stoxothesia.settings as configured

    assert configured.CACHES["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache"
    )


@pytest.mark.parametrize(
    ("proxy_env", "count"),
    [
        ({}, "0"),
        ({"BEHIND_PROXY": "true"}, "1"),
        ({"BEHIND_PROXY": "true", "PROXY_COUNT": "2"}, "2"),
    ],
)
def test_behind_a_proxy_the_client_address_comes_from_one_proxy_unless_told(proxy_env, count):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PROXY_COUNT)",
        env_overrides={**PRODUCTION_ENV, **proxy_env},
    )

    assert result.stdout.strip() == count, result.stderr
