import pytest
from django.core.management import CommandError, call_command

from directorates.models import Directorate

pytestmark = pytest.mark.django_db


def test_seed_refuses_a_production_database_without_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", verbosity=0)
    assert Directorate.objects.count() == 0

    call_command("seed_demo", "--force", verbosity=0)
    assert Directorate.objects.count() == 17
