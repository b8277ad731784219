"""The municipal intake queue (``cases.queue``): a team leader assigns a waiting household to a team,
and the meldingen that waited with it become cases in that team."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cases.models import Case, LegalFramework
from cases.services import case_open
from people.models import Household
from privacy.history import tracking
from teams.models import Team

from .models import Question, Route


def waiting_questions(household: Household):
    """The meldingen about the household's residents that wait in the queue for a team."""
    return Question.objects.filter(
        route=Route.QUEUE, case__isnull=True, resident__memberships__household=household
    ).distinct()


@transaction.atomic
def household_assign_team(*, household: Household, team: Team, by: User) -> list[Case]:
    """A team leader of the municipality takes a household out of the intake queue for a team. The
    change is kept in the household's history; every melding that waited becomes a case in the
    team's work queue (melding date: the day it was registered)."""
    if by.role != Role.TEAM_LEADER or not by.municipality_id:
        raise PermissionDenied
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.municipality_id != by.municipality_id or team.municipality_id != by.municipality_id:
        raise ValidationError({"team": _("Choose a team of the household's municipality.")})
    if household.team_id or Case.objects.filter(household=household).exists():
        raise ValidationError(_("A team has already taken this household up."))
    with tracking(household, ["team"], by=by, household=household):
        household.team = team
        household.save(update_fields=["team"])
    cases = []
    frameworks = list(LegalFramework.objects.filter(code="wmo"))
    for question in waiting_questions(household).select_related("resident").prefetch_related("life_domains"):
        case = case_open(
            household=household,
            resident=question.resident,
            team=team,
            question=question.text,
            frameworks=frameworks,
            life_domains=list(question.life_domains.all()),
            melding_date=timezone.localtime(question.registered_at).date(),
            by=by,
        )
        question.case, question.team = case, team
        question.save(update_fields=["case", "team"])
        cases.append(case)
    return cases
