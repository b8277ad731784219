"""Plan versions keep no evaluations; migration 0008 takes them out of versions kept before."""

import importlib

from django.apps import apps

from people.factories import household_in
from plans.models import PlanVersion
from plans.services import plan_start


def test_the_migration_takes_evaluations_out_of_kept_versions(world):
    plan = plan_start(household=household_in(world.area_a), by=world.worker)
    version = PlanVersion.objects.get(plan=plan)
    assert "evaluations" not in version.snapshot
    version.snapshot["evaluations"] = [{"note": "Over een ander lid van het huishouden"}]
    version.save()
    migration = importlib.import_module("plans.migrations.0008_versions_without_evaluations")
    migration.drop_evaluations(apps, None)
    version.refresh_from_db()
    assert "evaluations" not in version.snapshot and version.snapshot["regisseur"] == str(world.worker)
