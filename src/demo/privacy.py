"""A planted misuse for the privacy officer's review: one colleague opens dozens of dossiers of
the team late one evening, without any work on them, and twelve days ago opened a colleague's
dossier "with a reason" that nobody followed up. The access-review page shows it as signals 'many
dossiers in one hour', 'reading at night' and 'opened with a reason, not reviewed in time'
(scenario: the DPA's 2026 finding that municipalities rarely notice misuse of access). Beside it a
legitimate opening with a reason, reviewed by the team leader."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role
from cases.models import Case
from privacy import chain
from privacy.models import AccessLog, Action, BreakGlass, BreakGlassReason, Purpose
from teams.models import Team

from .staff import STAND_IN

CURIOUS = "Wijkteam Nijlân & Huizum"


def plant_misuse(today: date) -> str:
    team = Team.objects.get(name=CURIOUS)
    snooper = (
        team.members.filter(role=Role.SOCIAL_WORKER, is_active=True)
        .exclude(username__in=["sociaalwerker", STAND_IN])
        .order_by("pk")
    ).first()
    evening = timezone.make_aware(datetime.combine(today - timedelta(days=6), time(23, 4)))
    cases = list(Case.objects.filter(team=team).order_by("pk").values_list("pk", "household_id", "resident_id")[:34])
    for number, (case_id, household_id, resident_id) in enumerate(cases):
        chain.append(
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
        )
    _opened_with_reason(team, snooper, today)
    return snooper.username


def _opened_with_reason(team: Team, snooper, today: date) -> None:
    leader = team.members.filter(memberships__is_leader=True).first()
    others = Case.objects.filter(team=team, regisseur__isnull=False).exclude(regisseur=snooper).order_by("pk")
    curious, needed = others[40], others[41]
    stand_in = team.members.filter(role=Role.SOCIAL_WORKER).exclude(pk__in=[snooper.pk, needed.regisseur_id])
    stand_in = stand_in.exclude(username__in=["sociaalwerker", STAND_IN]).order_by("pk").first()
    late = timezone.make_aware(datetime.combine(today - timedelta(days=12), time(22, 47)))
    morning = timezone.make_aware(datetime.combine(today - timedelta(days=3), time(9, 12)))
    for user, case, at, reason, explanation in (
        (snooper, curious, late, BreakGlassReason.CONTACT, "Inwoner belde."),
        (stand_in, needed, morning, BreakGlassReason.STAND_IN, "Regisseur ziek; dochter belde over de thuiszorg."),
    ):
        grant = BreakGlass.objects.create(
            case=case, user=user, at=at, expires_at=at + timedelta(hours=8), reason=reason, explanation=explanation
        )
        chain.append(
            AccessLog(
                at=at,
                user=user,
                role=user.role,
                action=Action.VIEW,
                purpose=Purpose.BREAK_GLASS,
                case_id=case.pk,
                household_id=case.household_id,
                resident_id=case.resident_id,
                client_address="10.20.30.41",
                detail=f"reason: {reason}",
            )
        )
    grant.reviewed_at, grant.reviewed_by = morning + timedelta(hours=4), leader
    grant.review_note = "Besproken; de dochter is teruggebeld."
    grant.save()
