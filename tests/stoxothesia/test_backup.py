"""A backup and its restore bring back every row, every history record and every file."""

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from directorates import services
from directorates.models import Department, Directorate, User
from directorates.roles import Role
from tests.factories import DepartmentFactory, DirectorateFactory, UserFactory, totp_device_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Every table of every model (history and many-to-many tables too): row count and a
    checksum of all the rows' content, in primary-key order."""
    fingerprint = {}
    for model in apps.get_models(include_auto_created=True):
        rows = list(model._base_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        fingerprint[model._meta.db_table] = (len(rows), digest)
    return fingerprint


def media_fingerprint(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "decisions" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "decisions" / "2026" / "Απόφαση 12.pdf").write_bytes(
        b"%PDF-1.7\n" + bytes(range(256)) * 400
    )
    (settings.MEDIA_ROOT / "minutes.txt").write_text("Πρακτικά συνεδρίασης\n")
    return settings.MEDIA_ROOT


@pytest.fixture
def organisation():
    """Rows in every kind of table: units, people with roles, devices, history, sessions."""
    planning = DirectorateFactory(code="PROG", name="Διεύθυνση Προγραμματισμού")
    for n in range(3):
        DepartmentFactory(directorate=planning, name=f"Τμήμα {n}")
    head = UserFactory(username="head-prog", directorate=planning, roles=[Role.HEAD_OF_DIRECTORATE])
    UserFactory(username="secretary", roles=[Role.GENERAL_SECRETARY])
    totp_device_for(head)
    services.regenerate_recovery_codes(user=head)
    planning.name_en = "Planning"
    planning.save()  # a second history record
    client = Client()
    client.force_login(head)
    client.post(reverse("set_language"), {"language": "en"})
    return planning


def test_backup_and_restore_bring_everything_back(organisation, media, tmp_path):
    before_rows, before_files = database_fingerprint(), media_fingerprint(media)
    assert before_rows[Directorate.history.model._meta.db_table][0] >= 2
    call_command("backup", tmp_path / "backup", verbosity=0)

    # Disaster: rows deleted and changed, files lost and added.
    User.objects.filter(username="secretary").delete()
    Department.objects.all().delete()
    Directorate.objects.filter(pk=organisation.pk).update(name="Αλλοιωμένο")
    DirectorateFactory(code="NEW")
    (media / "minutes.txt").unlink()
    (media / "stray.bin").write_bytes(b"not in the backup")
    assert database_fingerprint() != before_rows

    call_command("restore", tmp_path / "backup", verbosity=0)

    assert database_fingerprint() == before_rows
    assert media_fingerprint(media) == before_files
    connection.close()  # the restored database answers a fresh connection too
    assert Directorate.objects.get(code="PROG").name_en == "Planning"


def test_restore_refuses_a_damaged_backup(organisation, media, tmp_path):
    call_command("backup", tmp_path / "backup", verbosity=0)
    (tmp_path / "backup" / "media.tar.gz").write_bytes(b"damaged")

    with pytest.raises(CommandError, match="media.tar.gz"):
        call_command("restore", tmp_path / "backup", "--dry-run", verbosity=0)


def test_backup_refuses_to_overwrite_a_folder(organisation, media, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old").write_text("x")

    with pytest.raises(CommandError, match="δεν είναι κενός"):
        call_command("backup", tmp_path / "backup", verbosity=0)
