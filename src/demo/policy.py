"""Scenarios 5 and 7 in the demo: a neighbourhood initiative of Nijlân & Huizum with a budget of
EUR 30,000, and practice signals of the team, one answered and one on the meeting list."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from cases.models import LegalFramework
from cases.services import case_open
from insights.services import (
    initiative_join,
    initiative_spend,
    initiative_start,
    signal_answer,
    signal_forward,
    signal_raise,
)
from people.models import Household
from teams.models import Team
from zrm.models import LifeDomain

from .clock import at, moment, working_day


def build_signals(teams: dict[str, Team], today: date) -> int:
    team = teams["Wijkteam Nijlân & Huizum"]
    worker = User.objects.get(username="sociaalwerker")
    leader = User.objects.get(username="teamleider")
    policy = User.objects.get(username="beleid")
    area = team.areas.order_by("cbs_code").last()
    answered = signal_raise(
        by=worker,
        team=team,
        title="Huurtoeslag stopgezet na nieuw wijzigingsformulier",
        description=(
            "Sinds het wijzigingsformulier is aangepast, zien meerdere collega's bewoners hun huurtoeslag "
            "verliezen: de nieuwe vraag naar het inkomen van inwonende kinderen wordt vaak overgeslagen."
        ),
        area=area,
        evidence="Zes huishoudens in twee maanden, bij drie collega's.",
    )
    signal_forward(
        signal=answered,
        by=leader,
        to=policy,
        due_on=today + timedelta(days=21),
        note="Besproken in het teamleidersoverleg.",
    )
    signal_answer(
        signal=answered,
        by=policy,
        answer=(
            "Het formulier krijgt een toelichting bij de vraag over inwonende kinderen, en de gemeente "
            "belt bewoners na bij een onvolledige aanvraag in plaats van die af te wijzen."
        ),
    )
    signal_raise(
        by=worker,
        team=team,
        title="Wachtlijst schuldhulp loopt op",
        description="Bewoners wachten langer dan acht weken op een eerste gesprek bij de schuldhulpverlening.",
        area=area,
    )
    return 2


def build_initiative(teams: dict[str, Team], today: date) -> None:
    team = teams["Wijkteam Nijlân & Huizum"]
    leader = User.objects.get(username="teamleider")
    worker = User.objects.get(username="sociaalwerker")
    area = team.areas.order_by("cbs_code").last()
    initiative = initiative_start(
        by=leader,
        team=team,
        name="Kinderen in scheiding: groepsprogramma Nijlân",
        description=(
            "Tien bijeenkomsten in het buurthuis voor kinderen van 8 tot 12 jaar van wie de ouders "
            "uit elkaar gaan, met twee avonden voor de ouders."
        ),
        area=area,
        budget=Decimal(30000),
        started_on=today - timedelta(days=120),
        theme=LifeDomain.objects.get(code="huiselijke-relaties"),
    )
    for days, amount, what in [(110, "4800.00", "Groepstrainers, eerste reeks"), (60, "650.00", "Zaalhuur buurthuis")]:
        initiative_spend(
            initiative=initiative,
            by=leader,
            spent_on=today - timedelta(days=days),
            amount=Decimal(amount),
            description=what,
        )
    for household in Household.objects.filter(area=area).order_by("pk")[:4]:
        initiative_join(initiative=initiative, by=worker, household=household, joined_on=today - timedelta(days=100))


# Scenario 5: conflict divorces and their effect on children recur in Nijlân & De Zwette.
DIVORCE_QUESTIONS = [
    "Ouders gaan uit elkaar; de kinderen zitten klem tussen de ruzies.",
    "Vechtscheiding: omgangsregeling loopt steeds vast, zoon (9) slaapt slecht.",
    "Moeder staat er sinds de scheiding alleen voor, dochter spijbelt.",
    "Na de scheiding praten de ouders alleen nog via de kinderen.",
]


DIVORCES_PER_MONTH = 7


def build_divorces(teams: dict[str, Team], today: date) -> int:
    """Fourteen cases on domestic relations in one district, seven in each of the last two whole
    months: two base cells, so whatever their noise (at most two each) at least ten are published
    and the profile shows them unsuppressed, with the collectiviseren suggestion."""
    team = teams["Wijkteam Nijlân & Huizum"]
    regisseur = User.objects.get(username="sociaalwerker")
    area = team.areas.get(cbs_code="WK008041")
    domains = list(LifeDomain.objects.filter(code__in=["huiselijke-relaties", "geestelijke-gezondheid"]))
    youth = list(LegalFramework.objects.filter(code="jeugdwet"))
    households = list(
        Household.objects.filter(area=area).prefetch_related("members").order_by("pk")[: 2 * DIVORCES_PER_MONTH]
    )
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    months = [last_month, (last_month - timedelta(days=1)).replace(day=1)]
    for index, household in enumerate(households):
        month = months[index // DIVORCES_PER_MONTH]
        day = working_day(month + timedelta(days=2 + 3 * (index % DIVORCES_PER_MONTH)))
        with at(moment(day)):
            case_open(
                household=household,
                resident=household.members.first().resident,
                team=team,
                question=DIVORCE_QUESTIONS[index % len(DIVORCE_QUESTIONS)],
                frameworks=youth,
                by=regisseur,
                life_domains=domains,
                melding_date=day,
                regisseur=regisseur,
            )
    return len(households)
