"""A planted misuse for the privacy officer's review: one colleague opens dozens of dossiers of
the team late one evening, without any work on them. The access-review page shows it as signals
'many dossiers in one hour' and 'reading at night' (scenario: the DPA's 2026 finding that
municipalities rarely notice misuse of access)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role
from cases.models import Case
from privacy.models import AccessLog, Action, Purpose
from teams.models import Team

CURIOUS = "Wijkteam Nijlân & Huizum"


def plant_misuse(today: date) -> str:
    team = Team.objects.get(name=CURIOUS)
    snooper = (
        team.members.filter(role=Role.SOCIAL_WORKER, is_active=True).exclude(username="sociaalwerker").order_by("pk")
    ).first()
    evening = timezone.make_aware(datetime.combine(today - timedelta(days=6), time(23, 4)))
    cases = list(Case.objects.filter(team=team).order_by("pk").values_list("pk", "household_id", "resident_id")[:34])
    AccessLog.objects.bulk_create(
        AccessLog(
            at=evening + timedelta(minutes=number * 1.5),
            user=snooper,
            role=snooper.role,
            action=Action.VIEW,
            purpose=Purpose.CASEWORK,
            case_id=case_id,
            household_id=household_id,
            resident_id=resident_id,
            client_address="10.20.30.40",
        )
        for number, (case_id, household_id, resident_id) in enumerate(cases)
    )
    return snooper.username
