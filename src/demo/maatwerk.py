"""Maatwerk in the demo: indication advices of the Nijlân & Huizum team, decisions by the demo
beschikker with their WMO301/JW301 allocations, the municipality's budgets, and the message cycle
with a few providers (starts and a stop of care, a declaration, requests, iJw retours).

It tells scenario 2 (a second vacuum cleaner instead of a stairlift) and scenario 3 (a PGB for
support that the family takes over step by step), and leaves two advices waiting, one overdue.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from accounts.models import User
from cases.models import Case
from intake.models import PartnerToken, hash_token
from maatwerk import samples
from maatwerk.models import Allocation, Budget, DecisionOutcome, DeliveryForm, IndicationAdvice
from maatwerk.services import Grant, advice_submit, decision_make, message_receive, request_in_progress
from partners.models import Organisation
from people.models import Relation
from provisions.models import Provision, ProvisionKind

from .clock import at, moment, working_day
from .residents import PGB_BSN, WIDOW_BSN


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


def _client(resident) -> dict:
    return {"bsn": resident.bsn, "birth": resident.birth_date.isoformat(), "surname": resident.geslachtsnaam}


def build_messages(today: date, rng) -> str:
    """The message cycle with the providers as it went: starts of care (305) for the allocations
    that began, the iJw retours on them, a stop (307), last month's declaration of Thuiszorg Noord
    (one service refused on its price), a request for an allocation still to answer (315) and a
    youth-care request being looked into (JW315, JW319, JW320). Sent by the providers' software
    through the API; returns the demo key of Thuiszorg Noord."""
    beschikker = User.objects.get(username="beschikker")
    municipality = beschikker.municipality
    code = municipality.code
    providers = {o.name: o for o in Organisation.objects.filter(municipality=municipality).exclude(agb_code="")}
    numbers = iter(range(1, 1000))

    def send(provider: Organisation, build, day: date, hour: int = 10):
        """Build the provider's message on ``day`` (its Dagtekening) and send it then."""
        with at(moment(min(day, today), hour)):
            return message_receive(municipality=municipality, content=build(), provider=provider)

    allocations = list(
        Allocation.objects.filter(decision__starts_on__lte=today - timedelta(days=7))
        .select_related("decision__advice__resident", "decision__provision", "provider")
        .order_by("decision__starts_on", "pk")
    )
    for allocation in allocations:
        decision, resident = allocation.decision, allocation.decision.advice.resident
        begins = working_day(decision.starts_on + timedelta(days=2))
        if allocation.kind == "JW301":
            sent = allocation.messages.get(kind="JW301")
            send(
                allocation.provider,
                partial(samples.retour, "JW302", sent.xml.encode(), retour_id=f"302{next(numbers):09d}"),
                decision.starts_on + timedelta(days=1),
            )
        send(
            allocation.provider,
            partial(
                samples.delivery,
                allocation.kind[:-3] + "305",
                agb=allocation.provider.agb_code,
                municipality=code,
                bsn=resident.bsn,
                birth=resident.birth_date.isoformat(),
                surname=resident.geslachtsnaam,
                number=allocation.pk,
                category=decision.provision.product_category,
                allocation_starts_on=decision.starts_on,
                begins_on=begins,
                message_id=f"305{next(numbers):09d}",
            ),
            begins + timedelta(days=1),
        )
    # Mrs. with COPD went into hospital: her household help stopped for now (WMO588 code 20).
    copd = next((a for a in allocations if "COPD" in a.decision.advice.grounds), None)
    if copd is not None:
        allocation, resident = copd, copd.decision.advice.resident
        allocation.refresh_from_db()
        stop = working_day(today - timedelta(days=10))
        send(
            allocation.provider,
            partial(
                samples.delivery,
                "WMO307",
                agb=allocation.provider.agb_code,
                municipality=code,
                bsn=resident.bsn,
                birth=resident.birth_date.isoformat(),
                surname=resident.geslachtsnaam,
                number=allocation.pk,
                category=allocation.decision.provision.product_category,
                allocation_starts_on=allocation.decision.starts_on,
                begins_on=allocation.started_on,
                ends_on=stop,
                reason="20",
                message_id=f"307{next(numbers):09d}",
            ),
            stop + timedelta(days=1),
        )
    # Last month's declaration of Thuiszorg Noord: its household help, hour by hour.
    thuiszorg = providers["Thuiszorg Noord"]
    last = today.replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    services = []
    for allocation in Allocation.objects.filter(provider=thuiszorg).select_related(
        "decision__advice__resident", "decision__provision"
    ):
        allocation_start = allocation.started_on
        if allocation_start is None or allocation_start > last:
            continue
        decision = allocation.decision
        start = max(first, allocation_start)
        end = min(last, allocation.stopped_on or last)
        weeks = max(1, ((end - start).days + 1) // 7)
        price = int(decision.unit_price * 100)
        tariff = price if services else price + 150  # the first at last year's rate: refused (0611)
        services.append(
            {
                "bsn": decision.advice.resident.bsn,
                "reference": f"TN{last:%Y%m}{allocation.pk:04d}",
                "number": allocation.pk,
                "category": decision.provision.product_category,
                "code": "01A01",
                "starts_on": start,
                "ends_on": end,
                "volume": decision.volume * weeks,
                "unit": decision.unit,
                "tariff": tariff,
                "amount": decision.volume * weeks * tariff,
            }
        )
    if services:
        send(
            thuiszorg,
            partial(
                samples.declaration_323,
                agb=thuiszorg.agb_code,
                municipality=code,
                number=f"TN{last:%Y%m}",
                period=(first, last),
                services=services,
                message_id=f"323{next(numbers):09d}",
            ),
            working_day(last + timedelta(days=5)),
        )
    _requests(today, municipality, providers, send, numbers)
    key = f"demo-{rng.getrandbits(96):024x}"
    PartnerToken.objects.create(
        organisation=thuiszorg, name="Zorgsoftware (demo)", key_hash=hash_token(key), prefix=key[:8]
    )
    return key


def _requests(today: date, municipality, providers: dict, send, numbers) -> None:
    """A request for household help still to answer, and a youth-care request being looked into."""
    worker = User.objects.get(username="sociaalwerker")
    beschikker = User.objects.get(username="beschikker")
    cases = list(
        Case.objects.open()
        .filter(regisseur=worker, indication_advices__isnull=True)
        .exclude(resident__bsn_encrypted="")
        .select_related("resident", "household")
        .order_by("pk")
    )
    cases = [c for c in cases if c.resident.bsn not in (WIDOW_BSN, PGB_BSN)]
    adult = next((c for c in cases if not c.household.members.filter(relation=Relation.CHILD).exists()), None)
    if adult is not None:
        provider = providers["Zorg aan Huis Friesland"]
        resident = adult.resident
        send(
            provider,
            partial(
                samples.request_315,
                agb=provider.agb_code,
                municipality=municipality.code,
                message_id=f"315{next(numbers):09d}",
                reference="ZAH-2026-0412",
                category="01",
                starts_on=working_day(today + timedelta(days=7)),
                volume=2,
                **_client(resident),
                initials=resident.voornamen[:1] or "A",
            ),
            working_day(today - timedelta(days=4)),
            hour=9,
        )
    family = next((c for c in cases if c.household.members.filter(relation=Relation.CHILD).exists()), None)
    if family is not None:
        provider = providers["Jeugdhulp Fryslân Ambulant"]
        child = family.household.members.filter(relation=Relation.CHILD).select_related("resident").first().resident
        day = working_day(today - timedelta(days=12))
        received = send(
            provider,
            partial(
                samples.request_315,
                "JW315",
                agb=provider.agb_code,
                municipality=municipality.code,
                message_id=f"315{next(numbers):09d}",
                reference="JFA-2026-0077",
                category="45",
                starts_on=working_day(today + timedelta(days=3)),
                volume=2,
                **_client(child),
                initials=child.voornamen[:1] or "A",
            ),
            day,
        )
        with at(moment(working_day(day + timedelta(days=2)), 11)):
            answer = request_in_progress(request=received.request, by=beschikker)
        send(
            provider,
            partial(samples.retour, "JW320", answer.xml.encode(), retour_id=f"320{next(numbers):09d}"),
            working_day(day + timedelta(days=3)),
        )
