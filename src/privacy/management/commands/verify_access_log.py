"""Check the access log's chain (privacy.chain): exit 0 when it is intact, 1 with every row that
breaks it. Run it daily beside the other scheduled commands (docs/deployment.md), and note the head
it prints: ``--checkpoint POSITION:SEAL`` later checks that the head noted is still in the chain."""

from django.core.management.base import BaseCommand, CommandError

from privacy.chain import verify


def checkpoint(value: str) -> tuple[int, str]:
    position, _, prefix = value.partition(":")
    if not position.isdigit() or len(prefix) < 12 or any(c not in "0123456789abcdefABCDEF" for c in prefix):
        raise ValueError(value)
    return int(position), prefix


class Command(BaseCommand):
    help = "Check that no row of the access log was forged, changed or removed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            type=checkpoint,
            help="POSITION:SEAL of a head noted earlier (at least the seal's first 12 characters) that must "
            "still be in the chain",
        )

    def handle(self, *args, checkpoint: tuple[int, str] | None, **options):
        report = verify(checkpoint=checkpoint)
        self.stdout.write(
            f"Access log: {report.rows} rows in the chain, {report.before_chain} written before the chain began."
        )
        self.stdout.write(f"Head: position {report.head_position}, seal {report.head_seal or '-'}")
        if report.intact:
            self.stdout.write("The chain is intact.")
            return
        for place in report.breaks:
            self.stderr.write(str(place))
        raise CommandError(f"The chain is broken in {len(report.breaks)} places.", returncode=1)
