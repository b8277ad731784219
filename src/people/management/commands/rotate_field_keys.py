"""Re-encrypt every encrypted field with the newest key of WIJKTEAM_FIELD_KEY (docs/privacy.md)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from people.models import Resident
from privacy.crypto import rotate

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt the BSNs with the newest field key; afterwards the old key can be removed."

    def handle(self, *args, **options):
        done = 0
        last = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Resident.objects.filter(pk__gt=last)
                    .exclude(bsn_encrypted="")
                    .order_by("pk")
                    .only("pk", "bsn_encrypted")[:BATCH]
                )
                if not batch:
                    break
                for resident in batch:
                    resident.bsn_encrypted = rotate(resident.bsn_encrypted)
                Resident.objects.bulk_update(batch, ["bsn_encrypted"])
            done += len(batch)
            last = batch[-1].pk
        self.stdout.write(f"{done} encrypted values re-encrypted with the newest key")
