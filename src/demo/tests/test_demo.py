"""The demo municipality loads, deterministically, and shows Leeuwarden's real districts."""

import io
from datetime import date, datetime, time

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import User
from areas.models import Area
from cases.models import Case
from cases.workflow import Status
from conftest import login
from demo.residents import PGB_BSN
from people.models import Household, Resident

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module", autouse=True)
def _on_the_demo_day():
    """The demo is built as of TODAY; its stories (what is overdue, what the access review finds)
    are read on that day too, whatever day the suite runs."""
    from django.utils import timezone

    with time_machine.travel(timezone.make_aware(datetime.combine(TODAY, time(15, 0))), tick=True):
        yield


@pytest.fixture(scope="module")
def demo(_on_the_demo_day, django_db_setup, django_db_blocker):
    """Load once for the module inside a transaction that is rolled back afterwards (the access
    log is append-only, so the database cannot be flushed)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                call_command("load_demo", today=TODAY, quiet_logins=True, stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_refuses_outside_demo_mode(db):
    with pytest.raises(CommandError, match="WIJKTEAM_DEMO"):
        call_command("load_demo")


def test_real_districts_with_cbs_figures(demo):
    assert Area.objects.filter(municipality__cbs_code="GM0080").count() == 22
    nijlan = Area.objects.get(cbs_code="WK008041")
    assert (nijlan.name, nijlan.inhabitants) == ("Nijlân & De Zwette", 4050)
    assert "85984NED" in nijlan.inhabitants_source


def test_a_lived_in_caseload_in_every_status(demo):
    assert Resident.objects.count() > 400
    assert Household.objects.count() > 250
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert User.objects.filter(username="sociaalwerker").get().cases_as_regisseur.open().count() >= 10


def test_the_widow_in_huizum(demo):
    case = Case.objects.get(resident__bsn_hash__isnull=False, resident__geslachtsnaam="Meiden")
    assert case.resident.age_on(TODAY) == 69
    assert case.household.area.name == "Huizum-West"
    assert set(case.life_domains.values_list("code", flat=True)) == {
        "financien",
        "sociaal-netwerk",
        "lichamelijke-gezondheid",
    }
    visits = case.contacts.filter(status="gedaan", series__isnull=False)
    assert visits.count() == 12
    assert all(visit.goals.exists() for visit in visits)
    series = case.contact_series.get()
    assert series.ends_on is None and series.active
    assert case.contacts.filter(status="gepland", series=series, planned_at__date__gt=TODAY).count() >= 2
    assert not case.contacts.filter(status="gepland", planned_at__date__lt=TODAY).exists()
    scored = {s.domain.code for a in case.assessments.all() for s in a.scores.all()}
    assert scored == {"financien", "sociaal-netwerk", "lichamelijke-gezondheid"}  # never all thirteen
    assert case.assessments.count() == 3
    plan = case.household.plan
    assert plan.goals.filter(description__startswith="Administratie op orde").exists()
    assert plan.agreed_on and plan.versions.count() > 5
    assert case.conversations.get().commitments.exists()


def test_stairlift_and_pgb_scenarios(demo):
    from plans.services import plan_costs

    stairlift = Case.objects.get(conversations__question_behind__contains="stofzuiger")
    costs = plan_costs(stairlift.household.plan)
    assert costs.asked == 6850 and costs.arranged == 129
    assert stairlift.status == Status.AFGESLOTEN
    assert stairlift.assessments.filter(moment="eind").exists()
    pgb = Case.objects.get(conversations__question_behind__contains="Eerst de zorg")
    steps = pgb.household.plan.arrangements.filter(source="pgb").order_by("starts_on")
    assert [int(a.quantity) for a in steps] == [6, 3, 1]
    assert pgb.household.plan.goals.get().actions.filter(network_member__isnull=False).count() == 3
    assert pgb.resident.bsn == PGB_BSN  # always the same man: the browser journey of scenario 3 finds him by name


def test_demo_logins_work_and_see_their_own_team(demo, client):
    assert client.login(username="sociaalwerker", password="wijkteam-demo")
    step = client.get(reverse("cases:my_work"))
    assert step.status_code == 302 and step["Location"].startswith(reverse("accounts:twofactor"))
    with override_settings(DEMO_MODE=True):
        code = client.get(reverse("accounts:twofactor")).context["demo_code"]
        assert code and len(code) == 6  # pre-enrolled, the code shown on the page in demo mode
        assert client.post(reverse("accounts:twofactor"), {"code": code})["Location"] == reverse("cases:my_work")
    page = client.get(reverse("cases:my_work"))
    assert page.status_code == 200 and page.context["rows"]
    widow = Case.objects.get(resident__geslachtsnaam="Meiden")
    assert client.get(reverse("cases:detail", args=[widow.pk])).status_code == 200
    other = login(User.objects.get(username="collega"))
    assert other.get(reverse("cases:detail", args=[widow.pk])).status_code == 404
    stand_in = login(User.objects.get(username="teamlid"))  # same team, not on the case: the card
    assert stand_in.get(reverse("cases:detail", args=[widow.pk])).status_code == 403


def test_a_resident_with_two_open_cases_is_one_row_of_the_teams_list(demo):
    """The demo's divorce cases (demo.policy) open a second case for residents who already had one
    with another regisseur: the team's list shows each such resident once, with both cases."""
    leader = login(User.objects.get(username="teamleider"))
    first = leader.get(reverse("cases:team_cases"))
    pages = [first] + [
        leader.get(reverse("cases:team_cases"), {"pagina": n})
        for n in range(2, first.context["page"].paginator.num_pages + 1)
    ]
    listed = [(resident.pk, len(cases)) for page in pages for resident, cases in page.context["rows"]]
    assert len({pk for pk, _n in listed}) == len(listed)
    assert any(n == 2 for _pk, n in listed)


def test_the_planted_misuse_is_found(demo):
    from datetime import timedelta

    from oversight.review import findings

    found = findings(start=TODAY - timedelta(days=30), end=TODAY)
    rules = {f.rule for f in found if f.user and f.user.username != "sociaalwerker"}
    assert {"many", "night", "glass"} <= rules


def test_maatwerk_tells_the_stairlift_and_the_pgb_stories(demo):
    from lxml import etree

    from maatwerk.costs import cost_figures
    from maatwerk.models import Allocation, Decision, IndicationAdvice
    from maatwerk.tests.test_services import official_schema

    beschikker = User.objects.get(username="beschikker")
    waiting = IndicationAdvice.objects.visible_to(beschikker).filter(status="ingediend")
    assert waiting.count() == 2 and any(advice.overdue for advice in waiting)
    kinds = set()
    for allocation in Allocation.objects.all():
        assert official_schema(allocation.kind).validate(etree.ElementTree(etree.fromstring(allocation.xml.encode())))
        kinds.add(allocation.kind)
    assert kinds == {"WMO301", "JW301"}
    steps = list(Decision.objects.filter(delivery_form="pgb").order_by("starts_on").values_list("volume", flat=True))
    assert steps == [6, 3, 1]
    pgb = Decision.objects.filter(delivery_form="pgb").first().advice.case
    assert pgb.conversations.filter(question_behind__contains="Eerst de zorg").exists()  # the same family
    for advice in IndicationAdvice.objects.select_related("case"):  # no application before its case
        assert advice.aanvraag_date >= advice.case.melding_date, advice.case.reference
    stairlift = IndicationAdvice.objects.get(requested_provision__name="Traplift")
    assert stairlift.provision.name == "Kleine hulpmiddelen"
    assert cost_figures(municipality=beschikker.municipality, year=TODAY.year, exact=True).avoided > 6000


def test_demo_district_profiles_show_real_cbs_figures(demo):
    """Issue 7: Heechterp & Schieringen and Nijlân & De Zwette with CBS 2024 inhabitants and 2020 income."""
    client = login(User.objects.get(username="beleid"))
    heechterp = client.get(reverse("insights:district", args=["WK008050"])).content.decode()
    assert "3.630" in heechterp and "17,6" in heechterp and "85984NED, 2024" in heechterp
    nijlan = client.get(reverse("insights:district", args=["WK008041"])).content.decode()
    assert "4.050" in nijlan and "66,4" in nijlan


def test_demo_has_an_answered_signal_visible_to_the_team(demo):
    page = login(User.objects.get(username="sociaalwerker")).get(reverse("insights:signals")).content.decode()
    assert "Huurtoeslag stopgezet na nieuw wijzigingsformulier" in page
    assert "Wachtlijst schuldhulp loopt op" in page


def test_demo_has_a_neighbourhood_initiative_of_30000_euro(demo):
    page = login(User.objects.get(username="teamleider")).get(reverse("insights:initiatives"))
    (initiative, spent, reach), *_ = page.context["rows"]
    assert (initiative.budget, spent, reach) == (30000, 5450, 4)


def test_demo_scenario_5_divorces_show_in_the_profile_with_a_suggestion(demo):
    response = login(User.objects.get(username="teamleider")).get(reverse("insights:district", args=["WK008041"]))
    domains = {row.label: row.district for row in response.context["profile"].domains}
    # fourteen divorces in two whole months: at least ten published whatever the noise, so shown
    assert domains["Huiselijke relaties"].value >= 10
    # Among the themes that recur there (their order follows the protected counts' noise).
    assert "huiselijke-relaties" in [s.domain.code for s in response.context["suggestions"]]


def test_scenarios_4_and_6_toegang_and_signalering(demo):
    from intake.models import Outcome, Question, Referral, ReferralStatus

    school_gate = Question.objects.get(vindplaats__name="Basisschool De Zwette")
    assert school_gate.outcome == Outcome.ANSWERED and school_gate.case is None and school_gate.seconds_taken < 60
    assert Question.objects.filter(case__isnull=True).count() >= 5
    gp_referral = Referral.objects.get(client_reference="HA-HUI-0412")
    assert gp_referral.status == ReferralStatus.IN_PROGRESS
    assert gp_referral.case.triage and gp_referral.case.regisseur.username == "sociaalwerker"
    waiting = Referral.objects.filter(case__isnull=True, closed_at__isnull=True)
    assert waiting.count() == 2
    gp = login(User.objects.get(username="verwijzer"))
    page = gp.get(reverse("intake:refer")).content.decode()
    assert "HA-HUI-0412" in page and gp_referral.case.reference not in page
    assert login(User.objects.get(username="sociaalwerker")).get(reverse("cases:werkbak")).status_code == 200


def test_the_demo_shows_the_message_cycle_with_providers(demo):
    """Starts of care for the allocations that began, their iJw retours, a stop, a declaration with
    a refused service, a request to answer and a youth-care request being looked into: every
    message valid against its XSD, and realised costs in the cost overview."""
    from maatwerk.costs import cost_figures
    from maatwerk.models import Allocation, AllocationRequest, DeclaredService, Message
    from maatwerk.samples import is_valid

    kinds = set(Message.objects.values_list("kind", flat=True))
    assert {"WMO301", "JW301", "WMO305", "JW305", "JW306", "JW302", "WMO307", "WMO323"} <= kinds
    assert {"WMO315", "JW315", "JW316", "JW319", "JW320"} <= kinds
    for message in Message.objects.all():
        assert is_valid(message.kind, message.xml.encode()), message
    assert Allocation.objects.filter(started_on__isnull=False).count() >= 3
    assert Allocation.objects.filter(stopped_on__isnull=False, end_reason="20").count() == 1
    assert DeclaredService.objects.filter(accepted=False, codes=["0611"]).exists()
    assert AllocationRequest.objects.filter(status="open").count() == 1
    assert AllocationRequest.objects.filter(status="in_onderzoek").count() == 1
    beschikker = User.objects.get(username="beschikker")
    assert cost_figures(municipality=beschikker.municipality, year=TODAY.year, exact=True).total.realised > 0
    page = login(beschikker).get(reverse("maatwerk:messages")).content.decode()
    assert "Thuiszorg Noord" in page and "Jeugdhulp Fryslân Ambulant" in page
