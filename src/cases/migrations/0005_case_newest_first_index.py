# Issue 8: case lists (newest first) take their first page from an index instead of sorting.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_aanvraag_decision_due"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-opened_at", "-id"], name="case_newest_first"),
        ),
    ]
