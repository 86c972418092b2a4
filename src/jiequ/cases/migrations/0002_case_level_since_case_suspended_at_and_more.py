# Case workflow fields and the default case taxonomy.

from django.db import migrations, models


def load_taxonomy(apps, schema_editor):
    from jiequ.cases.taxonomy import load_default

    load_default(apps.get_model("cases", "CaseCategory"))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='level_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='at this level since'),
        ),
        migrations.AddField(
            model_name='case',
            name='suspended_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='suspended at'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='level_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='at this level since'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='suspended_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='suspended at'),
        ),
        migrations.RunPython(load_taxonomy, migrations.RunPython.noop),
    ]
