"""Fill an empty database with a synthetic city for benchmarks (docs/performance.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...citygen import SCALES, CityGenerator


class Command(BaseCommand):
    help = "Generate a synthetic city (residents, households, cases, contacts, access log) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--municipality", default="GM0080", help="CBS code of the municipality whose districts are used"
        )
        parser.add_argument("--today", type=date.fromisoformat, help="The city's 'today' (YYYY-MM-DD)")
        parser.add_argument("--seed", type=int, default=2015)

    def handle(self, *args, scale: str, municipality: str, today: date | None, seed: int, **options):
        generator = CityGenerator(SCALES[scale], seed=seed, today=today, log=self.stdout.write)
        self.stdout.write(f"Generating scale '{scale}': {SCALES[scale]}")
        try:
            report = generator.run(municipality)
        except ValueError as error:
            raise CommandError(str(error)) from error
        total = sum(report.seconds.values())
        self.stdout.write(f"Done in {total:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in report.counts.items()))
