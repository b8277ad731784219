"""Plan versions keep no evaluations (``plans.versions.snapshot``): an evaluation is a record of one
member's case, and a copy frozen in the household plan's versions was read by every reader of the
plan and stayed out of reach of a correction. Take the copies out of the versions kept so far."""

from django.db import migrations


def drop_evaluations(apps, schema_editor):
    PlanVersion = apps.get_model("plans", "PlanVersion")
    for version in PlanVersion.objects.filter(snapshot__has_key="evaluations").only("pk", "snapshot").iterator():
        version.snapshot.pop("evaluations", None)
        version.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_comment_via_portal")]

    operations = [migrations.RunPython(drop_evaluations, migrations.RunPython.noop)]
