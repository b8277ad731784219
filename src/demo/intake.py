"""Toegang and signalering in the demo: questions at the desk and at a vindplaats (scenario 6),
a GP's referral that the team takes up with regie (scenario 4), referrals still waiting, a
self-referral, and a bekendheidsvraag. Services run on the simulated clock."""

import random
from datetime import date, timedelta

from accounts.models import User
from cases import services as case_services
from cases.models import Triage
from cases.workflow import Status
from demo.clock import at, moment, working_day
from intake import services
from intake.models import Channel, Outcome, PartnerToken, ReferralSource, hash_token
from partners.models import Organisation
from people.models import Household, Relation
from plans import services as plan_services
from provisions.models import Provision, ProvisionKind
from teams.models import Team
from zrm.models import LifeDomain

GP_PRACTICE = "Huisartsenpraktijk Huizum"
TEAM = "Wijkteam Nijlân & Huizum"

# Questions at the desk and at vindplaatsen over the last week: (days ago, channel, vindplaats,
# text, domains, outcome, answer, provision keyword, seconds taken).
QUESTIONS = [
    (
        0,
        Channel.VINDPLAATS,
        "Basisschool De Zwette",
        "Ouder bij het schoolhek: kind (6) wil 's avonds niet slapen.",
        ["huiselijke-relaties"],
        Outcome.ANSWERED,
        "Vast slaapritueel en schermvrij uur besproken.",
        "",
        48,
    ),
    (
        1,
        Channel.TELEFOON,
        "",
        "Waar kan ik hulp krijgen bij het invullen van de huurtoeslag?",
        ["financien"],
        Outcome.REFERRED,
        "",
        "Thuisadministratie",
        70,
    ),
    (
        1,
        Channel.BALIE,
        "",
        "Buurman vraagt of er een maaltijdservice in de wijk is.",
        ["basale-adl"],
        Outcome.ANSWERED,
        "Folder maaltijdservice meegegeven.",
        "",
        40,
    ),
    (
        2,
        Channel.VINDPLAATS,
        "Consultatiebureau Huizum",
        "Moeder vraagt naar opvoedcursus voor peuters.",
        ["huiselijke-relaties"],
        Outcome.ANSWERED,
        "Opvoedspreekuur consultatiebureau genoemd.",
        "",
        55,
    ),
    (
        3,
        Channel.EMAIL,
        "",
        "Vrouw (78) voelt zich eenzaam sinds haar man overleed.",
        ["sociaal-netwerk"],
        Outcome.REFERRED,
        "",
        "Buurthuis",
        90,
    ),
    (
        4,
        Channel.BALIE,
        "",
        "Vraagt hoe hij zijn energierekening kan verlagen.",
        ["financien"],
        Outcome.ANSWERED,
        "Energiecoach-website en subsidie besproken.",
        "",
        35,
    ),
]


def _on_or_before(day: date) -> date:
    """The working day on or before ``day`` (the demo's past must not move into its future)."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _provision(municipality, keyword: str) -> Provision | None:
    return (
        Provision.objects.filter(municipality=municipality, kind=ProvisionKind.ALGEMEEN, name__icontains=keyword)
        .order_by("name")
        .first()
        or Provision.objects.filter(municipality=municipality, kind=ProvisionKind.ALGEMEEN).order_by("name").first()
    )


def _family(team: Team) -> Household | None:
    """A household with children in the team's districts that has no case yet."""
    return (
        Household.objects.filter(area__in=team.areas.all(), cases__isnull=True, members__relation=Relation.CHILD)
        .distinct()
        .order_by("pk")
        .first()
    )


def build_intake(municipality, rng: random.Random, today: date) -> str:
    worker = User.objects.get(username="sociaalwerker")
    leader = User.objects.get(username="teamleider")
    team = Team.objects.get(name=TEAM)
    domains = {d.code: d for d in LifeDomain.objects.all()}
    practice = Organisation.objects.get(municipality=municipality, name=GP_PRACTICE)
    gp = User.objects.get(username="verwijzer")
    gp.organisation = practice
    gp.save(update_fields=["organisation"])
    key = f"demo-{rng.getrandbits(96):024x}"
    PartnerToken.objects.create(organisation=practice, name="HIS (demo)", key_hash=hash_token(key), prefix=key[:8])

    for days_ago, channel, place, text, codes, outcome, answer, keyword, seconds in QUESTIONS:
        day = _on_or_before(today - timedelta(days=days_ago)) if days_ago else today
        with at(moment(day, 9 + days_ago, 15)):
            services.question_register(
                by=worker,
                municipality=municipality,
                text=text,
                life_domains=[domains[c] for c in codes],
                channel=channel,
                vindplaats=Organisation.objects.filter(municipality=municipality, name=place).first()
                if place
                else None,
                outcome=outcome,
                answer=answer,
                provision=_provision(municipality, keyword) if outcome == Outcome.REFERRED else None,
                seconds_taken=seconds,
            )

    # Scenario 4: the GP refers a family; the team takes regie.
    family = _family(team)
    if family is not None:
        main = family.members.select_related("resident").get(relation=Relation.MAIN).resident
        received = _on_or_before(today - timedelta(days=20))
        with at(moment(received, 8, 40)):
            referral = services.referral_submit(
                municipality=municipality,
                source=ReferralSource.PARTNER,
                organisation=practice,
                referred_by=gp,
                client_reference="HA-HUI-0412",
                name=f"Gezin {family.label}",
                birth_date=main.birth_date,
                postcode=main.postcode,
                huisnummer=main.huisnummer,
                concern="Schulden die oplopen, zoon verzuimt vaak school, moeder somber en slaapt slecht. "
                "Moeder weet van deze verwijzing en wil hulp.",
                life_domains=[domains["financien"], domains["werk-en-opleiding"], domains["geestelijke-gezondheid"]],
                resident_informed=True,
            ).referral
        with at(moment(working_day(received + timedelta(days=1)), 10)):
            case = services.referral_take_up(referral=referral, resident=main, by=leader)
            case_services.case_triage(
                case=case,
                triage=Triage.SUPPORT,
                reason="Drie leefgebieden (financiën, school, psychische gezondheid); gezin wil zelf aan de slag.",
                by=leader,
            )
            plan_services.regisseur_assign(case=case, regisseur=worker, by=leader)
        with at(moment(working_day(received + timedelta(days=3)), 11)):
            case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=worker)
        with at(moment(_on_or_before(today - timedelta(days=2)), 14)):
            services.known_query_ask(
                organisation=Organisation.objects.filter(municipality=municipality, kind="politie")
                .order_by("pk")
                .first()
                or practice,
                via_api=True,
                purpose="Melding geluidsoverlast; wijkagent wil weten of er hulp loopt.",
                bsn=main.bsn,
            )

    # Waiting in the queue: a second GP referral and a resident who asked for help themselves.
    street = team.areas.order_by("pk").first()
    postcode = (
        street.postcodes.order_by("-share").values_list("postcode4", flat=True).first() if street else ""
    ) or ""
    with at(moment(_on_or_before(today - timedelta(days=1)), 16, 5)):
        services.referral_submit(
            municipality=municipality,
            source=ReferralSource.PARTNER,
            organisation=practice,
            referred_by=gp,
            client_reference="HA-HUI-0419",
            name="Mevrouw T. Veenstra",
            postcode=f"{postcode}AB" if postcode else "",
            huisnummer=21,
            concern="Mevrouw (81) valt vaker, eet slecht en heeft geen familie in de buurt.",
            life_domains=[domains["lichamelijke-gezondheid"], domains["sociaal-netwerk"]],
            resident_informed=True,
        )
    with at(moment(today, 7, 50)):
        services.referral_submit(
            municipality=municipality,
            source=ReferralSource.SELF,
            name="Jorrit Kingma",
            phone="06 98765432",
            postcode=f"{postcode}CD" if postcode else "",
            huisnummer=3,
            concern="Ik ben mijn baan kwijt en de rekeningen stapelen zich op. Ik weet niet waar ik moet beginnen.",
            resident_informed=True,
        )
    return key
