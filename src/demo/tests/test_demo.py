"""The demo municipality loads, deterministically, and shows Leeuwarden's real districts."""

import io
from datetime import date

import pytest
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
from people.models import Household, Resident

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
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
    assert [int(a.quantity) for a in steps] == [6, 4, 2]
    assert pgb.household.plan.goals.get().actions.filter(network_member__isnull=False).count() == 3


def test_demo_logins_work_and_see_their_own_team(demo, client):
    assert client.login(username="sociaalwerker", password="wijkteam-demo")
    page = client.get(reverse("cases:my_work"))
    assert page.status_code == 200 and page.context["cases"]
    widow = Case.objects.get(resident__geslachtsnaam="Meiden")
    assert client.get(reverse("cases:detail", args=[widow.pk])).status_code == 200
    other = login(User.objects.get(username="collega"))
    assert other.get(reverse("cases:detail", args=[widow.pk])).status_code == 404


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
