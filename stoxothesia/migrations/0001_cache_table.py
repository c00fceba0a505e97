"""The table of the database cache (settings.CACHES), so that `migrate` alone prepares a new
installation. It does nothing when CACHE_URL names Redis or Memcached."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
