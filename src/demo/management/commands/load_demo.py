"""Load the demo municipality: Leeuwarden with real districts, teams, residents and a caseload.

Deterministic: the same data on every run for the same day (``--today`` fixes the day).
Refuses to run outside demo mode or on a database that already holds residents.
"""

import random
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from areas.importers import import_municipality
from areas.models import Positioning
from insights.importers import import_figures
from people.models import Resident

from ...casework import Caseload
from ...catalogue import build_catalogue
from ...intake import GP_PRACTICE, build_intake
from ...maatwerk import build_maatwerk, build_messages
from ...policy import build_divorces, build_initiative, build_signals
from ...privacy import plant_misuse
from ...residents import build_households
from ...staff import DEMO_PASSWORD, LOGINS, build_staff

SEED = 2015  # the year of the decentralisation


class Command(BaseCommand):
    help = "Load the demo municipality (Leeuwarden). Only in demo mode, only into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="The demo's 'today' (YYYY-MM-DD); default: today")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins")

    def handle(self, *args, today: date | None, quiet_logins: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError("The demo loader runs only with WIJKTEAM_DEMO=true: it creates fictional residents.")
        if Resident.objects.exists():
            raise CommandError("This database already holds residents: the demo loads only into an empty database.")
        today = today or timezone.localdate()
        rng = random.Random(SEED)
        with transaction.atomic():
            municipality, report = import_municipality("GM0080", positioning=Positioning.HYBRIDE)
            figures = import_figures(municipalities=[municipality.cbs_code])
            teams = build_staff(municipality, rng)
            partners, provisions = build_catalogue(municipality)
            households = build_households(rng, municipality)
            cases = Caseload(rng, today).build(households)
            # before the builders below open more cases: scenario 4 needs a family without one
            partner_key = build_intake(municipality, random.Random(SEED + 3), today)
            advices = build_maatwerk(today)
            provider_key = build_messages(today, random.Random(SEED + 5))
            build_signals(teams, today)
            build_divorces(teams, today)
            build_initiative(teams, today)
            plant_misuse(today)
        self.stdout.write(
            f"Demo municipality {municipality.name}: {report.districts} districts "
            f"({sum(r.imported for r in figures)} published figures), {len(teams)} teams, "
            f"{partners} partner organisations, {provisions} provisions, {len(households)} households, "
            f"{cases} cases, {advices} indication advices (today = {today:%d-%m-%Y})."
        )
        if not quiet_logins:
            self.stdout.write(self.logins())
            self.stdout.write(f"  API key of {GP_PRACTICE} (partner API, /api/v1/verwijzingen/): Token {partner_key}")
            self.stdout.write(f"  API key of Thuiszorg Noord (provider API, /api/v1/berichten/): Token {provider_key}")

    @staticmethod
    def logins() -> str:
        lines = [f"\nDemo logins (password for all: {DEMO_PASSWORD}; the second step's code is shown on its page):"]
        lines += [f"  {login.username:<14} {login.explains}" for login in LOGINS]
        return "\n".join(lines)
