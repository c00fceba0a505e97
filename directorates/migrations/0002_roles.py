"""Create one Django group per role; administrators get every permission of this app."""

from django.db import migrations

ROLES = [
    "mayor",
    "deputy_mayor",
    "general_secretary",
    "head_of_directorate",
    "head_of_department",
    "staff",
    "administrator",
]


def create_roles(apps, schema_editor):
    from directorates.roles import grant_app_permissions

    group_model = apps.get_model("auth", "Group")
    for name in ROLES:
        group_model.objects.get_or_create(name=name)
    grant_app_permissions(apps, "administrator", "directorates")


class Migration(migrations.Migration):
    dependencies = [
        ("directorates", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
