"""A lived-in caseload: cases in every status with their history and contacts, made by running
the real services on a simulated clock. Texts are in Dutch, as social workers write them."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import User
from cases import services as case_services
from cases.models import Case, LegalFramework, Triage
from cases.workflow import Status
from contacts import services as contact_services
from contacts.models import ContactKind
from people.models import Household, Relation
from teams.models import Team
from teams.services import team_for_area
from zrm.models import LifeDomain

from .clock import at, moment, working_day
from .residents import WIDOW_BSN


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

    def team_members(self, team: Team) -> list[User]:
        members = list(team.members.filter(is_active=True).order_by("username"))
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
            if self.rng.random() > 0.62:
                continue
            count += self.household_cases(household)
        count += self.investigations_due(households)
        return count

    def investigations_due(self, households: list[Household]) -> int:
        """Two investigations of the demo login whose six weeks end soon, one already overdue,
        so "Mijn werk" shows what the deadline watch is for."""
        team = Team.objects.get(name="Wijkteam Nijlân & Huizum")
        free = [
            h for h in households if h.area_id in set(team.areas.values_list("pk", flat=True)) and not h.cases.exists()
        ]
        question = next(q for q in QUESTIONS if q.text.startswith("Vraagt een scootmobiel"))
        made = 0
        for household, days_ago in zip(free, (33, 44), strict=False):
            start = working_day(self.today - timedelta(days=days_ago))
            subject = household.members.get(relation=Relation.MAIN).resident
            with at(moment(start, 9)):
                case = case_services.case_open(
                    household=household,
                    resident=subject,
                    team=team,
                    question=question.text,
                    frameworks=[self.frameworks[c] for c in question.frameworks],
                    life_domains=[self.domains[c] for c in question.domains],
                    melding_date=start,
                    regisseur=self.favourite,
                    by=self.favourite,
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
            case_services.case_assign_regisseur(case=case, regisseur=regisseur, by=opener)
            case_services.case_change_status(case=case, to=Status.INTAKE, by=regisseur)
        if question.triage == Triage.SELF_RELIANT and (close or rng.random() < 0.7):
            if step(rng.randint(1, 10)):
                with at(moment(day, 14)):
                    case_services.case_close(
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
                case_services.case_close(
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
        """Scenario 1: a widow of 69 in Huizum; her monthly post, an hour each month, for years."""
        worker = self.favourite
        team = Team.objects.get(name="Wijkteam Nijlân & Huizum")
        resident = household.members.get(relation=Relation.MAIN).resident
        start = working_day(self.today - timedelta(days=395))
        with at(moment(start, 9, 15)):
            case = case_services.case_open(
                household=household,
                resident=resident,
                team=team,
                question=(
                    "Mevrouw loopt moeizaam en heeft weinig sociale contacten; vorige maand is haar kat overleden. "
                    "Ze krijgt haar post niet meer bijgehouden: huurtoeslag, zorgverzekering, gemeentebelastingen."
                ),
                frameworks=[self.frameworks["wmo"]],
                life_domains=[self.domains[c] for c in ("financien", "sociaal-netwerk", "lichamelijke-gezondheid")],
                melding_date=start,
                regisseur=worker,
                by=worker,
            )
        Case.objects.filter(pk=case.pk).update(
            triage=Triage.SUPPORT,
            triage_reason="Meerdere domeinen: financiën, netwerk, gezondheid; geen specialistische zorg nodig.",
        )
        day = working_day(start + timedelta(days=2))
        with at(moment(day, 10)):
            case_services.case_change_status(case=case, to=Status.INTAKE, by=worker)
            case_services.case_change_status(case=case, to=Status.ONDERZOEK, by=worker)
        day = working_day(day + timedelta(days=7))
        with at(moment(day, 12)):
            contact_services.contact_log(
                case=case,
                professional=worker,
                kind=ContactKind.HUISBEZOEK,
                happened_at=moment(day, 10),
                duration_minutes=75,
                note=(
                    "Keukentafelgesprek in haar flat. Ze zet een lijstje met foto's van de kat naast zich op de bank. "
                    "Wil vooral dat de post op orde is; geen activiteiten, wel iemand die langskomt."
                ),
                by=worker,
            )
        day = working_day(day + timedelta(days=14))
        with at(moment(day, 11)):
            case_services.case_change_status(case=case, to=Status.PLAN, by=worker, note="Doel: administratie op orde.")
            case_services.case_change_status(case=case, to=Status.UITVOERING, by=worker)
        first_visit = working_day(start + timedelta(days=30))
        for month in range(12):
            visit = working_day(first_visit + timedelta(days=30 * month))
            if visit >= self.today:
                break
            with at(moment(visit, 12)):
                contact_services.contact_log(
                    case=case,
                    professional=worker,
                    kind=ContactKind.HUISBEZOEK,
                    happened_at=moment(visit, 10),
                    duration_minutes=60,
                    note=MONTHLY_POST,
                    by=worker,
                )
        with at(moment(self.today, 8)):
            contact_services.contact_plan(
                case=case,
                professional=worker,
                kind=ContactKind.HUISBEZOEK,
                planned_at=moment(working_day(self.today + timedelta(days=6)), 10),
                by=worker,
                note="Maandelijks bezoek: de post doornemen.",
            )
        return case


def _triage_reason(triage: str) -> str:
    return {
        Triage.SELF_RELIANT: "Enkelvoudige vraag; advies en informatie volstaan.",
        Triage.SUPPORT: "Ondersteuning nodig op meer dan één leefgebied.",
        Triage.SPECIALIST: "Specialistische hulp nodig; het wijkteam houdt de regie.",
    }[triage]
