import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0010_revision_during_the_year'),
    ]

    operations = [
        migrations.AlterField(
            model_name='goalversion',
            name='directorate',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directorates.directorate', verbose_name='directorate'),
        ),
        migrations.AlterField(
            model_name='goalversion',
            name='category',
            field=models.CharField(choices=[('services', 'Services provided'), ('organisation', 'Internal organisation and operation'), ('skills', 'Knowledge, skills and abilities')], max_length=20, verbose_name='category'),
        ),
        migrations.AlterField(
            model_name='goalversion',
            name='target_kind',
            field=models.CharField(choices=[('increase', 'Number to increase'), ('decrease', 'Number to decrease'), ('percentage', 'Percentage'), ('milestone', 'Yes/no milestone')], max_length=20, verbose_name='kind of target'),
        ),
    ]
