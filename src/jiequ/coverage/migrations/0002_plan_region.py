# A plan's region (who sees it) and what its shops were chosen by.

import django.db.models.deletion
from django.db import migrations, models


def region_from_subdistrict(apps, schema_editor):
    Plan = apps.get_model("coverage", "Plan")
    for plan in Plan.objects.select_related("organisation"):
        plan.region_id = plan.organisation.region_id if plan.organisation_id else plan.subdistrict_id
        plan.save(update_fields=["region"])


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("coverage", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalplan",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="areas.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="selection",
            field=models.CharField(blank=True, max_length=200, verbose_name="shops chosen"),
        ),
        migrations.AddField(
            model_name="plan",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="selection",
            field=models.CharField(blank=True, max_length=200, verbose_name="shops chosen"),
        ),
        migrations.RunPython(region_from_subdistrict, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="areas.region",
                verbose_name="region",
            ),
        ),
    ]
