"""A lived-in caseload: cases in every status with their history and contacts, made by running
the real services on a simulated clock. Texts are in Dutch, as social workers write them."""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cases import services as case_services
from cases.models import Case, LegalFramework, Triage
from cases.workflow import Status
from casework import services as casework_services
from contacts import services as contact_services
from contacts.models import ContactKind, ContactStatus, Every
from people import services as people_services
from people.models import Household, NetworkRelation, Relation
from plans import conversations as plan_conversations
from plans import services as plan_services
from plans.models import Actor, AgreementKind, Frequency, GoalStatus, Source
from privacy import services as privacy_services
from privacy.models import ConsentMode, DataCategory
from provisions import services as provision_services
from provisions.models import Provision, ReferralOutcome
from teams.models import Team
from teams.services import team_for_area
from zrm.models import LifeDomain, Moment
from zrm.services import Rating, assessment_record

from .clock import at, moment, working_day
from .residents import PGB_BSN, WIDOW_BSN
from .staff import STAND_IN


@dataclass(frozen=True)
class Question:
    text: str
    domains: tuple[str, ...]
    frameworks: tuple[str, ...]
    triage: str
    fits: str  # "any", "elderly", "family", "adult"


QUESTIONS = [
    Question(
        "Kan de post en rekeningen niet meer overzien; achterstand bij energie en zorgverzekering.",
        ("financien",),
        ("wmo", "wgs"),
        Triage.SUPPORT,
        "any",
    ),
    Question(
        "Vraagt hulp bij het huishouden na een heupoperatie.",
        ("instrumentele-adl", "lichamelijke-gezondheid"),
        ("wmo",),
        Triage.SUPPORT,
        "elderly",
    ),
    Question(
        "Zoon spijbelt en er is veel ruzie thuis.",
        ("huiselijke-relaties", "werk-en-opleiding"),
        ("jeugdwet",),
        Triage.SUPPORT,
        "family",
    ),
    Question(
        "Voelt zich eenzaam sinds het overlijden van de partner.",
        ("sociaal-netwerk", "geestelijke-gezondheid"),
        ("wmo",),
        Triage.SELF_RELIANT,
        "elderly",
    ),
    Question(
        "Schulden opgelopen na baanverlies; de deurwaarder is langs geweest.",
        ("financien", "werk-en-opleiding"),
        ("wgs", "participatiewet"),
        Triage.SUPPORT,
        "adult",
    ),
    Question(
        "Vraagt een scootmobiel; kan niet meer lopend naar de winkel.",
        ("lichamelijke-gezondheid", "maatschappelijke-participatie"),
        ("wmo",),
        Triage.SUPPORT,
        "elderly",
    ),
    Question(
        "Ouder met depressie krijgt de kinderen moeilijk naar school.",
        ("geestelijke-gezondheid", "huiselijke-relaties"),
        ("jeugdwet", "wmo"),
        Triage.SPECIALIST,
        "family",
    ),
    Question(
        "Dreigende huisuitzetting door huurachterstand.",
        ("huisvesting", "financien"),
        ("wgs",),
        Triage.SUPPORT,
        "adult",
    ),
    Question(
        "Zoekt dagbesteding na ontslag uit de zorginstelling.",
        ("tijdsbesteding", "geestelijke-gezondheid"),
        ("wmo",),
        Triage.SUPPORT,
        "adult",
    ),
    Question(
        "Mantelzorger van partner met dementie raakt overbelast.",
        ("huiselijke-relaties", "sociaal-netwerk"),
        ("wmo",),
        Triage.SUPPORT,
        "elderly",
    ),
    Question(
        "Vraag over opvoeding: het jongste kind slaapt slecht.",
        ("huiselijke-relaties",),
        ("jeugdwet",),
        Triage.SELF_RELIANT,
        "family",
    ),
    Question(
        "Wil graag aan het werk maar heeft geen startkwalificatie.",
        ("werk-en-opleiding",),
        ("participatiewet",),
        Triage.SELF_RELIANT,
        "adult",
    ),
    Question(
        "Overmatig alcoholgebruik; de partner maakt zich zorgen.",
        ("middelengebruik", "huiselijke-relaties"),
        ("wmo",),
        Triage.SPECIALIST,
        "adult",
    ),
    Question(
        "Conflictscheiding; de kinderen zitten klem tussen de ouders.",
        ("huiselijke-relaties", "geestelijke-gezondheid"),
        ("jeugdwet",),
        Triage.SUPPORT,
        "family",
    ),
    Question(
        "Vraagt een traplift; de trap op gaat niet meer goed.",
        ("basale-adl", "lichamelijke-gezondheid"),
        ("wmo",),
        Triage.SUPPORT,
        "elderly",
    ),
    Question(
        "Net uit detentie, zonder woning en zonder inkomen.",
        ("justitie", "huisvesting", "financien"),
        ("participatiewet", "wmo"),
        Triage.SPECIALIST,
        "adult",
    ),
    Question(
        "Heeft hulp nodig bij het aanvragen van toeslagen.", ("financien",), ("wmo",), Triage.SELF_RELIANT, "any"
    ),
    Question("Wassen en aankleden lukt niet meer zonder hulp.", ("basale-adl",), ("wmo",), Triage.SUPPORT, "elderly"),
    Question(
        "Buren maken zich zorgen: meneer komt de deur niet meer uit.",
        ("sociaal-netwerk", "geestelijke-gezondheid"),
        ("wmo",),
        Triage.SUPPORT,
        "adult",
    ),
]

CONTACT_NOTES = [
    "Stand van zaken doorgenomen; afspraken blijven staan.",
    "Samen gekeken wat goed gaat en wat nog lastig is.",
    "Telefonisch contact; gaat redelijk, volgende keer weer thuis.",
    "Netwerk besproken: zus wil vaker langskomen.",
    "Brief van de zorgverzekeraar samen beantwoord.",
    "Afspraak met de huisarts voorbereid.",
]

MONTHLY_POST = "Samen de post van deze maand doorgenomen: huurtoeslag, zorgverzekering, gemeentebelastingen."
END_REASON_DONE = "19"  # WMO588: levering volgens plan beëindigd


def _fits(question: Question, household: Household, today: date) -> bool:
    ages = [m.resident.age_on(today) for m in household.members.all()]
    if question.fits == "elderly":
        return max(ages) >= 65
    if question.fits == "family":
        return min(ages) < 18 and max(ages) >= 18
    if question.fits == "adult":
        return any(18 <= age < 67 for age in ages)
    return True


class Caseload:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.frameworks = {f.code: f for f in LegalFramework.objects.all()}
        self.domains = {d.code: d for d in LifeDomain.objects.all()}
        self.favourite = User.objects.get(username="sociaalwerker")
        self.pgb_household: Household | None = None  # kept free for scenario 3

    def team_members(self, team: Team) -> list[User]:
        members = list(team.members.filter(is_active=True).exclude(username=STAND_IN).order_by("username"))
        if self.favourite in members:
            members += [self.favourite] * 5  # the demo login carries a full caseload
        return members

    def build(self, households: list[Household]) -> int:
        count = 0
        for household in households:
            main = household.members.select_related("resident").get(relation=Relation.MAIN).resident
            if main.bsn == WIDOW_BSN:
                self.widow(household)
                count += 1
                continue
            draw = self.rng.random()  # drawn for every household, so the other stories stay the same
            if main.bsn == PGB_BSN:
                self.pgb_household = household  # kept for scenario 3 (pgb below)
                continue
            if draw > 0.62:
                continue
            count += self.household_cases(household)
        count += self.investigations_due(households)
        count += sum(1 for case in (self.stairlift(households), self.pgb(households)) if case)
        return count

    def investigations_due(self, households: list[Household]) -> int:
        """Two investigations of the demo login whose six weeks end soon, one already overdue,
        so "Mijn werk" shows what the deadline watch is for."""
        team = Team.objects.get(name="Wijkteam Nijlân & Huizum")
        areas = set(team.areas.values_list("pk", flat=True))
        free = [h for h in households if h.area_id in areas and not h.cases.exists() and h != self.pgb_household]
        question = next(q for q in QUESTIONS if q.text.startswith("Vraagt een scootmobiel"))
        made = 0
        for household, days_ago in zip(free, (33, 44), strict=False):
            start = working_day(self.today - timedelta(days=days_ago))
            with at(moment(start, 9)):
                case = self._open(
                    household, team, question.text, domains=question.domains, day=start, frameworks=question.frameworks
                )
            with at(moment(working_day(start + timedelta(days=2)), 10)):
                case_services.case_change_status(case=case, to=Status.INTAKE, by=self.favourite)
                case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=self.favourite)
            self.plan_next(case, self.favourite)
            made += 1
        return made

    def household_cases(self, household: Household) -> int:
        team = team_for_area(household.area)
        if team is None:
            return 0
        options = [q for q in QUESTIONS if _fits(q, household, self.today)]
        made = 0
        # Some households came back after an earlier case was closed.
        for earlier in ([True] if self.rng.random() < 0.15 else []) + [False]:
            question = self.rng.choice(options)
            days_ago = self.days_ago() + (400 if earlier else 0)
            self.simulate(household, team, question, self.today - timedelta(days=days_ago), close=earlier)
            made += 1
        return made

    def days_ago(self) -> int:
        """Most cases started months ago; a steady inflow of new ones keeps the queue and the
        six-week deadlines alive."""
        draw = self.rng.random()
        if draw < 0.10:
            return self.rng.randint(0, 6)
        if draw < 0.28:
            return self.rng.randint(7, 45)
        return int(self.rng.triangular(46, 730, 120))

    def simulate(self, household: Household, team: Team, question: Question, start: date, close: bool = False) -> Case:
        rng = self.rng
        members = list(household.members.select_related("resident"))
        subject = rng.choice([m for m in members if m.resident.age_on(start) >= 18] or members).resident
        regisseur = rng.choice(self.team_members(team))
        opener = regisseur
        day = working_day(start)
        with at(moment(day, 9, rng.randint(0, 50))):
            case = case_services.case_open(
                household=household,
                resident=subject,
                team=team,
                question=question.text,
                frameworks=[self.frameworks[c] for c in question.frameworks],
                life_domains=[self.domains[c] for c in question.domains],
                melding_date=day,
                by=opener,
            )
        Case.objects.filter(pk=case.pk).update(triage=question.triage, triage_reason=_triage_reason(question.triage))

        def step(days: int) -> bool:
            nonlocal day
            day = working_day(day + timedelta(days=days))
            return day < self.today

        if not step(rng.randint(1, 4)):
            return case
        with at(moment(day, 10)):
            plan_services.regisseur_assign(case=case, regisseur=regisseur, by=opener)
            case_services.case_change_status(case=case, to=Status.INTAKE, by=regisseur)
        if question.triage == Triage.SELF_RELIANT and (close or rng.random() < 0.7):
            if step(rng.randint(1, 10)):
                with at(moment(day, 14)):
                    casework_services.case_close(
                        case=case,
                        end_reason=END_REASON_DONE,
                        note="Advies gegeven; de vraag is beantwoord.",
                        by=regisseur,
                    )
            return case
        if not step(rng.randint(2, 8)):
            return case
        with at(moment(day, 11)):
            case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=regisseur)
        if step(rng.randint(3, 12)):
            with at(moment(day, rng.choice([10, 13, 15]))):
                contact_services.contact_log(
                    case=case,
                    professional=regisseur,
                    kind=ContactKind.HUISBEZOEK,
                    happened_at=moment(day, 10),
                    duration_minutes=rng.choice([60, 75, 90]),
                    note="Keukentafelgesprek: vraag achter de vraag besproken, ook wat het netwerk kan doen.",
                    by=regisseur,
                )
        else:
            self.plan_next(case, regisseur)
            return case
        # Most investigations finish within the six weeks; some do not.
        if not step(rng.randint(10, 35) if rng.random() < 0.88 else rng.randint(40, 60)):
            self.plan_next(case, regisseur)
            return case
        with at(moment(day, 11)):
            case_services.case_change_status(
                case=case, to=Status.PLAN, by=regisseur, note="Plan opgesteld met de inwoner."
            )
        if not step(rng.randint(3, 10)):
            return case
        with at(moment(day, 11)):
            case_services.case_change_status(case=case, to=Status.UITVOERING, by=regisseur)
        length = rng.randint(60, 360)
        end = day + timedelta(days=length)
        while True:
            if not step(rng.randint(14, 42)):
                self.plan_next(case, regisseur)
                return case
            if day >= end:
                break
            with at(moment(day, 15)):
                contact_services.contact_log(
                    case=case,
                    professional=regisseur,
                    kind=rng.choice([ContactKind.HUISBEZOEK, ContactKind.HUISBEZOEK, ContactKind.TELEFOON]),
                    happened_at=moment(day, 14),
                    duration_minutes=rng.choice([15, 30, 45, 60]),
                    note=rng.choice(CONTACT_NOTES),
                    by=regisseur,
                )
        with at(moment(day, 11)):
            case_services.case_change_status(case=case, to=Status.EVALUATIE, by=regisseur)
        if not close and rng.random() < 0.3:
            return case
        if step(rng.randint(7, 30)):
            with at(moment(day, 16)):
                casework_services.case_close(
                    case=case,
                    end_reason=END_REASON_DONE if rng.random() < 0.85 else rng.choice(["21", "31", "39"]),
                    note="Doelen besproken bij de evaluatie; de inwoner redt het verder zelf.",
                    by=regisseur,
                )
        return case

    def plan_next(self, case: Case, regisseur: User) -> None:
        when = working_day(self.today + timedelta(days=self.rng.randint(0, 20)))
        with at(moment(self.today, 8)):
            contact_services.contact_plan(
                case=case,
                professional=regisseur,
                kind=self.rng.choice([ContactKind.HUISBEZOEK, ContactKind.TELEFOON]),
                planned_at=moment(when, self.rng.choice([9, 10, 11, 13, 14, 15])),
                by=regisseur,
            )

    def widow(self, household: Household) -> Case:
        """Scenario 1: a widow of 69 in Huizum. The kitchen-table conversation, the ZRM on only the
        three domains her question needs, one plan with the goal 'administratie op orde', and an
        hour every month without end date: a year later twelve visits and the ZRM trend."""
        worker = self.favourite
        team = Team.objects.get(name="Wijkteam Nijlân & Huizum")
        resident = household.members.get(relation=Relation.MAIN).resident
        # The monthly visits started a year ago, so the twelfth took place last month.
        year_ago = self.today.replace(year=self.today.year - 1, day=min(self.today.day, 28))
        first_visit = year_ago + timedelta(days=1)
        start = working_day(first_visit - timedelta(days=32))
        with at(moment(start, 9, 15)):
            case = self._open(
                household,
                team,
                (
                    "Mevrouw loopt moeizaam en heeft weinig sociale contacten; vorige maand is haar kat overleden. "
                    "Ze krijgt haar post niet meer bijgehouden: huurtoeslag, zorgverzekering, gemeentebelastingen."
                ),
                domains=("financien", "sociaal-netwerk", "lichamelijke-gezondheid"),
                day=start,
            )
        Case.objects.filter(pk=case.pk).update(
            triage=Triage.SUPPORT,
            triage_reason="Meerdere domeinen: financiën, netwerk, gezondheid; geen specialistische zorg nodig.",
        )
        day = working_day(start + timedelta(days=2))
        with at(moment(day, 10)):
            case_services.case_change_status(case=case, to=Status.INTAKE, by=worker)
            case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=worker)
            neighbour = people_services.network_member_add(
                resident=resident, name="Sjoukje (buurvrouw)", relation=NetworkRelation.NEIGHBOUR
            )
        day = working_day(day + timedelta(days=7))
        with at(moment(day, 12)):
            contact_services.contact_log(
                case=case,
                professional=worker,
                kind=ContactKind.HUISBEZOEK,
                happened_at=moment(day, 10),
                duration_minutes=75,
                note="Keukentafelgesprek in haar flat; verslag in het dossier.",
                by=worker,
            )
            plan_conversations.conversation_record(
                case=case,
                by=worker,
                held_on=day,
                place="Thuis, aan de keukentafel",
                residents=[resident],
                network_members=[neighbour],
                question_asked="Hulp bij de post: huurtoeslag, zorgverzekering, gemeentebelastingen.",
                question_behind=(
                    "Haar man deed altijd de geldzaken. Sinds de kat er niet meer is, komt ze de deur weinig uit "
                    "en durft ze brieven niet open te maken."
                ),
                own_strength="Kookt zelf, doet de was en houdt het huis bij. Wil graag zelf blijven beslissen.",
                network_strength="De buurvrouw komt graag langs; haar zoon woont in Groningen en belt elke week.",
                commitments={neighbour: "Komt elke dinsdagochtend koffiedrinken en loopt mee naar de brievenbus"},
                provisions=self._provisions(team, "Thuisadministratie door vrijwilligers", "Buurthuis De Zwette"),
                conclusion=(
                    "Eén keer per maand samen de post doornemen tot ze het weer zelf kan. "
                    "Ze probeert de koffieochtend in het buurthuis."
                ),
            )
            self._refer_with_consent(case, worker, "Thuisadministratie door vrijwilligers", day)
            self._zrm(
                case,
                worker,
                day,
                Moment.START,
                {
                    "financien": (2, "Post blijft ongeopend liggen; aanmaning van de zorgverzekeraar."),
                    "sociaal-netwerk": (2, "Weinig contacten sinds haar kat overleed; alleen de buurvrouw."),
                    "lichamelijke-gezondheid": (3, "Loopt moeizaam met een stok; redt zich binnenshuis."),
                },
            )
        day = working_day(day + timedelta(days=14))
        with at(moment(day, 11)):
            plan = plan_services.plan_start(household=household, by=worker)
            goal = self._goal(
                plan,
                worker,
                "financien",
                "Administratie op orde: de post is elke maand bijgewerkt",
                4,
                day + timedelta(days=365),
            )
            self._action(plan, worker, goal, "Samen één keer per maand de post doornemen", Actor.PROFESSIONAL)
            self._action(
                plan, worker, goal, "Automatische incasso voor huur en zorgverzekering regelen", Actor.RESIDENT
            )
            social = self._goal(
                plan,
                worker,
                "sociaal-netwerk",
                "Eén vaste activiteit per week buiten de deur",
                3,
                day + timedelta(days=180),
            )
            self._action(plan, worker, social, "Koffieochtend in buurthuis De Zwette proberen", Actor.RESIDENT)
            self._action(
                plan, worker, social, "Loopt mee naar de koffieochtend", Actor.NETWORK, network_member=neighbour
            )
            plan_services.plan_update(
                plan=plan,
                expected_version=plan.version,
                by=worker,
                summary="Mevrouw houdt haar post zelf bij en komt weer onder de mensen.",
                agreed_on=day,
                agreement=AgreementKind.VERBAL,
                evaluate_on=day + timedelta(days=182),
            )
            case_services.case_change_status(case=case, to=Status.PLAN, by=worker, note="Doel: administratie op orde.")
            case_services.case_change_status(case=case, to=Status.UITVOERING, by=worker)
            series = contact_services.series_create(
                case=case,
                professional=worker,
                by=worker,
                starts_on=first_visit,
                at=time(10, 0),
                every=Every.MONTH,
                duration_minutes=60,
                note="De post van deze maand doornemen",
            )
        visits = 0
        while visits < 12:
            visit = series.contacts.filter(status=ContactStatus.PLANNED).order_by("planned_at").first()
            if visit is None or timezone.localtime(visit.planned_at).date() >= self.today:
                break
            with at(visit.planned_at + timedelta(hours=2)):
                contact_services.contact_complete(
                    contact=visit, by=worker, duration_minutes=60, note=MONTHLY_POST, goals=[goal]
                )
            visits += 1
            if visits in (6, 12):
                with at(visit.planned_at + timedelta(hours=3)):
                    self._zrm(
                        case,
                        worker,
                        timezone.localtime(visit.planned_at).date(),
                        Moment.INTERIM,
                        {
                            "financien": (3, "Betalingsregeling loopt; opent de post zelf.")
                            if visits == 6
                            else (4, "Houdt de post zelf bij; maandelijks samen controleren."),
                            "sociaal-netwerk": (2, "Koffieochtend één keer geprobeerd.")
                            if visits == 6
                            else (3, "Gaat elke week naar de koffieochtend, met de buurvrouw."),
                            "lichamelijke-gezondheid": (3, "Ongewijzigd; fysiotherapie loopt."),
                        },
                    )
        with at(moment(self.today, 7)):
            contact_services.series_extend(series=series)
        return case

    def stairlift(self, households: list[Household]) -> Case | None:
        """Scenario 2: an older man asks for a stairlift; at the kitchen table the only problem is
        carrying the vacuum cleaner upstairs. A second vacuum cleaner instead, with both costs."""
        worker = self.favourite
        team = Team.objects.get(name="Wijkteam Nijlân & Huizum")
        household = self._free_household(households, team, lambda r: r.geslacht == "M" and r.age_on(self.today) >= 70)
        if household is None:
            return None
        resident = household.members.get(relation=Relation.MAIN).resident
        start = working_day(self.today - timedelta(days=75))
        with at(moment(start, 9, 40)):
            case = self._open(
                household,
                team,
                "Vraagt een traplift: de trap op gaat steeds moeilijker.",
                domains=("basale-adl", "instrumentele-adl"),
                day=start,
            )
            case_services.case_change_status(case=case, to=Status.INTAKE, by=worker)
            case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=worker)
        day = working_day(start + timedelta(days=9))
        with at(moment(day, 12)):
            plan_conversations.conversation_record(
                case=case,
                by=worker,
                held_on=day,
                place="Thuis, aan de keukentafel",
                residents=[resident],
                question_asked="Een traplift.",
                question_behind=(
                    "Meneer loopt de trap zelf nog goed op, met de leuning. Het enige wat niet meer lukt, is de "
                    "stofzuiger naar boven dragen."
                ),
                own_strength="Doet het huishouden zelf en wil dat blijven doen.",
                conclusion="Geen traplift nodig: een tweede, lichte stofzuiger die boven blijft staan.",
            )
            self._zrm(
                case,
                worker,
                day,
                Moment.START,
                {
                    "basale-adl": (4, "Loopt de trap zelf op met de leuning; wast en kleedt zich zelf."),
                    "instrumentele-adl": (3, "Huishouden lukt, behalve boven stofzuigen."),
                },
            )
            plan = plan_services.plan_start(household=household, by=worker)
            goal = self._goal(
                plan, worker, "instrumentele-adl", "Zelf het hele huis schoonhouden", 4, day + timedelta(days=30)
            )
            stairlift = self._provision(team, "Traplift")
            plan_services.arrangement_save(
                plan=plan,
                expected_version=plan.version,
                by=worker,
                asked_for=True,
                source=Source.IN_KIND,
                description="Traplift (gevraagd, niet nodig gebleken)",
                provision=stairlift,
                unit_price=stairlift.unit_price if stairlift else Decimal("6850.00"),
                goal=goal,
            )
            plan_services.arrangement_save(
                plan=plan,
                expected_version=plan.version,
                by=worker,
                source=Source.OWN,
                description="Tweede stofzuiger voor boven (koopt meneer zelf)",
                unit_price=Decimal("129.00"),
                starts_on=day,
                goal=goal,
            )
            plan_services.plan_update(
                plan=plan,
                expected_version=plan.version,
                by=worker,
                summary="Meneer houdt zijn huis zelf schoon, boven en beneden.",
                agreed_on=day,
                agreement=AgreementKind.VERBAL,
                evaluate_on=day + timedelta(days=42),
            )
        day = working_day(day + timedelta(days=42))
        with at(moment(day, 15)):
            casework_services.case_close_with_outcome(
                case=case,
                by=worker,
                end_reason=END_REASON_DONE,
                note="Tweede stofzuiger gekocht; meneer stofzuigt boven weer zelf. Geen traplift nodig.",
                final_ratings=self._ratings({"instrumentele-adl": (4, "Stofzuigt boven weer zelf.")}),
                goal_statuses={goal: GoalStatus.REACHED},
            )
        return case

    def pgb(self, households: list[Household]) -> Case | None:
        """Scenario 3: a man with an intellectual disability has had a PGB for ten years; his parents
        and sister were never asked. They take over step by step; the PGB is phased out."""
        worker = self.favourite
        team = Team.objects.get(name="Wijkteam Nijlân & Huizum")
        household = self._free_household(households, team, lambda r: r.bsn == PGB_BSN) or self._free_household(
            households, team, lambda r: r.geslacht == "M" and 25 <= r.age_on(self.today) <= 50
        )
        if household is None:
            return None
        resident = household.members.get(relation=Relation.MAIN).resident
        start = working_day(self.today - timedelta(days=250))
        with at(moment(start, 10)):
            case = self._open(
                household,
                team,
                (
                    "Herindicatie: meneer heeft al tien jaar een pgb voor begeleiding (6 uur per week). "
                    "Ouders en zus willen meer doen."
                ),
                domains=("financien", "tijdsbesteding", "sociaal-netwerk"),
                day=start,
            )
            case_services.case_change_status(case=case, to=Status.INTAKE, by=worker)
            case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=worker)
            family = {
                name: people_services.network_member_add(resident=resident, name=name, relation=relation)
                for name, relation in (
                    ("Vader", NetworkRelation.PARENT),
                    ("Moeder", NetworkRelation.PARENT),
                    ("Zus Anke", NetworkRelation.SIBLING),
                )
            }
        day = working_day(start + timedelta(days=8))
        with at(moment(day, 13)):
            plan_conversations.conversation_record(
                case=case,
                by=worker,
                held_on=day,
                place="Bij zijn ouders thuis",
                residents=[resident],
                network_members=list(family.values()),
                question_asked="Verlenging van het pgb.",
                question_behind=(
                    "Eerst de zorg, dan de eigen regie, pas dan het geld. Zijn ouders en zus willen helpen, maar "
                    "niemand heeft het hun ooit gevraagd."
                ),
                own_strength="Werkt drie dagen op de zorgboerderij; kookt eenvoudige maaltijden.",
                network_strength="Ouders wonen om de hoek; zus regelt graag papieren.",
                commitments={
                    family["Vader"]: "Brengt hem dinsdag en donderdag naar de zorgboerderij",
                    family["Moeder"]: "Maakt elke zondag samen de weekplanning",
                    family["Zus Anke"]: "Doet eens per maand de administratie met hem",
                },
                conclusion="Het pgb in drie stappen afbouwen naarmate de familie het overneemt; elke stap evalueren.",
            )
            self._zrm(
                case,
                worker,
                day,
                Moment.START,
                {
                    "financien": (3, "Pgb-administratie door bewindvoerder; eigen geld gaat goed."),
                    "tijdsbesteding": (4, "Vaste dagbesteding op de zorgboerderij."),
                    "sociaal-netwerk": (3, "Betrokken familie, weinig vrienden."),
                },
            )
            plan = plan_services.plan_start(household=household, by=worker)
            goal = self._goal(
                plan,
                worker,
                "tijdsbesteding",
                "Week zelf plannen met hulp van de familie",
                4,
                day + timedelta(days=240),
            )
            for name, text in (
                ("Moeder", "Elke zondag samen de weekplanning maken"),
                ("Vader", "Vervoer naar de zorgboerderij op dinsdag en donderdag"),
                ("Zus Anke", "Maandelijks de administratie samen doen"),
            ):
                self._action(plan, worker, goal, text, Actor.NETWORK, network_member=family[name])
            plan_services.plan_update(
                plan=plan,
                expected_version=plan.version,
                by=worker,
                summary="De familie neemt de begeleiding stap voor stap over; het pgb bouwt af.",
                agreed_on=day,
                agreement=AgreementKind.SIGNED,
                evaluate_on=day + timedelta(days=90),
            )
        support = self._provision(team, "Begeleiding individueel")
        price = support.unit_price if support else Decimal("58.20")
        # The same steps as the PGB decisions in demo/maatwerk.py: 6, 3, then 1 hour a week.
        steps = [(6, day, day + timedelta(days=89)), (3, day + timedelta(days=90), day + timedelta(days=179))]
        steps.append((1, day + timedelta(days=180), day + timedelta(days=269)))
        for hours, begins, ends in steps:
            if begins >= self.today:
                break
            with at(moment(working_day(begins), 15)):
                plan.refresh_from_db()
                plan_services.arrangement_save(
                    plan=plan,
                    expected_version=plan.version,
                    by=worker,
                    source=Source.PGB,
                    description=f"Pgb begeleiding, {hours} uur per week",
                    provision=support,
                    quantity=Decimal(hours),
                    frequency=Frequency.WEEK,
                    unit_price=price,
                    starts_on=begins,
                    ends_on=ends,
                    goal=goal,
                )
                if hours < 6:
                    contact_services.contact_log(
                        case=case,
                        professional=worker,
                        kind=ContactKind.HUISBEZOEK,
                        happened_at=moment(working_day(begins), 10),
                        duration_minutes=60,
                        note=(
                            f"Evaluatie met ouders en zus: de familie neemt meer over; pgb naar {hours} uur per week."
                        ),
                        by=worker,
                    )
        with at(moment(working_day(day + timedelta(days=15)), 11)):
            case_services.case_change_status(case=case, to=Status.PLAN, by=worker)
            case_services.case_change_status(case=case, to=Status.UITVOERING, by=worker)
        return case

    # -- helpers for the scenarios -------------------------------------------------------------

    def _open(self, household: Household, team: Team, question: str, *, domains, day: date, frameworks=("wmo",)):
        """A case for the household's main person with the demo login as regisseur, on the clock
        the caller has set."""
        return case_services.case_open(
            household=household,
            resident=household.members.get(relation=Relation.MAIN).resident,
            team=team,
            question=question,
            frameworks=[self.frameworks[code] for code in frameworks],
            life_domains=[self.domains[code] for code in domains],
            melding_date=day,
            regisseur=self.favourite,
            by=self.favourite,
        )

    def _free_household(self, households, team, fits) -> Household | None:
        areas = set(team.areas.values_list("pk", flat=True))
        for household in households:
            if household.area_id not in areas or household.cases.exists():
                continue
            main = household.members.select_related("resident").get(relation=Relation.MAIN).resident
            if main.bsn != WIDOW_BSN and fits(main):
                return household
        return None

    def _provisions(self, team: Team, *names: str) -> list[Provision]:
        return list(Provision.objects.filter(municipality_id=team.municipality_id, name__in=names))

    def _provision(self, team: Team, name: str) -> Provision | None:
        return Provision.objects.filter(municipality_id=team.municipality_id, name=name).first()

    def _refer_with_consent(self, case: Case, by: User, name: str, day: date) -> None:
        """A warm hand-over to a provision a partner runs: first the resident's written consent to
        share her name, contact details and question with that partner (the referral checks it),
        then the referral, which worked."""
        provision = self._provision(case.team, name)
        if provision is None or provision.organisation is None:
            return
        privacy_services.consent_record(
            resident=case.resident,
            organisation=provision.organisation,
            categories=[DataCategory.PERSONAL, DataCategory.QUESTION],
            purpose=f"Aanmelding bij {provision.name}",
            form=ConsentMode.WRITTEN,
            by=by,
            given_on=day,
            expires_on=day + timedelta(days=2 * 365),
        )
        referral = provision_services.provision_refer(
            provision=provision,
            case=case,
            by=by,
            note="Gebeld met de coördinator; een vrijwilliger belt mevrouw deze week.",
            follow_up_on=day + timedelta(days=21),
        )
        with at(moment(day + timedelta(days=21), 9)):
            provision_services.referral_record_outcome(
                referral=referral, by=by, outcome=ReferralOutcome.WORKED, note="Vrijwilliger komt om de week."
            )

    def _ratings(self, scores: dict[str, tuple[int, str]]) -> list[Rating]:
        return [Rating(self.domains[code], score, reason) for code, (score, reason) in scores.items()]

    def _zrm(self, case: Case, by: User, day: date, moment_: str, scores: dict[str, tuple[int, str]]) -> None:
        assessment_record(case=case, by=by, ratings=self._ratings(scores), assessed_on=day, moment=moment_)

    def _goal(self, plan, by, domain: str, text: str, target: int, due: date):
        return plan_services.goal_save(
            plan=plan,
            expected_version=plan.version,
            by=by,
            domain=self.domains[domain],
            description=text,
            target_score=target,
            due_on=due,
        )

    def _action(self, plan, by, goal, text: str, actor: str, network_member=None):
        return plan_services.action_save(
            plan=plan,
            expected_version=plan.version,
            by=by,
            goal=goal,
            description=text,
            actor=actor,
            network_member=network_member,
        )


def _triage_reason(triage: str) -> str:
    return {
        Triage.SELF_RELIANT: "Enkelvoudige vraag; advies en informatie volstaan.",
        Triage.SUPPORT: "Ondersteuning nodig op meer dan één leefgebied.",
        Triage.SPECIALIST: "Specialistische hulp nodig; het wijkteam houdt de regie.",
    }[triage]
