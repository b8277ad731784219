from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from areas.importers import import_boundaries
from areas.kwb import KwbRefused
from areas.models import Municipality


class Command(BaseCommand):
    help = (
        "Load the boundaries of a municipality's districts and neighbourhoods from a GeoJSON file (WGS84, CBS/PDOK "
        "wijk- en buurtkaart, features with a statcode). Run import_areas first."
    )

    def add_arguments(self, parser):
        parser.add_argument("cbs_code", help="Municipality code, e.g. GM0090")
        parser.add_argument("geojson", type=Path)

    def handle(self, *args, cbs_code: str, geojson: Path, **options):
        municipality = Municipality.objects.filter(cbs_code=cbs_code.upper()).first()
        if municipality is None:
            raise CommandError(f"{cbs_code} is not in this installation: run import_areas first")
        try:
            report = import_boundaries(municipality, geojson)
        except KwbRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{municipality.name}: {report.boundaries} boundaries")
        for line in report.skipped:
            self.stdout.write(f"  skipped {line}")
