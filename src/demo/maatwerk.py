"""Maatwerk in the demo: indication advices of the Nijlân & Huizum team, decisions by the demo
beschikker with their WMO301/JW301 allocations, and the municipality's budgets.

It tells scenario 2 (a second vacuum cleaner instead of a stairlift) and scenario 3 (a PGB for
support that the family takes over step by step), and leaves two advices waiting, one overdue.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from cases.models import Case
from maatwerk.models import Budget, DecisionOutcome, DeliveryForm, IndicationAdvice
from maatwerk.services import Grant, advice_submit, decision_make
from partners.models import Organisation
from people.models import Relation
from provisions.models import Provision, ProvisionKind

from .clock import at, moment, working_day
from .residents import WIDOW_BSN


@dataclass(frozen=True)
class Story:
    provision: str
    volume: int
    frequency: str
    grounds: str
    applied_days_ago: int  # the aanvraag
    months: int | None  # length of the period; None: no end date
    delivery: str = DeliveryForm.IN_KIND
    provider: str = ""
    outcome: str = DecisionOutcome.GRANTED  # "" leaves the advice waiting
    decision_grounds: str = "Het team heeft onderzocht wat de inwoner en het netwerk zelf kunnen; dit is nodig."
    asked_for: str = ""
    minor: bool = False  # the advice is for a child of the household (Jeugdwet)


STORIES = [
    # Scenario 2: asked for a stairlift; at the kitchen table it was only the vacuum cleaner upstairs.
    Story(
        "Kleine hulpmiddelen",
        1,
        "6",
        "Vroeg een traplift aan. Aan de keukentafel bleek dat hij de trap goed op kan; alleen de stofzuiger "
        "naar boven dragen lukt niet meer. Een tweede stofzuiger voor boven lost dat op.",
        70,
        None,
        provider="Hulpmiddelencentrum Noord",
        asked_for="Traplift",
        decision_grounds="Een tweede stofzuiger lost het probleem op; een traplift is niet nodig.",
    ),
    # Scenario 3: a PGB for support, phased out in three steps as the parents and sister take over.
    Story(
        "Begeleiding individueel",
        6,
        "2",
        "Begeleiding bij dagstructuur en administratie; ouders en zus nemen dit stap voor stap over.",
        245,  # just after the case opened (demo/casework.py: 250 days ago), three months a step as in the plan
        3,
        delivery=DeliveryForm.PGB,
    ),
    Story(
        "Begeleiding individueel",
        3,
        "2",
        "Tweede stap afbouw: de zus doet nu de administratie, de ouders de weekplanning.",
        155,
        3,
        delivery=DeliveryForm.PGB,
    ),
    Story(
        "Begeleiding individueel",
        1,
        "2",
        "Laatste stap afbouw: één uur per week als vangnet; evaluatie na drie maanden.",
        65,
        3,
        delivery=DeliveryForm.PGB,
    ),
    Story(
        "Hulp bij het huishouden",
        3,
        "2",
        "Na heupoperatie kan mevrouw niet stofzuigen of dweilen; de kinderen wonen ver weg.",
        120,
        12,
        provider="Thuiszorg Noord",
    ),
    Story(
        "Hulp bij het huishouden",
        2,
        "2",
        "COPD; zwaar huishoudelijk werk lukt niet. Buurvrouw doet de boodschappen.",
        45,
        None,
        provider="Zorg aan Huis Friesland",
    ),
    Story(
        "Scootmobiel",
        1,
        "6",
        "Loopt niet verder dan honderd meter; wil zelf naar de supermarkt en het buurthuis.",
        90,
        None,
        provider="Hulpmiddelencentrum Noord",
    ),
    Story(
        "Jeugdhulp ambulant",
        2,
        "2",
        "Gezinsbegeleiding thuis bij slaapproblemen en ruzies; school is betrokken.",
        60,
        6,
        provider="Jeugdhulp Fryslân Ambulant",
        minor=True,
    ),
    Story(
        "Traplift",
        1,
        "6",
        "Vraagt een traplift aan omdat de trap zwaar is.",
        40,
        None,
        provider="Hulpmiddelencentrum Noord",
        outcome=DecisionOutcome.REFUSED,
        decision_grounds="De slaapkamer kan naar beneden; met hulp van de zoon is dat binnen een maand geregeld. "
        "Een traplift is daarom niet nodig.",
    ),
    # Waiting for the beschikker: one due soon, one already late.
    Story(
        "Begeleiding individueel",
        2,
        "2",
        "Hulp bij het openen en ordenen van post; het schuldhulp-spreekuur alleen is niet genoeg.",
        5,
        6,
        provider="Begeleiding Dichtbij",
        outcome="",
    ),
    Story(
        "Hulp bij het huishouden",
        2,
        "2",
        "Mantelzorger (echtgenoot) is overbelast; huishouden lukt niet meer.",
        17,
        12,
        provider="Thuiszorg Noord",
        outcome="",
    ),
]

BUDGETS = {
    "Hulp bij het huishouden": Decimal("1850000"),
    "Begeleiding individueel": Decimal("2400000"),
    "Traplift": Decimal("180000"),
    "Scootmobiel": Decimal("240000"),
    "Kleine hulpmiddelen": Decimal("25000"),
    "Jeugdhulp ambulant": Decimal("3100000"),
}


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, min(day.day, 28))


def build_maatwerk(today: date) -> int:
    """Advices and decisions on open cases of the demo login's team; returns the number of advices."""
    worker = User.objects.get(username="sociaalwerker")
    beschikker = User.objects.get(username="beschikker")
    municipality = beschikker.municipality
    provisions = {p.name: p for p in Provision.objects.filter(municipality=municipality, kind=ProvisionKind.MAATWERK)}
    providers = {o.name: o for o in Organisation.objects.filter(municipality=municipality)}
    for year in (today.year - 1, today.year):
        Budget.objects.create(municipality=municipality, year=year, amount=sum(BUDGETS.values()))
        for name, amount in BUDGETS.items():
            Budget.objects.create(municipality=municipality, year=year, provision=provisions[name], amount=amount)

    cases = list(
        Case.objects.open()
        .filter(regisseur=worker)
        .exclude(resident__bsn_encrypted="")
        .select_related("resident", "household")
        .order_by("pk")
    )
    # The widow of scenario 1 needs no customised provision; scenario 3's PGB belongs to the family
    # whose kitchen-table conversation and plan casework.py wrote.
    cases = [c for c in cases if c.resident.bsn != WIDOW_BSN]
    scenario_3 = next((c for c in cases if c.conversations.filter(question_behind__contains="Eerst de zorg")), None)
    with_children = [c for c in cases if c.household.members.filter(relation=Relation.CHILD).exists()]
    adults = [c for c in cases if c not in with_children and c != scenario_3]
    made = 0
    pgb_case = scenario_3 or (adults[1] if len(adults) > 1 else None)
    pgb_until: date | None = None
    for index, story in enumerate(STORIES):
        if story.minor:
            if not with_children:
                continue
            case = with_children[0]
            member = case.household.members.filter(relation=Relation.CHILD).select_related("resident").first()
            resident = member.resident
        elif story.delivery == DeliveryForm.PGB:
            case, resident = pgb_case, pgb_case.resident if pgb_case else None
        else:
            case = adults[(index + 2) % len(adults)] if adults else None
            resident = case.resident if case else None
        if case is None:
            continue
        # Never before the case was reported: a story told on a younger case starts a week after it.
        applied = working_day(today - timedelta(days=story.applied_days_ago))
        applied = min(max(applied, working_day(case.melding_date + timedelta(days=7))), today)
        starts = working_day(applied + timedelta(days=7))
        phased = story.delivery == DeliveryForm.PGB
        if phased and pgb_until is not None:
            starts = pgb_until + timedelta(days=1)  # the next step of the phase-out follows on
        ends = _add_months(starts, story.months) - timedelta(days=1) if story.months else None
        if phased:
            pgb_until = ends
        provision = provisions[story.provision]
        provider = providers.get(story.provider)
        with at(moment(applied, 11)):
            advice = advice_submit(
                case=case,
                by=worker,
                provision=provision,
                resident=resident,
                volume=story.volume,
                frequency=story.frequency,
                starts_on=starts,
                ends_on=ends,
                delivery_form=story.delivery,
                preferred_provider=provider,
                requested_provision=provisions.get(story.asked_for),
                grounds=story.grounds,
                aanvraag_date=applied,
            )
        made += 1
        if story.outcome:
            decided = min(working_day(applied + timedelta(days=6)), today)
            with at(moment(decided, 14)):
                decision_make(
                    advice=IndicationAdvice.objects.get(pk=advice.pk),
                    by=beschikker,
                    outcome=story.outcome,
                    grounds=story.decision_grounds,
                    decided_on=decided,
                    grant=Grant(
                        volume=story.volume,
                        frequency=story.frequency,
                        starts_on=starts,
                        ends_on=ends,
                        delivery_form=story.delivery,
                        provider=provider if story.delivery == DeliveryForm.IN_KIND else None,
                    ),
                )
    return made
