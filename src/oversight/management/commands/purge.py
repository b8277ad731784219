"""Delete what has passed its retention term (docs/privacy.md). Dry run unless --execute."""

from datetime import date

from django.core.management.base import BaseCommand

from oversight.retention import purge


class Command(BaseCommand):
    help = "Delete closed cases (and what hangs on them) whose retention term has passed. Dry run by default."

    def add_arguments(self, parser):
        parser.add_argument("--execute", action="store_true", help="Really delete; without it nothing changes")
        parser.add_argument("--today", type=date.fromisoformat, help="Evaluate terms as on this day (YYYY-MM-DD)")

    def handle(self, *args, execute: bool, today: date | None, **options):
        report = purge(today=today, dry_run=not execute)
        for line in report.lines():
            self.stdout.write(line)
        if not execute and report.counts:
            self.stdout.write("Dry run: nothing was deleted. Run with --execute to delete.")
