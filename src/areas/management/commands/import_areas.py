from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from areas.importers import import_municipality
from areas.kwb import KwbRefused
from areas.models import Positioning


class Command(BaseCommand):
    help = (
        "Load a municipality's districts and neighbourhoods, with their inhabitants, from CBS's Kerncijfers wijken "
        "en buurten (KWB) file of any year (JSON or CSV as CBS publishes it; by default the selection in data/). "
        "A later year records what changed; areas no longer published are kept with their figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("cbs_code", help="Municipality code, e.g. GM0080 (Leeuwarden)")
        parser.add_argument("kwb_file", nargs="?", type=Path, help="The KWB file (JSON or CSV); default: data/")
        parser.add_argument("--positioning", choices=Positioning.values)
        parser.add_argument("--year", type=int, help="The KWB year, when neither TableInfos nor the file name says")
        parser.add_argument(
            "--regions", type=Path, help="Names of the regions: CBS's WijkenEnBuurten list (Key, Title) or a GeoJSON"
        )
        parser.add_argument(
            "--boundaries", type=Path, help="GeoJSON of the districts/neighbourhoods (CBS/PDOK wijk- en buurtkaart)"
        )

    def handle(self, *args, cbs_code: str, kwb_file, positioning, year, regions, boundaries, **options):
        try:
            municipality, report = import_municipality(
                cbs_code.upper(),
                positioning=positioning,
                kwb_file=kwb_file,
                regions_file=regions,
                boundaries_file=boundaries,
                year=year,
            )
        except (ValueError, KwbRefused) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{municipality.name}: {report.districts} districts, {report.neighbourhoods} neighbourhoods, "
            f"{report.boundaries} boundaries, {report.postcodes} postcode areas"
        )
        for line in report.changes:
            self.stdout.write(f"  changed {line}")
        for line in report.skipped:
            self.stdout.write(f"  skipped {line}")
