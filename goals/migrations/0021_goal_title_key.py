import unicodedata

from django.conf import settings
from django.db import migrations, models


def normalise(text):
    # goals.models.goals.title_key as it stands now: a migration keeps its own copy.
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().replace(",", " ").replace(".", " ").split())


def fill_title_keys(apps, schema_editor):
    Goal = apps.get_model("goals", "Goal")
    batch = []
    for goal in Goal.objects.only("pk", "title").iterator(chunk_size=2000):
        goal.title_key = normalise(goal.title)
        batch.append(goal)
        if len(batch) == 2000:
            Goal.objects.bulk_update(batch, ["title_key"])
            batch = []
    Goal.objects.bulk_update(batch, ["title_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("directorates", "0009_registry_number"),
        ("goals", "0020_versions_freeze_everything"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="title_key",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_title_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["cycle", "title_key"], name="goal_cycle_title_key"),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["cycle", "directorate"], name="goal_cycle_directorate"),
        ),
    ]
