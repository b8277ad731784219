"""Plan the visits of every recurring contact up to the horizon; run daily (docs/deployment.md)."""

from django.core.management.base import BaseCommand

from contacts.services import plan_all_series


class Command(BaseCommand):
    help = "Plan the visits of every active recurring contact for the coming three months (idempotent)."

    def handle(self, *args, **options):
        added = plan_all_series()
        if options["verbosity"]:
            self.stdout.write(f"{added} planned contacts added")
