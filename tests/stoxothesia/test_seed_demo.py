import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from directorates.models import Department, Directorate, User
from stoxothesia.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_loads_the_heraklion_organisation_and_accounts(settings):
    settings.DEBUG = True

    call_command("seed_demo", verbosity=0)

    assert Directorate.objects.count() == 17  # 14 directorates and 3 independent departments
    assert Department.objects.filter(directorate__code="PSIF").count() == 3
    for username in ["admin", "mayor", "deputy", "secretary", "head-prog", "head-oik", "head-kep"]:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="secretary").is_coordinator
    head = User.objects.get(username="head-psif")
    assert head.is_head_of_directorate and head.directorate.head == head


def test_second_run_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    before = row_counts()

    call_command("seed_demo", verbosity=0)

    assert row_counts() == before


def test_seed_refuses_a_production_database_without_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", verbosity=0)
    assert Directorate.objects.count() == 0

    call_command("seed_demo", "--force", verbosity=0)
    assert Directorate.objects.count() == 17
