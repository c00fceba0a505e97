"""Administrators get every permission of the goals app, as they do for directorates."""

from django.db import migrations


def grant(apps, schema_editor):
    from directorates.roles import grant_app_permissions

    grant_app_permissions(apps, "administrator", "goals")


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
        ("directorates", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
