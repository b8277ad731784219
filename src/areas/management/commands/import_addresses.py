from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from areas.addresses import import_addresses


class Command(BaseCommand):
    help = (
        "Import CBS's 'Buurt, wijk en gemeente voor postcode huisnummer' file (PC6;Huisnummer;Buurt;Wijk;"
        "Gemeente): the district of every address, so a postcode and house number decide it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="where the file comes from, kept with each row")

    def handle(self, *args, file: Path, source: str, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            report = import_addresses(file, source=source)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report.imported} addresses imported, {report.skipped} rows skipped"
            f" ({len(report.unknown_districts)} districts not in Wijkteam)."
        )
