from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def derive_from_goals(apps, schema_editor):
    """The allocations made so far become department goals with their goal's title and
    indicator, as the allocation form now fills them in."""
    Allocation = apps.get_model("goals", "Allocation")
    Goal = apps.get_model("goals", "Goal")
    goal = Goal.objects.filter(pk=OuterRef("goal_id"))
    Allocation.objects.update(
        title=Subquery(goal.values("title")[:1]),
        indicator=Subquery(goal.values("indicator")[:1]),
        unit_of_measure=Subquery(goal.values("unit_of_measure")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0016_records_as_acting_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="title",
            field=models.CharField(
                default="",
                help_text="The department goal, in the department's words.",
                max_length=300,
                verbose_name="title",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="allocation",
            name="indicator",
            field=models.CharField(default="", max_length=300, verbose_name="indicator"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="allocation",
            name="unit_of_measure",
            field=models.CharField(blank=True, max_length=100, verbose_name="unit of measure"),
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="title",
            field=models.CharField(
                default="",
                help_text="The department goal, in the department's words.",
                max_length=300,
                verbose_name="title",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="indicator",
            field=models.CharField(default="", max_length=300, verbose_name="indicator"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="unit_of_measure",
            field=models.CharField(blank=True, max_length=100, verbose_name="unit of measure"),
        ),
        migrations.RunPython(derive_from_goals, migrations.RunPython.noop),
    ]
