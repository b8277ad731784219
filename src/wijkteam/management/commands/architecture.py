from django.core.management.base import BaseCommand, CommandError

from wijkteam import architecture


class Command(BaseCommand):
    help = "Draw the app map of docs/architecture.md from the import-linter contracts in pyproject.toml."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Write it into docs/architecture.md.")

    def handle(self, *args, write: bool = False, **options):
        if not write:
            self.stdout.write(architecture.app_map())
            return
        path = architecture.document()
        text = path.read_text(encoding="utf-8")
        if architecture.BEGIN not in text or architecture.END not in text:
            raise CommandError(f"{path} has no app map markers ({architecture.BEGIN} … {architecture.END}).")
        path.write_text(architecture.written(text), encoding="utf-8")
        self.stdout.write(f"Wrote the app map into {path}.")
