import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from insights import tallies


class Command(BaseCommand):
    help = (
        "Bring the pre-aggregated case counts (insights.tallies) up to date. Readers do this themselves for "
        "the days that changed; --all recounts everything (after a bulk load), --check compares every stored "
        "count with a count from the cases and fails when one differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recount every day, not only the changed ones")
        parser.add_argument("--check", action="store_true", help="compare with a count from the cases")

    def handle(self, *args, check: bool, **options):
        everything = options["all"]
        started = time.monotonic()
        if everything:
            with transaction.atomic():
                tallies.recount()
            self.stdout.write(f"Recounted every day in {time.monotonic() - started:.1f} s")
        else:
            days = tallies.refresh()
            self.stdout.write(f"Recounted {days} changed day(s) in {time.monotonic() - started:.1f} s")
        if check:
            differences = tallies.differences()
            for line in differences[:50]:
                self.stdout.write(line)
            if differences:
                raise CommandError(f"{len(differences)} stored count(s) differ from the cases")
            self.stdout.write("Every stored count matches the cases.")
