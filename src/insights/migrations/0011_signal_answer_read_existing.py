"""Signals answered before ``answer_read_at`` existed: their answers count as read, so the deploy
does not show every earlier answer as new to whoever raised the signal."""

from django.db import migrations
from django.db.models import F


def mark_earlier_answers_read(apps, schema_editor):
    Signal = apps.get_model("insights", "Signal")
    Signal.objects.filter(answered_at__isnull=False, answer_read_at__isnull=True).update(
        answer_read_at=F("answered_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0010_signal_answer_read"),
    ]

    operations = [
        migrations.RunPython(mark_earlier_answers_read, migrations.RunPython.noop),
    ]
