from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from insights.importers import ImportRefused, import_figures


class Command(BaseCommand):
    help = (
        "Import neighbourhood figures (CBS kerncijfers, income, inhabitants per postcode, Heerenveen area scans) "
        "from data/ with their source, table and year. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("municipality", nargs="*", help="CBS codes (GM0080); default: every municipality here")
        parser.add_argument("--data-dir", type=Path, help="Read the files from here instead of data/")

    def handle(self, *args, municipality: list[str], data_dir: Path | None, **options):
        try:
            reports = import_figures(municipalities=[c.upper() for c in municipality] or None, base=data_dir)
        except ImportRefused as error:
            raise CommandError(f"Refused: {error}") from error
        for report in reports:
            self.stdout.write(
                f"{report.file}: {report.created} new, {report.updated} changed, {report.unchanged} unchanged"
            )
            for reason, rows in sorted(report.skipped.items()):
                self.stdout.write(f"  skipped {rows}: {reason}")
