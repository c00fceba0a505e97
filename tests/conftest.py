"""The people of our tests: named fixtures, like healthchecks' alice, bob and charlie.

- `secretary`: the General Secretary, who runs the cycle;
- `mayor`, `deputy`: see everything;
- `head_of_planning`: head of the Directorate of Planning (the insider);
- `head_of_finance`: head of the Directorate of Financial Services (the outsider);
- `head_of_department`: head of a department of Planning;
- `staff`: a member of staff of Planning;
- `admin_user`: a superuser.
"""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from directorates.roles import Role
from directorates.services import SESSION_TWO_FACTOR_STEP
from tests.factories import DepartmentFactory, DirectorateFactory, UserFactory, totp_device_for

# Modules whose tests share something made once per module (a gunicorn and the database it
# migrates, or the demo loaded by `demo_data`): under pytest-xdist each runs whole on one worker,
# so it is made once, not on both. A new module of this kind belongs here; left out, it is still
# correct, only slower.
ONE_WORKER_MODULES = {
    "tests/goals/test_demo.py",
    "tests/goals/test_demo_acting.py",
    "tests/goals/test_demo_decisions.py",
    "tests/goals/test_demo_indicators.py",
    "tests/meetings/test_demo.py",
    "tests/stoxothesia/test_greek_every_page.py",
    "tests/stoxothesia/test_seed_demo.py",
    "tests/security/test_concurrency.py",
    "tests/security/test_database_outage.py",
    "tests/security/test_production_server.py",
    "tests/security/test_two_servers.py",
}


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's `--dist load` (each test to whichever worker is free), but the tests of
    ONE_WORKER_MODULES kept together. (`--dist loadgroup` would do it from `xdist_group` marks,
    but ignores them with pytest 9.2: https://github.com/pytest-dev/pytest-xdist/issues/1386)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # In the order collected: pytest-django puts the tests that empty the database (transactional
    # ones) after those that need the rows made by migrations (the role groups).
    config.option.loadscopereorder = False

    class OneWorkerModules(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else nodeid

    return OneWorkerModules(config, log)


def pytest_collection_modifyitems(config, items):
    """Skip the PostgreSQL-only tests when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The role groups and their permissions, as the migrations make them, in every test
    database: a transactional test empties every table after it, so a database kept by
    `--reuse-db` from the previous run has lost them (and migrate does not run them again)."""
    import importlib

    from django.apps import apps

    data_migrations = [
        ("directorates.migrations.0002_roles", "create_roles"),
        ("directorates.migrations.0004_municipality", "create_the_municipality"),
        ("goals.migrations.0002_administrator_permissions", "grant"),
        ("goals.migrations.0003_decisions_allocations_progress", "grant"),
    ]
    with django_db_blocker.unblock():
        for module, function in data_migrations:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """Static files collected once, with hashed names, for the gunicorn servers of the tests."""
    from tests.servers import manage, server_env

    folder = tmp_path_factory.mktemp("static")
    manage(
        "collectstatic", "--noinput", "--verbosity", "0", env=server_env(STATIC_ROOT=str(folder))
    )
    return folder


FAST_AND_QUIET = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (`seed_demo`), loaded once for the tests of a module: each test sees it inside
    its own transaction, rolled back after it, so it finds the demo as loaded whatever the tests
    before it did; the module's outer transaction is rolled back at its end. Yields the folder
    that holds the demo's files (its MEDIA_ROOT). The module belongs in ONE_WORKER_MODULES."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, STORAGES=storages, **FAST_AND_QUIET),
        transaction.atomic(),
    ):
        call_command("seed_demo", force=True, verbosity=0)
        yield media
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # files the tests keep never reach the project's
    for name, value in FAST_AND_QUIET.items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def planning(db):
    return DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού", name_en="Planning")


@pytest.fixture
def finance(db):
    return DirectorateFactory(code="OIK", name="Διεύθυνση Οικονομικών", name_en="Finance")


@pytest.fixture
def planning_department(planning):
    return DepartmentFactory(directorate=planning, code="PROG-ORG", name="Τμήμα Οργάνωσης")


@pytest.fixture
def secretary(db):
    return UserFactory(username="secretary", first_name="Αργυρώ", roles=[Role.GENERAL_SECRETARY])


@pytest.fixture
def mayor(db):
    return UserFactory(username="mayor", first_name="Αλέξης", roles=[Role.MAYOR])


@pytest.fixture
def deputy(db):
    return UserFactory(username="deputy", roles=[Role.DEPUTY_MAYOR])


@pytest.fixture
def head_of_planning(planning):
    user = UserFactory(username="head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    planning.head = user
    planning.save()
    return user


@pytest.fixture
def head_of_finance(finance):
    user = UserFactory(username="head-oik", directorate=finance, roles=[Role.HEAD_OF_DIRECTORATE])
    finance.head = user
    finance.save()
    return user


@pytest.fixture
def acting_head_of_planning(planning):
    """Stands in for the head of Planning (αναπληρώτρια προϊσταμένη), in force today: one of
    Planning's staff, appointed by the Mayor's act."""
    from tests.factories import ActingHeadFactory

    user = UserFactory(
        username="acting-prog",
        first_name="Ελένη",
        gender="female",
        directorate=planning,
        roles=[Role.STAFF],
    )
    ActingHeadFactory(directorate=planning, person=user)
    return user


@pytest.fixture
def digital(db):
    return DirectorateFactory(code="PSIF", name="Διεύθυνση Ψηφιακού Μετασχηματισμού")


@pytest.fixture
def head_of_digital(digital):
    """The head of a directorate that takes part in cross-cutting goals of Planning."""
    user = UserFactory(username="head-psif", directorate=digital, roles=[Role.HEAD_OF_DIRECTORATE])
    digital.head = user
    digital.save()
    return user


@pytest.fixture
def head_of_department(planning_department):
    return UserFactory(
        username="head-prog-org",
        directorate=planning_department.directorate,
        department=planning_department,
        roles=[Role.HEAD_OF_DEPARTMENT],
    )


@pytest.fixture
def staff(planning_department):
    return UserFactory(
        username="staff",
        directorate=planning_department.directorate,
        department=planning_department,
        roles=[Role.STAFF],
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def client_for():
    """A logged-in client for a person: `client_for(secretary).get(...)`.

    The session is as after a real login; for a role that must use two-factor authentication,
    it has passed it, with a device made for the purpose.
    """

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
            session = client.session
            session[SESSION_TWO_FACTOR_STEP] = ""
            if user.requires_two_factor:
                session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
            session.save()
        return client

    return make


# =================================================================================================
# An adopted cycle, as the Mayor's decision leaves it.
# =================================================================================================
@pytest.fixture
def adopted(mayor, planning, finance, planning_department):
    """The 2024 cycle adopted by decision 12/2024: two goals of Planning, one of Finance.

    The cycle is in allocation; `adopted.decision`, `adopted.goal` (Planning, increase 100 → 150),
    `adopted.other_goal` (Planning) and `adopted.finance_goal` are at hand.
    """
    from types import SimpleNamespace

    from tests.factories import GoalCycleFactory, GoalFactory, issued_adoption

    cycle = GoalCycleFactory(year=2024, phase="consultation")
    goal = GoalFactory(cycle=cycle, directorate=planning, code="PROG-01", weight=20)
    other_goal = GoalFactory(
        cycle=cycle,
        directorate=planning,
        code="PROG-02",
        category="organisation",
        target_kind="decrease",
        baseline=90,
        target=60,
    )
    finance_goal = GoalFactory(cycle=cycle, directorate=finance, code="OIK-01")
    decision = issued_adoption(cycle=cycle, goals=[goal, other_goal, finance_goal], mayor=mayor)
    for item in (cycle, goal, other_goal, finance_goal):
        item.refresh_from_db()
    return SimpleNamespace(
        cycle=cycle,
        decision=decision,
        goal=goal,
        other_goal=other_goal,
        finance_goal=finance_goal,
        department=planning_department,
    )
