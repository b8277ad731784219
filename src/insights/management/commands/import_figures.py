from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from insights.importers import ImportRefused, import_figures


class Command(BaseCommand):
    help = (
        "Import neighbourhood figures with their source, table and year: a KWB file (Kerncijfers wijken en buurten, "
        "any year, JSON or CSV as CBS publishes it) given by path, or else the files in data/ (CBS kerncijfers, "
        "income, inhabitants per postcode, Heerenveen area scans). Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("municipality", nargs="*", help="CBS codes (GM0080); default: every municipality here")
        parser.add_argument("--kwb", type=Path, help="The KWB file the municipality downloaded (JSON or CSV)")
        parser.add_argument("--year", type=int, help="The KWB year, when neither TableInfos nor the file name says")
        parser.add_argument("--data-dir", type=Path, help="Read the files from here instead of data/")

    def handle(self, *args, municipality: list[str], kwb: Path | None, year, data_dir: Path | None, **options):
        try:
            reports = import_figures(
                municipalities=[c.upper() for c in municipality] or None, base=data_dir, kwb_file=kwb, year=year
            )
        except ImportRefused as error:
            raise CommandError(f"Refused: {error}") from error
        for report in reports:
            self.stdout.write(
                f"{report.file}: {report.created} new, {report.updated} changed, {report.unchanged} unchanged"
            )
            if report.not_published:
                self.stdout.write(f"  not published by CBS (null or '.'): {report.not_published}, shown as such")
            for reason, rows in sorted(report.skipped.items()):
                self.stdout.write(f"  skipped {rows}: {reason}")
