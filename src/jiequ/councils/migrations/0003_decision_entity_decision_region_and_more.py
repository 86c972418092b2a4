# Kept empty: another app's first migration names this one as its dependency.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("councils", "0002_councils_meetings_pulse")]
    operations: list = []
