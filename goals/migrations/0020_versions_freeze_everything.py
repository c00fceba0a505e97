
import django.db.models.deletion
import django.db.models.manager
import goals.models.programme
from django.db import migrations, models


def freeze_what_versions_did_not(apps, schema_editor):
    """The versions signed before they froze these: the goal's code, budget code, participating
    directorates and further indicators as they stand (what the documents showed until now)."""
    version_model = apps.get_model("goals", "GoalVersion")
    indicator_model = apps.get_model("goals", "GoalIndicator")
    frozen_model = apps.get_model("goals", "GoalVersionIndicator")
    goal_links = apps.get_model("goals", "Goal").participating_directorates.through
    version_links = version_model.participating_directorates.through
    indicators = {}
    for indicator in indicator_model.objects.order_by("order", "pk"):
        indicators.setdefault(indicator.goal_id, []).append(indicator)
    participants = {}
    for goal_id, directorate_id in goal_links.objects.values_list("goal_id", "directorate_id"):
        participants.setdefault(goal_id, []).append(directorate_id)
    fields = ["name", "unit_of_measure", "target_kind", "baseline", "target", "weight"]
    for version in version_model.objects.select_related("goal").iterator():
        version.code = version.goal.code
        version.budget_code = version.goal.budget_code
        version.save(update_fields=["code", "budget_code"])
        version_links.objects.bulk_create(
            version_links(goalversion_id=version.pk, directorate_id=directorate_id)
            for directorate_id in participants.get(version.goal_id, [])
        )
        frozen_model.objects.bulk_create(
            frozen_model(
                version=version,
                source=indicator,
                order=order,
                **{name: getattr(indicator, name) for name in fields},
            )
            for order, indicator in enumerate(indicators.get(version.goal_id, []), start=1)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('directorates', '0007_acting_heads'),
        ('goals', '0019_department_goals'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='goalindicator',
            options={'base_manager_name': 'every_indicator', 'default_manager_name': 'objects', 'ordering': ['goal', 'order', 'pk'], 'verbose_name': 'further indicator', 'verbose_name_plural': 'further indicators'},
        ),
        migrations.AlterModelManagers(
            name='goalindicator',
            managers=[
                ('every_indicator', django.db.models.manager.Manager()),
                ('objects', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddField(
            model_name='goalindicator',
            name='dropped_by_decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='goals.mayoraldecision', verbose_name='dropped by decision'),
        ),
        migrations.AddField(
            model_name='goalversion',
            name='budget_code',
            field=models.CharField(blank=True, max_length=20, validators=[goals.models.programme.validate_budget_code], verbose_name='budget code of expenditure'),
        ),
        migrations.AddField(
            model_name='goalversion',
            name='code',
            field=models.CharField(default='', max_length=30, verbose_name='code'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='goalversion',
            name='participating_directorates',
            field=models.ManyToManyField(blank=True, related_name='+', to='directorates.directorate', verbose_name='participating directorates'),
        ),
        migrations.AddField(
            model_name='historicalgoalindicator',
            name='dropped_by_decision',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='goals.mayoraldecision', verbose_name='dropped by decision'),
        ),
        migrations.CreateModel(
            name='GoalVersionIndicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=300, verbose_name='indicator')),
                ('unit_of_measure', models.CharField(blank=True, max_length=100, verbose_name='unit of measure')),
                ('target_kind', models.CharField(choices=[('increase', 'Number to increase'), ('decrease', 'Number to decrease'), ('percentage', 'Percentage'), ('milestone', 'Yes/no milestone')], max_length=20, verbose_name='kind of target')),
                ('baseline', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='baseline')),
                ('target', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='target')),
                ('weight', models.PositiveSmallIntegerField(help_text="The indicator's part in the goal's achievement; all add up to 100.", verbose_name='weight')),
                ('order', models.PositiveSmallIntegerField(default=1, verbose_name='order')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='versions', to='goals.goalindicator', verbose_name='indicator')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='goals.goalversion', verbose_name='goal version')),
            ],
            options={
                'verbose_name': 'further indicator of a goal version',
                'verbose_name_plural': 'further indicators of goal versions',
                'ordering': ['version', 'order', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('target_kind', 'milestone'), ('target__isnull', False), _connector='OR'), name='version_indicator_target_required', violation_error_message='Give a target value.'), models.CheckConstraint(condition=models.Q(models.Q(('target_kind', 'percentage'), _negated=True), models.Q(('target__gte', 0), ('target__lte', 100), models.Q(('baseline__isnull', True), models.Q(('baseline__gte', 0), ('baseline__lte', 100)), _connector='OR')), _connector='OR'), name='version_indicator_percentage_between_0_and_100', violation_error_message='A percentage lies between 0 and 100.'), models.CheckConstraint(condition=models.Q(models.Q(('target_kind', 'decrease'), _negated=True), models.Q(('baseline__isnull', False), ('target__lt', models.F('baseline'))), _connector='OR'), name='version_indicator_decrease_below_baseline', violation_error_message='A number to decrease needs a baseline, and a target below it.'), models.CheckConstraint(condition=models.Q(models.Q(('target_kind', 'increase'), _negated=True), ('baseline__isnull', True), ('target__gt', models.F('baseline')), _connector='OR'), name='version_indicator_increase_above_baseline', violation_error_message='A number to increase needs a target above the baseline.'), models.CheckConstraint(condition=models.Q(('weight__gte', 1), ('weight__lte', 99)), name='version_indicator_weight_between_1_and_99', violation_error_message="An indicator's weight lies between 1 and 99.")],
            },
        ),
        migrations.RunPython(freeze_what_versions_did_not, migrations.RunPython.noop),
    ]
