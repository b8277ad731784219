from django.core.management.base import BaseCommand, CommandError

from areas.importers import import_municipality
from areas.models import Positioning


class Command(BaseCommand):
    help = "Load a municipality's districts, boundaries and postcode mapping from the CBS/PDOK files in data/."

    def add_arguments(self, parser):
        parser.add_argument("cbs_code", help="Municipality code, e.g. GM0080 (Leeuwarden)")
        parser.add_argument("--positioning", choices=Positioning.values)

    def handle(self, *args, cbs_code: str, positioning: str | None, **options):
        try:
            municipality, report = import_municipality(cbs_code.upper(), positioning=positioning)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{municipality.name}: {report.districts} districts, {report.boundaries} boundaries, "
            f"{report.postcodes} postcode areas"
        )
        for line in report.skipped:
            self.stdout.write(f"  skipped {line}")
